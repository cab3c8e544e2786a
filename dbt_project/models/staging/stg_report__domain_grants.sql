-- The domain rows of the report's tables, each with its label as printed: the domain code is
-- resolved from the label in int_domain_grants (macros/stage_printed_table_rows.sql).
{{ stage_printed_table_rows(
    'domain_grants', label_column='domain_label_ar', label_as_printed='domain_label_as_printed'
) }}
