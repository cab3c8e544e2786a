"""The floor: the same load, SQL and reconciliation as a refresh, in one plain DuckDB process.

Reads the seed CSVs with DuckDB's reader, types the printed numbers, computes the domain marts'
totals and shares and compares the domain rows with the published totals and the register.
Prints the reconciliation, so that its work cannot be optimized away.
"""

import sys
from pathlib import Path

import duckdb

NUMBER = "cast(regexp_replace({0}, '[ \u00a0\u202f]', '', 'g') as bigint)"


def main(seeds: Path) -> None:
    connection = duckdb.connect()
    for name in (
        "domain_grants",
        "domain_labels",
        "period_headlines",
        "domain_table_totals",
        "known_discrepancies",
    ):
        connection.execute(
            f"create table {name} as select * from read_csv(?, header = true, all_varchar = true)",
            [str(seeds / f"{name}.csv")],
        )
    rows = connection.execute(f"""
        with grants as (
            select g.period, l.domain_code, {NUMBER.format("g.projects")} as projects,
                {NUMBER.format("g.amount_mad")} as amount_mad
            from domain_grants g join domain_labels l on g.domain_label_ar = l.label_ar
        ),
        shares as (
            select *, projects / sum(projects) over (partition by period) as share_of_projects,
                amount_mad / sum(amount_mad) over (partition by period) as share_of_amount
            from grants
        ),
        sums as (
            select period, sum(projects) as projects, sum(amount_mad) as amount_mad
            from shares group by period
        ),
        published as (
            select period, {NUMBER.format("projects")} as projects,
                {NUMBER.format("amount_mad")} as amount_mad from period_headlines
        ),
        register as (
            select period, measure, {NUMBER.format("replace(difference, '-', '')")}
                * (case when difference like '-%' then -1 else 1 end) as difference
            from known_discrepancies
        )
        select s.period, s.amount_mad - p.amount_mad as difference,
            coalesce(r.difference, 0) as registered,
            s.projects = p.projects as projects_reconcile
        from sums s join published p using (period)
        left join register r on r.period = s.period and r.measure = 'amount_mad'
        order by s.period
    """).fetchall()
    print(rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
