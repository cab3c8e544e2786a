"""An exclusive lock on the warehouse folder, held for the whole of a refresh."""

import fcntl
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

POLL_SECONDS = 0.5


class RefreshLock:
    """`flock` on a file that records who holds it. The OS releases it when the holding process
    ends, even on kill -9, so there is never a stale lock to remove by hand."""

    def __init__(self, path: Path):
        self.path = path
        self._handle: TextIO | None = None

    def acquire(
        self,
        timeout_seconds: float,
        on_wait: Callable[[str], None] | None = None,
        holder: str = "",
    ) -> str | None:
        """Take the lock, waiting up to `timeout_seconds` for a running refresh to finish.
        Returns None once held, or a description of the holder if it was not released in time.
        `holder` (e.g. the run's id) is recorded beside the pid for those who wait."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Kept open past this call while the lock is held (release() closes it); closed here on
        # every other way out, an unexpected error or a stop signal included.
        handle = open(self.path, "a+")  # noqa: SIM115
        try:
            holder_waited_for = self._wait_for(handle, timeout_seconds, on_wait)
        except BaseException:
            handle.close()
            raise
        if holder_waited_for is not None:
            handle.close()
            return holder_waited_for
        handle.seek(0)
        handle.truncate()
        who = ", ".join(part for part in (f"pid {os.getpid()}", holder) if part)
        handle.write(f"{who}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n")
        handle.flush()
        self._handle = handle
        return None

    def _wait_for(
        self, handle: TextIO, timeout_seconds: float, on_wait: Callable[[str], None] | None
    ) -> str | None:
        """None once `handle` holds the lock; the holder's description if it was not released
        within `timeout_seconds`."""
        deadline = time.monotonic() + timeout_seconds
        waiting_reported = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return None
            except BlockingIOError:
                holder = self._holder()
                if time.monotonic() >= deadline:
                    return holder
                if on_wait and not waiting_reported:
                    on_wait(f"Waiting for another refresh ({holder}) to finish…")
                    waiting_reported = True
                time.sleep(POLL_SECONDS)

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None

    def _holder(self) -> str:
        try:
            return self.path.read_text().strip() or "unknown process"
        except OSError:
            return "unknown process"
