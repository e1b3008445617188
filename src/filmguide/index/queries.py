"""What commands ask the index: the films, one film, names, problems, search matches, status."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import Problem
from ..paths import Folder
from ..text import fold
from . import kept
from . import ranked as ranked_
from .overlay import combo, joined
from .refresh import Refresh
from .store import INDEX_VERSION, BadQuery, aux_files, b, problems_from, s

if TYPE_CHECKING:
    from ..model import Dossier


class Entry(NamedTuple):
    """One film as the index has it, with what ``list`` needs (``info``: JSON of credits, genres, tags)."""

    eid: int
    id: str
    title: str
    year: int
    runtime: int
    sort_key: str
    info: str
    folder: bytes
    name: bytes
    rank: int
    # The dossier file's signature when it was read, to check a film about to be shown without
    # another query; ``patched``: made from several files, checked through ``members``.
    fid: int = 0
    size: int = -1
    mtime_ns: int = -1
    ctime_ns: int = -1
    ino: int = -1
    racy: int = 1
    patched: bool = True

    @property
    def path(self) -> str:
        """The dossier's file (the base dossier of a patched film)."""
        return os.fsdecode(os.path.join(self.folder, self.name))


class FolderRow(NamedTuple):
    folder: Folder
    exists: bool
    files: int


class Match(NamedTuple):
    """One searchable item that matches: where it is, never its text."""

    eid: int
    section: str
    item: int
    grade: int
    at: int | None


class Broken(NamedTuple):
    """Problems to warn about: the first few, and how many more files there are."""

    shown: list[list[Problem]]
    more: int


_ENTRY = "e.eid, e.id, e.title, e.year, e.runtime, e.sort_key, e.info, f.folder, f.name"
_SIG = "f.fid, f.size, f.mtime_ns, f.ctime_ns, f.ino, f.racy, e.combo != ''"


