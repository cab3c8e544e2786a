"""A register of grant agreements, dropped into seeds/, is reconciled at three levels: the
agreements against the printed domain table, the domain table against the headline, and the
agreements against the headline (projects, amount, distinct associations).

The registers here are SYNTHETIC (orchestration/lib/synthetic_register.py): the report publishes none.
The one that reconciles is built to sum to the report's Table 02 (2018) exactly; the figures
asserted are the report's own: 44 projects, 1 899 500 MAD, 42 associations."""

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.defs.seeds.assets import LOAD_STEP
from orchestration.lib.publishing import publish_database
from orchestration.lib.synthetic_register import LEDGER_FILE, agreements_matching, write_ledger
from tests.conftest import query
from tests.integration.workspace import (
    check_evaluations,
    materialized,
    refreshed_workspace,
    step_failures,
)

pytestmark = pytest.mark.xdist_group("ledger")

LEDGER_CHECK = "marts/mart_ledger_reconciliation:agreements_reconcile_with_report"
PROGRAMME = "migrant_integration_partnership"


def printed_number(text: str) -> int:
    return int(text.replace(" ", ""))


def table_02_agreements(workspace, printed_labels: bool = False) -> list[dict[str, str]]:
    """A SYNTHETIC register of 2018 that sums to Table 02's rows (44 projects, 1 899 500 MAD,
    42 associations); with `printed_labels`, every other row names its domain by the label the
    table prints instead of its code."""
    codes = dict(
        query(
            workspace.settings.build_database,
            "select label_ar, domain_code from staging.stg_report__domain_labels",
        )
    )
    rows = [row for row in workspace.read_seed("domain_grants.csv") if row["period"] == "2018"]
    domain_rows = [
        (
            row["domain_label_ar"]
            if printed_labels and index % 2 == 0
            else codes[row["domain_label_ar"]],
            printed_number(row["projects"]),
            printed_number(row["amount_mad"]),
        )
        for index, row in enumerate(rows)
    ]
    return agreements_matching("2018", domain_rows, associations=42)


# Session scope: built once. pytest-xdist may run another module's tests between this
# module's, which would tear a module-scoped fixture down and build it again.
@pytest.fixture(scope="session")
def workspace(tmp_path_factory, refreshed):
    return refreshed_workspace(tmp_path_factory, "ledger", refreshed)


@pytest.fixture
def table_02_ledger(workspace):
    """table_02_agreements with printed labels; the register files removed afterwards."""
    yield table_02_agreements(workspace, printed_labels=True)
    for ledger in workspace.settings.seeds_dir.glob("grant_agreements*.csv"):
        ledger.unlink()


def test_a_register_that_sums_to_table_02_reconciles_at_every_level(workspace, table_02_ledger):
    write_ledger(workspace.seed_path(LEDGER_FILE), table_02_ledger)
    result = workspace.run()
    assert result.success
    database = workspace.settings.published_database
    assert query(
        database,
        "select count(*), sum(amount_awarded), count(distinct recipient_org_key)"
        " from marts.fct_project_grants where period = '2018'",
    ) == [(44, 1899500, 42)]
    assert query(
        database,
        "select level, measure, count(*), sum(summed_value),"
        " bool_and(status = 'reconciled')"
        " from marts.mart_ledger_reconciliation group by all order by all",
    ) == [
        ("agreements_vs_domain_table", "amount_mad", 4, 1899500, True),
        ("agreements_vs_domain_table", "projects", 4, 44, True),
        ("agreements_vs_headline", "amount_mad", 1, 1899500, True),
        ("agreements_vs_headline", "associations", 1, 42, True),
        ("agreements_vs_headline", "projects", 1, 44, True),
    ]
    # 2018's domain figures now come from the agreements; 2017 stays as printed. Associations
    # with projects in two domains count in each, so the domains' counts sum to more than 42.
    assert query(
        database,
        "select period, basis, sum(projects), sum(amount_mad), sum(associations)"
        " from marts.fct_domain_grants group by all order by period",
    ) == [
        ("2017", "published_table", 110, 6990500, None),
        ("2018", "agreements", 44, 1899500, 44),
    ]
    # The printed rows stay comparable with the headline (the middle level).
    assert query(
        database,
        "select period, measure, summed_value, status from marts.mart_reconciliation"
        " where period = '2018' order by measure",
    ) == [
        ("2018", "amount_mad", 1899500, "reconciled"),
        ("2018", "projects", 44, "reconciled"),
    ]
    evaluation = check_evaluations(result)[LEDGER_CHECK]
    assert evaluation.passed
    assert evaluation.metadata["summary"].value == "11 comparisons reconciled (2018)"


