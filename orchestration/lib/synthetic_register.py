"""SYNTHETIC registers of grant agreements, for the tests and the scale benchmark.

Nothing here is ministry data. The report publishes no register of agreements, so every row
written here is invented, and marked so: identifiers start `SYN-`, associations and projects are
named "Synthetic ...", and `source_document` says the register is synthetic. The repository
ships no register; tests and benchmarks write these into temporary seed folders only.

- `agreements_matching` builds a small register that sums exactly to given domain rows (the tests
  use the report's Table 02), with a given number of distinct associations.
- `write_scale_seeds` writes a seed folder with a register of any size (10^3 to 10^7 rows) spread
  over many synthetic periods (the years 2101 onwards, so they cannot be taken for real ones)
  and all domains, with headline totals computed from it, using DuckDB's CSV writer.

    python -m orchestration.lib.synthetic_register <seeds-dir> <rows> [periods]
        [--one-file-per-period]
"""

import argparse
import csv
import shutil
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import duckdb

from orchestration.settings import PROJECT_ROOT

SYNTHETIC_SOURCE = "SYNTHETIC register (generated for tests and benchmarks, not ministry data)"
SYNTHETIC_DOCUMENT_ID = "synthetic_register"
FIRST_SYNTHETIC_YEAR = 2101
# The programme of the shipped report: the synthetic registers use its domains and spellings.
REPORT_PROGRAMME = "migrant_integration_partnership"
LEDGER_FILE = "grant_agreements.csv"
LEDGER_COLUMNS = (
    "identifier",
    "programme_id",
    "period",
    "recipient_org_name",
    "recipient_org_identifier",
    "title",
    "domain",
    "beneficiary_location_name",
    "amount_awarded",
    "grant_programme_title",
    "award_date",
    "source_document",
    "source_row",
)


def agreements_matching(
    period: str,
    domain_rows: Sequence[tuple[str, int, int]],
    associations: int,
    programme_id: str = REPORT_PROGRAMME,
) -> list[dict[str, str]]:
    """Agreements whose count and amount per domain equal `domain_rows` ((domain, projects,
    amount_mad) each) exactly, held by exactly `associations` distinct associations.

    Each domain's amount is split evenly, the remainder on its first agreement. The first
    `associations` agreements go to distinct associations; the rest reuse the first ones.
    """
    total = sum(projects for _, projects, _ in domain_rows)
    if not 0 < associations <= total:
        raise ValueError(f"{associations} associations cannot hold {total} projects")
    rows: list[dict[str, str]] = []
    for domain, projects, amount in domain_rows:
        share, remainder = divmod(amount, projects)
        for index in range(projects):
            number = len(rows)
            association = number if number < associations else number - associations
            rows.append(
                {
                    "identifier": f"SYN-{period}-{number + 1:04d}",
                    "programme_id": programme_id,
                    "period": period,
                    "recipient_org_name": f"Synthetic association {association + 1}",
                    "recipient_org_identifier": f"SYN-ORG-{association + 1:04d}",
                    "title": f"Synthetic project {number + 1}",
                    "domain": domain,
                    "beneficiary_location_name": "Synthetic city",
                    "amount_awarded": str(share + (remainder if index == 0 else 0)),
                    "grant_programme_title": f"Synthetic call for projects {period}",
                    "award_date": f"{period}-06-01",
                    "source_document": SYNTHETIC_SOURCE,
                    "source_row": str(number + 1),
                }
            )
    return rows


def write_ledger(path: Path, rows: Iterable[Mapping[str, str]]) -> None:
    """Write agreements as a seed CSV (UTF-8, comma-separated, with the header)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=LEDGER_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_scale_seeds(
    real_seeds: Path, seeds: Path, rows: int, periods: int = 100, one_file_per_period: bool = False
) -> list[Path]:
    """A copy of `real_seeds` plus a synthetic register of `rows` agreements over `periods`
    synthetic years, and those years' periods and headline totals computed from the register
    (so that it reconciles). The register is one file, or with `one_file_per_period` one file
    per year (`grant_agreements.<year>.csv`). Returns the register's files."""
    shutil.copytree(real_seeds, seeds, dirs_exist_ok=True)
    connection = duckdb.connect()
    create_agreements(connection, real_seeds, rows, periods)
    files = export_register(connection, seeds, one_file_per_period)
    append_synthetic_periods(connection, seeds, periods)
    return files


