-- What was the average grant per project and per association, per year? (MAD, from the totals
-- the text states: amount / projects and amount / associations)
select
    period,
    associations,
    projects,
    amount_mad_published,
    avg_amount_per_project,
    avg_amount_per_association
from marts.mart_year_summary
order by start_year;
