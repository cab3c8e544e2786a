-- One row per programme, period and domain (from the agreements where a programme period has a
-- register, else the printed domain table: see basis), with the programme's, funder's and
-- domain's names in three languages, average grant per project and each domain's share of its
-- programme's period (Charts 01-04 for the 2017-2018 review).
with grants as (
    select * from {{ ref('fct_domain_grants') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

domains as (
    select * from {{ ref('dim_domain') }}
),

programmes as (
    select * from {{ ref('dim_programme') }}
),

period_totals as (
    select
        programme_id,
        period,
        sum(projects) as period_projects,
        sum(amount_mad) as period_amount_mad
    from grants
    group by programme_id, period
),

final as (
    select
        cast(grants.programme_id as {{ dbt.type_string() }}) as programme_id,
        cast(programmes.funder_id as {{ dbt.type_string() }}) as funder_id,
        cast(grants.period as {{ dbt.type_string() }}) as period,
        cast(periods.start_year as bigint) as start_year,
        cast(periods.end_year as bigint) as end_year,
        cast(grants.domain_code as {{ dbt.type_string() }}) as domain_code,
        cast(domains.domain_name_ar as {{ dbt.type_string() }}) as domain_name_ar,
        cast(domains.domain_name_fr as {{ dbt.type_string() }}) as domain_name_fr,
        cast(domains.domain_name_en as {{ dbt.type_string() }}) as domain_name_en,
        cast(domains.display_order as bigint) as display_order,
        cast(grants.projects as bigint) as projects,
        cast(grants.amount_mad as bigint) as amount_mad,
        cast(
            round(cast(grants.amount_mad as decimal(18, 2)) / nullif(grants.projects, 0), 2)
            as decimal(18, 2)
        ) as avg_amount_per_project,
        (
            cast(grants.projects as double)
            / nullif(cast(period_totals.period_projects as double), 0)
        ) as share_of_projects,
        (
            cast(grants.amount_mad as double)
            / nullif(cast(period_totals.period_amount_mad as double), 0)
        ) as share_of_amount,
        cast(grants.source_document as {{ dbt.type_string() }}) as source_document,
        cast(grants.source_table as {{ dbt.type_string() }}) as source_table,
        cast(grants.source_row as bigint) as source_row,
        cast(grants.basis as {{ dbt.type_string() }}) as basis,
        {{ names_in_three_languages('programme', 'programmes') }},
        {{ names_in_three_languages('funder', 'programmes') }}
    from grants
    inner join periods
        on
        grants.programme_id = periods.programme_id
        and grants.period = periods.period
    inner join domains
        on
        grants.programme_id = domains.programme_id
        and grants.domain_code = domains.domain_code
    inner join programmes
        on grants.programme_id = programmes.programme_id
    inner join period_totals
        on
        grants.programme_id = period_totals.programme_id
        and grants.period = period_totals.period
)

select * from final
