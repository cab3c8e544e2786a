-- The register of grant agreements with each agreement's domain resolved from its code or any
-- printed label of its programme. A view, as the staging model it resolves: fct_project_grants
-- reads it twice, and DuckDB inlines a view where a CTE read twice would be materialized.
{{ config(materialized='view') }}

with agreements as (
    select * from {{ ref('stg_report__grant_agreements') }}
),

domains as (
    select * from {{ ref('stg_report__domains') }}
),

labels as (
    select * from {{ ref('stg_report__domain_labels') }}
),

final as (
    select
        agreements.identifier,
        agreements.programme_id,
        agreements.period,
        agreements.programme_period,
        agreements.recipient_org_name,
        agreements.recipient_org_identifier,
        agreements.recipient_org_key,
        agreements.title,
        agreements.domain_as_given,
        agreements.beneficiary_location_name,
        agreements.amount_awarded,
        agreements.grant_programme_title,
        agreements.award_date,
        agreements.source_document,
        agreements.source_row,
        coalesce(domains.domain_code, labels.domain_code) as domain_code
    from agreements
    left join domains
        on
        agreements.programme_id = domains.programme_id
        and agreements.domain_as_given = domains.domain_code
    left join labels
        on
        agreements.programme_id = labels.programme_id
        and agreements.domain_as_given = labels.label_ar
)

select * from final
