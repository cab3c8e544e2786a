with source as (
    select * from {{ source('report', 'known_discrepancies') }}
),

final as (
    select
        programme_id,
        period,
        level,
        domain_code,
        measure,
        published_value,
        summed_value,
        difference,
        source_document,
        source_location,
        explanation
    from source
)

select * from final
