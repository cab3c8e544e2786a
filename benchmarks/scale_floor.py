"""The floor at scale: a register of agreements summed and reconciled in one plain DuckDB process.

Reads the register (grant_agreements.csv or its files per period) with DuckDB's CSV reader
(typed by DuckDB), resolves each domain (code or printed label), sums per period and domain and
per period (with distinct associations), and compares with the headline totals, as the
warehouse's agreements_vs_headline level does. Prints the number of comparisons that do not
reconcile, so that its work cannot be skipped.
"""

import sys
from pathlib import Path

import duckdb

NUMBER = "cast(regexp_replace({0}, '[ \u00a0\u202f]', '', 'g') as bigint)"


def main(seeds: Path) -> None:
    connection = duckdb.connect()
    for name, files in (
        ("grant_agreements", "grant_agreements*.csv"),  # one file, or one per period
        ("domains", "domains.csv"),
        ("domain_labels", "domain_labels.csv"),
        ("headline_figures", "headline_figures.csv"),
    ):
        connection.execute(
            f"create table {name} as select * from read_csv(?, header = true)",
            [str(seeds / files)],
        )
    unreconciled = connection.execute(f"""
        with agreements as (
            select a.programme_id, a.period,
                coalesce(d.domain_code, l.domain_code) as domain_code, a.amount_awarded,
                coalesce(a.recipient_org_identifier, a.recipient_org_name) as org
            from grant_agreements a
            left join domains d on a.programme_id = d.programme_id and a.domain = d.domain_code
            left join domain_labels l on a.programme_id = l.programme_id and a.domain = l.label_ar
        ),
        by_domain as (
            select programme_id, period, domain_code, count(*) as projects,
                sum(amount_awarded) as amount_mad
            from agreements group by all
        ),
        by_period as (
            select programme_id, period, count(*) as projects, sum(amount_awarded) as amount_mad,
                count(distinct org) as associations
            from agreements group by all
        ),
        headlines as (
            select programme_id, cast(period as varchar) as period,
                max(case when measure = 'projects' then {NUMBER.format("cast(value as varchar)")}
                    end) as projects,
                max(case when measure = 'amount_mad' then {NUMBER.format("cast(value as varchar)")}
                    end) as amount_mad,
                max(case when measure = 'associations'
                    then {NUMBER.format("cast(value as varchar)")} end) as associations
            from headline_figures group by all
        )
        select count(*) filter (
            where p.projects <> h.projects or p.amount_mad <> h.amount_mad
                or p.associations <> h.associations
        ), (select count(*) from by_domain)
        from by_period p join headlines h
            on p.programme_id = h.programme_id and cast(p.period as varchar) = h.period
    """).fetchone()
    print(unreconciled)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
