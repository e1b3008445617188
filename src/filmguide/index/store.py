"""The index file: its tables, opening it, and recovering from whatever happened to it.

The index is only a cache. Whatever goes wrong with it (an SQLite error of
any kind, bytes that do not decode, a stored value that is not what this
version wrote, a full disk, a lock held by a process that will never let go)
ends in one of two ways: the file is removed and built again, or, when that
fails too or the cache folder cannot be written, the same tables are built
in memory from the files. A command never fails because of its cache.

Waiting for another filmguide is bounded: after ``Timing.announce`` seconds
the wait is said through ``notify`` (one line, by the CLI on stderr), and
after ``Timing.wait`` seconds in all the files are read directly.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import FilmguideError
from ..paths import Folder
from .codec import IndexDamaged, load_json
from .reader import Progress
from .scan import Sig
from .wait import IndexBusy, Notify, Timing, bounded_lock, timing_from_env

INDEX_VERSION = 9  # PRAGMA user_version: bump when the tables or the stored form change


class BadQuery(ValueError):
    """A search expression SQLite's full-text search does not accept."""


class Note(NamedTuple):
    """What a rebuild or a large update cost, for the one line the CLI prints when it was slow."""

    reason: str  # created, damaged, version, rebuild, updated or memory
    files: int
    seconds: float
    where: str
    detail: str = ""


SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE folders(
    path BLOB PRIMARY KEY, sig TEXT NOT NULL, racy INTEGER NOT NULL,
    is_dir INTEGER NOT NULL, count INTEGER NOT NULL, listing TEXT, digest TEXT);
CREATE TABLE files(
    fid INTEGER PRIMARY KEY, folder BLOB NOT NULL, name BLOB NOT NULL, stem TEXT NOT NULL,
    kind INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
    ino INTEGER NOT NULL, racy INTEGER NOT NULL, problems TEXT, told INTEGER NOT NULL DEFAULT 0,
    UNIQUE(folder, name));
CREATE INDEX files_stem ON files(stem, kind);
CREATE INDEX files_doubt ON files(folder) WHERE racy != 0 OR problems IS NOT NULL;
CREATE INDEX files_broken ON files(stem) WHERE problems IS NOT NULL;
CREATE INDEX files_racy ON files(folder) WHERE racy != 0;
CREATE INDEX files_untold ON files(folder) WHERE kind = 0 AND problems IS NOT NULL AND told = 0;
CREATE INDEX files_patches ON files(folder) WHERE kind = 1;
CREATE TABLE films(
    eid INTEGER PRIMARY KEY, fid INTEGER NOT NULL, combo TEXT NOT NULL, id TEXT NOT NULL,
    title TEXT NOT NULL, year INTEGER NOT NULL, runtime INTEGER NOT NULL, sort_key TEXT NOT NULL,
    info TEXT NOT NULL, patches TEXT, patch_problems TEXT, fts_first INTEGER, fts_last INTEGER);
