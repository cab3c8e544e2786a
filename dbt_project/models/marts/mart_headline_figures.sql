-- Every figure the documents state in their text, one row per programme, period, measure and
-- document, as printed: value, qualifier and precision, the bounds of the true value they imply,
-- and where it is printed, with the programme's, funder's, measure's and qualifier's names in
-- three languages. The one place for figures of any kind (beneficiaries, regions, ...).
with figures as (
    select * from {{ ref('fct_published_totals') }}
    where stated_in = 'text'
),

periods as (
    select * from {{ ref('dim_period') }}
),

programmes as (
    select * from {{ ref('dim_programme') }}
),

measures as (
    select * from {{ ref('dim_measure') }}
),

qualifiers as (
    select * from {{ ref('dim_figure_qualifier') }}
),

documents as (
    select * from {{ ref('dim_source_document') }}
),

final as (
    select
        cast(figures.programme_id as {{ dbt.type_string() }}) as programme_id,
        cast(programmes.funder_id as {{ dbt.type_string() }}) as funder_id,
        cast(figures.period as {{ dbt.type_string() }}) as period,
        cast(periods.start_year as bigint) as start_year,
        cast(periods.end_year as bigint) as end_year,
        cast(figures.measure as {{ dbt.type_string() }}) as measure,
        cast(measures.unit as {{ dbt.type_string() }}) as unit,
        cast(figures.published_value as bigint) as stated_value,
        cast(figures.qualifier as {{ dbt.type_string() }}) as qualifier,
        cast(qualifiers.is_exact as boolean) as is_exact,
        cast(figures.stated_precision as bigint) as stated_precision,
        cast(figures.lower_bound as decimal(18, 1)) as lower_bound,
        cast(figures.upper_bound as decimal(18, 1)) as upper_bound,
        cast(figures.value_as_printed as {{ dbt.type_string() }}) as value_as_printed,
        cast(figures.is_period_document as boolean) as is_period_document,
        cast(figures.source_document as {{ dbt.type_string() }}) as source_document,
        cast(documents.document_kind as {{ dbt.type_string() }}) as document_kind,
        cast(documents.publisher_as_printed as {{ dbt.type_string() }}) as publisher_as_printed,
        cast(figures.source_location as {{ dbt.type_string() }}) as source_location,
        {{ names_in_three_languages('measure', 'measures') }},
        {{ names_in_three_languages('qualifier', 'qualifiers') }},
        {{ names_in_three_languages('programme', 'programmes') }},
        {{ names_in_three_languages('funder', 'programmes') }}
    from figures
    inner join periods
        on
        figures.programme_id = periods.programme_id
        and figures.period = periods.period
    inner join programmes
        on figures.programme_id = programmes.programme_id
    inner join measures
        on figures.measure = measures.measure
    inner join qualifiers
        on figures.qualifier = qualifiers.qualifier
    inner join documents
        on figures.source_document = documents.document_id
)

select * from final
