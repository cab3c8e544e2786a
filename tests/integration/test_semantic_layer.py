"""The semantic layer: `mf` (MetricFlow) answers from the published file, read-only, with the
report's figures; its saved queries reproduce Tables 01 and 02 and the headline figures."""

import csv
import hashlib
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, copy_refreshed, query
from tests.integration.test_report_figures import HEADLINES, PROGRAMME, TABLE_01, TABLE_02, cents

# One copy of the shared refresh for the module, on one worker.
pytestmark = pytest.mark.xdist_group("semantic_layer")

MF = PROJECT_ROOT / ".venv" / "bin" / "mf"
FUNDER = "ministry_in_charge_of_migration"
# mart_year_summary's columns, in the order of its query below.
YEAR_SUMMARY_METRICS = [
    "associations",
    "projects",
    "amount_awarded_mad",
    "average_grant_per_project_mad",
    "average_grant_per_association_mad",
    "projects_change_on_previous_period",
    "amount_change_on_previous_period_mad",
]
DOMAIN_METRICS = ["domain_projects", "domain_amount_mad", "domain_average_grant_per_project_mad"]
# Every `mf query` of the module, by the name of its answer.
QUERIES = {
    "headline_figures": ("--saved-query", "headline_figures", "--order", "period__label"),
    "table_01_domains_2017": ("--saved-query", "table_01_domains_2017"),
    "table_02_domains_2018": ("--saved-query", "table_02_domains_2018"),
    "year_summary_metrics": (
        *("--metrics", ",".join(YEAR_SUMMARY_METRICS)),
        *("--group-by", "programme,funder,period__label"),
    ),
    # Metrics of both semantic models at once, over every period of the programme.
    "all_periods": (
        *(
            "--metrics",
            "projects,amount_awarded_mad,associations,domain_amount_mad,share_of_period_amount",
        ),
        *("--group-by", "programme"),
    ),
    "review_years": (
        *("--metrics", "projects,amount_awarded_mad,associations,average_grant_per_project_mad"),
        *("--group-by", "funder"),
        *("--where", "{{ Dimension('period__label') }} != '2014-2016'"),
    ),
    "by_domain": (
        *("--metrics", ",".join(DOMAIN_METRICS)),
        *("--group-by", "programme,period__label,domain__domain_code"),
    ),
    "by_period": (
        *(
            "--metrics",
            "domain_projects,domain_amount_mad,share_of_period_projects,share_of_period_amount",
        ),
        *("--group-by", "period__label", "--order", "period__label"),
    ),
}


class SemanticLayer:
    """`mf` as `make metrics` runs it (target `published`), against one published file."""

    def __init__(self, warehouse_dir: Path, logs: Path):
        self.published = warehouse_dir / "grants.duckdb"
        self.environment = {
            **os.environ,
            "DBT_TARGET": "published",
            "DBT_PROJECT_DIR": str(PROJECT_ROOT / "dbt_project"),
            "DBT_PROFILES_DIR": str(PROJECT_ROOT),
            "GRANTS_WAREHOUSE_DIR": str(warehouse_dir),
            "DBT_LOG_PATH": str(logs),  # not the repository's dbt_project/logs
        }
        self.answers = logs
        self.validation: subprocess.CompletedProcess | None = None

    def run(self, *arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(MF), *arguments],
            cwd=PROJECT_ROOT,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,  # the tests read the exit code
        )

    def query(self, name: str, arguments: tuple[str, ...]) -> subprocess.CompletedProcess:
        """`mf query <arguments> --csv <name>.csv`."""
        return self.run("query", *arguments, "--csv", str(self.answers / f"{name}.csv"), "--quiet")

    def rows(self, name: str) -> list[dict[str, str]]:
        """The answer's rows, every value as its text ('' for null)."""
        with (self.answers / f"{name}.csv").open(encoding="utf-8", newline="") as answer:
            return list(csv.DictReader(answer))


