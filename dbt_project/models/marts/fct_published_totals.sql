-- Every total the report prints, one row per period, measure and place it is stated:
-- the text's headline sentence ('text') and each domain table's total row ('table_total_row').
with headlines as (
    select * from {{ ref('stg_report__period_headlines') }}
),

table_totals as (
    select * from {{ ref('stg_report__domain_table_totals') }}
),

stated_in_text as (
    {{ unpivot_measures(
        'headlines', ['associations', 'projects', 'amount_mad'], value_column='published_value',
        columns=['source_document', 'source_location', 'cast(null as bigint) as source_row']
    ) }}
),

stated_in_table_total_rows as (
    {{ unpivot_measures(
        'table_totals', ['projects', 'amount_mad'], value_column='published_value',
        columns=['source_document', 'source_table as source_location', 'source_row']
    ) }}
),

unioned as (
    select
        *,
        'text' as stated_in
    from stated_in_text
    union all
    select
        *,
        'table_total_row' as stated_in
    from stated_in_table_total_rows
),

final as (
    select
        cast(period as {{ dbt.type_string() }}) as period,
        cast(measure as {{ dbt.type_string() }}) as measure,
        cast(stated_in as {{ dbt.type_string() }}) as stated_in,
        cast(published_value as bigint) as published_value,
        cast(source_document as {{ dbt.type_string() }}) as source_document,
        cast(source_location as {{ dbt.type_string() }}) as source_location,
        cast(source_row as bigint) as source_row
    from unioned
)

select * from final
