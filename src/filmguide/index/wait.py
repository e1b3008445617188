"""Waiting for another filmguide: announced soon, bounded always.

A process that holds the index (building it, or stopped with Ctrl-Z half-way)
must never make another command hang: the wait is said after
``Timing.announce`` seconds, and after ``Timing.wait`` seconds in all the
command reads the files directly. Both come from ``filmguide.limits``, so
tests (and impatient users) can set them.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

Notify = Callable[[str], None]


class IndexBusy(Exception):
    """Another process holds the index past the time this run may wait."""


class Timing(NamedTuple):
    """How long to wait for another filmguide before saying so, and before reading the files directly."""

    announce: float = 0.5
    wait: float = 10.0


def timing_from_env() -> Timing:
    """The waits as ``filmguide.limits`` gives them (``FILMGUIDE_LOCK_ANNOUNCE_SECONDS``,
    ``FILMGUIDE_LOCK_WAIT_SECONDS``); the announcement never comes after the end of the wait."""
    from .. import limits

    wait = limits.seconds("LOCK_WAIT")
    return Timing(min(limits.seconds("LOCK_ANNOUNCE"), wait), wait)


@contextlib.contextmanager
def bounded_lock(path: Path, deadline: float) -> Iterator[None]:
    """An exclusive lock on ``path``'s lock file, waited for until ``deadline`` (``time.monotonic``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(f".{path.name}.lock")
    with lock.open("a") as fh:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: SQLite's own locking still protects the file
            yield
            return
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusy("the index's lock file is held by another process") from None
                time.sleep(0.02)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
