with source as (
    select * from {{ source('report', 'source_documents') }}
),

final as (
    select
        document_id,
        title_ar,
        title_en,
        title_fr,
        publisher_as_printed,
        publisher_en,
        period_covered,
        start_year,
        end_year,
        language,
        file_name
    from source
)

select * from final
