-- One row per grant agreement (a supported project), for the periods that have a register.
-- Field names follow the 360Giving Data Standard where one fits; the currency is always MAD.
with agreements as (
    select * from {{ ref('stg_report__grant_agreements') }}
),

final as (
    select
        cast(identifier as {{ dbt.type_string() }}) as identifier,
        cast(period as {{ dbt.type_string() }}) as period,
        cast(title as {{ dbt.type_string() }}) as title,
        cast(recipient_org_name as {{ dbt.type_string() }}) as recipient_org_name,
        cast(recipient_org_identifier as {{ dbt.type_string() }}) as recipient_org_identifier,
        cast(recipient_org_key as {{ dbt.type_string() }}) as recipient_org_key,
        cast(domain_code as {{ dbt.type_string() }}) as domain_code,
        cast(domain_as_given as {{ dbt.type_string() }}) as domain_as_given,
        cast(beneficiary_location_name as {{ dbt.type_string() }}) as beneficiary_location_name,
        cast(amount_awarded as bigint) as amount_awarded,
        cast('MAD' as {{ dbt.type_string() }}) as currency,
        cast(grant_programme_title as {{ dbt.type_string() }}) as grant_programme_title,
        cast(award_date as date) as award_date,
        cast(source_document as {{ dbt.type_string() }}) as source_document,
        cast(source_row as bigint) as source_row
    from agreements
)

select * from final
