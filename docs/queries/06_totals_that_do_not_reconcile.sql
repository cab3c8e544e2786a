-- Which totals do not reconcile, and by how much? (the report against itself)
select
    period,
    measure,
    published_value,
    summed_value,
    difference,
    status,
    explanation
from marts.mart_reconciliation
where status <> 'reconciled'
order by period, measure;
