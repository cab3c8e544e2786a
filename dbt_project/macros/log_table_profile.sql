{#-
    Post-hook on every model: logs its row count and first rows as one JSON line,
        {"grants_table_profile": {"row_count": 60, "columns": [...], "rows": [[...], ...]}}
    which the dbt step reads back from dbt's JSON log file while dbt writes it and attaches to the
    model's materialization (orchestration/lib/dbt/table_profiles.py). Measured inside dbt because dbt holds the working DuckDB file
    until it exits; reading it afterwards would hold back every event until the build ends.
    Values are logged as text (the preview is for reading, not computing).
-#}
{% macro log_table_profile(preview_rows=5) %}
    {%- if execute -%}
        {%- set row_count = run_query("select count(*) from " ~ this).columns[0].values()[0] -%}
        {%- set preview = run_query("select * from " ~ this ~ " limit " ~ preview_rows) -%}
        {%- set rows = [] -%}
        {%- for row in preview.rows -%}
            {%- set values = [] -%}
            {%- for value in row -%}
                {%- do values.append(none if value is none else value | string) -%}
            {%- endfor -%}
            {%- do rows.append(values) -%}
        {%- endfor -%}
        {%- set profile = {
            "row_count": row_count | int,
            "columns": preview.column_names | list,
            "rows": rows,
        } -%}
        {%- do log(tojson({"grants_table_profile": profile}), info=true) -%}
    {%- endif -%}
{% endmacro %}
