-- How did each domain change from 2017 to 2018? (projects and MAD)
with by_year as (
    select
        domain_code,
        domain_name_en,
        display_order,
        sum(case when period = '2017' then projects end) as projects_2017,
        sum(case when period = '2018' then projects end) as projects_2018,
        sum(case when period = '2017' then amount_mad end) as amount_mad_2017,
        sum(case when period = '2018' then amount_mad end) as amount_mad_2018
    from marts.mart_domain_year
    where programme_id = 'migrant_integration_partnership'
    group by domain_code, domain_name_en, display_order
)

select
    domain_name_en,
    projects_2017,
    projects_2018,
    projects_2018 - projects_2017 as projects_change,
    amount_mad_2017,
    amount_mad_2018,
    amount_mad_2018 - amount_mad_2017 as amount_mad_change,
    round(100.0 * (amount_mad_2018 - amount_mad_2017) / amount_mad_2017, 1) as amount_percent_change
from by_year
order by display_order;
