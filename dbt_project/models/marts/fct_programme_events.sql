with events as (
    select * from {{ ref('stg_report__programme_events') }}
),

final as (
    select
        cast(programme_id as {{ dbt.type_string() }}) as programme_id,
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(period as {{ dbt.type_string() }}) as period,
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        cast(event_name_en as {{ dbt.type_string() }}) as event_name_en,
        cast(event_name_fr as {{ dbt.type_string() }}) as event_name_fr,
        cast(printed_text as {{ dbt.type_string() }}) as printed_text,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(date_precision as {{ dbt.type_string() }}) as date_precision,
        cast(date_as_printed as {{ dbt.type_string() }}) as date_as_printed,
        cast(city_ar as {{ dbt.type_string() }}) as city_ar,
        cast(city_en as {{ dbt.type_string() }}) as city_en,
        cast(venue_ar as {{ dbt.type_string() }}) as venue_ar,
        cast(venue_en as {{ dbt.type_string() }}) as venue_en,
        cast(participant_count as bigint) as participant_count,
        cast(participant_unit as {{ dbt.type_string() }}) as participant_unit,
        cast(age_min as bigint) as age_min,
        cast(age_max as bigint) as age_max,
        cast(occurrences as bigint) as occurrences,
        cast(source_document as {{ dbt.type_string() }}) as source_document,
        cast(source_location as {{ dbt.type_string() }}) as source_location
    from events
)

select * from final
