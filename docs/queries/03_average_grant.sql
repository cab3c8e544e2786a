-- What was the average grant per project and per association, per period? (MAD, from the
-- totals the documents state: amount / projects and amount / associations; null where a figure
-- is approximate, as 2014-2016's "of the order of 40 million")
select
    period,
    associations,
    projects,
    amount_mad_published,
    avg_amount_per_project,
    avg_amount_per_association,
    amount_mad_qualifier
from marts.mart_year_summary
where programme_id = 'migrant_integration_partnership'
order by start_year;
