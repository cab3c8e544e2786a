with documents as (
    select * from {{ ref('stg_report__source_documents') }}
),

programmes as (
    select * from {{ ref('stg_report__programmes') }}
),

final as (
    select
        cast(documents.document_id as {{ dbt.type_string() }}) as document_id,
        cast(documents.programme_id as {{ dbt.type_string() }}) as programme_id,
        cast(programmes.funder_id as {{ dbt.type_string() }}) as funder_id,
        cast(documents.document_kind as {{ dbt.type_string() }}) as document_kind,
        cast(documents.title_ar as {{ dbt.type_string() }}) as title_ar,
        cast(documents.title_fr as {{ dbt.type_string() }}) as title_fr,
        cast(documents.title_en as {{ dbt.type_string() }}) as title_en,
        cast(documents.publisher_as_printed as {{ dbt.type_string() }}) as publisher_as_printed,
        cast(documents.publisher_en as {{ dbt.type_string() }}) as publisher_en,
        cast(documents.period_covered as {{ dbt.type_string() }}) as period_covered,
        cast(documents.start_year as bigint) as start_year,
        cast(documents.end_year as bigint) as end_year,
        cast(documents.language as {{ dbt.type_string() }}) as language,
        cast(documents.file_name as {{ dbt.type_string() }}) as file_name,
        cast(documents.published_year as bigint) as published_year
    from documents
    inner join programmes
        on documents.programme_id = programmes.programme_id
)

select * from final
