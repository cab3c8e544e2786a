-- The grant agreements summed per period. Associations are counted distinct over the whole
-- period (an association with projects in two domains counts once), not summed over domains.
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
        count(*) as projects,
        sum(amount_awarded) as amount_mad,
        count(distinct recipient_org_key) as associations,
        max(source_fingerprint) as source_fingerprint
    from agreements
    group by period
)

select * from final