def test_a_register_that_does_not_sum_to_table_02_blocks_publishing(workspace, table_02_ledger):
    table_02_ledger[0]["amount_awarded"] = str(int(table_02_ledger[0]["amount_awarded"]) + 500)
    write_ledger(workspace.seed_path(LEDGER_FILE), table_02_ledger)
    last_good = workspace.published_checksum()
    result = workspace.run()
    assert not result.success
    evaluation = check_evaluations(result)[LEDGER_CHECK]
    assert (evaluation.passed, evaluation.severity) == (False, dg.AssetCheckSeverity.ERROR)
    assert evaluation.metadata["summary"].value == (
        f"{PROGRAMME} 2018 agreements_vs_domain_table humanitarian_assistance amount_mad:"
        " agreements 814500 vs published 814000 (difference 500, registered None) → unexplained; "
        f"{PROGRAMME} 2018 agreements_vs_headline amount_mad: agreements 1900000 vs published 1899500"
        " (difference 500, registered None) → unexplained"
    )
    assert "publish/grants_duckdb" not in materialized(result)
    assert workspace.published_checksum() == last_good


def test_an_agreement_in_an_unknown_domain_is_rejected_with_its_line(workspace, table_02_ledger):
    table_02_ledger[2]["domain"] = "integration_by_sport"
    write_ledger(workspace.seed_path(LEDGER_FILE), table_02_ledger)
    last_good = workspace.published_checksum()
    result = workspace.run()
    assert not result.success
    known = query(
        workspace.settings.build_database,
        "select string_agg('\"' || known || '\"', ', ' order by known) from"
        " (select domain_code as known from raw.domains where programme_id = ?"
        " union select label_ar from raw.domain_labels where programme_id = ?)",
        [PROGRAMME, PROGRAMME],
    )[0][0]
    assert step_failures(result) == {
        LOAD_STEP: 'seeds/grant_agreements.csv line 4, column domain: "integration_by_sport" is'
        " not a known domain_code of domains or label_ar of domain_labels"
        f' for programme_id "{PROGRAMME}"; known values: ' + known
    }
    assert workspace.published_checksum() == last_good


# The register's path to the project-grain fact, every step of it selected (Dagster orders a
# subset's steps only by the dependencies between selected assets).
REGISTER_TO_PROJECT_GRANTS = [
    dg.AssetKey(["raw", "grant_agreements"]),
    dg.AssetKey(["staging", "stg_report__grant_agreements"]),
    dg.AssetKey(["marts", "fct_project_grants"]),
]


# And the sums of the agreements, incremental by period too.
REGISTER_TO_AGREEMENT_SUMS = [
    *REGISTER_TO_PROJECT_GRANTS,
    dg.AssetKey(["intermediate", "int_agreements_by_domain"]),
    dg.AssetKey(["intermediate", "int_agreements_by_period"]),
]
INCREMENTAL_MODELS = (
    "marts.fct_project_grants",
    "intermediate.int_agreements_by_domain",
    "intermediate.int_agreements_by_period",
)


def incremental_models(workspace) -> dict[str, list[tuple]]:
    return {
        model: query(workspace.settings.build_database, f"select * from {model} order by all")
        for model in INCREMENTAL_MODELS
    }


@pytest.fixture
def table_01_ledger(workspace):
    """A synthetic register for 2017 that sums to Table 01's rows."""
    table_01 = [row for row in workspace.read_seed("domain_grants.csv") if row["period"] == "2017"]
    return agreements_matching(
        "2017",
        [
            (
                row["domain_label_ar"],
                printed_number(row["projects"]),
                printed_number(row["amount_mad"]),
            )
            for row in table_01
        ],
        associations=50,
    )


