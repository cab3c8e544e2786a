"""Great Expectations, run on a query result as a pandas batch in an ephemeral context (no `gx/`
folder; GX's SQL data source does not support DuckDB)."""

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
    """The outcome of one GX suite: success, and one line per failed expectation."""

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
) -> Validation:
    """Validate `frame` against `expectations` with Great Expectations."""
    import great_expectations as gx

    context = context or gx_context()
    batch = (
        context.data_sources.add_pandas(name)
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe(name)
        .get_batch(batch_parameters={"dataframe": frame})
    )
    suite = gx.ExpectationSuite(name=name, expectations=list(expectations))
    result = batch.validate(suite, result_format="COMPLETE")
    failures = tuple(describe_failure(outcome) for outcome in result.results if not outcome.success)
    return Validation(success=bool(result.success), failures=failures)


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
