with source as (
    select * from {{ source('report', 'period_headlines') }}
),

final as (
    select
        period,
        associations,
        projects,
        amount_mad,
        source_document,
        source_location,
        printed_text
    from source
)

select * from final
