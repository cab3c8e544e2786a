with measures as (
    select * from {{ ref('stg_report__measures') }}
),

final as (
    select
        cast(measure as {{ dbt.type_string() }}) as measure,
        cast(unit as {{ dbt.type_string() }}) as unit,
        cast(measure_name_ar as {{ dbt.type_string() }}) as measure_name_ar,
        cast(measure_name_fr as {{ dbt.type_string() }}) as measure_name_fr,
        cast(measure_name_en as {{ dbt.type_string() }}) as measure_name_en
    from measures
)

select * from final
