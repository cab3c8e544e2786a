"""Seed CSV files: their declared schema, and how each is validated and typed into `raw.*`.

Import a name from the module that owns it:

- `schema`: the declared schema, read from dbt's manifest (`SeedTable`, `seed_tables`, the
  files a table loads from).
- `formats`: each value format as SQL (`value_sql`, `describe_format`).
- `problems`: what is wrong and where (`SeedProblem`, `SeedError`, the lines of records).
- `text_checks`: what is checked before DuckDB reads a file (its header, UTF-8).
- `reading`: DuckDB's CSV reader over a file, as SQL, and the typed select list.
- `references`: lookups into other seed tables, derived columns and unique keys.
- `loading`: one file validated and loaded in a transaction (`load_seed`).
- `register`: a table given as several files, one per period (`load_split_seed`), and the
  fingerprint of what its validation depends on.
- `load_step`: what the load step does for each selected table (`load_tables`).
- `catalog`: the tables this dbt project declares, in loading order, and their asset keys.
"""
