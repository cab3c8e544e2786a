with source as (
    select * from {{ source('report', 'figure_qualifiers') }}
),

final as (
    select
        qualifier,
        qualifier_name_ar,
        qualifier_name_fr,
        qualifier_name_en,
        lower_half_precisions,
        lower_units,
        upper_half_precisions,
        upper_units,
        description
    from source
)

select * from final
