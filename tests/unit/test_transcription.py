"""The seeds hold the report's figures and labels exactly as the document prints them."""

import csv

import pytest

from tests.conftest import PROJECT_ROOT, SOURCE_DOCUMENT

pytestmark = pytest.mark.skipif(
    not SOURCE_DOCUMENT.exists(), reason=f"source document not found at {SOURCE_DOCUMENT}"
)


def printed_table(caption: str) -> list[list[str]]:
    """The tab-separated rows under a table caption in the document, header excluded."""
    lines = SOURCE_DOCUMENT.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(caption))
    rows = []
    for line in lines[start + 1 :]:
        if "\t" in line:
            rows.append(line.split("\t"))
        elif rows:
            break
    return rows[1:]


def seed_rows(name: str) -> list[dict[str, str]]:
    with (PROJECT_ROOT / "seeds" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    ("period", "caption"), [("2017", "الجدول رقم 01"), ("2018", "الجدول رقم 02")]
)
def test_domain_rows_are_transcribed_as_printed(period, caption):
    printed = printed_table(caption)
    body, total = printed[:-1], printed[-1]
    seeded = [row for row in seed_rows("domain_grants.csv") if row["period"] == period]
    assert [[r["domain_label_ar"], r["projects"], r["amount_mad"]] for r in seeded] == body
    assert [int(r["source_row"]) for r in seeded] == list(range(1, len(body) + 1))
    (seeded_total,) = [r for r in seed_rows("domain_table_totals.csv") if r["period"] == period]
    assert [seeded_total["label_ar"], seeded_total["projects"], seeded_total["amount_mad"]] == total


def test_every_domain_label_is_printed_in_the_document():
    text = SOURCE_DOCUMENT.read_text(encoding="utf-8")
    for row in seed_rows("domain_labels.csv"):
        assert row["label_ar"] in text, row


def test_headline_sentences_state_the_seeded_figures():
    text = SOURCE_DOCUMENT.read_text(encoding="utf-8")
    figures: dict[str, dict[str, str]] = {}
    for row in seed_rows("headline_figures.csv"):
        if row["source_document"] == "partnership_review_2017_2018":
            figures.setdefault(row["period"], {})[row["measure"]] = row["value"]
            assert (row["qualifier"], row["stated_precision"]) == ("exact", "1"), row
            assert row["value_as_printed"] == row["value"], row
    assert sorted(figures) == ["2017", "2018"]
    for period in figures.values():
        assert f"مع {period['associations']} جمعية لإنجاز {period['projects']} مشروعا" in text
        assert f"{period['amount_mad']} درهم" in text