def create_agreements(
    connection: duckdb.DuckDBPyConnection, real_seeds: Path, rows: int, periods: int
) -> None:
    """The table `agreements`: `rows` synthetic agreements spread over `periods` years and
    every domain, given by code or, one row in eight, by a printed spelling (as registers do)."""
    connection.execute(
        "create table labels as select label_ar from read_csv(?, header = true)"
        " where programme_id = ?",
        [str(real_seeds / "domain_labels.csv"), REPORT_PROGRAMME],
    )
    connection.execute(
        "create table domains as select domain_code from read_csv(?, header = true)"
        " where programme_id = ?",
        [str(real_seeds / "domains.csv"), REPORT_PROGRAMME],
    )
    connection.execute(
        "create table domain_choices as select row_number() over () - 1 as slot, value from"
        " (select domain_code as value from domains union all select label_ar from labels)"
    )
    ((slots,),) = connection.execute("select count(*) from domain_choices").fetchall()
    associations = max(1, rows // 3)
    connection.execute(
        f"""
        create table agreements as
        select
            'SYN-' || lpad(cast(i as varchar), 9, '0') as identifier,
            '{REPORT_PROGRAMME}' as programme_id,
            cast({FIRST_SYNTHETIC_YEAR} + i % {periods} as varchar) as period,
            'Synthetic association ' || (i % {associations}) as recipient_org_name,
            'SYN-ORG-' || (i % {associations}) as recipient_org_identifier,
            'Synthetic project ' || i as title,
            domain_choices.value as domain,
            'Synthetic city ' || (i % 50) as beneficiary_location_name,
            1000 + (i * 7919) % 250000 as amount_awarded,
            'Synthetic call for projects ' || ({FIRST_SYNTHETIC_YEAR} + i % {periods})
                as grant_programme_title,
            make_date({FIRST_SYNTHETIC_YEAR} + i % {periods}, 1 + i % 12, 1 + i % 28)
                as award_date,
            '{SYNTHETIC_SOURCE}' as source_document,
            i + 1 as source_row
        from range({rows}) as numbers(i)
        join domain_choices
            -- Every period gets every domain: the domain turns once per round of periods.
            on domain_choices.slot = case
                when i % 8 = 7 then (i // {periods}) % {slots} else (i // {periods}) % 4 end
        """
    )


def export_register(
    connection: duckdb.DuckDBPyConnection, seeds: Path, one_file_per_period: bool
) -> list[Path]:
    """The agreements written as the register's seed file, or one file per period."""
    select = f"select {', '.join(LEDGER_COLUMNS)} from agreements"
    if not one_file_per_period:
        files = [seeds / LEDGER_FILE]
        connection.execute(
            f"copy ({select} order by source_row) to ? (header, delimiter ',')", [str(files[0])]
        )
        return files
    files = []
    for (period,) in connection.execute(
        "select distinct period from agreements order by period"
    ).fetchall():
        files.append(seeds / f"{Path(LEDGER_FILE).stem}.{period}.csv")
        connection.execute(
            f"copy ({select} where period = ? order by source_row) to ? (header, delimiter ',')",
            [period, str(files[-1])],
        )
    return files


def append_synthetic_periods(
    connection: duckdb.DuckDBPyConnection, seeds: Path, periods: int
) -> None:
    """The synthetic register's document, its periods and their headline totals (computed from
    the agreements), appended to the copied seeds."""
    headlines = connection.execute(
        """
        select period, count(distinct recipient_org_identifier) as associations,
            count(*) as projects, sum(amount_awarded) as amount_mad
        from agreements group by period order by period
        """
    ).fetchall()
    last_year = FIRST_SYNTHETIC_YEAR + periods - 1
    with (seeds / "source_documents.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            [SYNTHETIC_DOCUMENT_ID, REPORT_PROGRAMME, "synthetic_register", "سجل اصطناعي"]
            + [SYNTHETIC_SOURCE, "Registre SYNTHÉTIQUE", "(none)", "(none: synthetic)"]
            + [f"{FIRST_SYNTHETIC_YEAR}-{last_year}", str(FIRST_SYNTHETIC_YEAR), str(last_year)]
            + ["en", "(generated)", ""]
        )
    with (seeds / "reporting_periods.csv").open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for period, *_ in headlines:
            writer.writerow(
                [REPORT_PROGRAMME, period, period, period, f"synthetic {period}"]
                + [SYNTHETIC_DOCUMENT_ID, "generated"]
            )
    with (seeds / "headline_figures.csv").open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for period, *figures in headlines:
            for measure, value in zip(
                ("associations", "projects", "amount_mad"), figures, strict=True
            ):
                writer.writerow(
                    [REPORT_PROGRAMME, period, measure, value, "exact", 1, value]
                    + [SYNTHETIC_DOCUMENT_ID, "generated"]
                    + ["SYNTHETIC headline computed from the synthetic register"]
                )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write a seed folder with a SYNTHETIC register.")
    parser.add_argument("seeds_dir", type=Path)
    parser.add_argument("rows", type=int)
    parser.add_argument("periods", type=int, nargs="?", default=100)
    parser.add_argument("--one-file-per-period", action="store_true")
    arguments = parser.parse_args()
    write_scale_seeds(
        PROJECT_ROOT / "seeds",
        arguments.seeds_dir,
        arguments.rows,
        arguments.periods,
        arguments.one_file_per_period,
    )
