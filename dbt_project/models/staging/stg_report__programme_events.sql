with source as (
    select * from {{ source('report', 'programme_events') }}
),

final as (
    select
        event_id,
        programme_id,
        period,
        event_type,
        event_name_en,
        event_name_fr,
        printed_text,
        start_date,
        end_date,
        date_precision,
        date_as_printed,
        city_ar,
        city_en,
        venue_ar,
        venue_en,
        participant_count,
        participant_unit,
        age_min,
        age_max,
        occurrences,
        source_document,
        source_location
    from source
)

select * from final