def test_an_incremental_refresh_rewrites_only_the_changed_periods_and_equals_a_full_rebuild(
    workspace, table_01_ledger, table_02_ledger
):
    register_2017 = table_01_ledger
    ledger = workspace.seed_path(LEDGER_FILE)

    def refresh(full_refresh: bool = False) -> None:
        """Load the register and build the incremental models (with their tests), nothing more."""
        result = workspace.run(full_refresh=full_refresh, selection=REGISTER_TO_AGREEMENT_SUMS)
        assert result.success

    write_ledger(ledger, register_2017 + table_02_ledger)
    refresh()

    table_02_ledger[0]["amount_awarded"] = str(int(table_02_ledger[0]["amount_awarded"]) + 500)
    write_ledger(ledger, register_2017 + table_02_ledger)
    refresh()
    incremental = incremental_models(workspace)
    assert [len(rows) for rows in incremental.values()] == [110 + 44, 4 + 4, 2]
    refresh(full_refresh=True)
    assert incremental_models(workspace) == incremental

    # Mark one stored row of each period in each model, then change 2018 again: only 2018 is
    # rewritten.
    with duckdb.connect(str(workspace.settings.build_database)) as connection:
        connection.execute(
            "update marts.fct_project_grants set title = 'marked'"
            " where identifier in ('SYN-2017-0001', 'SYN-2018-0001')"
        )
        for model in INCREMENTAL_MODELS[1:]:
            connection.execute(f"update {model} set projects = -1")
    table_02_ledger[0]["amount_awarded"] = str(int(table_02_ledger[0]["amount_awarded"]) + 500)
    write_ledger(ledger, register_2017 + table_02_ledger)
    refresh()
    assert query(
        workspace.settings.build_database,
        "select identifier from marts.fct_project_grants where title = 'marked'",
    ) == [("SYN-2017-0001",)]
    for model in INCREMENTAL_MODELS[1:]:
        assert query(
            workspace.settings.build_database,
            f"select distinct period from {model} where projects = -1",
        ) == [("2017",)], model

    write_ledger(ledger, table_02_ledger)  # 2017 leaves the register
    refresh()
    incremental = incremental_models(workspace)
    assert {row[2] for row in incremental["marts.fct_project_grants"]} == {"2018"}
    assert {row[1] for row in incremental["intermediate.int_agreements_by_period"]} == {"2018"}
    refresh(full_refresh=True)
    assert incremental_models(workspace) == incremental


def test_a_sum_built_before_it_was_incremental_asks_for_a_full_refresh(workspace, table_02_ledger):
    write_ledger(workspace.seed_path(LEDGER_FILE), table_02_ledger)
    assert workspace.run(selection=REGISTER_TO_AGREEMENT_SUMS).success
    # As an earlier version built it: a table without the fingerprint column.
    with duckdb.connect(str(workspace.settings.build_database)) as connection:
        connection.execute(
            "alter table intermediate.int_agreements_by_period drop column source_fingerprint"
        )
    result = workspace.run(selection=REGISTER_TO_AGREEMENT_SUMS)
    assert not result.success
    assert (
        '"grants"."intermediate"."int_agreements_by_period" has no source_fingerprint column:'
        " it was built by an earlier version of this project (before it was incremental, or"
        " before it was keyed by programme). Rebuild it once with `python -m orchestration.cli --full-refresh`"
        " (dbt build --full-refresh)."
    ) in step_failures(result)["dbt_models"]
    assert workspace.run(full_refresh=True, selection=REGISTER_TO_AGREEMENT_SUMS).success


def test_without_a_register_the_marts_come_from_the_printed_tables(workspace):
    assert not workspace.seed_path(LEDGER_FILE).exists()
    result = workspace.run()
    assert result.success
    # Row counts and previews: the loader reads them itself, dbt models' come from their
    # post-hook through dbt's event stream.
    metadata = {
        event.asset_key.to_user_string(): event.materialization.metadata
        for event in result.get_asset_materialization_events()
    }
    assert metadata["raw/grant_agreements"]["dagster/row_count"].value == 0
    assert metadata["raw/grant_agreements"]["seed_sha256"].value == "(no file)"
    assert metadata["marts/fct_project_grants"]["dagster/row_count"].value == 0
    assert metadata["marts/mart_domain_year"]["dagster/row_count"].value == 8
    preview = metadata["marts/mart_domain_year"]["preview"].value
    assert len(preview.records) == 5
    assert {record.data["period"] for record in preview.records} <= {"2017", "2018"}
    assert {record.data["programme_id"] for record in preview.records} == {PROGRAMME}
    database = workspace.settings.published_database
    assert query(database, "select count(*) from marts.fct_project_grants") == [(0,)]
    assert query(database, "select count(*) from marts.mart_ledger_reconciliation") == [(0,)]
    assert query(database, "select distinct basis from marts.fct_domain_grants") == [
        ("published_table",)
    ]


