-- One row per programme and reporting period: the figures the period's own document states
-- (associations, projects, amount) with how it qualifies each, the sum of the domain rows
-- beside them (null where the period has no domain table), averages, and the change against
-- the programme's previous period of the same length. Averages and changes are computed from
-- exact figures only: an approximation ("of the order of 40 million") never enters them.
with periods as (
    select * from {{ ref('dim_period') }}
),

programmes as (
    select * from {{ ref('dim_programme') }}
),

stated_in_text as (
    select * from {{ ref('fct_published_totals') }}
    where stated_in = 'text' and is_period_document
),

grants as (
    select * from {{ ref('fct_domain_grants') }}
),

headlines as (
    select
        programme_id,
        period,
        max(case when measure = 'associations' then published_value end) as associations,
        max(case when measure = 'associations' then qualifier end) as associations_qualifier,
        max(case when measure = 'projects' then published_value end) as projects,
        max(case when measure = 'projects' then qualifier end) as projects_qualifier,
        max(case when measure = 'amount_mad' then published_value end) as amount_mad_published,
        max(case when measure = 'amount_mad' then qualifier end) as amount_mad_qualifier
    from stated_in_text
    group by programme_id, period
),

domain_sums as (
    select
        programme_id,
        period,
        sum(projects) as projects_from_domains,
        sum(amount_mad) as amount_mad_from_domains
    from grants
    group by programme_id, period
),

joined as (
    select
        periods.programme_id,
        programmes.funder_id,
        periods.period,
        periods.start_year,
        periods.end_year,
        periods.years_covered,
        periods.source_document,
        headlines.associations,
        headlines.associations_qualifier,
        headlines.projects,
        headlines.projects_qualifier,
        headlines.amount_mad_published,
        headlines.amount_mad_qualifier,
        domain_sums.projects_from_domains,
        domain_sums.amount_mad_from_domains,
        programmes.programme_name_ar,
        programmes.programme_name_fr,
        programmes.programme_name_en,
        programmes.funder_name_ar,
        programmes.funder_name_fr,
        programmes.funder_name_en,
        case when headlines.associations_qualifier = 'exact' then headlines.associations end
            as exact_associations,
        case when headlines.projects_qualifier = 'exact' then headlines.projects end
            as exact_projects,
        case when headlines.amount_mad_qualifier = 'exact' then headlines.amount_mad_published end
            as exact_amount_mad
    from periods
    inner join programmes
        on periods.programme_id = programmes.programme_id
    left join headlines
        on
        periods.programme_id = headlines.programme_id
        and periods.period = headlines.period
    left join domain_sums
        on
        periods.programme_id = domain_sums.programme_id
        and periods.period = domain_sums.period
),

-- The previous period is the programme's last one of the same length: a year is compared with
-- the year before, never with a span of three.
with_previous as (
    select
        *,
        lag(period) over (
            partition by programme_id, years_covered order by start_year
        ) as previous_period,
        lag(exact_associations) over (
            partition by programme_id, years_covered order by start_year
        ) as previous_associations,
        lag(exact_projects) over (
            partition by programme_id, years_covered order by start_year
        ) as previous_projects,
        lag(exact_amount_mad) over (
            partition by programme_id, years_covered order by start_year
        ) as previous_amount_mad
    from joined
),

final as (
    select
        cast(programme_id as {{ dbt.type_string() }}) as programme_id,
        cast(funder_id as {{ dbt.type_string() }}) as funder_id,
        cast(period as {{ dbt.type_string() }}) as period,
        cast(start_year as bigint) as start_year,
        cast(end_year as bigint) as end_year,
        cast(source_document as {{ dbt.type_string() }}) as source_document,
        cast(associations as bigint) as associations,
        cast(associations_qualifier as {{ dbt.type_string() }}) as associations_qualifier,
        cast(projects as bigint) as projects,
        cast(projects_qualifier as {{ dbt.type_string() }}) as projects_qualifier,
        cast(amount_mad_published as bigint) as amount_mad_published,
        cast(amount_mad_qualifier as {{ dbt.type_string() }}) as amount_mad_qualifier,
        cast(projects_from_domains as bigint) as projects_from_domains,
        cast(amount_mad_from_domains as bigint) as amount_mad_from_domains,
        cast(
            round(cast(exact_amount_mad as decimal(18, 2)) / nullif(exact_projects, 0), 2)
            as decimal(18, 2)
        ) as avg_amount_per_project,
        cast(
            round(cast(exact_amount_mad as decimal(18, 2)) / nullif(exact_associations, 0), 2)
            as decimal(18, 2)
        ) as avg_amount_per_association,
        cast(previous_period as {{ dbt.type_string() }}) as previous_period,
        cast(exact_associations - previous_associations as bigint) as associations_change,
        cast(exact_projects - previous_projects as bigint) as projects_change,
        cast(exact_amount_mad - previous_amount_mad as bigint) as amount_mad_change,
        (
            cast(exact_projects - previous_projects as double)
            / nullif(cast(previous_projects as double), 0)
        ) as projects_relative_change,
        (
            cast(exact_amount_mad - previous_amount_mad as double)
            / nullif(cast(previous_amount_mad as double), 0)
        ) as amount_mad_relative_change,
        cast(programme_name_ar as {{ dbt.type_string() }}) as programme_name_ar,
        cast(programme_name_fr as {{ dbt.type_string() }}) as programme_name_fr,
        cast(programme_name_en as {{ dbt.type_string() }}) as programme_name_en,
        cast(funder_name_ar as {{ dbt.type_string() }}) as funder_name_ar,
        cast(funder_name_fr as {{ dbt.type_string() }}) as funder_name_fr,
        cast(funder_name_en as {{ dbt.type_string() }}) as funder_name_en
    from with_previous
)

select * from final
