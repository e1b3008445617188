"""The list ``list`` prints, kept: every film of a set of folders, its winner already chosen, in order.

Choosing the winning dossier of each film (the most local valid one) and
ordering them is most of what a warm ``list`` costs at 10,000 films. The
result is kept per set of folders in use (the last few sets), and read back
in one pass. Any update of the files or films forgets every kept list
(``forget``, in the same transaction); a list is kept only if no other process
wrote since it was chosen. A cache of a cache: when the index is busy or
cannot be written, nothing is kept, nothing is said and nothing waits.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from typing import Any

from .store import rollback

KEPT = 4  # sets of folders whose list is kept
_BIG = "info"  # the largest column, read from the films only when asked for


def read(conn: sqlite3.Connection, key: str, fields: Sequence[str], info: bool) -> list[Any] | None:
    """The kept rows (``fields``, in order) for this set of folders, or None; ``info=False``: that column empty.

    One statement, so one state of the index: a list forgotten meanwhile is not read half. An empty list
    reads as none kept (choosing again costs nothing then)."""
    if info:
        columns = ", ".join("e.info" if f == _BIG else f"l.{f}" for f in fields)
        films = "CROSS JOIN films e"
        joined = "AND e.eid = l.eid"
    else:
        columns = ", ".join("''" if f == _BIG else f"l.{f}" for f in fields)
        films = joined = ""
    rows = conn.execute(
        f"SELECT {columns} FROM listings s CROSS JOIN listing l {films} "
        f"WHERE s.folders = ? AND l.k = s.k {joined} ORDER BY l.pos",
        (key,),
    ).fetchall()
    return rows or None


def keep(
    conn: sqlite3.Connection, key: str, fields: Sequence[str], rows: Sequence[Sequence[Any]], version: int, memory: bool
) -> None:
    """Keep ``rows`` for this set of folders, if the index is still at ``version`` (``PRAGMA data_version``)."""
    if conn.in_transaction or memory:
        return
    columns = [f for f in fields if f != _BIG]
    big = list(fields).index(_BIG)
    waits = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    try:
        conn.execute("PRAGMA busy_timeout = 0")
        conn.execute("BEGIN IMMEDIATE")
        if conn.execute("PRAGMA data_version").fetchone()[0] == version:
            conn.execute("DELETE FROM listing WHERE k IN (SELECT k FROM listings WHERE folders = ?)", (key,))
            conn.execute("DELETE FROM listings WHERE folders = ?", (key,))
            k = conn.execute("INSERT INTO listings(folders) VALUES (?)", (key,)).lastrowid
            conn.executemany(
                f"INSERT INTO listing(k, pos, {', '.join(columns)}) VALUES (?, ?{', ?' * len(columns)})",
                [(k, pos, *r[:big], *r[big + 1 :]) for pos, r in enumerate(rows)],
            )
            old = [(r[0],) for r in conn.execute("SELECT k FROM listings ORDER BY k DESC LIMIT -1 OFFSET ?", (KEPT,))]
            conn.executemany("DELETE FROM listing WHERE k = ?", old)
            conn.executemany("DELETE FROM listings WHERE k = ?", old)
        conn.execute("COMMIT")
    except sqlite3.Error:
        rollback(conn)
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.execute(f"PRAGMA busy_timeout = {int(waits)}")


def forget(conn: sqlite3.Connection) -> None:
    """Files or films are about to change (inside the writing transaction): no kept list holds."""
    conn.execute("DELETE FROM listings")
    conn.execute("DELETE FROM listing")
