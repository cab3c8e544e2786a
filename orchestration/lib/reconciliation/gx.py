"""Great Expectations, run on a query result as a pandas batch in an ephemeral context (no `gx/`
folder; GX's SQL data source does not support DuckDB). Each suite runs through a validation
definition, so that its result stays in the context for the Data Docs (lib/reconciliation/
data_docs.py)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # both load with Great Expectations, when a check runs
    import pandas as pd
    from great_expectations.data_context import AbstractDataContext

# What a failed expectation's message names of its arguments.
DESCRIBED_ARGUMENTS = {"column", "column_A", "column_B", "column_list", "min_value", "max_value"}


@dataclass(frozen=True)
class Validation:
    """The outcome of one GX suite: success (no critical expectation failed), and one line per
    failed critical expectation. An expectation of lower severity (the registered gaps, which
    the Data Docs list) never fails a suite."""

    success: bool
    failures: tuple[str, ...]


def gx_context() -> "AbstractDataContext":
    """An ephemeral Great Expectations context (no `gx/` folder), without progress bars."""
    import great_expectations as gx  # heavy import: only when a check runs
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def validate(
    name: str,
    frame: "pd.DataFrame",
    expectations: Sequence[Any],
    context: "AbstractDataContext | None" = None,
    index_columns: Sequence[str] = (),
) -> Validation:
    """Validate `frame` against `expectations` with Great Expectations; the rows a failed
    expectation found are named by `index_columns` (in the result and the Data Docs)."""
    import great_expectations as gx
    from great_expectations.expectations.metadata_types import FailureSeverity

    context = context or gx_context()
    batch_definition = (
        context.data_sources.add_pandas(name)
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe(name)
    )
    suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=list(expectations)))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
    )
    result_format: dict[str, Any] = {"result_format": "COMPLETE"}
    if index_columns:
        result_format["unexpected_index_column_names"] = list(index_columns)
    result = definition.run(batch_parameters={"dataframe": frame}, result_format=result_format)
    failures = tuple(
        describe_failure(outcome)
        for outcome in result.results
        if not outcome.success and severity(outcome) == FailureSeverity.CRITICAL
    )
    return Validation(success=not failures, failures=failures)


def severity(outcome: Any) -> Any:
    """How much a failed expectation matters (critical, warning or info; critical by default)."""
    from great_expectations.expectations.metadata_types import FailureSeverity

    config = outcome.expectation_config
    return config.severity if config is not None else FailureSeverity.CRITICAL


def describe_failure(outcome: Any) -> str:
    """One line for a failed expectation: its type, the arguments that say what it looked at,
    and what it found instead."""
    config = outcome.expectation_config
    arguments = {key: value for key, value in config.kwargs.items() if key in DESCRIBED_ARGUMENTS}
    detail = outcome.result.get("unexpected_list") or outcome.result.get("observed_value")
    if outcome.exception_info and outcome.exception_info.get("raised_exception"):
        detail = outcome.exception_info.get("exception_message")
    return f"{config.type} {arguments}: unexpected {python_value(detail)}"


def python_value(value: Any) -> Any:
    """numpy scalars (and tuples or lists of them) as plain Python values, for messages."""
    if isinstance(value, (list, tuple)):
        return type(value)(python_value(item) for item in value)
    return value.item() if hasattr(value, "item") else value
