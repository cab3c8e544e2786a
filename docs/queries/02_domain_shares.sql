-- What share of the projects and of the money did each domain get, per year?
-- (the report's Charts 01-04; percentages of the sum of the year's domain rows)
select
    period,
    domain_name_en,
    round(100 * share_of_projects, 1) as percent_of_projects,
    round(100 * share_of_amount, 1) as percent_of_amount
from marts.mart_domain_year
where programme_id = 'migrant_integration_partnership'
order by start_year, display_order;
