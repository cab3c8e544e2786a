with periods as (
    select * from {{ ref('stg_report__reporting_periods') }}
),

domain_rows as (
    select
        programme_id,
        period,
        count(*) as domain_rows
    from {{ ref('stg_report__domain_grants') }}
    group by programme_id, period
),

final as (
    select
        cast(periods.programme_id as {{ dbt.type_string() }}) as programme_id,
        cast(periods.period as {{ dbt.type_string() }}) as period,
        cast(periods.start_year as bigint) as start_year,
        cast(periods.end_year as bigint) as end_year,
        cast(periods.end_year - periods.start_year + 1 as bigint) as years_covered,
        cast(periods.period_as_printed as {{ dbt.type_string() }}) as period_as_printed,
        cast(coalesce(domain_rows.domain_rows, 0) as bigint) as domain_table_rows,
        cast(periods.source_document as {{ dbt.type_string() }}) as source_document
    from periods
    left join domain_rows
        on
        periods.programme_id = domain_rows.programme_id
        and periods.period = domain_rows.period
)

select * from final
