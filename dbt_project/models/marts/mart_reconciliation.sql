-- One row per programme, period and measure that a domain table lets us check (the
-- reconciliation level domain_table_vs_headline): the figure the period's own document states in
-- its text, with the bounds its qualifier implies, the table's printed total row, the sum of the
-- printed domain rows, their difference, and what the register of known discrepancies says.
with published as (
    select * from {{ ref('fct_published_totals') }}
    where is_period_document
),

-- The printed rows, also for a period whose domain figures come from its agreements.
grants as (
    select * from {{ ref('stg_report__domain_grants') }}
),

register as (
    select * from {{ ref('fct_known_discrepancies') }}
    where level = 'domain_table_vs_headline'
),

stated_in_text as (
    select
        programme_id,
        period,
        measure,
        published_value,
        qualifier,
        lower_bound,
        upper_bound
    from published
    where stated_in = 'text'
),

stated_in_table_total_rows as (
    select
        programme_id,
        period,
        measure,
        published_value as table_total_value
    from published
    where stated_in = 'table_total_row'
),

period_row_sums as (
    select
        programme_id,
        period,
        sum(projects) as projects,
        sum(amount_mad) as amount_mad
    from grants
    group by programme_id, period
),

domain_row_sums as (
    {{ unpivot_measures(
        'period_row_sums', ['projects', 'amount_mad'], value_column='summed_value',
        keys=['programme_id', 'period']
    ) }}
),

observed as (
    select
        domain_row_sums.programme_id,
        domain_row_sums.period,
        domain_row_sums.measure,
        stated_in_text.published_value,
        stated_in_text.lower_bound,
        stated_in_text.upper_bound,
        stated_in_table_total_rows.table_total_value,
        domain_row_sums.summed_value,
        domain_row_sums.summed_value - stated_in_text.published_value as difference
    from domain_row_sums
    left join stated_in_text
        on
        domain_row_sums.programme_id = stated_in_text.programme_id
        and domain_row_sums.period = stated_in_text.period
        and domain_row_sums.measure = stated_in_text.measure
    left join stated_in_table_total_rows
        on
        domain_row_sums.programme_id = stated_in_table_total_rows.programme_id
        and domain_row_sums.period = stated_in_table_total_rows.period
        and domain_row_sums.measure = stated_in_table_total_rows.measure
),

-- A full join, so that a registered gap whose rows disappeared still shows (and fails).
compared as (
    {{ compare_with_register(
        keys=['programme_id', 'period', 'measure'], extra_columns=['table_total_value']
    ) }}
),

final as (
    {{ reconciliation_columns(
        keys=['programme_id', 'period', 'measure'], extra_columns=['table_total_value']
    ) }}
)

select * from final
