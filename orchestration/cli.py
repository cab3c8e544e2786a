"""`make refresh`: run the refresh job in this process, print progress and a summary.

Exit status 0 when the warehouse was published (or was already up to date); 1 when anything
failed, with the failed step or check named and the published file left as it was; 128 + the
signal's number (143, 130) when it was stopped by SIGTERM or SIGINT, within seconds, with its run
marked failed and the published file as it was (or as a swap that had completed left it).

Before it starts, runs whose process is gone (a refresh killed with kill -9) are marked failed
and the slots they held freed, one line each (see lib/runs/abandoned_runs.py).

When the seeds and the code are exactly those the published warehouse was built from, there is
nothing to do: it says so and stops before loading Dagster, dbt or Great Expectations
(`--force` refreshes anyway).
"""

import argparse
import dataclasses
import gc
import sys
import uuid
from collections.abc import Sequence

# Only light imports here: an up-to-date warehouse is reported without loading Dagster or dbt.
from orchestration.lib.fingerprint import inputs_fingerprint, published_fingerprint
from orchestration.lib.runs.stopping import Stopped, StopWatch, signal_name
from orchestration.settings import ENGINES, Settings, load_settings

RUN_MODULE = "orchestration.lib.runs.refresh_run"


def main(argv: Sequence[str] | None = None) -> int:
    run_id = str(uuid.uuid4())

    def on_overdue(signum: int) -> None:
        report_stopped(signum, forced=True)
        if RUN_MODULE in sys.modules:  # a run exists only once Dagster is loaded
            from orchestration.lib.runs.refresh_run import mark_run_stopped

            mark_run_stopped(run_id, signum)

    watch = StopWatch(on_overdue=on_overdue)
    try:
        with watch:
            exit_code = refresh_command(argv, run_id, watch)
    except Stopped as stop:
        return report_stopped(stop.signum)
    if watch.received is not None:
        return report_stopped(watch.received)
    return exit_code


def report_stopped(signum: int, forced: bool = False) -> int:
    how = " (it had not ended by itself in time, so it was ended)" if forced else ""
    print(f"\nRefresh stopped by {signal_name(signum)}{how}.", file=sys.stderr, flush=True)
    print(
        "The published warehouse is whole: as it was, or as a swap that had completed left it;"
        " the next refresh starts from there.",
        file=sys.stderr,
        flush=True,
    )
    return 128 + signum


def argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.cli",
        description="Full refresh of the grants warehouse: seeds → raw → dbt → checks → publish.",
    )
    parser.add_argument(
        "--force", action="store_true", help="refresh even if seeds and code are unchanged"
    )
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild incremental models from scratch (dbt build --full-refresh); implies --force",
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        help="where the dbt models run (default: GRANTS_ENGINE, else duckdb); the published"
        " file is a DuckDB file either way",
    )
    return parser


def refresh_command(argv: Sequence[str] | None, run_id: str, watch: StopWatch) -> int:
    arguments = argument_parser().parse_args(argv)
    settings = load_settings()
    if arguments.engine:
        settings = dataclasses.replace(settings, engine=arguments.engine)
    inputs = inputs_fingerprint(settings)
    if (
        not (arguments.force or arguments.full_refresh)
        and published_fingerprint(settings) == inputs
    ):
        print(
            "Warehouse up to date: the seeds and the code are those it was built from."
            f"\nPublished warehouse: {settings.published_database}"
        )
        return 0
    # Forget what the published file was built from until this refresh has succeeded.
    settings.published_inputs.unlink(missing_ok=True)
    print(f"Refreshing the warehouse: seeds from {settings.seeds_dir}", flush=True)
    from orchestration.lib.runs.failure_report import checks_line, failure_report
    from orchestration.lib.runs.refresh_run import refresh

    # Dagster, dbt and GX leave about a million long-lived objects behind their imports: frozen,
    # the garbage collector no longer walks them on each full collection.
    gc.freeze()
    result = refresh(settings, full_refresh=arguments.full_refresh, run_id=run_id)
    if watch.received is not None:  # main() says it was stopped; nothing is recorded
        return 128 + watch.received
    if not result.success:
        report = failure_report(result.all_events, settings.published_database)
        print("\n" + "\n".join(report.lines()), file=sys.stderr)
        return 1
    report_success(checks_line(result.all_events), settings)
    return 0


def report_success(checks: str, settings: Settings) -> None:
    from orchestration.lib.runs.run_report import summary_lines

    print("\nRefresh complete.")
    print("\n".join(summary_lines(settings.published_database)))
    print(f"checks: {checks}")
    print(f"Charts: {settings.reports_dir / 'index.html'}")
    print(f"Validation report: {settings.published_validation_report_dir / 'index.html'}")
    print(f"Published warehouse: {settings.published_database}")


if __name__ == "__main__":
    exit_code = main()
    # The collections at interpreter exit would walk every object of the run once more: 1.5 s
    # of each refresh, for a process about to end. Files and transactions are all closed here.
    gc.freeze()
    sys.exit(exit_code)
