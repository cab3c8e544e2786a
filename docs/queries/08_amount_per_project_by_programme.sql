-- Which programme gives most per project? Every programme and period side by side, largest
-- average grant first (MAD; from exact figures only: an approximate amount gives no average).
select
    funder_name_en,
    programme_name_en,
    period,
    projects,
    amount_mad,
    amount_mad_qualifier,
    avg_amount_per_project,
    avg_amount_per_association
from marts.mart_programme_comparison
order by avg_amount_per_project desc nulls last, programme_id, start_year;
