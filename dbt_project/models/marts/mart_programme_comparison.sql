-- One row per funder, programme and period, across every programme in the warehouse: the
-- period's own figures (associations, projects, amount, as mart_year_summary states them), the
-- average grant, and the programme's share of its funder's and of the state's money for the
-- same period. A share is computed only where every amount it divides is exact and the periods
-- are the same (a 2017 is compared with a 2017, never with 2014-2016); null otherwise.
with summary as (
    select * from {{ ref('mart_year_summary') }}
),

funders as (
    select * from {{ ref('dim_funder') }}
),

with_totals as (
    select
        summary.*,
        sum(
            case when summary.amount_mad_qualifier = 'exact' then summary.amount_mad_published end
        ) over (
            partition by summary.funder_id, summary.period
        ) as funder_exact_amount,
        count(*) over (partition by summary.funder_id, summary.period) as funder_programmes,
        sum(case when summary.amount_mad_qualifier = 'exact' then 1 else 0 end) over (
            partition by summary.funder_id, summary.period
        ) as funder_exact_programmes,
        sum(
            case when summary.amount_mad_qualifier = 'exact' then summary.amount_mad_published end
        ) over (
            partition by summary.period
        ) as state_exact_amount,
        count(*) over (partition by summary.period) as state_programmes,
        sum(case when summary.amount_mad_qualifier = 'exact' then 1 else 0 end) over (
            partition by summary.period
        ) as state_exact_programmes
    from summary
),

final as (
    select
        cast(with_totals.funder_id as {{ dbt.type_string() }}) as funder_id,
        cast(with_totals.programme_id as {{ dbt.type_string() }}) as programme_id,
        cast(with_totals.period as {{ dbt.type_string() }}) as period,
        cast(with_totals.start_year as bigint) as start_year,
        cast(with_totals.end_year as bigint) as end_year,
        cast(with_totals.associations as bigint) as associations,
        cast(with_totals.associations_qualifier as {{ dbt.type_string() }})
            as associations_qualifier,
        cast(with_totals.projects as bigint) as projects,
        cast(with_totals.projects_qualifier as {{ dbt.type_string() }}) as projects_qualifier,
        cast(with_totals.amount_mad_published as bigint) as amount_mad,
        cast(with_totals.amount_mad_qualifier as {{ dbt.type_string() }}) as amount_mad_qualifier,
        cast(with_totals.avg_amount_per_project as decimal(18, 2)) as avg_amount_per_project,
        cast(with_totals.avg_amount_per_association as decimal(18, 2))
            as avg_amount_per_association,
        cast(with_totals.funder_programmes as bigint) as funder_programmes_in_period,
        cast(with_totals.state_programmes as bigint) as programmes_in_period,
        case
            when
                with_totals.amount_mad_qualifier = 'exact'
                and with_totals.funder_exact_programmes = with_totals.funder_programmes
                then
                    cast(with_totals.amount_mad_published as double)
                    / nullif(cast(with_totals.funder_exact_amount as double), 0)
        end as share_of_funder_amount,
        case
            when
                with_totals.amount_mad_qualifier = 'exact'
                and with_totals.state_exact_programmes = with_totals.state_programmes
                then
                    cast(with_totals.amount_mad_published as double)
                    / nullif(cast(with_totals.state_exact_amount as double), 0)
        end as share_of_state_amount,
        {{ names_in_three_languages('programme', 'with_totals') }},
        {{ names_in_three_languages('funder', 'funders') }}
    from with_totals
    inner join funders
        on with_totals.funder_id = funders.funder_id
)

select * from final
