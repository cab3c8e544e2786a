-- The total row of each of the report's domain tables, with its label as printed
-- (macros/stage_printed_table_rows.sql).
{{ stage_printed_table_rows(
    'domain_table_totals', label_column='label_ar', label_as_printed='label_as_printed'
) }}
