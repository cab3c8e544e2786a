-- The grant agreements summed per period and domain: projects, amount and distinct associations.
with agreements as (
    select * from {{ ref('fct_project_grants') }}
),

final as (
    select
        period,
        domain_code,
        count(*) as projects,
        sum(amount_awarded) as amount_mad,
        count(distinct recipient_org_key) as associations
    from agreements
    group by period, domain_code
)

select * from final
