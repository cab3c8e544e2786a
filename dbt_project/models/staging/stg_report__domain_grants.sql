-- The domain rows of the report's tables, each with its label as printed: the domain code is
-- resolved from the label in int_domain_grants.
with source as (
    select * from {{ source('report', 'domain_grants') }}
),

final as (
    select
        period,
        domain_label_ar as domain_label_as_printed,
        projects,
        amount_mad,
        source_document,
        source_table,
        source_row
    from source
)

select * from final
