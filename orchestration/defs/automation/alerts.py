"""Alerts of a deployment that runs by itself: a failed refresh, and a stale warehouse."""

import time

import dagster as dg

from orchestration.defs.automation.jobs import refresh_job
from orchestration.lib.alerts import Alert, configured_channels, send_alert
from orchestration.lib.conventions import PUBLISHED_KEY
from orchestration.lib.runs.run_alerts import refresh_failed_alert, stale_warehouse_alert
from orchestration.settings import (
    OperationsSettings,
    Settings,
    load_operations_settings,
    load_settings,
)


def deliver(context, alert: Alert, operations: OperationsSettings) -> None:
    """Send `alert` by every channel configured, saying so in the tick's log; with none, the
    log has the alert (the tick then fails if a channel could not take it, and is retried)."""
    if not configured_channels(operations):
        context.log.warning("No alert channel is configured (GRANTS_ALERT_*):\n" + alert.text)
        return
    sent = send_alert(alert, operations)
    context.log.info(f"Sent {alert.subject!r} by {', '.join(sent)}")


def build_failure_alert_sensor(
    settings: Settings, operations: OperationsSettings
) -> dg.SensorDefinition:
    @dg.run_failure_sensor(
        name="refresh_failure_alert",
        monitored_jobs=[refresh_job],
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            "When a refresh fails (a seed rejected, a dbt test, a blocking check, the publish"
            " step), sends what failed, in make refresh's words, by e-mail, webhook and/or file"
            " (GRANTS_ALERT_*), once per failed run."
        ),
    )
    def refresh_failure_alert(context: dg.RunFailureSensorContext):
        run = context.dagster_run
        events = [
            entry.dagster_event
            for entry in context.instance.all_logs(run.run_id)
            if entry.dagster_event is not None
        ]
        deliver(
            context,
            refresh_failed_alert(run, events, settings.published_database, operations.ui_url),
            operations,
        )

    return refresh_failure_alert


def build_stale_alert_sensor(
    settings: Settings, operations: OperationsSettings
) -> dg.SensorDefinition:
    limit_seconds = operations.stale_after_hours * 3600

    @dg.sensor(
        name="stale_warehouse_alert",
        minimum_interval_seconds=60,
        # On where the daily schedule is on by default (a deployment): a laptop that refreshes
        # by hand is not stale.
        default_status=(
            dg.DefaultSensorStatus.RUNNING
            if operations.schedule_running
            else dg.DefaultSensorStatus.STOPPED
        ),
        description=(
            "Alerts, by the same channels as a failed refresh, when the last successful publish"
            f" is older than {operations.stale_after_hours:g} h (GRANTS_STALE_AFTER_HOURS);"
            " once per publish that grew stale."
        ),
    )
    def stale_warehouse_alert_sensor(context: dg.SensorEvaluationContext):
        last = context.instance.get_latest_materialization_event(PUBLISHED_KEY)
        if last is None:
            return dg.SkipReason("Nothing has been published yet.")
        now = time.time()
        if now - last.timestamp <= limit_seconds:
            return dg.SkipReason("The published warehouse is fresh.")
        if context.cursor == repr(last.timestamp):
            return dg.SkipReason("Stale, and already alerted for this publish.")
        alert = stale_warehouse_alert(
            last.timestamp,
            now,
            operations.stale_after_hours,
            settings.published_database,
            operations.ui_url,
        )
        deliver(context, alert, operations)
        context.update_cursor(repr(last.timestamp))
        return dg.SkipReason(alert.lines[0])

    return stale_warehouse_alert_sensor


@dg.definitions
def alerts() -> dg.Definitions:
    settings, operations = load_settings(), load_operations_settings()
    return dg.Definitions(
        sensors=[
            build_failure_alert_sensor(settings, operations),
            build_stale_alert_sensor(settings, operations),
        ]
    )
