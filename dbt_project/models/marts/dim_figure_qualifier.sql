with qualifiers as (
    select * from {{ ref('stg_report__figure_qualifiers') }}
),

final as (
    select
        cast(qualifier as {{ dbt.type_string() }}) as qualifier,
        cast(qualifier_name_ar as {{ dbt.type_string() }}) as qualifier_name_ar,
        cast(qualifier_name_fr as {{ dbt.type_string() }}) as qualifier_name_fr,
        cast(qualifier_name_en as {{ dbt.type_string() }}) as qualifier_name_en,
        cast(
            coalesce(
                lower_half_precisions = 0 and lower_units = 0
                and upper_half_precisions = 0 and upper_units = 0,
                false
            ) as boolean
        ) as is_exact,
        cast(lower_half_precisions as bigint) as lower_half_precisions,
        cast(lower_units as bigint) as lower_units,
        cast(upper_half_precisions as bigint) as upper_half_precisions,
        cast(upper_units as bigint) as upper_units,
        cast(description as {{ dbt.type_string() }}) as description
    from qualifiers
)

select * from final
