-- The grant agreements summed per period. Associations are counted distinct over the whole
-- period (an association with projects in two domains counts once), not summed over domains.
with agreements as (
    select * from {{ ref('fct_project_grants') }}
),

final as (
    select
        period,
        count(*) as projects,
        sum(amount_awarded) as amount_mad,
        count(distinct recipient_org_key) as associations
    from agreements
    group by period
)

select * from final
