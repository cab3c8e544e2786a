"""Proof that the checks can fail: perturb, one at a time, every figure the report states with a
control total, refresh what the perturbed file reaches (its load → the dbt models downstream →
their GX checks, without publishing), and require that at least one check fails with ERROR for
each. Between perturbations the working file goes back to the unperturbed refresh's. The
mutation score (printed at the end of the run by conftest.py) must be 100 %: every case below
must pass.

Perturbed: each domain row's projects (+1) and amount (+1 000 MAD), each table total row, each
headline's projects and amount (headline_figures.csv, the periods with a domain table). Not
perturbed: the headline association counts, which no table totals (their only rule,
associations ≤ projects, is checked but cannot catch +1), and the 2014-2016 figures, which no
table or other document states again. The checks of a second programme and of two documents
that state the same figure are perturbed in test_programmes.py (same `mutation` mark)."""

import csv
from dataclasses import dataclass

import pytest

from orchestration.lib.formatting import group_thousands
from tests.conftest import PROJECT_ROOT
from tests.integration.workspace import CHECK_ONLY_JOB, Workspace, failed_error_checks

CONTROLLED_FIGURES = {
    "domain_grants.csv": ("projects", "amount_mad"),
    "domain_table_totals.csv": ("projects", "amount_mad"),
}
DELTAS = {"projects": 1, "amount_mad": 1_000}
HEADLINES = "headline_figures.csv"


@dataclass(frozen=True)
class Mutation:
    seed_file: str
    row_index: int
    column: str
    printed: str
    perturbed: str

    def __str__(self) -> str:
        return f"{self.seed_file}:row{self.row_index + 1}:{self.column}:{self.printed}→{self.perturbed}"


def seed_rows(seed_file: str) -> list[dict[str, str]]:
    with (PROJECT_ROOT / "seeds" / seed_file).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def perturbed(printed: str, measure: str) -> str:
    return group_thousands(int(printed.replace(" ", "")) + DELTAS[measure])


def controlled_mutations() -> list[Mutation]:
    """One mutation per figure with a control total, read from the repository's seeds."""
    found = []
    for seed_file, columns in CONTROLLED_FIGURES.items():
        for row_index, row in enumerate(seed_rows(seed_file)):
            for column in columns:
                found.append(
                    Mutation(
                        seed_file, row_index, column, row[column], perturbed(row[column], column)
                    )
                )
    with_tables = {(row["programme_id"], row["period"]) for row in seed_rows("domain_grants.csv")}
    for row_index, row in enumerate(seed_rows(HEADLINES)):
        if row["measure"] in DELTAS and (row["programme_id"], row["period"]) in with_tables:
            found.append(
                Mutation(
                    HEADLINES,
                    row_index,
                    "value",
                    row["value"],
                    perturbed(row["value"], row["measure"]),
                )
            )
    return found


MUTATIONS = controlled_mutations()


def test_every_controlled_figure_has_a_mutation():
    assert len(MUTATIONS) == 8 * 2 + 2 * 2 + 2 * 2


@pytest.fixture(scope="session")  # survives other modules' tests interleaved on this worker
def workspace(tmp_path_factory):
    workspace = Workspace(tmp_path_factory.mktemp("mutation"))
    baseline = workspace.run(CHECK_ONLY_JOB)
    assert baseline.success and failed_error_checks(baseline) == []
    workspace.save_build_database()
    return workspace


@pytest.mark.mutation
@pytest.mark.parametrize(
    "mutation",
    # Two halves, one per pytest-xdist worker, each with its own workspace.
    [
        pytest.param(m, marks=pytest.mark.xdist_group(f"mutation-{i % 2}"))
        for i, m in enumerate(MUTATIONS)
    ],
    ids=str,
)
def test_perturbation_is_caught(workspace, mutation):
    workspace.edit_seed(mutation.seed_file, mutation.row_index, mutation.column, mutation.perturbed)
    try:
        result = workspace.run(CHECK_ONLY_JOB, selection=workspace.affected_by(mutation.seed_file))
        failed = failed_error_checks(result)
    finally:
        workspace.restore_seeds()
        workspace.restore_build_database()
    assert failed, f"no check failed for {mutation}"
