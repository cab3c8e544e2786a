-- One row per reporting period: the headline totals as the text states them, the sum of the
-- domain rows beside them (null where the period has no domain table), averages, and the
-- change against the previous period.
with periods as (
    select * from {{ ref('dim_period') }}
),

stated_in_text as (
    select * from {{ ref('fct_published_totals') }}
    where stated_in = 'text'
),

grants as (
    select * from {{ ref('fct_domain_grants') }}
),

headlines as (
    select
        period,
        max(case when measure = 'associations' then published_value end) as associations,
        max(case when measure = 'projects' then published_value end) as projects,
        max(case when measure = 'amount_mad' then published_value end) as amount_mad_published
    from stated_in_text
    group by period
),

domain_sums as (
    select
        period,
        sum(projects) as projects_from_domains,
        sum(amount_mad) as amount_mad_from_domains
    from grants
    group by period
),

joined as (
    select
        periods.period,
        periods.start_year,
        periods.end_year,
        headlines.associations,
        headlines.projects,
        headlines.amount_mad_published,
        domain_sums.projects_from_domains,
        domain_sums.amount_mad_from_domains
    from periods
    left join headlines
        on periods.period = headlines.period
    left join domain_sums
        on periods.period = domain_sums.period
),

with_previous as (
    select
        *,
        lag(period) over (order by start_year, end_year) as previous_period,
        lag(associations) over (order by start_year, end_year) as previous_associations,
        lag(projects) over (order by start_year, end_year) as previous_projects,
        lag(amount_mad_published) over (order by start_year, end_year) as previous_amount_mad
    from joined
),

final as (
    select
        cast(period as {{ dbt.type_string() }}) as period,
        cast(start_year as bigint) as start_year,
        cast(end_year as bigint) as end_year,
        cast(associations as bigint) as associations,
        cast(projects as bigint) as projects,
        cast(amount_mad_published as bigint) as amount_mad_published,
        cast(projects_from_domains as bigint) as projects_from_domains,
        cast(amount_mad_from_domains as bigint) as amount_mad_from_domains,
        cast(
            round(cast(amount_mad_published as decimal(18, 2)) / nullif(projects, 0), 2)
            as decimal(18, 2)
        ) as avg_amount_per_project,
        cast(
            round(cast(amount_mad_published as decimal(18, 2)) / nullif(associations, 0), 2)
            as decimal(18, 2)
        ) as avg_amount_per_association,
        cast(previous_period as {{ dbt.type_string() }}) as previous_period,
        cast(associations - previous_associations as bigint) as associations_change,
        cast(projects - previous_projects as bigint) as projects_change,
        cast(amount_mad_published - previous_amount_mad as bigint) as amount_mad_change,
        (
            cast(projects - previous_projects as double)
            / nullif(cast(previous_projects as double), 0)
        ) as projects_relative_change,
        (
            cast(amount_mad_published - previous_amount_mad as double)
            / nullif(cast(previous_amount_mad as double), 0)
        ) as amount_mad_relative_change
    from with_previous
)

select * from final
