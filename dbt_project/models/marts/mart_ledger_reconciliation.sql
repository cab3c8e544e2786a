-- For each programme period with a register of grant agreements, the agreements reconciled at
-- two more levels beside mart_reconciliation's (the printed domain rows against the headline):
--   agreements_vs_domain_table  per domain: agreements counted and summed against the printed row
--   agreements_vs_headline      per period: agreements counted and summed, distinct associations
--                               counted, against the figures the period's own document states
-- with the register's entry and the same statuses. Empty when no register is loaded.
with agreements_by_domain as (
    select * from {{ ref('int_agreements_by_domain') }}
),

agreements_by_period as (
    select * from {{ ref('int_agreements_by_period') }}
),

printed as (
    select printed_rows.*
    from {{ ref('int_domain_grants') }} as printed_rows
    inner join agreements_by_period
        on
        printed_rows.programme_id = agreements_by_period.programme_id
        and printed_rows.period = agreements_by_period.period
),

printed_periods as (
    select distinct
        programme_id,
        period
    from printed
),

stated_in_text as (
    select * from {{ ref('fct_published_totals') }}
    where stated_in = 'text' and is_period_document
),

register as (
    select * from {{ ref('fct_known_discrepancies') }}
    where level in ('agreements_vs_domain_table', 'agreements_vs_headline')
),

-- Compared per domain only where the programme period has a printed domain table.
agreements_in_printed_periods as (
    select agreements_by_domain.*
    from agreements_by_domain
    inner join printed_periods
        on
        agreements_by_domain.programme_id = printed_periods.programme_id
        and agreements_by_domain.period = printed_periods.period
),

domain_level_agreements as (
    {{ unpivot_measures(
        'agreements_in_printed_periods', ['projects', 'amount_mad'], value_column='summed_value',
        keys=['programme_id', 'period', 'domain_code']
    ) }}
),

domain_level_printed as (
    {{ unpivot_measures(
        'printed', ['projects', 'amount_mad'], value_column='published_value',
        keys=['programme_id', 'period', 'domain_code']
    ) }}
),

-- A full join: a printed domain with no agreements, or agreements in a domain the table does
-- not print, both show (and fail). A printed row is exact: its bounds are itself.
domain_level as (
    select
        coalesce(domain_level_agreements.programme_id, domain_level_printed.programme_id)
            as programme_id,
        coalesce(domain_level_agreements.period, domain_level_printed.period) as period,
        'agreements_vs_domain_table' as level,
        coalesce(domain_level_agreements.domain_code, domain_level_printed.domain_code)
            as domain_code,
        coalesce(domain_level_agreements.measure, domain_level_printed.measure) as measure,
        domain_level_printed.published_value,
        cast(domain_level_printed.published_value as decimal(18, 1)) as lower_bound,
        cast(domain_level_printed.published_value as decimal(18, 1)) as upper_bound,
        coalesce(domain_level_agreements.summed_value, 0) as summed_value
    from domain_level_agreements
    full outer join domain_level_printed
        on
        domain_level_agreements.programme_id = domain_level_printed.programme_id
        and domain_level_agreements.period = domain_level_printed.period
        and domain_level_agreements.domain_code = domain_level_printed.domain_code
        and domain_level_agreements.measure = domain_level_printed.measure
),

period_level_agreements as (
    {{ unpivot_measures(
        'agreements_by_period', ['projects', 'amount_mad', 'associations'],
        value_column='summed_value', keys=['programme_id', 'period']
    ) }}
),

period_level as (
    select
        period_level_agreements.programme_id,
        period_level_agreements.period,
        'agreements_vs_headline' as level,
        cast(null as {{ dbt.type_string() }}) as domain_code,
        period_level_agreements.measure,
        stated_in_text.published_value,
        stated_in_text.lower_bound,
        stated_in_text.upper_bound,
        period_level_agreements.summed_value
    from period_level_agreements
    -- Compared where the text states the figure (a period may have a register and no headline).
    inner join stated_in_text
        on
        period_level_agreements.programme_id = stated_in_text.programme_id
        and period_level_agreements.period = stated_in_text.period
        and period_level_agreements.measure = stated_in_text.measure
),

observed as (
    select
        *,
        summed_value - published_value as difference
    from domain_level
    union all
    select
        *,
        summed_value - published_value as difference
    from period_level
),

-- A full join, so that a registered gap whose rows disappeared still shows (and fails).
compared as (
    {{ compare_with_register(
        keys=['programme_id', 'period', 'level', 'domain_code', 'measure'],
        null_safe_keys=['domain_code']
    ) }}
),

final as (
    {{ reconciliation_columns(keys=['programme_id', 'period', 'level', 'domain_code', 'measure']) }}
)

select * from final
