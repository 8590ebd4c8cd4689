"""Fault injection for the crash-safety tests: ``ARMSLEDGER_FAULT=point:n[:signal]`` makes the
process kill itself (SIGKILL by default, or SIGINT) the n-th time it reaches ``point``.

Points: ``article`` (an article's rows written, its batch transaction still open), ``copy``
(rows sent inside an open COPY), ``commit`` (just before a batch commits), ``finalize`` (inside
the finalize transaction). Unset, :func:`checkpoint` costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

_plan: tuple[str, int, int] | bool | None = False
_seen: dict[str, int] = {}


def _load() -> tuple[str, int, int] | None:
    spec = os.environ.get("ARMSLEDGER_FAULT", "")
    if not spec:
        return None
    point, count, *sig = spec.split(":")
    return point, int(count), signal.SIGINT if sig == ["INT"] else signal.SIGKILL


def checkpoint(point: str) -> None:
    """Kill this process here if the fault plan says so."""
    global _plan
    if _plan is False:
        _plan = _load()
    if _plan is None or _plan[0] != point:  # type: ignore[index]
        return
    _seen[point] = _seen.get(point, 0) + 1
    if _seen[point] == _plan[1]:  # type: ignore[index]
        os.kill(os.getpid(), _plan[2])  # type: ignore[index]
