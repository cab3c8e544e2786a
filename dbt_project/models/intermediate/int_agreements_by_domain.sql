-- The grant agreements summed per period and domain: projects, amount and distinct associations.
-- Incremental by period, as fct_project_grants: a refresh sums again only the periods whose
-- fingerprint there changed.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ drop_periods_missing_from(ref('fct_project_grants')) }}",
    **replace_periods_config()
) }}

with agreements as (
    select * from {{ ref('fct_project_grants') }}
    {% if is_incremental() %}
    where period in ({{ changed_periods(ref('fct_project_grants'), this) }})
    {% endif %}
),

final as (
    select
        period,
        domain_code,
        count(*) as projects,
        sum(amount_awarded) as amount_mad,
        count(distinct recipient_org_key) as associations,
        max(source_fingerprint) as source_fingerprint
    from agreements
    group by period, domain_code
)

select * from final