CREATE TABLE dossiers(eid INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE INDEX films_fid ON films(fid, combo);
CREATE INDEX films_combo ON films(combo);
CREATE INDEX films_id ON films(id);
CREATE INDEX films_year ON films(combo, year);
CREATE TABLE members(eid INTEGER NOT NULL, fid INTEGER NOT NULL);
CREATE INDEX members_fid ON members(fid);
CREATE INDEX members_eid ON members(eid);
CREATE TABLE names(eid INTEGER NOT NULL, name TEXT NOT NULL, pos INTEGER NOT NULL, k INTEGER NOT NULL);
CREATE INDEX names_name ON names(name);
CREATE INDEX names_eid ON names(eid);
CREATE TABLE texts(
    rowid INTEGER PRIMARY KEY, eid INTEGER NOT NULL, section TEXT NOT NULL, item INTEGER NOT NULL,
    grade INTEGER NOT NULL, at INTEGER);
CREATE TABLE listings(k INTEGER PRIMARY KEY, folders TEXT NOT NULL UNIQUE);
CREATE TABLE listing(
    k INTEGER NOT NULL, pos INTEGER NOT NULL, eid INTEGER NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL,
    year INTEGER NOT NULL, runtime INTEGER NOT NULL, sort_key TEXT NOT NULL, folder BLOB NOT NULL,
    name BLOB NOT NULL, rank INTEGER NOT NULL, fid INTEGER NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, ino INTEGER NOT NULL, racy INTEGER NOT NULL,
    patched INTEGER NOT NULL, PRIMARY KEY(k, pos)) WITHOUT ROWID;
CREATE INDEX listing_eid ON listing(eid, k);
"""
FTS = "CREATE VIRTUAL TABLE fts USING fts5(text, content = '', tokenize = 'unicode61 remove_diacritics 2')"

# The code whose results the index keeps: a change to any of them (a new
# validation rule, while developing) rebuilds the index, as an upgrade does.
_SOURCES = (
    "model.py",
    "dossier.py",
    "yamlread.py",
    "patches.py",
    "text.py",
    "policy/catalogue.py",
    "index/codec.py",
    "index/reader.py",
    "index/store.py",
)


def stamp() -> str:
    """Names everything the stored form depends on; any change rebuilds the index."""
    from .. import __version__

    parts = [str(INDEX_VERSION), __version__]
    here = Path(__file__).parent.parent
    for name in _SOURCES:
        try:
            st = os.stat(here / name)
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}:-")
    return "|".join(parts)


def b(path: str) -> bytes:
    """A file or folder name as SQLite keeps it: its bytes, whatever they are."""
    return os.fsencode(path)


def s(raw: bytes) -> str:
    return os.fsdecode(raw)


def problems_from(text: object) -> list[Any]:
    from ..errors import Problem

    rows = load_json(text) if isinstance(text, str) else None
    try:
        out = [Problem(*row) for row in rows] if isinstance(rows, list) else None
    except TypeError:
        out = None
    if out is None or not all(isinstance(p.file, str) and isinstance(p.message, str) for p in out):
        raise IndexDamaged("stored problems cannot be read")
    return out


def _errorname(err: BaseException) -> str:
    return str(getattr(err, "sqlite_errorname", "") or "")


def is_busy(err: BaseException) -> bool:
    return isinstance(err, IndexBusy) or _errorname(err).startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def unwritable(err: BaseException) -> str:
    """Why the cache cannot be used at all (rebuilding would not help), or ''."""
    name = _errorname(err)
    if name.startswith("SQLITE_FULL") or (isinstance(err, OSError) and err.errno == 28):
        return "no space is left for it"
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        return "its folder cannot be written"
    if isinstance(err, PermissionError) or (isinstance(err, OSError) and err.errno in (1, 13, 30)):
        return "its folder cannot be written"
    return ""


def recoverable(err: BaseException) -> bool:
    """Anything that goes wrong inside the index is the cache's problem, never the command's."""
    return isinstance(err, Exception) and not isinstance(err, (BadQuery, FilmguideError))


def aux_files(db: Path) -> list[Path]:
    return [db.with_name(db.name + x) for x in ("-wal", "-shm", "-journal")]


def connect(db: Path | None, create: bool, timeout: float) -> sqlite3.Connection:
    if db is None:
        conn = sqlite3.connect(":memory:", isolation_level=None)
    else:
        uri = db.absolute().as_uri() + ("?mode=rwc" if create else "?mode=rw")
        conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
    try:
        conn.execute("PRAGMA temp_store = MEMORY")
        if db is not None:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA journal_size_limit = 16777216")  # the -wal shrinks back after a large build
    except BaseException:
        conn.close()
        raise
    return conn


def rollback(conn: sqlite3.Connection) -> None:
    """Undo an open transaction; SQLite may already have rolled it back itself (a full disk), which is fine."""
    with contextlib.suppress(sqlite3.Error, ValueError):
        if conn.in_transaction:
            conn.execute("ROLLBACK")


class Store:
    """One run's connection to the index, and the way back from anything that goes wrong with it."""

    def __init__(
        self,
        folders: Sequence[Folder],
        db: Path | None,
        progress: Progress | None = None,
        notify: Notify | None = None,
        timing: Timing | None = None,
    ) -> None:
        self.folders = list(folders)
        self.db = db  # None: in memory
        self.progress = progress
        self.notify = notify
        self.timing = timing or timing_from_env()
        self.note: Note | None = None
        self.memory_reason = ""
        self.announced = False
        self._conn: sqlite3.Connection | None = None
        self._full = False
        self.recheck_broken = True  # False: a command about one film, which finds a mended file by its fallback
        self._has_fts = True
        self._reasons: list[str] = []
        self._read = 0
        self._repaired = False
        self._busy_since: float | None = None
        self._next_rowid: int | None = None
        self._fresh: dict[int, Sig] = {}  # files this run has read, with the signature they had

    @property
    def conn(self) -> sqlite3.Connection:
        assert self._conn is not None
        return self._conn

    @property
    def in_memory(self) -> bool:
        return self.db is None

    def _refresh(self, full: bool, rebuild: bool = False) -> None:  # pragma: no cover - see refresh.Refresh
        raise NotImplementedError

    # --- opening, and the way back ------------------------------------------------------

    def start(self, full: bool, rebuild: bool = False) -> None:
        self._full = full
        started = time.perf_counter()
        if rebuild:
            self._reasons = ["rebuild"]
        for attempt in range(100):
            try:
                self._open()
                self._refresh(full, rebuild=rebuild)
                break
            except Exception as err:
                if not recoverable(err) or self.db is None:
                    self.close()
                    raise
                self._recover(err)
                if attempt == 98 and self.db is not None:  # busy, yet not waiting: never loop for ever
                    self._to_memory("another filmguide is updating it")
        seconds = time.perf_counter() - started
        if self._read or self._reasons:
            reason = self._reasons[0] if self._reasons else "updated"
            where = str(self.db) if self.db else "memory"
            self.note = Note(reason, self._read, seconds, where, self.memory_reason)

    def _timeout(self) -> float:
        """How long the next try may wait for another process: until the wait is announced, then until
        the end of the wait (counted from when it began)."""
        if self._busy_since is None:
            return min(self.timing.announce, self.timing.wait)
        return max(0.0, self._busy_since + self.timing.wait - time.monotonic())

    def _deadline(self) -> float:
        return time.monotonic() + self._timeout()

    def _recover(self, err: BaseException) -> None:
        seen = self._inode()
        self.close()
        assert self.db is not None
        if is_busy(err):
            return self._wait_or_memory()
        why = unwritable(err)
        if not why and not self._repaired:
            self._repaired = True
            self._reasons.append("damaged")
            try:
                self._remove_damaged(seen)
                return
            except Exception as gone:
                if is_busy(gone):  # another process holds the lock file: wait for it, then repair
                    self._repaired = False
                    self._reasons.remove("damaged")
                    return self._wait_or_memory()
                why = unwritable(gone)
        self._to_memory(why or "it could not be repaired")

    def _wait_or_memory(self) -> None:
        """Another process holds the index: say so once, try again until the wait is over, then use memory."""
        if self._busy_since is None:
            self._busy_since = time.monotonic() - min(self.timing.announce, self.timing.wait)
            self._announce()
        elif self._timeout() <= 0:
            self._to_memory("another filmguide is updating it")

    def _announce(self) -> None:
        if not self.announced:
            self.announced = True
            if self.notify is not None:
                self.notify(
                    f"another filmguide is updating the index; waiting up to {self.timing.wait:g} s, "
                    "then reading the files directly"
                )

    def _to_memory(self, why: str) -> None:
        self.memory_reason = f"{self.db}: {why}"
        if "memory" not in self._reasons:
            self._reasons.insert(0, "memory")
        self.db = None

    def _inode(self) -> int | None:
        try:
            return os.stat(self.db).st_ino if self.db is not None else None
        except OSError:
            return None

    def _remove_damaged(self, inode: int | None) -> None:
        assert self.db is not None
        with bounded_lock(self.db, self._deadline()):
            if inode is not None and self._inode() != inode:
                return  # another process has already replaced it
            for f in (*aux_files(self.db), self.db):
                with contextlib.suppress(FileNotFoundError):
                    f.unlink()

    def _open(self) -> None:
        if self.db is None:
            self._conn = connect(None, True, 0)
        else:
            try:
                self._conn = connect(self.db, False, self._timeout())
            except sqlite3.OperationalError:
                if self.db.exists():
                    raise
                self._create()
        self._prepare()

    def _create(self) -> None:
        assert self.db is not None
        self.db.parent.mkdir(parents=True, exist_ok=True)
        with bounded_lock(self.db, self._deadline()):
            if not self.db.exists():
                for f in aux_files(self.db):  # left by a file that was deleted while in use
                    with contextlib.suppress(FileNotFoundError):
                        f.unlink()
                if not self._reasons:
                    self._reasons.append("created")
            self._conn = connect(self.db, True, self._timeout())

    def _prepare(self) -> None:
        conn = self.conn
        current = stamp()
        if not self._current(current):
            conn.execute("BEGIN IMMEDIATE")
            try:
                if not self._current(current):
                    if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] and not self._reasons:
                        self._reasons.append("version")
                    self.create_tables(current)
                conn.execute("COMMIT")
            except BaseException:
                rollback(conn)
                raise
        self._has_fts = bool(
            conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'fts'").fetchone()[0]
        )
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS cur(folder BLOB PRIMARY KEY, rank INTEGER NOT NULL)")
        conn.execute("DELETE FROM cur")
        conn.executemany(
            "INSERT OR IGNORE INTO cur VALUES (?, ?)", [(b(str(f.path)), r) for r, f in enumerate(self.folders)]
        )

    def _current(self, current: str) -> bool:
        conn = self.conn
        if conn.execute("PRAGMA user_version").fetchone()[0] != INDEX_VERSION:
            return False
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
        except sqlite3.OperationalError as err:
            if is_busy(err):
                raise
            return False
        return row is not None and row[0] == current

    def create_tables(self, current: str) -> None:
        conn = self.conn
        virtual = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'")]
        for name in virtual:
            conn.execute(f'DROP TABLE IF EXISTS "{name}"')
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall():
            conn.execute(f'DROP TABLE IF EXISTS "{name}"')
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        with contextlib.suppress(sqlite3.OperationalError):  # an SQLite built without FTS5: no search
            conn.execute(FTS)
        now = str(time.time_ns())
        conn.executemany("INSERT INTO meta VALUES (?, ?)", [("stamp", current), ("built", now), ("updated", now)])
        conn.execute(f"PRAGMA user_version = {INDEX_VERSION}")

    def close(self) -> None:
        if self._conn is not None:
            rollback(self._conn)
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None

    def run(self, work: Callable[[], Any]) -> Any:
        """Run a query; whatever goes wrong with the file, it is rebuilt (or memory used) and the query runs again."""
        for _ in range(3):
            try:
                return work()
            except Exception as err:
                if not recoverable(err) or self.db is None:
                    raise
                self._recover(err)
                self.start(True)
        return work()

    def write(self, work: Callable[[], Any]) -> Any:
        """Run ``work`` in one write transaction (``BEGIN IMMEDIATE``)."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            out = work()
            conn.execute("COMMIT")
        except BaseException:
            rollback(conn)
            raise
        return out