def _in(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


class Index(Refresh):
    """The index as seen from one run: a connection, the folders in use, and the queries.

    ``open_index`` makes one. Every query runs through ``run``: if the file
    turns out damaged half-way, it is rebuilt and the query runs again; if it
    cannot be used at all, the same tables are built in memory.
    """

    def entries(self, years: tuple[int | None, int | None] | None = None, info: bool = True) -> list[Entry]:
        """Every film the folders in use hold (most local wins, patches applied), by title, year and id;
        ``years``: only those released in this range (either end open), chosen by SQLite; ``info=False``:
        each entry's ``info`` may be left empty (what ``list`` prints and ``fresh_entries`` need is there)."""
        lo, hi = years or (None, None)
        lo, hi = -(10**9) if lo is None else lo, 10**9 if hi is None else hi
        if years is None:  # the most local valid dossier of each film, chosen and ordered by SQLite
            query = (
                f"SELECT {_ENTRY}, min(c.rank), {_SIG} FROM cur c CROSS JOIN files f CROSS JOIN films e "
                "WHERE f.folder = c.folder AND f.kind = 0 AND f.problems IS NULL AND e.fid = f.fid "
                # a bare column beside min() comes from the row holding the minimum
                "AND e.combo = '' GROUP BY f.stem ORDER BY e.sort_key, e.year, e.id"
            )
        else:  # the films of those years (an index finds them), each kept if no more local dossier overrides it
            query = (
                f"SELECT {_ENTRY}, c.rank, {_SIG} FROM films e CROSS JOIN files f CROSS JOIN cur c "
                "WHERE e.combo = '' AND e.year BETWEEN ? AND ? AND f.fid = e.fid AND f.kind = 0 "
                "AND f.problems IS NULL AND c.folder = f.folder AND NOT EXISTS (SELECT 1 FROM files g "
                "CROSS JOIN cur d CROSS JOIN films h WHERE g.stem = f.stem AND g.kind = 0 AND g.problems IS NULL "
                "AND d.folder = g.folder AND d.rank < c.rank AND h.fid = g.fid AND h.combo = '') "
                "ORDER BY e.sort_key, e.year, e.id"
            )

        def work() -> list[Entry]:
            plan = self.patch_plan()
            whole = years is None and not plan
            if whole:
                rows = kept.read(self.conn, self._listing_key(), Entry._fields, info)
                if rows is not None:
                    return list(map(Entry._make, rows))
            version = self.conn.execute("PRAGMA data_version").fetchone()[0]
            out = list(map(Entry._make, self.conn.execute(query, () if years is None else (lo, hi))))
            if whole:
                kept.keep(self.conn, self._listing_key(), Entry._fields, out, version, self.in_memory)
            if plan:  # a patched film is shown from its merged entry, whose year a patch may have changed
                shown = self.effective(list(plan))
                merged = {
                    e.id: e._replace(rank=shown[e.id].rank) for e in self.entries_for([w.eid for w in shown.values()])
                }
                out = [e for e in out if e.id not in merged] + [e for e in merged.values() if lo <= e.year <= hi]
                out.sort(key=lambda e: (e.sort_key, e.year, e.id))
            return out

        result: list[Entry] = self.run(work)
        return result

    def _listing_key(self) -> str:
        return "\n".join(str(f.path) for f in self.folders)

    def entries_for(self, eids: Sequence[int], info: bool = True) -> list[Entry]:
        """The entries of these films; ``info=False``: each ``info`` left empty (the largest column)."""
        if not eids:
            return []
        columns = _ENTRY if info else _ENTRY.replace("e.info", "''")

        def work() -> list[Entry]:
            out: list[Entry] = []
            ids = list(eids)
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                out += map(
                    Entry._make,
                    self.conn.execute(
                        f"SELECT {columns}, 0, {_SIG} FROM films e JOIN files f ON f.fid = e.fid "
                        f"WHERE e.eid IN ({_in(part)})",
                        part,
                    ),
                )
            return out

        result: list[Entry] = self.run(work)
        return result

    def dossier(self, eid: int) -> Dossier:
        d: Dossier = self.run(lambda: self.stored_dossier(eid))
        return d

    def dossiers(self, eids: Sequence[int]) -> dict[int, Dossier]:
        from .codec import dossier_from_blob

        def work() -> dict[int, Dossier]:
            out = {}
            for start in range(0, len(eids), 500):
                part = list(eids[start : start + 500])
                for eid, blob in self.conn.execute(f"SELECT eid, data FROM dossiers WHERE eid IN ({_in(part)})", part):
                    out[eid] = dossier_from_blob(blob)
            return out

        result: dict[int, Dossier] = self.run(work)
        return result

    def name_candidates(self, prefixes: Sequence[str], film_id: str) -> list[tuple[int, str]]:
        """(eid, film id) of entries, in any folder, with a name that has a word starting with one of
        ``prefixes``, or with this id."""

        def work() -> list[tuple[int, str]]:
            rows: set[tuple[int, str]] = set()
            for p in dict.fromkeys(prefixes):
                rows.update(
                    self.conn.execute(
                        "SELECT DISTINCT n.eid, e.id FROM names n JOIN films e ON e.eid = n.eid "
                        "WHERE n.name >= ? AND n.name < ?",
                        (p, p + "\U0010ffff"),
                    ).fetchall()
                )
            if film_id and film_id == film_id.encode("utf-8", "surrogateescape").decode("utf-8", "replace"):
                rows.update(self.conn.execute("SELECT eid, id FROM films WHERE id = ?", (film_id,)).fetchall())
            return sorted(rows)

        result: list[tuple[int, str]] = self.run(work)
        return result

    def names_of(self, eids: Sequence[int]) -> dict[int, list[str]]:
        """Each entry's folded spoiler-free names, title first, as ``Dossier.names`` orders them."""

        def work() -> dict[int, list[str]]:
            out: dict[int, list[tuple[int, str]]] = {eid: [] for eid in eids}
            ids = list(eids)
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                for eid, name, k in self.conn.execute(
                    f"SELECT eid, name, k FROM names WHERE pos = 0 AND eid IN ({_in(part)})", part
                ):
                    out[eid].append((k, name))
            return {eid: [n for _, n in sorted(names)] for eid, names in out.items()}

        result: dict[int, list[str]] = self.run(work)
        return result

    def name_count(self) -> int:
        return int(self.run(lambda: self.conn.execute("SELECT count(*) FROM names WHERE pos = 0").fetchone()[0]))

    def broken(self, patches: bool = True, untold: bool = False) -> list[list[Problem]]:
        """Problems to warn about, in the order reading the folders would meet them: listing problems and
        broken dossiers (not overridden by a more local valid one), then patches. ``untold``: only the
        dossiers not warned about since they last changed."""
        result: list[list[Problem]] = self.run(lambda: [p for _, p in self._broken(patches, untold)])
        return result

    def _broken(self, patches: bool, untold: bool) -> list[tuple[int | None, list[Problem]]]:
        conn = self.conn
        ranks = {str(f.path): r for r, f in reversed(list(enumerate(self.folders)))}
        found: list[tuple[tuple[int, int, bytes], int | None, list[Problem]]] = []
        for path, listing in conn.execute("SELECT path, listing FROM folders WHERE listing IS NOT NULL"):
            if s(path) in ranks:
                found.append(((ranks[s(path)], 0, b""), None, problems_from(listing)))
        bad = conn.execute(
            "SELECT f.fid, f.stem, f.name, f.problems, c.rank FROM files f JOIN cur c ON c.folder = f.folder "
            f"WHERE f.kind = 0 AND f.problems IS NOT NULL {'AND f.told = 0' if untold else ''}"
        ).fetchall()
        if bad:
            winners = self.base_winners(list({x[1] for x in bad}))
            for fid, stem, name, problems, rank in bad:
                if stem in winners and winners[stem].rank < rank:
                    continue  # a more local dossier overrides it: never read, as before the index
                found.append(((rank, 1, name), fid, problems_from(problems)))
        found.sort(key=lambda x: x[0])
        out = [(fid, p) for _, fid, p in found]
        plan = self.patch_plan() if patches else {}
        if plan:
            winners = self.base_winners(list(plan))
            notes: list[tuple[tuple[int, str], list[Problem]]] = []
            for stem, files in plan.items():
                failed = self.patch_problems(combo(winners[stem].fid, files)) if stem in winners else {}
                for p in files:
                    if stem not in winners:
                        problem = [Problem(joined(p.folder, p.name), f"patches {stem!r}, which is not in the catalog")]
                        notes.append(((-p.rank, p.name), problem))
                    elif str(p.fid) in failed:
                        notes.append(((-p.rank, p.name), problems_from(failed[str(p.fid)])))
            notes.sort(key=lambda x: x[0])
            out += [(None, p) for _, p in notes]
        return out

    def broken_named(self, prefix: str) -> list[list[Problem]]:
        """Problems of the broken dossiers whose file name starts with ``prefix``, told before or not."""
        if not prefix:
            return []

        def work() -> list[list[Problem]]:
            return [
                problems_from(row[0])
                for row in self.conn.execute(
                    "SELECT f.problems FROM files f JOIN cur c ON c.folder = f.folder WHERE f.kind = 0 "
                    "AND f.problems IS NOT NULL AND f.stem >= ? AND f.stem < ? ORDER BY c.rank, f.name",
                    (prefix, prefix + "\U0010ffff"),
                )
            ]

        result: list[list[Problem]] = self.run(work)
        return result

    def tell_broken(self, limit: int) -> Broken:
        """The problems to warn about now, at most ``limit``: broken dossiers that changed since they were
        last warned about (each is then marked as told), folders that cannot be listed, broken patches."""

        def work() -> Broken:
            found = self._broken(True, untold=True)
            told = [fid for fid, _ in found if fid is not None]
            if told and self.db is not None:
                with contextlib.suppress(Exception):  # saying it again next time is no harm
                    self.write(
                        lambda: self.conn.executemany("UPDATE files SET told = 1 WHERE fid = ?", [(f,) for f in told])
                    )
            return Broken([p for _, p in found[:limit]], max(0, len(found) - limit))

        result: Broken = self.run(work)
        return result

    def folder_rows(self) -> list[FolderRow]:
        def work() -> list[FolderRow]:
            rows = {s(r[0]): r for r in self.conn.execute("SELECT path, is_dir, count FROM folders")}
            out = []
            for f in self.folders:
                r = rows.get(str(f.path))
                out.append(FolderRow(f, bool(r[1]) if r else f.path.is_dir(), int(r[2]) if r else 0))
            return out

        result: list[FolderRow] = self.run(work)
        return result

    def complete(self, incomplete: str) -> list[tuple[Entry, list[int]]]:
        """Films whose id starts with what was typed, or with a spoiler-free name that has a word
        starting with it (folded: any case, any accents), by title, year and id; with each film the
        names that matched (their place in ``policy.names``: 0 is the title)."""
        q = fold(incomplete)
        low = incomplete.lower()
        eff = self.effective()
        matched: dict[int, list[int]] = {}
        if q:
            rows = self.run(
                lambda: self.conn.execute(
                    "SELECT DISTINCT eid, k FROM names WHERE name >= ? AND name < ? ORDER BY eid, k",
                    (q, q + "\U0010ffff"),
                ).fetchall()
            )
            for eid, k in rows:
                matched.setdefault(eid, []).append(k)
        chosen = [w.eid for film_id, w in eff.items() if film_id.startswith(low) or not q or w.eid in matched]
        found = sorted(self.entries_for(chosen), key=lambda e: (e.sort_key, e.year, e.id))
        return [(e, [] if e.id.startswith(low) else matched.get(e.eid, [])) for e in found]

    def complete_label(self, kind: str, incomplete: str) -> list[str]:
        """The spoiler-free values of one filter of ``list`` (``labels`` in each film's info, as the
        policy gives them) with a word starting with what was typed, folded; one of each folded form."""
        q = fold(incomplete)
        eids = [w.eid for w in self.effective().values()]
        found: dict[str, str] = {}
        for value in sorted(self.run(lambda: self._labels(kind, eids))):
            folded = fold(value)
            if folded and f" {q}" in f" {folded}" and folded not in found:
                found[folded] = value
        return [found[f] for f in sorted(found)]

    def _labels(self, kind: str, eids: Sequence[int]) -> set[str]:
        """Every value of one kind of label of these entries, each once: SQLite reads them out of the
        info (10,000 films: about 0.1 s, against 0.4 s decoding each info in Python)."""
        import json
        import sqlite3

        values: set[str] = set()
        try:
            self.conn.execute("SELECT json_valid('[]')").fetchone()
            has_json = True
        except sqlite3.OperationalError:  # an SQLite built without its JSON functions
            has_json = False
        for start in range(0, len(eids), 500):
            part = list(eids[start : start + 500])
            if has_json:
                values.update(
                    row[0]
                    for row in self.conn.execute(
                        "SELECT DISTINCT j.value FROM films e, json_each(e.info, ?) j "
                        f"WHERE e.eid IN ({_in(part)}) AND j.type = 'text'",
                        [f"$.labels.{kind}", *part],
                    )
                )
                continue
            for (info,) in self.conn.execute(f"SELECT info FROM films WHERE eid IN ({_in(part)})", part):
                with contextlib.suppress(ValueError, AttributeError, TypeError):
                    values.update(v for v in json.loads(info).get("labels", {}).get(kind, []) if isinstance(v, str))
        return values

    # --- search ---------------------------------------------------------------------

    @property
    def searchable(self) -> bool:
        return self._has_fts

    def matches(self, expression: str) -> list[Match]:
        """Every item that matches. Where a match is, never its text: what may be shown is decided by
        the caller, which then reads only the visible items from the dossier. FTS5's own rank is not
        asked for: its statistics include hidden rows, and computing it doubled the query's cost."""
        import sqlite3

        def work() -> list[Match]:
            try:
                rows = self.conn.execute(
                    "SELECT t.eid, t.section, t.item, t.grade, t.at "
                    "FROM (SELECT rowid FROM fts WHERE fts MATCH ?) m CROSS JOIN texts t ON t.rowid = m.rowid",
                    (expression,),
                ).fetchall()
            except sqlite3.OperationalError as err:
                text = str(err)
                if "fts5" in text or "syntax" in text:
                    raise BadQuery(text) from None
                raise
            return list(map(Match._make, rows))

        result: list[Match] = self.run(work)
        return result

    def ranked(
        self,
        expression: str,
        default: ranked_.Limits,
        exceptions: dict[str, ranked_.Limits],
        weights: dict[str, int],
        other: int,
        grades: Sequence[int],
        limit: int,
    ) -> ranked_.Ranked | None:
        """``ranked.rank`` over the films of the folders in use; None when patches apply (their merged
        entries are not in the kept list) or no list can be kept (then ``matches`` serves)."""
        import sqlite3

        def work() -> ranked_.Ranked | None:
            try:
                return ranked_.rank(
                    self.conn, self._listing_key(), expression, default, exceptions, weights, other, grades, limit
                )
            except sqlite3.OperationalError as err:
                text = str(err)
                if "fts5" in text or "syntax" in text:
                    raise BadQuery(text) from None
                raise

        if self.in_memory or self.run(self.patch_plan):
            return None
        for _ in range(2):
            found: ranked_.Ranked | None = self.run(work)
            if found is not None:
                return found
            self.entries(info=False)  # chooses each film's winner, and keeps the list for next time
        return None

    # --- status -----------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        def work() -> dict[str, Any]:
            conn = self.conn
            keys = [b(str(f.path)) for f in self.folders]
            files, broken = conn.execute(
                f"SELECT count(*), count(problems) FROM files WHERE kind = 0 AND folder IN ({_in(keys)})", keys
            ).fetchone()
            patches = conn.execute(
                f"SELECT count(*) FROM files WHERE kind = 1 AND folder IN ({_in(keys)})", keys
            ).fetchone()[0]
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            return {"files": int(files), "broken": int(broken), "patches": int(patches), "meta": meta}

        got: dict[str, Any] = self.run(work)
        films = len(self.effective())
        size = 0
        if self.db is not None:
            for f in (self.db, *aux_files(self.db)):
                with contextlib.suppress(OSError):
                    size += f.stat().st_size
        else:
            page = self.conn.execute("PRAGMA page_size").fetchone()[0]
            size = page * self.conn.execute("PRAGMA page_count").fetchone()[0]

        def stamp(key: str) -> float:
            try:
                return int(got["meta"].get(key, 0)) / 1e9
            except (TypeError, ValueError):
                return 0.0

        return {
            "path": str(self.db) if self.db is not None else None,
            "bytes": size,
            "files": got["files"],
            "broken": got["broken"],
            "patches": got["patches"],
            "films": films,
            "built": stamp("built"),
            "updated": stamp("updated"),
            "version": INDEX_VERSION,
            "searchable": self._has_fts,
        }
