"""Alerts: one message, sent by e-mail (SMTP), posted as one JSON line to a webhook, and
appended as one JSON line to a file, as the operations settings name them."""

import email.policy
import json
import smtplib
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage

from orchestration.settings import OperationsSettings

SUBJECT_PREFIX = "[grants warehouse]"
NETWORK_TIMEOUT_SECONDS = 30
HEADER_LINE_LENGTH = 200


@dataclass(frozen=True)
class Alert:
    """What went wrong: `event` names the kind (`refresh_failed`, `warehouse_stale`), `lines` are
    the message as a person reads it, `details` the same facts as fields for a program."""

    event: str
    subject: str
    lines: list[str]
    details: Mapping[str, object] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def json_line(self) -> str:
        record = {
            "event": self.event,
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "subject": self.subject,
            "message": self.text,
            **self.details,
        }
        return json.dumps(record, ensure_ascii=False, sort_keys=True)


class AlertDeliveryError(RuntimeError):
    """At least one channel could not take the alert (the others have it)."""


Sender = Callable[[Alert, OperationsSettings], None]


def configured_channels(settings: OperationsSettings) -> list[tuple[str, Sender]]:
    """The channels the settings name, each as the alert lines name it, with its sender."""
    channels: list[tuple[str, Sender]] = []
    if settings.smtp_host and settings.mail_to:
        channels.append((f"e-mail to {', '.join(settings.mail_to)}", send_email))
    if settings.webhook_url:
        channels.append((f"webhook {settings.webhook_url}", post_webhook))
    if settings.alert_file:
        channels.append((f"file {settings.alert_file}", append_to_file))
    return channels


def send_alert(alert: Alert, settings: OperationsSettings) -> list[str]:
    """Send `alert` through every configured channel; the channels that took it. Every channel
    is tried; if any failed, AlertDeliveryError names each failure."""
    sent, failures = [], []
    for channel, sender in configured_channels(settings):
        try:
            sender(alert, settings)
        except (OSError, smtplib.SMTPException) as error:
            failures.append(f"{channel}: {error}")
        else:
            sent.append(channel)
    if failures:
        raise AlertDeliveryError(
            f"Alert {alert.subject!r} not sent by "
            + "; ".join(failures)
            + (f" (sent by {', '.join(sent)})" if sent else "")
        )
    return sent


def send_email(alert: Alert, settings: OperationsSettings) -> None:
    # Headers on one line up to 200 characters: folded at 78, a subject with a run id moves to
    # the next line whole, and readers see it start with a space.
    message = EmailMessage(policy=email.policy.SMTP.clone(max_line_length=HEADER_LINE_LENGTH))
    message["Subject"] = f"{SUBJECT_PREFIX} {alert.subject}"
    message["From"] = settings.mail_from
    message["To"] = ", ".join(settings.mail_to)
    message.set_content(alert.text)
    with smtplib.SMTP(
        settings.smtp_host, settings.smtp_port, timeout=NETWORK_TIMEOUT_SECONDS
    ) as server:
        if settings.smtp_starttls:
            server.starttls()
        if settings.smtp_user:
            server.login(settings.smtp_user, settings.smtp_password)
        server.send_message(message)


def post_webhook(alert: Alert, settings: OperationsSettings) -> None:
    request = urllib.request.Request(
        settings.webhook_url,
        data=alert.json_line().encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=NETWORK_TIMEOUT_SECONDS) as response:
        response.read()


def append_to_file(alert: Alert, settings: OperationsSettings) -> None:
    assert settings.alert_file is not None
    settings.alert_file.parent.mkdir(parents=True, exist_ok=True)
    # One write of one line in append mode: lines from two processes never interleave.
    with settings.alert_file.open("a", encoding="utf-8") as handle:
        handle.write(alert.json_line() + "\n")
