with partners as (
    select * from {{ ref('stg_report__event_partners') }}
),

final as (
    select
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(partner_code as {{ dbt.type_string() }}) as partner_code,
        cast(partner_name_as_printed as {{ dbt.type_string() }}) as partner_name_as_printed,
        cast(partner_name_en as {{ dbt.type_string() }}) as partner_name_en,
        cast(partner_name_fr as {{ dbt.type_string() }}) as partner_name_fr
    from partners
)

select * from final
