-- The report's domain tables exactly as printed: one row per period and domain.
with grants as (
    select * from {{ ref('stg_report__domain_grants') }}
),

final as (
    select
        cast(period as {{ dbt.type_string() }}) as period,
        cast(domain_code as {{ dbt.type_string() }}) as domain_code,
        cast(projects as bigint) as projects,
        cast(amount_mad as bigint) as amount_mad,
        cast(domain_label_as_printed as {{ dbt.type_string() }}) as domain_label_as_printed,
        cast(source_document as {{ dbt.type_string() }}) as source_document,
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(source_row as bigint) as source_row
    from grants
)

select * from final