def as_numbers(rows: list[dict[str, str]], keys: list[str], metrics: list[str]) -> set[tuple]:
    """An answer's rows as (keys..., metrics...), each metric a Decimal or None (null)."""
    return {
        tuple(row[key] for key in keys)
        + tuple(Decimal(row[metric]) if row[metric] else None for metric in metrics)
        for row in rows
    }


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def semantic_layer(refreshed, tmp_path_factory):
    root = copy_refreshed(refreshed, tmp_path_factory.mktemp("semantic_layer"))
    logs = root / "logs"
    logs.mkdir()
    layer = SemanticLayer(root / "warehouse", logs)
    before = digest(layer.published)
    # Each `mf` costs seconds of start-up (dbt's project and adapter): the module's ten run side
    # by side, as ten analysts would, once.
    with ThreadPoolExecutor(max_workers=3) as pool:
        validation = pool.submit(layer.run, "validate-configs")
        answers = {name: pool.submit(layer.query, name, args) for name, args in QUERIES.items()}
    for name, answer in answers.items():
        completed = answer.result()
        assert completed.returncode == 0, f"{name}: {completed.stdout}{completed.stderr}"
    layer.validation = validation.result()
    yield layer
    # Read-only: every query left the published file byte for byte as it was, and no WAL.
    assert digest(layer.published) == before
    assert not layer.published.with_name("grants.duckdb.wal").exists()


def test_validate_configs_passes_against_the_published_file(semantic_layer):
    completed = semantic_layer.validation
    assert completed.returncode == 0, completed.stdout + completed.stderr
    for validation in (
        "the semantics of built manifest",
        "semantic models against data warehouse",
        "dimensions against data warehouse",
        "entities against data warehouse",
        "measures against data warehouse",
        "metrics against data warehouse",
    ):
        assert (
            f"Successfully validated {validation} (ERRORS: 0, FUTURE_ERRORS: 0, WARNINGS: 0)"
            in completed.stdout
        ), completed.stdout


def test_headline_figures_saved_query(semantic_layer):
    rows = semantic_layer.rows("headline_figures")
    assert [(r["programme"], r["period__label"]) for r in rows] == [
        (PROGRAMME, "2014-2016"),
        (PROGRAMME, "2017"),
        (PROGRAMME, "2018"),
    ]
    span, *years = rows
    for row, (period, (associations, projects, amount)) in zip(
        years, HEADLINES.items(), strict=True
    ):
        assert (row["associations"], row["projects"], row["amount_awarded_mad"]) == (
            str(associations),
            str(projects),
            str(amount),
        ), period
        assert Decimal(row["average_grant_per_project_mad"]) == cents(amount, projects)
        assert Decimal(row["average_grant_per_association_mad"]) == cents(amount, associations)
    # La Vie éco's 2014-2016: 130 associations and 237 projects exactly, an amount "of the order
    # of 40 million": no amount, no average; a span has no previous period.
    assert (span["associations"], span["projects"], span["amount_awarded_mad"]) == (
        "130",
        "237",
        "",
    )
    assert span["average_grant_per_project_mad"] == span["average_grant_per_association_mad"] == ""
    # Change on the previous period: 2017 has none; 2018 against 2017.
    changes = (
        "associations_change_on_previous_period",
        "projects_change_on_previous_period",
        "amount_change_on_previous_period_mad",
    )
    assert [tuple(row[c] for c in changes) for row in rows] == [
        ("", "", ""),
        ("", "", ""),
        ("-36", "-66", str(1_899_500 - 6_991_500)),
    ]


def test_headline_metrics_are_the_year_summary(semantic_layer):
    """Every metric of a programme period, by programme, funder and period, equals the column
    mart_year_summary publishes (its averages to the cent, its changes)."""
    rows = semantic_layer.rows("year_summary_metrics")
    published = query(
        semantic_layer.published,
        "select programme_id, funder_id, period,"
        " case when associations_qualifier = 'exact' then associations end,"
        " case when projects_qualifier = 'exact' then projects end,"
        " case when amount_mad_qualifier = 'exact' then amount_mad_published end,"
        " avg_amount_per_project, avg_amount_per_association, projects_change, amount_mad_change"
        " from marts.mart_year_summary",
    )
    assert as_numbers(rows, ["programme", "funder", "period__label"], YEAR_SUMMARY_METRICS) == {
        tuple(row[:3]) + tuple(None if v is None else Decimal(v) for v in row[3:])
        for row in published
    }
    assert {row["funder"] for row in rows} == {FUNDER}