def load_register(workspace) -> dict:
    """Load the register alone; the load asset's metadata."""
    result = workspace.load_only("grant_agreements")
    assert result.success, step_failures(result)
    (event,) = result.get_asset_materialization_events()
    return {key: value.value for key, value in event.materialization.metadata.items()}


def raw_register(workspace) -> list[tuple]:
    return query(
        workspace.settings.build_database, "select * from raw.grant_agreements order by all"
    )


def test_a_register_given_one_file_per_period_reloads_only_the_files_that_changed(
    workspace, table_01_ledger, table_02_ledger
):
    file_2017, file_2018 = (
        workspace.seed_path(f"grant_agreements.{year}.csv") for year in ("2017", "2018")
    )
    write_ledger(file_2017, table_01_ledger)
    write_ledger(file_2018, table_02_ledger)
    metadata = load_register(workspace)
    assert (metadata["dagster/row_count"], metadata["files_loaded"]) == (
        110 + 44,
        "grant_agreements.2017.csv, grant_agreements.2018.csv",
    )
    assert sorted(metadata["seed_files"]) == [
        "grant_agreements.2017.csv",
        "grant_agreements.2018.csv",
    ]

    # Mark a loaded row of each period: a file read again loses its mark.
    with duckdb.connect(str(workspace.settings.build_database)) as connection:
        connection.execute(
            "update raw.grant_agreements set title = 'marked'"
            " where identifier in ('SYN-2017-0001', 'SYN-2018-0001')"
        )
    table_02_ledger[0]["amount_awarded"] = str(int(table_02_ledger[0]["amount_awarded"]) + 500)
    write_ledger(file_2018, table_02_ledger)
    metadata = load_register(workspace)
    assert (metadata["files_loaded"], metadata["files_removed"]) == (
        "grant_agreements.2018.csv",
        "(none)",
    )
    assert query(
        workspace.settings.build_database,
        "select identifier from raw.grant_agreements where title = 'marked'",
    ) == [("SYN-2017-0001",)]

    # Nothing changed: nothing read. A table its values are looked up in changed: all read.
    assert load_register(workspace)["files_loaded"] == "(none changed)"
    labels = workspace.seed_path("domain_labels.csv")
    original = labels.read_bytes()
    labels.write_bytes(original + b"\n")
    try:
        assert load_register(workspace)["files_loaded"] == (
            "grant_agreements.2017.csv, grant_agreements.2018.csv"
        )
    finally:
        labels.write_bytes(original)
    load_register(workspace)
    # A file removed: its periods' rows go.
    file_2017.unlink()
    metadata = load_register(workspace)
    assert (metadata["dagster/row_count"], metadata["files_removed"]) == (
        44,
        "grant_agreements.2017.csv",
    )

    # The same rows as loading the files from scratch (the record of loaded files forgotten).
    write_ledger(file_2017, table_01_ledger)
    load_register(workspace)
    incremental = raw_register(workspace)
    with duckdb.connect(str(workspace.settings.build_database)) as connection:
        connection.execute("drop table raw._seed_parts")
    assert load_register(workspace)["files_loaded"] == (
        "grant_agreements.2017.csv, grant_agreements.2018.csv"
    )
    assert raw_register(workspace) == incremental
    assert len(incremental) == 110 + 44


def test_a_period_given_in_two_files_is_rejected_with_both_files(
    workspace, table_01_ledger, table_02_ledger
):
    write_ledger(workspace.seed_path("grant_agreements.a.csv"), table_01_ledger)
    write_ledger(
        workspace.seed_path("grant_agreements.b.csv"), table_01_ledger[:3] + table_02_ledger
    )
    result = workspace.load_only("grant_agreements")
    assert step_failures(result) == {
        LOAD_STEP: "seeds/grant_agreements.b.csv has 4 problems:\n"
        'seeds/grant_agreements.b.csv line 2, column identifier: "SYN-2017-0001" repeats the'
        " identifier of a row in seeds/grant_agreements.a.csv: each must appear once\n"
        'seeds/grant_agreements.b.csv line 2, column period: "2017" is also given in'
        " seeds/grant_agreements.a.csv: each period is given in one file only\n"
        'seeds/grant_agreements.b.csv line 3, column identifier: "SYN-2017-0002" repeats the'
        " identifier of a row in seeds/grant_agreements.a.csv: each must appear once\n"
        'seeds/grant_agreements.b.csv line 4, column identifier: "SYN-2017-0003" repeats the'
        " identifier of a row in seeds/grant_agreements.a.csv: each must appear once"
    }


