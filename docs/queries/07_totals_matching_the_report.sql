-- What does the report print as each year's total? Summing the domain rows plus their
-- correction rows reproduces it (2017: the rows sum to 1 000 MAD less than the printed total).
select
    period,
    sum(projects) as projects,
    sum(amount_mad) as amount_mad,
    sum(case when row_kind = 'domain_row' then amount_mad end) as amount_mad_of_domain_rows,
    sum(case when row_kind = 'correction' then amount_mad else 0 end) as correction_mad
from marts.mart_domain_year_with_corrections
where programme_id = 'migrant_integration_partnership'
group by period
order by period;
