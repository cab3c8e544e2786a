"""The open-data files beside the Parquet exports: the data package validates with the
`frictionless` command and says what the dbt YAML says; the CSV copies have a byte-order mark
and the marts' rows; a register of agreements becomes a 360Giving package valid against the
official schema, without its undated agreements; an agreement 360Giving rejects fails the
refresh with its line and leaves every published file as it was."""

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from orchestration.lib.dbt.project import load_manifest
from orchestration.lib.open_data.three_sixty_giving import date_time_checker
from orchestration.lib.synthetic_register import LEDGER_FILE, write_ledger
from tests.conftest import PROJECT_ROOT, query
from tests.integration.test_ledger import table_02_agreements
from tests.integration.workspace import PUBLISH_KEY, refreshed_workspace, step_failures

pytestmark = pytest.mark.xdist_group("open-data")
FRICTIONLESS = Path(sys.executable).parent / "frictionless"
STANDARD = PROJECT_ROOT.parent / "shared" / "standards" / "360giving"
PROGRAMME = "migrant_integration_partnership"
# The four domains as Table 01 prints them (../shared/source/README.md).
PRINTED_DOMAINS = {
    "المساعدة الإنسانية للمهاجرين واللاجئين",
    "المخيمات الصيفية",
    "الاندماج الثقافي والشباب والترفيه",
    "الإدماج التربوي للمهاجرين واللاجئين",
}


@pytest.fixture(scope="session")
def workspace(tmp_path_factory, refreshed):
    return refreshed_workspace(tmp_path_factory, "open-data", refreshed)


