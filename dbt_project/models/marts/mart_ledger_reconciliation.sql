-- For each period with a register of grant agreements, the agreements reconciled at two more
-- levels beside mart_reconciliation's (the printed domain rows against the headline):
--   agreements_vs_domain_table  per domain: agreements counted and summed against the printed row
--   agreements_vs_headline      per period: agreements counted and summed, distinct associations
--                               counted, against the totals the text states
-- with the register's entry and the same statuses. Empty when no register is loaded.
with agreements_by_domain as (
    select * from {{ ref('int_agreements_by_domain') }}
),

agreements_by_period as (
    select * from {{ ref('int_agreements_by_period') }}
),

printed as (
    select * from {{ ref('int_domain_grants') }}
    where period in (select agreements_by_period.period from agreements_by_period)
),

stated_in_text as (
    select * from {{ ref('fct_published_totals') }}
    where
        stated_in = 'text'
        and period in (select agreements_by_period.period from agreements_by_period)
),

register as (
    select * from {{ ref('fct_known_discrepancies') }}
    where level in ('agreements_vs_domain_table', 'agreements_vs_headline')
),

-- Compared per domain only where the period has a printed domain table.
domain_level_agreements as (
    {{ unpivot_measures(
        'agreements_by_domain', ['projects', 'amount_mad'], value_column='summed_value',
        keys=['period', 'domain_code'], where='period in (select printed.period from printed)'
    ) }}
),

domain_level_printed as (
    {{ unpivot_measures(
        'printed', ['projects', 'amount_mad'], value_column='published_value',
        keys=['period', 'domain_code']
    ) }}
),

-- A full join: a printed domain with no agreements, or agreements in a domain the table does
-- not print, both show (and fail).
domain_level as (
    select
        coalesce(domain_level_agreements.period, domain_level_printed.period) as period,
        'agreements_vs_domain_table' as level,
        coalesce(domain_level_agreements.domain_code, domain_level_printed.domain_code)
            as domain_code,
        coalesce(domain_level_agreements.measure, domain_level_printed.measure) as measure,
        domain_level_printed.published_value,
        coalesce(domain_level_agreements.summed_value, 0) as summed_value
    from domain_level_agreements
    full outer join domain_level_printed
        on domain_level_agreements.period = domain_level_printed.period
        and domain_level_agreements.domain_code = domain_level_printed.domain_code
        and domain_level_agreements.measure = domain_level_printed.measure
),

period_level_agreements as (
    {{ unpivot_measures(
        'agreements_by_period', ['projects', 'amount_mad', 'associations'],
        value_column='summed_value'
    ) }}
),

period_level as (
    select
        period_level_agreements.period,
        'agreements_vs_headline' as level,
        cast(null as {{ dbt.type_string() }}) as domain_code,
        period_level_agreements.measure,
        stated_in_text.published_value,
        period_level_agreements.summed_value
    from period_level_agreements
    -- Compared where the text states the total (a period may have a register and no headline).
    inner join stated_in_text
        on period_level_agreements.period = stated_in_text.period
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
        keys=['period', 'level', 'domain_code', 'measure'], null_safe_keys=['domain_code']
    ) }}
),

final as (
    {{ reconciliation_columns(keys=['period', 'level', 'domain_code', 'measure']) }}
)

select * from final
