with programmes as (
    select * from {{ ref('stg_report__programmes') }}
),

funders as (
    select * from {{ ref('stg_report__funders') }}
),

period_counts as (
    select
        programme_id,
        count(*) as periods,
        min(start_year) as first_year,
        max(end_year) as last_year
    from {{ ref('stg_report__reporting_periods') }}
    group by programme_id
),

document_counts as (
    select
        programme_id,
        count(*) as documents
    from {{ ref('stg_report__source_documents') }}
    group by programme_id
),

final as (
    select
        cast(programmes.programme_id as {{ dbt.type_string() }}) as programme_id,
        cast(programmes.funder_id as {{ dbt.type_string() }}) as funder_id,
        {{ names_in_three_languages('programme', 'programmes') }},
        {{ names_in_three_languages('funder', 'funders') }},
        cast(coalesce(period_counts.periods, 0) as bigint) as periods,
        cast(period_counts.first_year as bigint) as first_year,
        cast(period_counts.last_year as bigint) as last_year,
        cast(coalesce(document_counts.documents, 0) as bigint) as documents
    from programmes
    inner join funders
        on programmes.funder_id = funders.funder_id
    left join period_counts
        on programmes.programme_id = period_counts.programme_id
    left join document_counts
        on programmes.programme_id = document_counts.programme_id
)

select * from final
