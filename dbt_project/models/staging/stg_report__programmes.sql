with source as (
    select * from {{ source('report', 'programmes') }}
),

final as (
    select
        programme_id,
        funder_id,
        programme_name_ar,
        programme_name_fr,
        programme_name_en
    from source
)

select * from final
