"""What this machine says about its processes: whether one still runs (the same one, not a
later process given its pid), and which processes descend from one. Read from /proc on Linux."""

import os
from pathlib import Path

PROC = Path("/proc")


def process_start_time(pid: int) -> str | None:
    """When process `pid` started (ticks since boot; "" where the system does not tell), or None
    when there is no such process, or only its zombie is left."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
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
    fields = _stat_fields(stat)
    return None if fields[0] == "Z" else fields[19]


def _stat_fields(stat: str) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (in parentheses, may hold spaces):
    the state first, the parent's pid second, the start time twentieth."""
    return stat.rsplit(")", 1)[1].split()


def descendants(pid: int) -> set[tuple[int, str]]:
    """The processes below `pid` (children, their children, …), each with its start time."""
    children: dict[int, list[tuple[int, str]]] = {}
    for entry in PROC.iterdir() if PROC.is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            fields = _stat_fields((entry / "stat").read_text())
        except OSError:
            continue  # ended meanwhile
        children.setdefault(int(fields[1]), []).append((int(entry.name), fields[19]))
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
