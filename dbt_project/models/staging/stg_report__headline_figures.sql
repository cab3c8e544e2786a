with source as (
    select * from {{ source('report', 'headline_figures') }}
),

final as (
    select
        programme_id,
        period,
        measure,
        value,
        qualifier,
        stated_precision,
        value_as_printed,
        source_document,
        source_location,
        printed_text
    from source
)

select * from final
