with funders as (
    select * from {{ ref('stg_report__funders') }}
),

programme_counts as (
    select
        funder_id,
        count(*) as programmes
    from {{ ref('stg_report__programmes') }}
    group by funder_id
),

final as (
    select
        cast(funders.funder_id as {{ dbt.type_string() }}) as funder_id,
        cast(funders.funder_kind as {{ dbt.type_string() }}) as funder_kind,
        cast(funders.funder_name_as_printed as {{ dbt.type_string() }}) as funder_name_as_printed,
        cast(funders.funder_name_ar as {{ dbt.type_string() }}) as funder_name_ar,
        cast(funders.funder_name_fr as {{ dbt.type_string() }}) as funder_name_fr,
        cast(funders.funder_name_en as {{ dbt.type_string() }}) as funder_name_en,
        cast(funders.note as {{ dbt.type_string() }}) as note,
        cast(coalesce(programme_counts.programmes, 0) as bigint) as programmes
    from funders
    left join programme_counts
        on funders.funder_id = programme_counts.funder_id
)

select * from final
