-- Each programme's timeline: one row per event, in date order, with its partners in one column.
with events as (
    select * from {{ ref('fct_programme_events') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

partners as (
    select
        event_id,
        {{ ordered_listagg('partner_name_en', "'; '", 'partner_code') }} as partners_en,
        {{ ordered_listagg('partner_name_fr', "'; '", 'partner_code') }} as partners_fr,
        {{ ordered_listagg('partner_name_as_printed', "'؛ '", 'partner_code') }} as partners_ar
    from {{ ref('fct_event_partners') }}
    group by event_id
),

final as (
    select
        cast(events.programme_id as {{ dbt.type_string() }}) as programme_id,
        cast(events.event_id as {{ dbt.type_string() }}) as event_id,
        cast(events.period as {{ dbt.type_string() }}) as period,
        cast(periods.start_year as bigint) as start_year,
        cast(events.event_type as {{ dbt.type_string() }}) as event_type,
        cast(events.event_name_en as {{ dbt.type_string() }}) as event_name_en,
        cast(events.event_name_fr as {{ dbt.type_string() }}) as event_name_fr,
        cast(events.start_date as date) as start_date,
        cast(events.end_date as date) as end_date,
        cast(events.date_precision as {{ dbt.type_string() }}) as date_precision,
        cast(events.date_as_printed as {{ dbt.type_string() }}) as date_as_printed,
        cast(events.city_en as {{ dbt.type_string() }}) as city_en,
        cast(events.venue_en as {{ dbt.type_string() }}) as venue_en,
        cast(events.participant_count as bigint) as participant_count,
        cast(events.participant_unit as {{ dbt.type_string() }}) as participant_unit,
        cast(events.age_min as bigint) as age_min,
        cast(events.age_max as bigint) as age_max,
        cast(events.occurrences as bigint) as occurrences,
        cast(partners.partners_en as {{ dbt.type_string() }}) as partners_en,
        cast(partners.partners_fr as {{ dbt.type_string() }}) as partners_fr,
        cast(partners.partners_ar as {{ dbt.type_string() }}) as partners_ar,
        cast(events.source_location as {{ dbt.type_string() }}) as source_location
    from events
    inner join periods
        on
        events.programme_id = periods.programme_id
        and events.period = periods.period
    left join partners
        on events.event_id = partners.event_id
)

select * from final
