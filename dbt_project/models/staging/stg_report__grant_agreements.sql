-- The register of grant agreements (optional; empty when no register is loaded), with each
-- agreement's domain resolved from its code or printed label, and the key on which distinct
-- associations are counted.
with source as (
    select * from {{ source('report', 'grant_agreements') }}
),

domains as (
    select * from {{ ref('stg_report__domains') }}
),

labels as (
    select * from {{ ref('stg_report__domain_labels') }}
),

final as (
    select
        source.identifier,
        source.period,
        source.recipient_org_name,
        source.recipient_org_identifier,
        coalesce(source.recipient_org_identifier, source.recipient_org_name) as recipient_org_key,
        source.title,
        coalesce(domains.domain_code, labels.domain_code) as domain_code,
        source.domain as domain_as_given,
        source.beneficiary_location_name,
        source.amount_awarded,
        source.grant_programme_title,
        source.award_date,
        source.source_document,
        source.source_row
    from source
    left join domains
        on source.domain = domains.domain_code
    left join labels
        on source.domain = labels.label_ar
)

select * from final
