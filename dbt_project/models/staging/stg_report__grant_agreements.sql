-- The register of grant agreements (optional; empty when no register is loaded), with the key
-- on which distinct associations are counted and the programme's period as one key
-- (programme_period: what an incremental refresh rewrites as a whole). The domain is resolved
-- from its code or printed label in int_grant_agreements.
with source as (
    select * from {{ source('report', 'grant_agreements') }}
),

final as (
    select
        identifier,
        programme_id,
        period,
        recipient_org_name,
        recipient_org_identifier,
        title,
        domain as domain_as_given,
        beneficiary_location_name,
        amount_awarded,
        grant_programme_title,
        award_date,
        source_document,
        source_row,
        coalesce(recipient_org_identifier, recipient_org_name) as recipient_org_key,
        {{ dbt.concat(['programme_id', "'.'", 'period']) }} as programme_period
    from source
)

select * from final
