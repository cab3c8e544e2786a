with domains as (
    select * from {{ ref('stg_report__domains') }}
),

spellings as (
    select
        programme_id,
        domain_code,
        count(*) as printed_spellings
    from {{ ref('stg_report__domain_labels') }}
    group by programme_id, domain_code
),

final as (
    select
        cast(domains.programme_id as {{ dbt.type_string() }}) as programme_id,
        cast(domains.domain_code as {{ dbt.type_string() }}) as domain_code,
        cast(domains.domain_name_ar as {{ dbt.type_string() }}) as domain_name_ar,
        cast(domains.domain_name_fr as {{ dbt.type_string() }}) as domain_name_fr,
        cast(domains.domain_name_en as {{ dbt.type_string() }}) as domain_name_en,
        cast(domains.display_order as bigint) as display_order,
        cast(coalesce(spellings.printed_spellings, 0) as bigint) as printed_spellings
    from domains
    left join spellings
        on
        domains.programme_id = spellings.programme_id
        and domains.domain_code = spellings.domain_code
)

select * from final
