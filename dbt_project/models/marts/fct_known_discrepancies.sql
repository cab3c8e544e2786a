-- The register of known discrepancies, published so that readers can see each gap and why.
with register as (
    select * from {{ ref('stg_report__known_discrepancies') }}
),

final as (
    select
        cast(programme_id as {{ dbt.type_string() }}) as programme_id,
        cast(period as {{ dbt.type_string() }}) as period,
        cast(level as {{ dbt.type_string() }}) as level,
        cast(domain_code as {{ dbt.type_string() }}) as domain_code,
        cast(measure as {{ dbt.type_string() }}) as measure,
        cast(published_value as bigint) as published_value,
        cast(summed_value as bigint) as summed_value,
        cast(difference as bigint) as difference,
        cast(source_document as {{ dbt.type_string() }}) as source_document,
        cast(source_location as {{ dbt.type_string() }}) as source_location,
        cast(explanation as {{ dbt.type_string() }}) as explanation
    from register
)

select * from final
