"""Search counted and ranked inside SQLite, over the visible matches only.

For a word found in thousands of films, turning every matching item into a
Python object to count and rank them cost more than the rest of ``search``.
Here FTS5 proposes the items, SQLite drops those the allowance hides (the
policy's ``Allowance.grade_limits``, per film), counts what is left per
film and ranks the films; Python then sees the few films it shows.

Only the winning entry of each film counts: the films of the list ``list``
keeps (``kept``) for the folders in use. Everything runs in one read
transaction, so the list and the matches are of one state of the index. The
matches go to a table in memory (``temp``), never to the index file.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

from .store import rollback

Limits = tuple[int, int]  # the highest grade shown of the ending, and of any other item (-1: none)


class Ranked(NamedTuple):
    """The films with a visible match: how many, and the first ones, best first, with their matching items."""

    total: int
    top: list[tuple[int, list[tuple[str, int, int, int | None]]]]  # (eid, [(section, item, grade, at)])


def rank(
    conn: sqlite3.Connection,
    folders: str,
    expression: str,
    default: Limits,
    exceptions: Mapping[str, Limits],
    weights: Mapping[str, int],
    other: int,
    grades: Sequence[int],
    limit: int,
) -> Ranked | None:
    """Films whose visible items match ``expression``, ranked by the best kind of field that matched
    (``weights``, ``other`` for the rest), then by how many items match, then by title, year and id.

    ``default`` and ``exceptions`` (by film id) say what each film shows; ``grades``: the grades a
    dossier can hold (a row with another counts as hidden). None when no list is kept for ``folders``.
    """
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS hits(eid INTEGER, section TEXT, item INTEGER, grade INTEGER, at)")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS allowed(id TEXT PRIMARY KEY, ending INTEGER, other INTEGER)")
    with _read(conn):
        row = conn.execute("SELECT k FROM listings WHERE folders = ?", (folders,)).fetchone()
        if row is None:
            return None
        conn.execute("DELETE FROM temp.hits")
        conn.execute("DELETE FROM temp.allowed")
        conn.executemany("INSERT INTO temp.allowed VALUES (?, ?, ?)", [(k, *v) for k, v in exceptions.items()])
        conn.execute(
            "INSERT INTO temp.hits SELECT t.eid, t.section, t.item, t.grade, t.at "
            "FROM (SELECT rowid FROM fts WHERE fts MATCH ?) m CROSS JOIN texts t ON t.rowid = m.rowid",
            (expression,),
        )
        cases = " ".join("WHEN ? THEN ?" for _ in weights)
        found = conn.execute(
            f"SELECT h.eid, min(CASE h.section {cases} ELSE ? END) AS w, count(*) AS n, count(*) OVER () "
            "FROM temp.hits h CROSS JOIN listing l LEFT JOIN temp.allowed a ON a.id = l.id "
            f"WHERE l.eid = h.eid AND l.k = ? AND h.grade IN ({','.join('?' * len(grades))}) "
            "AND h.grade <= CASE WHEN h.section = 'ending' THEN coalesce(a.ending, ?) ELSE coalesce(a.other, ?) END "
            "GROUP BY h.eid ORDER BY w, n DESC, l.sort_key, l.year, l.id LIMIT ?",
            (*(x for pair in weights.items() for x in pair), other, row[0], *grades, *default, limit if limit else -1),
        ).fetchall()
        if not found:
            return Ranked(0, [])
        eids = [f[0] for f in found]
        items: dict[int, list[tuple[str, int, int, int | None]]] = {eid: [] for eid in eids}
        if len(eids) <= 500:
            rows = conn.execute(
                f"SELECT eid, section, item, grade, at FROM temp.hits WHERE eid IN ({','.join('?' * len(eids))})", eids
            )
        else:  # every film asked for (--limit 0): fewer statements than chunks of them
            rows = conn.execute("SELECT eid, section, item, grade, at FROM temp.hits")
        for eid, section, item, grade, at in rows:
            if eid in items:
                items[eid].append((section, item, grade, at))
        return Ranked(found[0][3], [(eid, items[eid]) for eid in eids])


@contextlib.contextmanager
def _read(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction: the kept list and the matches are of one state of the index. Nothing is
    kept but the matches in memory (``temp``), which the next search clears."""
    conn.execute("BEGIN")
    try:
        yield
    finally:
        rollback(conn)
