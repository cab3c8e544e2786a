with source as (
    select * from {{ source('report', 'reporting_periods') }}
),

final as (
    select
        programme_id,
        period,
        start_year,
        end_year,
        period_as_printed,
        source_document,
        source_location
    from source
)

select * from final
