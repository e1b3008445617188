"""Keeping the index up to date: compare the folders with what is stored, and apply the difference.

``refresh(full=True)`` lists every folder; a folder whose listing digest is
unchanged costs no comparison file by file. A changed file is read again, a
removed one leaves the index, a new folder is read whole.
``refresh(full=False)`` (used to show one film) lists only the folders whose
own signature changed (a file added, removed or renamed), re-checks the files
it could not trust (broken, or modified too recently: see ``scan.RACY_NS``),
and leaves the film to be shown to ``check(eid)``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from typing import Any

from . import kept, scan
from .codec import IndexDamaged, dossier_from_blob
from .overlay import Overlay
from .reader import Payload, problems_json, read_all, search_rows
from .scan import DOSSIER, PATCH, Change, FolderScan, FolderSig, Sig, file_sig, folder_sig, is_racy, scan_folder
from .store import b, problems_from, s, stamp


class Refresh(Overlay):
    def _refresh(self, full: bool, rebuild: bool = False) -> None:
        now = time.time_ns()
        conn = self.conn
        stored = {
            s(row[0]): row
            for row in conn.execute("SELECT path, sig, racy, is_dir, count, listing, digest FROM folders").fetchall()
        }
        scans: list[FolderScan] = []
        for rank, folder in enumerate(self.folders):
            key = str(folder.path)
            if any(x.key == key for x in scans):
                continue
            sig = folder_sig(folder.path, now)
            row = stored.get(key)
            if not full and row is not None and row[1] == sig.sig and not row[2]:
                listing = problems_from(row[5]) if row[5] else []
                scans.append(FolderScan(key, rank, FolderSig(sig.sig, bool(row[3]), False), False, {}, listing))
                continue
            found = scan_folder(folder.path)
            scans.append(FolderScan(key, rank, sig, True, found.entries, found.problems))
        seen_version = conn.execute("PRAGMA data_version").fetchone()[0]
        changes, deletes = self._diff(scans)
        folder_rows_changed = any(
            x.listed and (stored.get(x.key) is None or tuple(stored[x.key][1:6]) != self._folder_row(x)[1:6])
            for x in scans
        )
        if not (rebuild or changes or deletes or folder_rows_changed or self.merges_missing()):
            return

        def work() -> None:
            nonlocal changes, deletes
            self._next_rowid = None
            if rebuild:
                self.create_tables(stamp())
            if rebuild or conn.execute("PRAGMA data_version").fetchone()[0] != seen_version:
                changes, deletes = self._diff(scans)  # another process wrote meanwhile: compare again
            kept.forget(self.conn)  # the lists kept for `list` no longer hold
            self._apply(scans, changes, deletes, now)
            self.merge_patches()
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('updated', ?)", (str(time.time_ns()),))

        self.write(work)

    def _diff(self, scans: list[FolderScan]) -> tuple[list[Change], list[int]]:
        conn = self.conn
        changes: list[Change] = []
        deletes: list[int] = []
        listed = [x for x in scans if x.listed]
        trusted = [x for x in scans if not x.listed]
        digests = dict(conn.execute("SELECT path, digest FROM folders").fetchall()) if listed else {}
        for x in listed:
            folder = b(x.key)
            if x.digest is not None and x.digest == digests.get(folder):
                # The same files with the same signatures as last time: only those read too recently to trust.
                for fid, name, kind, racy in conn.execute(
                    "SELECT fid, name, kind, racy FROM files WHERE folder = ? AND (racy != 0 OR problems IS NOT NULL)",
                    (folder,),
                ):
                    if racy and name in x.entries:
                        changes.append(Change(folder, name, kind, x.entries[name].sig, fid))
                continue
            known = {
                row[1]: row
                for row in conn.execute(
                    "SELECT fid, name, kind, size, mtime_ns, ctime_ns, ino, racy FROM files WHERE folder = ?", (folder,)
                )
            }
            for name, entry in x.entries.items():
                old = known.pop(name, None)
                if old is None:
                    changes.append(Change(folder, name, entry.kind, entry.sig, None))
                elif old[2] != entry.kind or tuple(old[3:7]) != entry.sig or old[7]:
                    changes.append(Change(folder, name, entry.kind, entry.sig, old[0]))
            deletes += [row[0] for row in known.values()]
        if trusted:
            marks = ",".join("?" * len(trusted))
            # Broken files are checked again too, so that one mended in place is listed and found, except
            # by a command about one film: that film is checked when found, and a title not found is
            # looked up again after every file is checked. Their number is then no part of its cost.
            doubt = "(racy != 0 OR problems IS NOT NULL)" if self.recheck_broken else "racy != 0"  # each indexed
            for fid, folder, name, kind, size, mtime, ctime, ino, racy in conn.execute(
                "SELECT fid, folder, name, kind, size, mtime_ns, ctime_ns, ino, racy FROM files "
                f"WHERE folder IN ({marks}) AND {doubt}",
                [b(x.key) for x in trusted],
            ).fetchall():
                sig = file_sig(os.path.join(folder, name))
                if racy or sig != (size, mtime, ctime, ino):
                    changes.append(Change(folder, name, kind, sig, fid))
        return changes, deletes

    def refresh_all(self) -> bool:
        """Check every file, if this run has not yet; True if it had not."""
        if self._full:
            return False
        self._full = True
        self.run(lambda: self._refresh(True))
        return True

    def check(self, eid: int) -> bool:
        """Is the film about to be shown still as indexed? If not, read it (and its patches) again."""
        return self.fresh([eid])

    def fresh(self, eids: Sequence[int]) -> bool:
        """Are these entries, about to be shown, still as their files are? The files of any that are not
        are read again (False: ask again). One ``stat`` per file shown, none for the others."""

        def work() -> bool:
            changes = []
            ids = list(dict.fromkeys(eids))
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                for fid, folder, name, kind, size, mtime, ctime, ino, racy in self.conn.execute(
                    "SELECT DISTINCT f.fid, f.folder, f.name, f.kind, f.size, f.mtime_ns, f.ctime_ns, f.ino, f.racy "
                    f"FROM members m JOIN files f ON f.fid = m.fid WHERE m.eid IN ({','.join('?' * len(part))})",
                    part,
                ):
                    c = self._changed(fid, folder, name, kind, Sig(size, mtime, ctime, ino), racy)
                    if c is not None:
                        changes.append(c)
            return self._read_again(changes)

        fresh: bool = self.run(work)
        return fresh

    def fresh_entries(self, entries: Iterable[Any]) -> bool:
        """``fresh`` for entries from ``entries()``, which carry their file's signature: no query
        for a film made from one file."""

        def work() -> bool:
            changes = []
            patched = []
            stat = os.stat
            for e in entries:
                if e.patched:
                    patched.append(e.eid)
                    continue
                try:
                    st = stat(e.folder + b"/" + e.name)  # a name is never absolute: os.path.join's result
                except OSError:
                    st = None
                if (
                    st is None
                    or st.st_mtime_ns != e.mtime_ns
                    or st.st_ctime_ns != e.ctime_ns
                    or st.st_size != e.size
                    or st.st_ino != e.ino
                    or e.racy
                ):
                    c = self._changed(
                        e.fid, e.folder, e.name, DOSSIER, Sig(e.size, e.mtime_ns, e.ctime_ns, e.ino), e.racy
                    )
                    if c is not None:
                        changes.append(c)
            return self._read_again(changes) and (not patched or self.fresh(patched))

        fresh: bool = self.run(work)
        return fresh

    def _changed(self, fid: int, folder: bytes, name: bytes, kind: int, stored: Sig, racy: int) -> Change | None:
        sig = file_sig(os.path.join(folder, name))
        if sig != stored or (racy and self._fresh.get(fid) != sig):
            return Change(folder, name, kind, sig, fid)
        return None

    def _read_again(self, changes: list[Change]) -> bool:
        if not changes:
            return True
        now = time.time_ns()

        def apply() -> None:
            self._next_rowid = None
            kept.forget(self.conn)  # the lists kept for `list` no longer hold
            self._apply([], changes, [], now)
            self.merge_patches()

        self.write(apply)
        return False

    def _drop_entries(self, fids: Iterable[int]) -> None:
        conn = self.conn
        for fid in fids:
            eids = [r[0] for r in conn.execute("SELECT DISTINCT eid FROM members WHERE fid = ?", (fid,))]
            for eid in eids:
                row = conn.execute(
                    "SELECT f.fts_first, f.fts_last, d.data FROM films f JOIN dossiers d ON d.eid = f.eid "
                    "WHERE f.eid = ?",
                    (eid,),
                ).fetchone()
                if row and row[0] is not None and self._has_fts:
                    # A contentless full-text table forgets a row only when given the text it indexed,
                    # which the entry's own dossier gives back exactly.
                    rows = search_rows(dossier_from_blob(row[2]))
                    if len(rows) != row[1] - row[0] + 1:
                        raise IndexDamaged("an entry does not match its full-text rows")
                    conn.executemany(
                        "INSERT INTO fts(fts, rowid, text) VALUES ('delete', ?, ?)",
                        [(row[0] + i, r.text) for i, r in enumerate(rows)],
                    )
                    conn.execute("DELETE FROM texts WHERE rowid BETWEEN ? AND ?", row[:2])
                conn.execute("DELETE FROM names WHERE eid = ?", (eid,))
                conn.execute("DELETE FROM members WHERE eid = ?", (eid,))
                conn.execute("DELETE FROM films WHERE eid = ?", (eid,))
                conn.execute("DELETE FROM dossiers WHERE eid = ?", (eid,))

    def _apply(self, scans: list[FolderScan], changes: list[Change], deletes: list[int], now: int) -> None:
        conn = self.conn
        listed = {b(x.key) for x in scans if x.listed}
        for folder in {c.folder for c in changes} - listed:
            # A file updated without listing its folder: the folder's digest no longer describes the rows.
            conn.execute("UPDATE folders SET digest = NULL WHERE path = ?", (folder,))
        self._drop_entries(deletes)
        conn.executemany("DELETE FROM files WHERE fid = ?", [(fid,) for fid in deletes])
        self._drop_entries(c.fid for c in changes if c.fid is not None)
        for c in changes:
            if c.kind == PATCH:
                self._fresh[self._put_file(c, is_racy(c.sig, now), None)] = c.sig  # merged again below
        to_read = [c for c in changes if c.kind == DOSSIER]
        if to_read:
            by_path = {c.path: c for c in to_read}
            for r in read_all(list(by_path), self.progress):
                self._read += 1
                c = by_path[r.path]
                fid = self._put_file(c, is_racy(c.sig, now), r.problems)
                self._fresh[fid] = c.sig
                if r.payload is not None:
                    self.put_entry(fid, "", r.payload, [fid])
        for x in scans:
            if x.listed:
                key, *rest = self._folder_row(x)
                conn.execute("INSERT OR REPLACE INTO folders VALUES (?, ?, ?, ?, ?, ?, ?)", (b(key), *rest))
        if scans:
            self._forget_vanished_folders({x.key for x in scans})

    @staticmethod
    def _folder_row(x: FolderScan) -> tuple[str, str, int, int, int, str | None, str | None]:
        count = sum(1 for e in x.entries.values() if e.kind == DOSSIER)
        listing = problems_json(x.listing) if x.listing else None
        return (x.key, x.sig, int(x.racy), int(x.is_dir), count, listing, x.digest)

    def _forget_vanished_folders(self, in_use: set[str]) -> None:
        """Files of folders that no longer exist and that this run does not use leave the index."""
        conn = self.conn
        keep = {b(k) for k in in_use}
        for (folder,) in conn.execute("SELECT DISTINCT folder FROM files").fetchall():
            if folder not in keep and not os.path.isdir(folder):
                fids = [r[0] for r in conn.execute("SELECT fid FROM files WHERE folder = ?", (folder,))]
                self._drop_entries(fids)
                conn.execute("DELETE FROM files WHERE folder = ?", (folder,))
                conn.execute("DELETE FROM folders WHERE path = ?", (folder,))

    def _put_file(self, c: Change, racy: bool, problems: str | None) -> int:
        name = s(c.name).removesuffix(scan.PATCH_SUFFIX if c.kind == PATCH else scan.SUFFIX)
        stem = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        values = (c.kind, *c.sig, int(racy), problems)
        if c.fid is None:
            cur = self.conn.execute(
                "INSERT INTO files(folder, name, stem, kind, size, mtime_ns, ctime_ns, ino, racy, problems) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (c.folder, c.name, stem, *values),
            )
            fid = cur.lastrowid
            assert fid is not None
            return fid
        # Warned about already, and read again unchanged (it was too recent to trust): not told again.
        self.conn.execute(
            "UPDATE files SET told = (told AND problems IS ? AND size = ? AND mtime_ns = ? AND ctime_ns = ? "
            "AND ino = ?), kind = ?, size = ?, mtime_ns = ?, ctime_ns = ?, ino = ?, racy = ?, problems = ? "
            "WHERE fid = ?",
            (problems, *c.sig, *values, c.fid),
        )
        return c.fid

    def put_entry(
        self,
        fid: int,
        combo: str,
        data: Any,
        members: list[int],
        patches: str | None = None,
        patch_problems: str | None = None,
    ) -> int:
        conn = self.conn
        p: Payload = data
        first = last = None
        if p.texts and self._has_fts:
            if self._next_rowid is None:
                top = conn.execute("SELECT max(rowid) FROM texts").fetchone()[0]
                self._next_rowid = (top or 0) + 1
            first = self._next_rowid
            last = first + len(p.texts) - 1
            self._next_rowid = last + 1
        cur = conn.execute(
            "INSERT INTO films(fid, combo, id, title, year, runtime, sort_key, info, patches, patch_problems, "
            "fts_first, fts_last) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (fid, combo, p.id, p.title, p.year, p.runtime, p.sort_key, p.info, patches, patch_problems, first, last),
        )
        eid = cur.lastrowid
        assert eid is not None
        conn.execute("INSERT INTO dossiers VALUES (?, ?)", (eid, p.blob))
        conn.executemany("INSERT INTO members VALUES (?, ?)", [(eid, m) for m in members])
        conn.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", [(eid, *n) for n in p.names])
        if first is not None:
            conn.executemany(
                "INSERT INTO texts VALUES (?, ?, ?, ?, ?, ?)", [(first + i, eid, *t[1:]) for i, t in enumerate(p.texts)]
            )
            conn.executemany(
                "INSERT INTO fts(rowid, text) VALUES (?, ?)", [(first + i, t[0]) for i, t in enumerate(p.texts)]
            )
        return eid
