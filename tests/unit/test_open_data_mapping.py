"""The pure mappings of the open-data files: an agreement as a 360Giving grant and what the
official schema says of one without a recipient identifier; contract types as Table Schema
types; keys from dbt's manifest."""

from datetime import date

from orchestration.lib.dbt.project import load_manifest
from orchestration.lib.open_data.data_package import field_type
from orchestration.lib.open_data.descriptions import published_tables
from orchestration.lib.open_data.three_sixty_giving import grant, grant_package, rejections

AGREEMENT = {
    "identifier": "SYN-2018-0001",
    "programme_id": "migrant_integration_partnership",
    "period": "2018",
    "title": "Synthetic project 1",
    "recipient_org_name": "Synthetic association 1",
    "recipient_org_identifier": "SYN-ORG-0001",
    "domain_name_en": "Summer camps",
    "beneficiary_location_name": None,
    "amount_awarded": 50000,
    "currency": "MAD",
    "grant_programme_title": "Synthetic call for projects 2018",
    "award_date": date(2018, 6, 1),
    "programme_name_en": "The programme",
    "funder_id": "ministry_in_charge_of_migration",
    "funder_name_en": "Ministry in charge of migration affairs",
    "source_row": 1,
}


def test_an_agreement_is_a_valid_grant_without_its_empty_fields():
    described = grant(AGREEMENT)
    assert "beneficiaryLocation" not in described
    assert described["description"] == (
        "Synthetic project 1. Domain: Summer camps. The programme, 2018."
    )
    assert (described["amountAwarded"], described["awardDate"]) == (50000, "2018-06-01")
    assert rejections(grant_package("p.2018", [described]), [AGREEMENT]) == []


def test_a_grant_without_a_recipient_identifier_is_rejected_on_that_column():
    agreement = {**AGREEMENT, "recipient_org_identifier": None}
    (rejection,) = rejections(grant_package("p.2018", [grant(agreement)]), [agreement])
    assert (rejection.column, rejection.pointer, rejection.reason) == (
        "recipient_org_identifier",
        "recipientOrganization/0/id",
        "'id' is a required property",
    )


def test_contract_types_and_keys():
    assert [field_type(t) for t in ("string", "bigint", "decimal(18,2)", "double", "date")] == [
        "string",
        "integer",
        "number",
        "number",
        "date",
    ]
    tables = published_tables(load_manifest())
    assert tables["dim_domain"].primary_key == ("programme_id", "domain_code")
    assert tables["mart_ledger_reconciliation"].primary_key == ()  # its key has a nullable column
