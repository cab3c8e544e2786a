-- How did each funder's support change? Per funder and period, the amount its programmes
-- state (MAD), and whether every one of them is exact; read an approximate total as such.
select
    funder_id,
    funder_name_en,
    period,
    start_year,
    end_year,
    count(*) as programmes,
    sum(amount_mad) as amount_mad,
    min(case when amount_mad_qualifier = 'exact' then 1 else 0 end) = 1 as every_amount_exact
from marts.mart_programme_comparison
group by funder_id, funder_name_en, period, start_year, end_year
order by funder_id, start_year, end_year;
