"""What this machine says about its processes: whether one still runs (the same one, not a
later process given its pid), and which processes descend from one. Read from /proc on Linux."""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class ProcessStatus:
    """One line of /proc/<pid>/stat, the fields this project reads."""

    pid: int
    state: str  # "Z" for a zombie: ended, waiting to be reaped
    parent: int
    group: int
    start_time: str  # ticks since boot

    @classmethod
    def read(cls, pid: int) -> "ProcessStatus":
        """Raises OSError (FileNotFoundError when there is no such process)."""
        stat = (PROC / str(pid) / "stat").read_text()
        # After the command name, which is in parentheses and may hold spaces.
        fields = stat.rsplit(")", 1)[1].split()
        return cls(pid, fields[0], int(fields[1]), int(fields[2]), fields[19])


def all_processes() -> Iterator[ProcessStatus]:
    for entry in PROC.iterdir() if PROC.is_dir() else []:
        if entry.name.isdigit():
            try:
                yield ProcessStatus.read(int(entry.name))
            except OSError:
                continue  # ended meanwhile


def process_start_time(pid: int) -> str | None:
    """When process `pid` started (ticks since boot; "" where the system does not tell), or None
    when there is no such process, or only its zombie is left."""
    try:
        status = ProcessStatus.read(pid)
    except FileNotFoundError:
        return None
    except OSError:  # no /proc (macOS): whether the pid exists is all one can tell
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return ""
    return None if status.state == "Z" else status.start_time


def descendants(pid: int) -> set[tuple[int, str]]:
    """The processes below `pid` (children, their children, …), each with its start time."""
    children: dict[int, list[tuple[int, str]]] = {}
    for status in all_processes():
        children.setdefault(status.parent, []).append((status.pid, status.start_time))
    found: set[tuple[int, str]] = set()
    pending = [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child[0])
    return found


def still_running(processes: set[tuple[int, str]]) -> set[tuple[int, str]]:
    return {(pid, start) for pid, start in processes if process_start_time(pid) == start}
