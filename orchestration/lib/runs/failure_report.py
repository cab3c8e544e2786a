"""What went wrong in a failed refresh, in the words `make refresh` prints and an alert sends:
the failed steps with their errors (a seed's file, line, column and value), the failed checks,
the checks' counts, and what became of the published warehouse."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from orchestration.lib.conventions import PUBLISHED_KEY
from orchestration.lib.runs.progress import check_evaluation, check_name, error_message, indent

CHECK_STATES = ("passed", "warned", "failed")


def check_evaluations(events: Sequence[dg.DagsterEvent]) -> list[dg.AssetCheckEvaluation]:
    return [evaluation for evaluation in map(check_evaluation, events) if evaluation is not None]


def check_counts(events: Sequence[dg.DagsterEvent]) -> Counter[str]:
    """How many asset checks passed, warned and failed in the run."""
    counts: Counter[str] = Counter()
    for evaluation in check_evaluations(events):
        if evaluation.passed:
            counts["passed"] += 1
        elif evaluation.severity == dg.AssetCheckSeverity.WARN:
            counts["warned"] += 1
        else:
            counts["failed"] += 1
    return counts


def checks_line(events: Sequence[dg.DagsterEvent]) -> str:
    """`242 passed, 1 warned, 0 failed`."""
    counts = check_counts(events)
    return ", ".join(f"{counts[state]} {state}" for state in CHECK_STATES)


def blocking_failures(events: Sequence[dg.DagsterEvent]) -> list[dg.AssetCheckEvaluation]:
    return [
        evaluation
        for evaluation in check_evaluations(events)
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    ]


def check_summary(evaluation: dg.AssetCheckEvaluation) -> str:
    """What a check found, as its `summary` metadata says (the figures that disagree)."""
    summary = evaluation.metadata.get("summary")
    return str(summary.value) if summary is not None else ""


def run_failure_messages(events: Sequence[dg.DagsterEvent]) -> list[str]:
    """The messages of the error that failed the run and of its causes (e.g. a resource that
    could not start: the refresh lock not released in time), or of the run's failure itself
    when it has no error (a run whose process died, marked failed by the sensor)."""
    messages = []
    for event in events:
        if not event.is_run_failure:
            continue
        error = getattr(event.event_specific_data, "error", None)
        if error is None and event.message:
            messages.append(event.message.strip())
        while error is not None:
            messages.append(error.message.strip())
            error = error.cause
    return messages


def was_published(events: Sequence[dg.DagsterEvent]) -> bool:
    """Whether the run replaced the published file before it failed (a later step failed)."""
    return any(
        event.is_step_materialization and event.asset_key == PUBLISHED_KEY for event in events
    )


@dataclass(frozen=True)
class FailureReport:
    failed_steps: list[tuple[str, str]]  # (step, its error's message)
    run_errors: list[str]  # why the run failed, when it failed before any step
    failed_checks: list[tuple[str, str]]  # (check, what it found)
    checks: str
    published: bool
    published_database: Path

    @property
    def outcome(self) -> str:
        if self.published:
            return (
                "The warehouse was published by this run before the failure:"
                f" {self.published_database}"
            )
        return f"The published warehouse was left as it was: {self.published_database}"

    def lines(self) -> list[str]:
        lines = ["Refresh FAILED."]
        for step, message in self.failed_steps:
            lines += [f"  failed step: {step}", indent(message)]
        if not self.failed_steps:
            lines += [indent(message) for message in self.run_errors]
        for check, summary in self.failed_checks:
            lines += [f"  failed check: {check}", *([indent(summary)] if summary else [])]
        return [*lines, f"  checks: {self.checks}", self.outcome]


def failure_report(events: Sequence[dg.DagsterEvent], published_database: Path) -> FailureReport:
    """The report of a failed run from its events (an in-process result's or the event log's)."""
    return FailureReport(
        failed_steps=[
            (event.step_key or "", error_message(event))
            for event in events
            if event.is_step_failure
        ],
        run_errors=run_failure_messages(events),
        failed_checks=[
            (check_name(evaluation), check_summary(evaluation))
            for evaluation in blocking_failures(events)
        ],
        checks=checks_line(events),
        published=was_published(events),
        published_database=published_database,
    )
