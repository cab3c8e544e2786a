-- One row per period and domain (from the agreements where a period has a register, else the
-- printed domain table: see basis), with names in three languages,
-- average grant per project and each domain's share of the period (Charts 01-04).
with grants as (
    select * from {{ ref('fct_domain_grants') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

domains as (
    select * from {{ ref('dim_domain') }}
),

period_totals as (
    select
        period,
        sum(projects) as period_projects,
        sum(amount_mad) as period_amount_mad
    from grants
    group by period
),

final as (
    select
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
        cast(grants.source_table as {{ dbt.type_string() }}) as source_table,
        cast(grants.source_row as bigint) as source_row,
        cast(grants.basis as {{ dbt.type_string() }}) as basis
    from grants
    inner join periods
        on grants.period = periods.period
    inner join domains
        on grants.domain_code = domains.domain_code
    inner join period_totals
        on grants.period = period_totals.period
)

select * from final
