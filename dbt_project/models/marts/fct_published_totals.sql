-- Every figure the documents state, one row per programme, period, measure, place and document:
-- the text's figures ('text', with their qualifier and precision as printed) and each domain
-- table's total row ('table_total_row', exact). is_period_document marks the figures of the
-- document that reports the period (dim_period.source_document): the period's own figures,
-- which the reconciliations and summaries use; another document's are compared with them in
-- mart_document_reconciliation.
with stated_in_text as (
    select * from {{ ref('int_headline_figures') }}
),

table_totals as (
    select * from {{ ref('stg_report__domain_table_totals') }}
),

periods as (
    select * from {{ ref('stg_report__reporting_periods') }}
),

stated_in_table_total_rows as (
    {{ unpivot_measures(
        'table_totals', ['projects', 'amount_mad'], value_column='published_value',
        keys=['programme_id', 'period'],
        columns=['source_document', 'source_table as source_location', 'source_row']
    ) }}
),

unioned as (
    select
        programme_id,
        period,
        measure,
        'text' as stated_in,
        value as published_value,
        qualifier,
        stated_precision,
        lower_bound,
        upper_bound,
        value_as_printed,
        source_document,
        source_location,
        cast(null as bigint) as source_row
    from stated_in_text
    union all
    select
        programme_id,
        period,
        measure,
        'table_total_row' as stated_in,
        published_value,
        'exact' as qualifier,
        1 as stated_precision,
        published_value as lower_bound,
        published_value as upper_bound,
        cast(published_value as {{ dbt.type_string() }}) as value_as_printed,
        source_document,
        source_location,
        source_row
    from stated_in_table_total_rows
),

final as (
    select
        cast(unioned.programme_id as {{ dbt.type_string() }}) as programme_id,
        cast(unioned.period as {{ dbt.type_string() }}) as period,
        cast(unioned.measure as {{ dbt.type_string() }}) as measure,
        cast(unioned.stated_in as {{ dbt.type_string() }}) as stated_in,
        cast(unioned.published_value as bigint) as published_value,
        cast(unioned.qualifier as {{ dbt.type_string() }}) as qualifier,
        cast(unioned.stated_precision as bigint) as stated_precision,
        cast(unioned.lower_bound as decimal(18, 1)) as lower_bound,
        cast(unioned.upper_bound as decimal(18, 1)) as upper_bound,
        cast(unioned.value_as_printed as {{ dbt.type_string() }}) as value_as_printed,
        cast(unioned.source_document = periods.source_document as boolean) as is_period_document,
        cast(unioned.source_document as {{ dbt.type_string() }}) as source_document,
        cast(unioned.source_location as {{ dbt.type_string() }}) as source_location,
        cast(unioned.source_row as bigint) as source_row
    from unioned
    inner join periods
        on
        unioned.programme_id = periods.programme_id
        and unioned.period = periods.period
)

select * from final
