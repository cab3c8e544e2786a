with source as (
    select * from {{ source('report', 'measures') }}
),

final as (
    select
        measure,
        unit,
        measure_name_ar,
        measure_name_fr,
        measure_name_en
    from source
)

select * from final
