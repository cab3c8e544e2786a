with documents as (
    select * from {{ ref('stg_report__source_documents') }}
),

final as (
    select
        cast(document_id as {{ dbt.type_string() }}) as document_id,
        cast(title_ar as {{ dbt.type_string() }}) as title_ar,
        cast(title_fr as {{ dbt.type_string() }}) as title_fr,
        cast(title_en as {{ dbt.type_string() }}) as title_en,
        cast(publisher_as_printed as {{ dbt.type_string() }}) as publisher_as_printed,
        cast(publisher_en as {{ dbt.type_string() }}) as publisher_en,
        cast(period_covered as {{ dbt.type_string() }}) as period_covered,
        cast(start_year as bigint) as start_year,
        cast(end_year as bigint) as end_year,
        cast(language as {{ dbt.type_string() }}) as language,
        cast(file_name as {{ dbt.type_string() }}) as file_name
    from documents
)

select * from final
