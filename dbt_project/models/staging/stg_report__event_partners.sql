with source as (
    select * from {{ source('report', 'event_partners') }}
),

final as (
    select
        event_id,
        partner_code,
        partner_name_as_printed,
        partner_name_en,
        partner_name_fr
    from source
)

select * from final
