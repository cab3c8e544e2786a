"""The refresh command's progress lines: one per step started, asset materialized and check
that did not pass, and the warnings and errors the run logs."""

import logging
import sys
from typing import TextIO

import dagster as dg

PROGRESS_EVENTS = {"STEP_START", "STEP_FAILURE", "ASSET_MATERIALIZATION", "ASSET_CHECK_EVALUATION"}


class ProgressHandler(logging.Handler):
    """Prints one short line per step started, asset materialized and check evaluated."""

    def __init__(self, stream: TextIO):
        super().__init__()
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_event", None)
        if event is None:
            # Plain log messages: only warnings and errors (e.g. waiting for another refresh).
            message = getattr(record, "dagster_meta", {}).get("orig_message") or record.getMessage()
            line = f"! {message}" if record.levelno >= logging.WARNING else None
        elif event.event_type_value in PROGRESS_EVENTS:
            line = describe_event(event)
        else:
            return
        if line:
            print(line, file=self.stream, flush=True)


def describe_event(event: dg.DagsterEvent) -> str | None:
    kind = event.event_type_value
    if kind == "STEP_START":
        return f"▸ {event.step_key}"
    if kind == "STEP_FAILURE":
        return f"✗ {event.step_key} failed:\n{indent(error_message(event))}"
    if kind == "ASSET_MATERIALIZATION":
        materialization = event.step_materialization_data.materialization
        rows = materialization.metadata.get("dagster/row_count")
        suffix = f" ({rows.value} rows)" if rows is not None else ""
        return f"  ✓ {materialization.asset_key.to_user_string()}{suffix}"
    evaluation = check_evaluation(event)
    if evaluation is None or evaluation.passed:
        return None
    details = [
        evaluation.metadata[key].value
        for key in ("summary", "failures")
        if key in evaluation.metadata
    ]
    return "\n".join(
        [f"  ! check {check_name(evaluation)}: {evaluation.severity.value}"]
        + [indent(str(detail)) for detail in details]
    )


def check_evaluation(event: dg.DagsterEvent) -> dg.AssetCheckEvaluation | None:
    """The check evaluation an event carries, if it is one."""
    data = event.event_specific_data
    return data if isinstance(data, dg.AssetCheckEvaluation) else None


def check_name(evaluation: dg.AssetCheckEvaluation) -> str:
    return f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"


def error_message(event: dg.DagsterEvent) -> str:
    """What a failed step's error says: for a dg.Failure, its own description (the seed's file,
    line, column and value), without the exception's class name."""
    data = event.step_failure_data
    if data.user_failure_data is not None and data.user_failure_data.description:
        return data.user_failure_data.description
    if data.error is None:
        return "(no error recorded)"
    # An error class is named without its module (DagsterAssetCheckFailedError: …).
    qualified, separator, rest = data.error.message.partition(": ")
    if separator and data.error.cls_name and qualified.endswith(f".{data.error.cls_name}"):
        return f"{data.error.cls_name}: {rest}"
    return data.error.message


def indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.strip().splitlines())


@dg.logger(config_schema={}, description="Short progress lines for the command line.")
def progress_logger(_init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("grants_warehouse.progress")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(ProgressHandler(sys.stdout))
    return logger