def test_a_bad_value_in_one_file_of_the_register_names_that_file_and_keeps_the_table(
    workspace, table_01_ledger, table_02_ledger
):
    write_ledger(workspace.seed_path("grant_agreements.2017.csv"), table_01_ledger)
    write_ledger(workspace.seed_path("grant_agreements.2018.csv"), table_02_ledger)
    load_register(workspace)
    before = raw_register(workspace)
    table_02_ledger[5]["amount_awarded"] = "12 500,00"
    table_01_ledger[0]["title"] = "changed, and not loaded"
    write_ledger(workspace.seed_path("grant_agreements.2017.csv"), table_01_ledger)
    write_ledger(workspace.seed_path("grant_agreements.2018.csv"), table_02_ledger)
    result = workspace.load_only("grant_agreements")
    assert step_failures(result) == {
        LOAD_STEP: 'seeds/grant_agreements.2018.csv line 7, column amount_awarded: "12 500,00"'
        " is not a whole number of dirhams (MAD) of 0 or more: a comma or a dot is not accepted in a number, because it"
        " reads as a decimal mark in one locale and a thousands separator in another; write"
        " 1 045 500 (spaces, as the report prints them) or 1045500"
    }
    assert raw_register(workspace) == before


def test_publishing_again_replaces_only_the_changed_periods_and_equals_publishing_anew(
    workspace, table_01_ledger, table_02_ledger, tmp_path
):
    """The publish step on its own (the synthetic 2017 register does not reconcile with the
    2017 headline, so a whole run would stop before publishing)."""
    settings = workspace.settings

    def build_and_publish(published: Path, parquet: Path) -> None:
        assert workspace.run(selection=REGISTER_TO_PROJECT_GRANTS).success
        publish_database(settings.build_database, published, parquet, settings.duckdb_config)

    write_ledger(workspace.seed_path("grant_agreements.2017.csv"), table_01_ledger)
    write_ledger(workspace.seed_path("grant_agreements.2018.csv"), table_02_ledger)
    build_and_publish(tmp_path / "grants.duckdb", tmp_path / "parquet")
    by_period = tmp_path / "parquet" / "fct_project_grants"
    assert sorted(p.name for p in by_period.iterdir()) == [
        f"{PROGRAMME}.2017.parquet",
        f"{PROGRAMME}.2018.parquet",
    ]
    before = {p.name: p.stat().st_ino for p in by_period.iterdir()}

    table_02_ledger[3]["title"] = "Synthetic project, renamed"
    write_ledger(workspace.seed_path("grant_agreements.2018.csv"), table_02_ledger)
    build_and_publish(tmp_path / "grants.duckdb", tmp_path / "parquet")
    after = {p.name: p.stat().st_ino for p in by_period.iterdir()}
    # 2017's file is the same file; 2018's was written again.
    assert after[f"{PROGRAMME}.2017.parquet"] == before[f"{PROGRAMME}.2017.parquet"]
    assert after[f"{PROGRAMME}.2018.parquet"] != before[f"{PROGRAMME}.2018.parquet"]
    assert query(
        tmp_path / "grants.duckdb",
        "select title from marts.fct_project_grants where identifier = 'SYN-2018-0004'",
    ) == [("Synthetic project, renamed",)]

    anew = publish_database(
        settings.build_database, tmp_path / "anew.duckdb", tmp_path / "anew", settings.duckdb_config
    )
    everything = "select * from {} order by all"
    for table in anew:
        assert query(tmp_path / "grants.duckdb", everything.format(f"marts.{table.name}")) == query(
            tmp_path / "anew.duckdb", everything.format(f"marts.{table.name}")
        ), table.name
    parquet_rows = [
        query(tmp_path / "anew.duckdb", everything.format("read_parquet(?)"), [str(files)])
        for files in (
            by_period / "*.parquet",
            tmp_path / "anew" / "fct_project_grants" / "*.parquet",
        )
    ]
    assert parquet_rows[0] == parquet_rows[1]
    assert len(parquet_rows[0]) == 110 + 44
