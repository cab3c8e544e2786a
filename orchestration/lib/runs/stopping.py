"""A refresh asked to stop (SIGTERM from a service manager, CI or `kill`; SIGINT from Ctrl-C)
stops within a bound, whatever it is doing.

Dagster replaces the Python handlers of both signals while a run executes: it turns them into an
interrupt raised inside the running step (dagster-dbt then forwards SIGINT to dbt), and keeps it
for the next step when none runs. So the signal is also noticed here through the interpreter's
wakeup file descriptor, which every handler writes to, whoever installed it: a watch thread then
gives the run `grace_seconds` to end by itself, and past that ends the process (the OS releases
the refresh lock; the dbt child follows through its parent-death signal, see bin/dbt-guarded).
"""

import os
import signal
import socket
import threading
from collections.abc import Callable
from types import FrameType
from typing import Self

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
# Within the 10 s an operator may wait: dbt gets 5 s (orchestration/__init__.py) to stop.
GRACE_SECONDS = 8.0


class Stopped(KeyboardInterrupt):
    """Raised in the main thread when a stop signal arrives outside a Dagster run (a
    KeyboardInterrupt, so that no `except Exception` swallows it)."""

    def __init__(self, signum: int):
        super().__init__(signal_name(signum))
        self.signum = signum


def signal_name(signum: int) -> str:
    return signal.Signals(signum).name


def raise_stopped(signum: int, _frame: FrameType | None) -> None:
    """A signal handler: the signal becomes `Stopped` in the main thread."""
    raise Stopped(signum)


def raise_stopped_once(signum: int, frame: FrameType | None) -> None:
    """`raise_stopped`, ignoring the stop signals after the first: a second Ctrl-C must not cut
    the shutdown the first one began short."""
    for other in STOP_SIGNALS:
        signal.signal(other, signal.SIG_IGN)
    raise_stopped(signum, frame)


class StopWatch:
    """While entered: SIGTERM and SIGINT raise `Stopped` (outside a run) and are recorded in
    `received`; if the process has not left the block `grace_seconds` after the first one,
    `on_overdue(signum)` runs and the process exits with 128 + signum."""

    def __init__(
        self,
        on_overdue: Callable[[int], None] | None = None,
        grace_seconds: float = GRACE_SECONDS,
    ):
        self.on_overdue = on_overdue
        self.grace_seconds = grace_seconds
        self.received: int | None = None
        self._done = threading.Event()

    def __enter__(self) -> Self:
        self._reader, writer = socket.socketpair()
        writer.setblocking(False)
        self._writer = writer
        self._previous_handlers = {s: signal.signal(s, raise_stopped) for s in STOP_SIGNALS}
        self._previous_wakeup = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        threading.Thread(target=self._watch, name="stop-watch", daemon=True).start()
        return self

    def __exit__(self, *_exc) -> None:
        self._done.set()
        signal.set_wakeup_fd(self._previous_wakeup)
        for signum, handler in self._previous_handlers.items():
            signal.signal(signum, handler)
        self._writer.close()

    def _watch(self) -> None:
        while not self._done.is_set():
            try:
                data = self._reader.recv(16)
            except OSError:
                return
            if not data:
                return
            signums = [byte for byte in data if byte in STOP_SIGNALS]
            if signums and self.received is None:
                self.received = signums[0]
                if not self._done.wait(self.grace_seconds):
                    if self.on_overdue is not None:
                        self.on_overdue(self.received)
                    os._exit(128 + self.received)
