with source as (
    select * from {{ source('report', 'funders') }}
),

final as (
    select
        funder_id,
        funder_kind,
        funder_name_as_printed,
        funder_name_ar,
        funder_name_fr,
        funder_name_en,
        note
    from source
)

select * from final
