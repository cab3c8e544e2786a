-- The domain rows plus, per programme period, a correction row holding the gap between the
-- printed total and the rows: summing amount_mad (or projects) over a programme period
-- reproduces the printed total, while `where row_kind = 'domain_row'` keeps the rows exactly as
-- printed. An approximate total ("of the order of") gets no correction: it is not a figure to
-- reproduce.
with domain_rows as (
    select * from {{ ref('mart_domain_year') }}
),

agreement_periods as (
    select distinct
        programme_id,
        period
    from domain_rows
    where basis = 'agreements'
),

-- The gap to the printed total: against the printed domain rows, or against the agreements
-- for a programme period whose rows are summed from its register.
domain_table_gaps as (
    select gaps.*
    from {{ ref('mart_reconciliation') }} as gaps
    where not exists (
        select 1 from agreement_periods
        where
            agreement_periods.programme_id = gaps.programme_id
            and agreement_periods.period = gaps.period
    )
),

agreement_gaps as (
    select * from {{ ref('mart_ledger_reconciliation') }}
    where level = 'agreements_vs_headline' and measure in ('projects', 'amount_mad')
),

reconciliation as (
    {{ union_all_columns(
        ['domain_table_gaps', 'agreement_gaps'],
        [
            'programme_id', 'period', 'measure', 'published_value', 'summed_value', 'status',
            'explanation'
        ]
    ) }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

corrections as (
    select
        programme_id,
        period,
        sum(case when measure = 'projects' then published_value - summed_value else 0 end)
            as projects,
        sum(case when measure = 'amount_mad' then published_value - summed_value else 0 end)
            as amount_mad,
        max(status) as status,
        max(explanation) as explanation
    from reconciliation
    where published_value <> summed_value and status <> 'within_stated_precision'
    group by programme_id, period
),

unioned as (
    select
        programme_id,
        period,
        start_year,
        end_year,
        'domain_row' as row_kind,
        domain_code,
        domain_name_ar,
        domain_name_fr,
        domain_name_en,
        display_order,
        projects,
        amount_mad,
        cast(null as {{ dbt.type_string() }}) as explanation
    from domain_rows
    union all
    select
        corrections.programme_id,
        corrections.period,
        periods.start_year,
        periods.end_year,
        'correction' as row_kind,
        cast(null as {{ dbt.type_string() }}) as domain_code,
        'الفرق بين المجموع المنشور ومجموع المجالات' as domain_name_ar,
        'Écart entre le total publié et la somme des domaines' as domain_name_fr,
        'Difference between the printed total and the sum of the domains' as domain_name_en,
        cast(null as bigint) as display_order,
        corrections.projects,
        corrections.amount_mad,
        corrections.explanation
    from corrections
    inner join periods
        on
        corrections.programme_id = periods.programme_id
        and corrections.period = periods.period
),

final as (
    select
        cast(programme_id as {{ dbt.type_string() }}) as programme_id,
        cast(period as {{ dbt.type_string() }}) as period,
        cast(start_year as bigint) as start_year,
        cast(end_year as bigint) as end_year,
        cast(row_kind as {{ dbt.type_string() }}) as row_kind,
        cast(domain_code as {{ dbt.type_string() }}) as domain_code,
        cast(domain_name_ar as {{ dbt.type_string() }}) as domain_name_ar,
        cast(domain_name_fr as {{ dbt.type_string() }}) as domain_name_fr,
        cast(domain_name_en as {{ dbt.type_string() }}) as domain_name_en,
        cast(display_order as bigint) as display_order,
        cast(projects as bigint) as projects,
        cast(amount_mad as bigint) as amount_mad,
        cast(explanation as {{ dbt.type_string() }}) as explanation
    from unioned
)

select * from final
