with source as (
    select * from {{ source('report', 'domain_table_totals') }}
),

final as (
    select
        period,
        label_ar as label_as_printed,
        projects,
        amount_mad,
        source_document,
        source_table,
        source_row
    from source
)

select * from final
