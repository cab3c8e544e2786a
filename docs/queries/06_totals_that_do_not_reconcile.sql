-- Which totals do not reconcile exactly, and by how much? (each report against itself; every
-- programme)
select
    programme_id,
    period,
    measure,
    published_value,
    summed_value,
    difference,
    status,
    explanation
from marts.mart_reconciliation
where status <> 'reconciled'
order by programme_id, period, measure;
