-- What happened in the programme, and when? (events in date order; the 2017 calls for
-- projects have no printed date and come last in their year)
select
    period,
    start_date,
    end_date,
    event_name_en,
    city_en,
    participant_count,
    participant_unit,
    partners_en
from marts.mart_programme_timeline
where programme_id = 'migrant_integration_partnership'
order by start_year, start_date nulls last, event_id;
