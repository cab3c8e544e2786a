with source as (
    select * from {{ source('report', 'source_documents') }}
),

final as (
    select
        document_id,
        programme_id,
        document_kind,
        title_ar,
        title_en,
        title_fr,
        publisher_as_printed,
        publisher_en,
        period_covered,
        start_year,
        end_year,
        language,
        file_name,
        published_year
    from source
)

select * from final
