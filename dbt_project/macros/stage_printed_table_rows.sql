{#-
    A row of a report's domain tables as printed: its programme and period, its label as printed (renamed
    to `label_as_printed`), its figures (projects, amount_mad) and where it is printed
    (source_document, source_table, source_row). The one body of stg_report__domain_grants
    (the domain rows) and stg_report__domain_table_totals (the total rows).
-#}
{% macro stage_printed_table_rows(table_name, label_column, label_as_printed) -%}
with source as (
    select * from {{ source('report', table_name) }}
),

final as (
    select
        programme_id,
        period,
        {{ label_column }} as {{ label_as_printed }},
        projects,
        amount_mad,
        source_document,
        source_table,
        source_row
    from source
)

select * from final
{%- endmacro %}
