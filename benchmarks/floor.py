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
        "headline_figures",
        "domain_table_totals",
        "known_discrepancies",
    ):
        connection.execute(
            f"create table {name} as select * from read_csv(?, header = true, all_varchar = true)",
            [str(seeds / f"{name}.csv")],
        )
    rows = connection.execute(f"""
        with grants as (
            select g.programme_id, g.period, l.domain_code,
                {NUMBER.format("g.projects")} as projects,
                {NUMBER.format("g.amount_mad")} as amount_mad
            from domain_grants g join domain_labels l
                on g.programme_id = l.programme_id and g.domain_label_ar = l.label_ar
        ),
        shares as (
            select *,
                projects / sum(projects) over (partition by programme_id, period)
                    as share_of_projects,
                amount_mad / sum(amount_mad) over (partition by programme_id, period)
                    as share_of_amount
            from grants
        ),
        sums as (
            select programme_id, period, sum(projects) as projects, sum(amount_mad) as amount_mad
            from shares group by programme_id, period
        ),
        published as (
            select programme_id, period,
                max(case when measure = 'projects' then {NUMBER.format("value")} end) as projects,
                max(case when measure = 'amount_mad' then {NUMBER.format("value")} end)
                    as amount_mad
            from headline_figures group by programme_id, period
        ),
        register as (
            select programme_id, period, measure,
                {NUMBER.format("replace(difference, '-', '')")}
                * (case when difference like '-%' then -1 else 1 end) as difference
            from known_discrepancies
        )
        select s.programme_id, s.period, s.amount_mad - p.amount_mad as difference,
            coalesce(r.difference, 0) as registered,
            s.projects = p.projects as projects_reconcile
        from sums s join published p using (programme_id, period)
        left join register r on r.programme_id = s.programme_id and r.period = s.period
            and r.measure = 'amount_mad'
        order by s.programme_id, s.period
    """).fetchall()
    print(rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
