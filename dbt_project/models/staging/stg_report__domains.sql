with source as (
    select * from {{ source('report', 'domains') }}
),

final as (
    select
        programme_id,
        domain_code,
        domain_name_ar,
        domain_name_fr,
        domain_name_en,
        display_order
    from source
)

select * from final