def frictionless_report(package: Path) -> dict:
    completed = subprocess.run(
        [str(FRICTIONLESS), "validate", str(package), "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return json.loads(completed.stdout)


def folder_hashes(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_the_data_package_validates_and_describes_every_published_table(workspace):
    open_data = workspace.settings.open_data_dir
    report = frictionless_report(open_data / "datapackage.json")
    assert (report["valid"], report["stats"]["errors"], report["stats"]["warnings"]) == (True, 0, 0)
    package = json.loads((open_data / "datapackage.json").read_text(encoding="utf-8"))
    published = {
        row[0]
        for row in query(
            workspace.settings.published_database,
            "select table_name from information_schema.tables where table_schema = 'marts'",
        )
    }
    resources = {resource["title"]: resource for resource in package["resources"]}
    # Without a register, fct_project_grants is one empty CSV (its header only).
    assert set(resources) == published
    assert resources["fct_project_grants"]["path"] == "csv/fct_project_grants/_empty.csv"
    models = {
        node["name"]: node
        for node in load_manifest()["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "marts"
    }
    for name in published:
        fields = resources[name]["schema"]["fields"]
        columns = models[name]["columns"].values()
        assert [f["name"] for f in fields] == [c["name"] for c in columns]
        assert [f["description"] for f in fields] == [c["description"].strip() for c in columns]
        assert resources[name]["description"] == models[name]["description"].strip()
    domain_grants = resources["fct_domain_grants"]["schema"]
    assert domain_grants["primaryKey"] == ["programme_id", "period", "domain_code"]
    amount = next(f for f in domain_grants["fields"] if f["name"] == "amount_mad")
    assert amount == {
        "name": "amount_mad",
        "type": "integer",
        "description": models["fct_domain_grants"]["columns"]["amount_mad"]["description"],
        "unit": "MAD",
        "constraints": {"required": True},
    }
    year_summary = {f["name"]: f for f in resources["mart_year_summary"]["schema"]["fields"]}
    assert (year_summary["avg_amount_per_project"]["type"], year_summary["period"]["type"]) == (
        "number",
        "string",
    )
    assert resources["fct_project_grants"]["schema"]["primaryKey"] == ["identifier"]
    sources = {source["document_id"]: source for source in package["sources"]}
    assert sources["partnership_review_2017_2018"]["file_name"] == "000_010f2b19d76e34c4.txt"
    assert sources["lavieeco_2017_migration_associations"]["publisher_as_printed"] == "La Vie éco"
    assert package["licence_note"].startswith("No licence is known.")


def test_the_csv_copies_have_a_byte_order_mark_and_the_marts_rows(workspace):
    open_data = workspace.settings.open_data_dir
    package = json.loads((open_data / "datapackage.json").read_text(encoding="utf-8"))
    with duckdb.connect(str(workspace.settings.published_database), read_only=True) as connection:
        for resource in package["resources"]:
            path = open_data / resource["path"]
            assert path.read_bytes()[:3] == b"\xef\xbb\xbf", path
            table = resource["title"]
            types = dict(
                connection.execute(
                    "select column_name, data_type from duckdb_columns()"
                    " where schema_name = 'marts' and table_name = ?",
                    [table],
                ).fetchall()
            )
            copy = f"read_csv(?, header = true, columns = {types!r}, encoding = 'utf-8')"
            for left, right in ((f"marts.{table}", copy), (copy, f"marts.{table}")):
                parameters = [str(path)]
                extra = connection.execute(
                    f"select count(*) from (from {left} except all from {right})", parameters
                ).fetchall()
                assert extra == [(0,)], table
    with (open_data / "csv" / "dim_domain.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["domain_name_ar"] for row in rows} == PRINTED_DOMAINS
    assert next(iter(rows[0])) == "programme_id"  # the mark is not part of the first header


def official_validator() -> Draft202012Validator:
    grant = json.loads((STANDARD / "360-giving-schema.json").read_text(encoding="utf-8"))
    package = json.loads((STANDARD / "360-giving-package-schema.json").read_text(encoding="utf-8"))
    url = package["properties"]["grants"]["items"]["$ref"]
    registry = Registry().with_resources(
        [
            (grant["$id"], DRAFT202012.create_resource(grant)),
            (url, DRAFT202012.create_resource(grant)),
        ]
    )
    # A date must not also pass as a date-time (see date_time_checker).
    return Draft202012Validator(package, registry=registry, format_checker=date_time_checker())


@pytest.fixture
def table_02_register(workspace):
    """A SYNTHETIC register of 2018 that sums to Table 02 (44 projects, 1 899 500 MAD, 42
    associations), as test_ledger.py builds it; removed afterwards."""
    yield table_02_agreements(workspace)
    workspace.seed_path(LEDGER_FILE).unlink(missing_ok=True)


def test_a_register_becomes_a_360giving_package_without_its_undated_agreements(
    workspace, table_02_register
):
    undated = table_02_register[10]
    undated["award_date"] = ""  # loads (award_date may be empty), not in the 360Giving file
    write_ledger(workspace.seed_path(LEDGER_FILE), table_02_register)
    result = workspace.run()
    assert result.success, step_failures(result)
    open_data = workspace.settings.open_data_dir
    package = json.loads(
        (open_data / "360giving" / f"{PROGRAMME}.2018.json").read_text(encoding="utf-8")
    )
    assert list(official_validator().iter_errors(package)) == []
    grants = package["grants"]
    assert len(grants) == 43
    assert undated["identifier"] not in {g["id"] for g in grants}
    assert sum(g["amountAwarded"] for g in grants) == 1899500 - int(undated["amount_awarded"])
    first = table_02_register[0]
    assert grants[0] == {
        "id": "SYN-2018-0001",
        "title": "Synthetic project 1",
        "description": (
            f"Synthetic project 1. Domain: {first_domain_name(workspace, first['domain'])}."
            " Partnership programme with civil-society associations for the integration of"
            " migrants and refugees, 2018."
        ),
        "currency": "MAD",
        "amountAwarded": int(first["amount_awarded"]),
        "awardDate": "2018-06-01",
        "recipientOrganization": [{"id": "SYN-ORG-0001", "name": "Synthetic association 1"}],
        "fundingOrganization": [
            {
                "id": "ministry_in_charge_of_migration",
                "name": "Ministry in charge of migration affairs",
            }
        ],
        "grantProgramme": [{"title": "Synthetic call for projects 2018"}],
        "beneficiaryLocation": [{"name": "Synthetic city"}],
    }
    (materialization,) = [
        event.materialization
        for event in result.get_asset_materialization_events()
        if event.asset_key == PUBLISH_KEY
    ]
    metadata = materialization.metadata
    assert metadata["agreements_without_award_date"].value == 1
    assert metadata["agreements_without_award_date_ids"].value == undated["identifier"]
    # Every agreement, dated or not, is in the CSV copy; the package validates with it.
    report = frictionless_report(open_data / "datapackage.json")
    assert report["valid"]
    part = next(t for t in report["tasks"] if t["name"] == f"fct_project_grants.{PROGRAMME}.2018")
    assert part["stats"]["rows"] == 44


def first_domain_name(workspace, code: str) -> str:
    [(name,)] = query(
        workspace.settings.published_database,
        "select domain_name_en from marts.dim_domain where domain_code = ?",
        [code],
    )
    return name


def test_an_agreement_360giving_rejects_fails_the_refresh_and_publishes_nothing(
    workspace, table_02_register
):
    write_ledger(workspace.seed_path(LEDGER_FILE), table_02_register)
    assert workspace.run().success
    # Association 6 holds one agreement only: counted by its name instead, the register still
    # reconciles (42 associations), so only the 360Giving check can stop it.
    table_02_register[5]["recipient_org_identifier"] = ""
    table_02_register[5]["title"] = "Synthetic project 6, changed"
    write_ledger(workspace.seed_path(LEDGER_FILE), table_02_register)
    published = workspace.published_checksum()
    open_data = folder_hashes(workspace.settings.open_data_dir)
    parquet = folder_hashes(workspace.settings.parquet_dir)
    result = workspace.run()
    assert not result.success
    assert step_failures(result)["publish__grants_duckdb"] == (
        "seeds/grant_agreements.csv line 7, column recipient_org_identifier: is empty, but the"
        " 360Giving Data Standard requires recipientOrganization/0/id of agreement SYN-2018-0006"
        " ('id' is a required property)"
    )
    assert workspace.published_checksum() == published
    assert folder_hashes(workspace.settings.open_data_dir) == open_data
    assert folder_hashes(workspace.settings.parquet_dir) == parquet
    assert not [p for p in workspace.settings.warehouse_dir.rglob("*") if ".tmp" in p.name]