def test_totals_over_periods_keep_to_the_report_precision(semantic_layer):
    """A sum over an approximate amount is no amount; associations do not add across periods."""
    (all_periods,) = semantic_layer.rows("all_periods")
    assert {metric: all_periods[metric] for metric in ("projects", "amount_awarded_mad")} == {
        "projects": str(237 + 110 + 44),
        "amount_awarded_mad": "",
    }
    assert all_periods["associations"] == ""
    (review_years,) = semantic_layer.rows("review_years")
    assert review_years == {
        "funder": FUNDER,
        "projects": str(110 + 44),
        "amount_awarded_mad": str(6_991_500 + 1_899_500),
        "associations": "",
        "average_grant_per_project_mad": str(cents(6_991_500 + 1_899_500, 110 + 44)),
    }


@pytest.mark.parametrize(
    ("saved_query", "period", "table"),
    [("table_01_domains_2017", "2017", TABLE_01), ("table_02_domains_2018", "2018", TABLE_02)],
)
def test_saved_queries_reproduce_the_domain_tables(semantic_layer, saved_query, period, table):
    rows = semantic_layer.rows(saved_query)
    assert {
        r["domain__domain_code"]: (int(r["domain_projects"]), int(r["domain_amount_mad"]))
        for r in rows
    } == table
    published = {
        code: (name_ar, share_of_projects, share_of_amount)
        for code, name_ar, share_of_projects, share_of_amount in query(
            semantic_layer.published,
            "select domain_code, domain_name_ar, share_of_projects, share_of_amount"
            " from marts.mart_domain_year where programme_id = ? and period = ?",
            [PROGRAMME, period],
        )
    }
    assert {
        r["domain__domain_code"]: (
            r["domain__domain_name_ar"],
            float(r["share_of_period_projects"]),
            float(r["share_of_period_amount"]),
        )
        for r in rows
    } == published


def test_domain_metrics_by_period_and_domain(semantic_layer):
    """Per domain: the mart's average per project; per period: the rows' sums (2017's come to
    6 990 500 MAD, the report's own gap of 1 000) and shares that add up to 1."""
    metrics = DOMAIN_METRICS
    by_domain = semantic_layer.rows("by_domain")
    published = query(
        semantic_layer.published,
        "select programme_id, period, domain_code, projects, amount_mad, avg_amount_per_project"
        " from marts.mart_domain_year",
    )
    assert as_numbers(
        by_domain, ["programme", "period__label", "domain__domain_code"], metrics
    ) == {tuple(row[:3]) + tuple(Decimal(v) for v in row[3:]) for row in published}
    by_period = semantic_layer.rows("by_period")
    assert [
        (
            r["period__label"],
            int(r["domain_projects"]),
            int(r["domain_amount_mad"]),
            float(r["share_of_period_projects"]),
            float(r["share_of_period_amount"]),
        )
        for r in by_period
    ] == [
        ("2017", 110, 6_990_500, pytest.approx(1), pytest.approx(1)),
        ("2018", 44, 1_899_500, pytest.approx(1), pytest.approx(1)),
    ]
    # Shares of two periods do not add: over both years, no share.
    (all_periods,) = semantic_layer.rows("all_periods")
    assert (all_periods["programme"], all_periods["domain_amount_mad"]) == (
        PROGRAMME,
        str(6_990_500 + 1_899_500),
    )
    assert all_periods["share_of_period_amount"] == ""


def test_without_a_published_file_mf_says_which_file_and_creates_none(tmp_path):
    """Before the first refresh, `make metrics` names the file it cannot open, read-only, and
    leaves no empty database behind (a read-write open would create one)."""
    layer = SemanticLayer(tmp_path / "warehouse", tmp_path)
    completed = layer.query("no_warehouse", ("--metrics", "projects", "--group-by", "programme"))
    assert completed.returncode != 0
    assert (
        f'Cannot open database "{layer.published}" in read-only mode: database does not exist'
        in completed.stdout + completed.stderr
    )
    assert not (tmp_path / "warehouse").exists()
