"""The index: every dossier read and validated once, kept in SQLite in the cache folder.

The index is a cache and never needed for correctness. Deleted, damaged, or
written by another version of filmguide (``PRAGMA user_version`` and the
stamp in ``meta``), it is rebuilt from the dossiers by the next command; when
the cache folder cannot be written, the same tables are built in memory from
the YAML files, which is slower but gives the same answers.

What it holds (one row per file, whatever folders the current run uses; the
folder order, and so which dossier overrides which, is applied per query):

- ``folders``: each folder seen, with its signature (inode and mtime) and the
  problem met listing it, if any;
- ``files``: every ``*.yaml`` file, dossier or ``<id>.patch.yaml``, with its
  size, mtime, ctime and inode; a broken dossier keeps its problems here, so a
  command warns about it without reading it again;
- ``films``: entries, each the validated form of one dossier (``combo = ''``)
  or of a dossier with its patches applied (``combo`` names the files), as
  compact JSON that is turned back into ``model.Dossier`` without validating
  again; ``members`` lists the files each entry was built from;
- ``names``: the spoiler-free names of each entry (title and ``none``
  aliases), folded, one row per word they could be typed from;
- ``fts`` and ``texts``: one row per searchable item (a beat, a quote with
  its speaker and source, a credit…) with its section, grade and minute, for
  ``filmguide search``. The full-text table is contentless: it holds the
  index, never the text, which stays in the entry. Secrets are never indexed.

Keeping up to date: ``refresh(full=True)`` lists every folder and compares
each file's size, mtime, ctime and inode with what was stored; a changed file
is read again, a removed one leaves the index, a new folder is read whole.
``refresh(full=False)`` (used to show one film) lists only the folders whose
own signature changed (a file added, removed or renamed), re-checks the files
it could not trust (broken, or modified too recently to be sure: see
``RACY_NS``), and leaves the film to be shown to ``check(eid)``. A file edited
in place in a folder whose listing did not change is picked up by the next
command that reads the whole catalog (``list``, ``search``, ``index``), or
by ``show`` itself when it is the film shown, or when a title is not found or
is ambiguous.

Concurrency: updates run in ``BEGIN IMMEDIATE`` transactions (the second
process waits, then finds nothing left to do); readers use WAL and never
wait. A damaged file is removed under a lock file (``.index.sqlite3.lock``)
and a new one is created in its place; a file of the wrong version is
rebuilt in place inside one transaction. Neither replaces a database file
that another process may hold open, since SQLite would then apply that
process's ``-wal`` to the new file.

Domain code: nothing here prints or imports a terminal library; progress is
reported through a callback.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, limits
from .errors import Problem
from .paths import Folder, cache_dir
from .text import clean, fold

if TYPE_CHECKING:
    from .model import Dossier
    from .patches import PatchInfo

INDEX_VERSION = 6  # PRAGMA user_version: bump when the tables or the stored form change
FILE_NAME = "index.sqlite3"
SUFFIX = ".yaml"
PATCH_SUFFIX = ".patch.yaml"
# A file whose mtime is this close to the moment it was read may change again
# within the same clock tick, unseen (the "racy git" problem): it is read
# again next time. One second covers coarse kernel clocks and most network
# file systems.
RACY_NS = 1_000_000_000
PARALLEL_MIN = 200  # files to read before worker processes are worth their start
PROGRESS_EVERY = 32

DOSSIER, PATCH = 0, 1
Sig = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
Listed = dict[bytes, tuple[int, int, int, int, int]]  # file name -> kind and Sig, in the order the folder lists them
NO_SIG: Sig = (-1, -1, -1, -1)

Progress = Callable[[int, int], None]  # (files read so far, files to read)
Winner = tuple[int, bytes, bytes, int]  # eid, folder, file name, folder rank


class IndexDamaged(Exception):
    """The index holds something that cannot be decoded: rebuild it."""


class BadQuery(ValueError):
    """A search expression SQLite's full-text search does not accept."""


# --- the stored form of a dossier -----------------------------------------------
#
# A dataclass is stored as the list of its field values in field order; a
# grade as its number. The plan for each class is derived from the model's
# own field types; a change to model.py rebuilds the index (see _stamp), and
# a stored list of the wrong length is damage, never misread. The model is
# imported only when a dossier is encoded or decoded: listing needs none.

_SCALAR, _GRADE, _STRS, _OBJ, _OBJS = range(5)
_Plan = tuple[tuple[int, str, Any, Any], ...]
_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    if cls in _PLANS:
        return _PLANS[cls]
    from . import model

    out = []
    for f in fields(cls):
        t = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        kind, sub = _SCALAR, None
        if t == "Grade":
            kind = _GRADE
        elif t.startswith("tuple[") and t.endswith(", ...]"):
            sub = getattr(model, t[6:-6], None)
            kind = _OBJS if isinstance(sub, type) and is_dataclass(sub) else _STRS
        elif t.endswith(" | None"):
            sub = getattr(model, t[:-7], None)
            if isinstance(sub, type) and is_dataclass(sub):
                kind = _OBJ
        out.append((kind, f.name, sub, _plan(sub) if kind in (_OBJ, _OBJS) and isinstance(sub, type) else None))
    _PLANS[cls] = plan = tuple(out)
    return plan


def _encode(obj: Any, plan: _Plan) -> list[Any]:
    out: list[Any] = []
    for kind, name, _, sub in plan:
        v = getattr(obj, name)
        if kind == _GRADE:
            out.append(int(v))
        elif kind == _STRS:
            out.append(list(v))
        elif kind == _OBJ:
            out.append(None if v is None else _encode(v, sub))
        elif kind == _OBJS:
            out.append([_encode(x, sub) for x in v])
        else:
            out.append(v)
    return out


_GRADES: tuple[Any, ...] = ()


def _decode(cls: type, plan: _Plan, values: list[Any]) -> Any:
    args: list[Any] = []
    for (kind, _, sub_cls, sub), v in zip(plan, values, strict=True):
        if kind == _SCALAR:
            args.append(v)
        elif kind == _GRADE:
            args.append(_GRADES[v])
        elif kind == _STRS:
            args.append(tuple(v))
        elif kind == _OBJ:
            args.append(None if v is None else _decode(sub_cls, sub, v))
        else:
            args.append(tuple(_decode(sub_cls, sub, x) for x in v))
    return cls(*args)


def dossier_to_blob(d: Dossier) -> bytes:
    text = json.dumps(_encode(d, _plan(type(d))), ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), 1)


def dossier_from_blob(blob: bytes) -> Dossier:
    """The stored form back as a ``Dossier``: no YAML, no validation (it was validated when indexed)."""
    global _GRADES
    from .model import Dossier, Grade

    _GRADES = _GRADES or tuple(Grade)
    try:
        d: Dossier = _decode(Dossier, _plan(Dossier), json.loads(zlib.decompress(blob)))
    except (zlib.error, ValueError, TypeError, IndexError, KeyError) as err:
        raise IndexDamaged(f"a stored dossier cannot be read: {err}") from None
    return d


# The code whose results the index keeps: a change to any of them (a new
# validation rule, while developing) rebuilds the index, as an upgrade does.
_SOURCES = ("model.py", "dossier.py", "patches.py", "index.py", "text.py", "policy/catalogue.py")


def _stamp() -> str:
    """Names everything the stored form depends on; any change rebuilds the index."""
    parts = [str(INDEX_VERSION), __version__]
    here = Path(__file__).parent
    for name in _SOURCES:
        try:
            st = os.stat(here / name)
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}:-")
    return "|".join(parts)


# --- what a dossier puts in the index ---------------------------------------------


def _flat(text: str) -> str:
    return " ".join(clean(text).split())


SearchRow = tuple[str, str, int, int, int | None]  # text, section, item, grade, at minute


def search_rows(d: Dossier) -> list[SearchRow]:
    """One full-text row per item of the policy's catalogue that is searched: its texts, cleaned, on one line."""
    from .policy.catalogue import search_items

    return [
        (_flat(" \n ".join(texts)), section, item, grade, at) for section, item, grade, at, texts in search_items(d)
    ]


def name_rows(d: Dossier) -> list[tuple[str, int, int]]:
    """(folded name suffix, word position, name number) for each spoiler-free name."""
    rows = []
    from .policy.catalogue import names

    for k, name in enumerate(names(d)):
        words = fold(name).split(" ")
        for pos in range(len(words)):
            rows.append((" ".join(words[pos:]), pos, k))
    return rows


def list_info(d: Dossier) -> str:
    """What ``list`` shows and filters on, without decoding the whole dossier."""
    info = {
        "directors": list(d.directors),
        "writers": list(d.writers),
        "genres": list(d.genres),
        "tags": list(d.tags),
        "cast": [[c.actor, int(c.grade)] for c in d.cast],
        "countries": list(d.countries),
        "languages": list(d.languages),
    }
    return json.dumps(info, ensure_ascii=False, separators=(",", ":"))


Payload = tuple[str, str, int, int, str, str, bytes, list[tuple[str, int, int]], list[SearchRow]]


def payload(d: Dossier) -> Payload:
    return (
        d.id,
        d.title,
        d.year,
        d.runtime,
        fold(d.title),
        list_info(d),
        dossier_to_blob(d),
        name_rows(d),
        search_rows(d),
    )


def _problems_json(problems: Sequence[Problem]) -> str:
    # ASCII: a file name with bytes that are not UTF-8 holds lone surrogates, which JSON escapes and SQLite refuses.
    return json.dumps([[p.file, p.message, p.line, p.path, p.code] for p in problems])


def _b(path: str) -> bytes:
    """A file or folder name as SQLite keeps it: its bytes, whatever they are."""
    return os.fsencode(path)


def _s(raw: bytes) -> str:
    return os.fsdecode(raw)


def _text(name: str) -> str:
    """A name as TEXT SQLite accepts (bytes that are not UTF-8 become U+FFFD)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _problems(text: str) -> list[Problem]:
    try:
        return [Problem(*row) for row in json.loads(text)]
    except (ValueError, TypeError) as err:
        raise IndexDamaged(f"stored problems cannot be read: {err}") from None


def read_file(path: str) -> tuple[str | None, Payload | None]:
    """Read and validate one dossier: (problems as JSON, None) or (None, what to store)."""
    from .dossier import load_dossier
    from .errors import InvalidDossier

    try:
        d = load_dossier(Path(path), label=path)
    except InvalidDossier as err:
        return _problems_json(err.problems), None
    except Exception as err:  # a validator bug must not hide every other film
        return _problems_json([Problem(path, f"could not be checked: {type(err).__name__}: {err}")]), None
    return None, payload(d)


def _quiet_worker() -> None:
    """Ctrl-C is the main process's to handle (it stops the workers): a worker ignores it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _read_batch(paths: list[str]) -> list[tuple[str, str | None, Payload | None]]:
    return [(p, *read_file(p)) for p in paths]


# --- folders and files on disk -----------------------------------------------------


def _scan_folder(folder: Path) -> tuple[Listed, list[Problem]]:
    """The dossier and patch files directly in ``folder``, each with its kind and signature.

    The same files as ``catalog.dossier_files`` and ``catalog.patch_files``
    find: ``*.yaml`` not starting with a dot, folders left out (a
    ``*.patch.yaml`` folder is kept: reading it reports it). Names are bytes,
    as the file system gives them, so none is decoded or joined to a path
    unless it must be read.
    """
    raw = os.fsencode(folder)
    try:
        entries = list(os.scandir(raw))
    except FileNotFoundError:
        return {}, []
    except NotADirectoryError:
        return {}, [Problem(str(folder), "is not a folder")]
    except OSError as err:
        return {}, [Problem(str(folder), f"cannot be listed: {err.strerror or err}")]
    out: Listed = {}
    try:
        fd: int | None = os.open(raw, os.O_RDONLY) if os.stat in os.supports_dir_fd else None
    except OSError:
        fd = None
    try:
        for entry in entries:
            name = entry.name
            if not name.endswith(b".yaml") or name.startswith(b"."):
                continue
            if name.endswith(b".patch.yaml"):
                kind = PATCH
            else:
                kind = DOSSIER
                try:
                    if entry.is_dir():
                        continue
                except OSError:
                    pass  # an unreadable entry is reported when it is read
            try:
                st = os.stat(name, dir_fd=fd) if fd is not None else os.stat(os.path.join(raw, name))
                out[name] = (kind, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
            except OSError:
                out[name] = (kind, *NO_SIG)
    finally:
        if fd is not None:
            os.close(fd)
    return out, []


def _digest(entries: Listed) -> str:
    """A digest of a folder's files and their signatures, in listing order: equal digests, nothing to
    compare file by file (a listing in another order only costs that comparison)."""
    import hashlib
    import marshal

    return hashlib.sha1(marshal.dumps(entries), usedforsecurity=False).hexdigest()


def _sig(path: str | bytes) -> Sig:
    try:
        st = os.stat(path)
    except OSError:
        return NO_SIG
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _racy(sig: Sig, since: int) -> bool:
    return max(sig[1], sig[2]) >= since - RACY_NS


def _folder_sig(path: Path, now: int) -> tuple[str, bool, bool]:
    """(signature, is a folder, racy) of a folder: its listing changes when a file is added, removed or renamed."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "missing", False, False
    except OSError as err:
        return f"error:{err.errno}", False, False
    is_dir = stat.S_ISDIR(st.st_mode)
    sig = f"{'d' if is_dir else 'f'}:{st.st_ino}:{st.st_mtime_ns}"
    return sig, is_dir, max(st.st_mtime_ns, st.st_ctime_ns) >= now - RACY_NS


class _FolderScan:
    """One folder as this run found it; ``listed`` False: trusted from the index without listing it."""

    __slots__ = ("digest", "entries", "is_dir", "key", "listed", "listing", "racy", "rank", "sig")

    def __init__(
        self,
        key: str,
        rank: int,
        sig: str,
        is_dir: bool,
        racy: bool,
        listed: bool,
        entries: Listed,
        listing: list[Problem],
    ) -> None:
        self.key, self.rank, self.sig, self.is_dir, self.racy = key, rank, sig, is_dir, racy
        self.listed, self.entries, self.listing = listed, entries, listing
        self.digest = _digest(entries) if listed else None


class _Change:
    """A file to read (or, for a patch, to note) again; ``fid`` None for a new one."""

    __slots__ = ("fid", "folder", "kind", "name", "sig")

    def __init__(self, folder: bytes, name: bytes, kind: int, sig: Sig, fid: int | None) -> None:
        self.folder, self.name, self.kind, self.sig, self.fid = folder, name, kind, sig, fid

    @property
    def path(self) -> str:
        return os.fsdecode(os.path.join(self.folder, self.name))


class Note:
    """What a rebuild or a large update cost, for the one line the CLI prints when it was slow."""

    __slots__ = ("detail", "files", "reason", "seconds", "where")

    def __init__(self, reason: str, files: int, seconds: float, where: str, detail: str = "") -> None:
        # reason: created, damaged, version, rebuild, updated or memory
        self.reason, self.files, self.seconds, self.where, self.detail = reason, files, seconds, where, detail

    def __repr__(self) -> str:
        return f"Note({self.reason!r}, files={self.files}, seconds={self.seconds:.2f}, where={self.where!r})"


class Entry:
    """One film as the index has it, with what ``list`` needs (``info``: JSON of credits, genres, tags)."""

    __slots__ = ("eid", "folder", "id", "info", "name", "rank", "runtime", "sort_key", "title", "year")

    def __init__(
        self,
        eid: int,
        id: str,
        title: str,
        year: int,
        runtime: int,
        sort_key: str,
        info: str,
        folder: bytes,
        name: bytes,
        rank: int,
    ) -> None:
        self.eid, self.id, self.title, self.year, self.runtime = eid, id, title, year, runtime
        self.sort_key, self.info, self.folder, self.name, self.rank = sort_key, info, folder, name, rank

    @property
    def path(self) -> str:
        """The dossier's file (the base dossier of a patched film)."""
        return os.fsdecode(os.path.join(self.folder, self.name))


class FolderRow:
    __slots__ = ("exists", "files", "folder")

    def __init__(self, folder: Folder, exists: bool, files: int) -> None:
        self.folder, self.exists, self.files = folder, exists, files


_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE folders(
    path BLOB PRIMARY KEY, sig TEXT NOT NULL, racy INTEGER NOT NULL,
    is_dir INTEGER NOT NULL, count INTEGER NOT NULL, listing TEXT, digest TEXT);
CREATE TABLE files(
    fid INTEGER PRIMARY KEY, folder BLOB NOT NULL, name BLOB NOT NULL, stem TEXT NOT NULL,
    kind INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
    ino INTEGER NOT NULL, racy INTEGER NOT NULL, problems TEXT, UNIQUE(folder, name));
CREATE INDEX files_stem ON files(stem, kind);
CREATE INDEX files_doubt ON files(folder) WHERE racy != 0 OR problems IS NOT NULL;
CREATE INDEX files_broken ON files(stem) WHERE problems IS NOT NULL;
CREATE INDEX files_patches ON files(folder) WHERE kind = 1;
CREATE TABLE films(
    eid INTEGER PRIMARY KEY, fid INTEGER NOT NULL, combo TEXT NOT NULL, id TEXT NOT NULL,
    title TEXT NOT NULL, year INTEGER NOT NULL, runtime INTEGER NOT NULL, sort_key TEXT NOT NULL,
    info TEXT NOT NULL, patches TEXT, patch_problems TEXT, fts_first INTEGER, fts_last INTEGER);
CREATE TABLE dossiers(eid INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE INDEX films_fid ON films(fid, combo);
CREATE INDEX films_combo ON films(combo);
CREATE INDEX films_id ON films(id);
CREATE TABLE members(eid INTEGER NOT NULL, fid INTEGER NOT NULL);
CREATE INDEX members_fid ON members(fid);
CREATE INDEX members_eid ON members(eid);
CREATE TABLE names(eid INTEGER NOT NULL, name TEXT NOT NULL, pos INTEGER NOT NULL, k INTEGER NOT NULL);
CREATE INDEX names_name ON names(name);
CREATE INDEX names_eid ON names(eid);
CREATE TABLE texts(
    rowid INTEGER PRIMARY KEY, eid INTEGER NOT NULL, section TEXT NOT NULL, item INTEGER NOT NULL,
    grade INTEGER NOT NULL, at INTEGER);
"""
_FTS = "CREATE VIRTUAL TABLE fts USING fts5(text, content = '', tokenize = 'unicode61 remove_diacritics 2')"


def _is_damage(err: BaseException) -> bool:
    """A damaged file (or tables not as this version made them), as opposed to a busy, read-only or missing one."""
    if isinstance(err, IndexDamaged):
        return True
    if not isinstance(err, sqlite3.DatabaseError):
        return False
    name = getattr(err, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or name == "SQLITE_ERROR":
        return True
    return not isinstance(err, sqlite3.OperationalError) and not name


def _aux_files(db: Path) -> list[Path]:
    return [db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal")]


def _connect(db: Path | None, create: bool) -> sqlite3.Connection:
    if db is None:
        conn = sqlite3.connect(":memory:", isolation_level=None)
    else:
        uri = db.absolute().as_uri() + ("?mode=rwc" if create else "?mode=rw")
        conn = sqlite3.connect(uri, uri=True, timeout=limits.seconds("LOCK_WAIT"), isolation_level=None)
    try:
        conn.execute("PRAGMA temp_store = MEMORY")
        if db is not None:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode.lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA journal_size_limit = 16777216")  # the -wal shrinks back after a large build
    except BaseException:
        conn.close()
        raise
    return conn


class Index:
    """The index as seen from one run: a connection, the folders in use, and the queries.

    ``open_index`` makes one. Every query runs through ``_run``: if the file
    turns out damaged half-way, it is rebuilt and the query runs again; if it
    cannot be used at all, the same tables are built in memory.
    """

    def __init__(self, folders: Sequence[Folder], db: Path | None, progress: Progress | None = None) -> None:
        self.folders = list(folders)
        self.db = db  # None: in memory
        self.progress = progress
        self.note: Note | None = None
        self.memory_reason = ""
        self._conn: sqlite3.Connection | None = None
        self._full = False
        self._has_fts = True
        self._reasons: list[str] = []
        self._read = 0
        self._next_rowid: int | None = None
        self._fresh: dict[int, Sig] = {}  # files this run has read, with the signature they had

    # --- opening, checking, rebuilding ---------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        assert self._conn is not None
        return self._conn

    @property
    def in_memory(self) -> bool:
        return self.db is None

    def start(self, full: bool, rebuild: bool = False) -> None:
        self._full = full
        started = time.perf_counter()
        if rebuild:
            self._reasons = ["rebuild"]
        for attempt in range(3):
            try:
                self._open()
                self._refresh(full, rebuild=rebuild)
                break
            except (sqlite3.DatabaseError, IndexDamaged, OSError) as err:
                self._recover(err, attempt)
        else:  # pragma: no cover - _recover switches to memory on the last attempt
            raise RuntimeError("the index could not be opened")
        seconds = time.perf_counter() - started
        if self._read or self._reasons:
            reason = self._reasons[0] if self._reasons else "updated"
            where = str(self.db) if self.db else "memory"
            self.note = Note(reason, self._read, seconds, where, self.memory_reason)

    def _recover(self, err: BaseException, attempt: int) -> None:
        damaged = _is_damage(err)
        seen = self._inode()
        self.close()
        if self.db is None:
            raise err
        if damaged and attempt < 2:
            self._reasons.append("damaged")
            try:
                self._remove_damaged(seen)
                return
            except OSError as gone:
                err = gone
        # Busy past the timeout, read-only, no space, or damaged again: work in memory.
        self.memory_reason = f"{self.db}: {err}"
        self._reasons.insert(0, "memory")
        self.db = None

    def _inode(self) -> int | None:
        try:
            return os.stat(self.db).st_ino if self.db is not None else None
        except OSError:
            return None

    def _remove_damaged(self, inode: int | None) -> None:
        from .atomic import locked

        assert self.db is not None
        with locked(self.db):
            if inode is not None and self._inode() != inode:
                return  # another process has already replaced it
            for f in (*_aux_files(self.db), self.db):
                with contextlib.suppress(FileNotFoundError):
                    f.unlink()

    def _open(self) -> None:
        if self.db is None:
            self._conn = _connect(None, True)
        else:
            try:
                self._conn = _connect(self.db, create=False)
            except sqlite3.OperationalError:
                if self.db.exists():
                    raise
                self._create()
        self._prepare()

    def _create(self) -> None:
        from .atomic import locked

        assert self.db is not None
        self.db.parent.mkdir(parents=True, exist_ok=True)
        with locked(self.db):
            if not self.db.exists():
                for f in _aux_files(self.db):  # left by a file that was deleted while in use
                    with contextlib.suppress(FileNotFoundError):
                        f.unlink()
                if not self._reasons:
                    self._reasons.append("created")
            self._conn = _connect(self.db, create=True)

    def _prepare(self) -> None:
        conn = self.conn
        stamp = _stamp()
        if not self._current(stamp):
            conn.execute("BEGIN IMMEDIATE")
            try:
                if not self._current(stamp):
                    if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] and not self._reasons:
                        self._reasons.append("version")
                    self._create_tables(stamp)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        self._has_fts = bool(
            conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'fts'").fetchone()[0]
        )
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS cur(folder BLOB PRIMARY KEY, rank INTEGER NOT NULL)")
        conn.execute("DELETE FROM cur")
        conn.executemany(
            "INSERT OR IGNORE INTO cur VALUES (?, ?)", [(_b(str(f.path)), r) for r, f in enumerate(self.folders)]
        )

    def _current(self, stamp: str) -> bool:
        conn = self.conn
        if conn.execute("PRAGMA user_version").fetchone()[0] != INDEX_VERSION:
            return False
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
        except sqlite3.OperationalError:
            return False
        return row is not None and row[0] == stamp

    def _create_tables(self, stamp: str) -> None:
        conn = self.conn
        virtual = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'")]
        for name in virtual:
            conn.execute(f'DROP TABLE IF EXISTS "{name}"')
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall():
            conn.execute(f'DROP TABLE IF EXISTS "{name}"')
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        with contextlib.suppress(sqlite3.OperationalError):  # an SQLite built without FTS5: no search
            conn.execute(_FTS)
        now = str(time.time_ns())
        conn.executemany("INSERT INTO meta VALUES (?, ?)", [("stamp", stamp), ("built", now), ("updated", now)])
        conn.execute(f"PRAGMA user_version = {INDEX_VERSION}")

    def close(self) -> None:
        if self._conn is not None:
            try:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                self._conn.close()
            except sqlite3.Error:
                pass
            self._conn = None

    def _run(self, work: Callable[[], Any]) -> Any:
        """Run a query; a damaged or unusable file is rebuilt (or replaced by memory) and the query runs again."""
        for _ in range(2):
            try:
                return work()
            except (sqlite3.DatabaseError, IndexDamaged, OSError) as err:
                if self.db is None:
                    raise
                self._recover(err, 0)
                self.start(True)
        return work()

    # --- keeping up to date -------------------------------------------------------

    def _refresh(self, full: bool, rebuild: bool = False) -> None:
        now = time.time_ns()
        conn = self.conn
        stored = {
            _s(row[0]): (_s(row[0]), *row[1:])
            for row in conn.execute("SELECT path, sig, racy, is_dir, count, listing, digest FROM folders").fetchall()
        }
        scans: list[_FolderScan] = []
        for rank, folder in enumerate(self.folders):
            key = str(folder.path)
            if any(s.key == key for s in scans):
                continue
            sig, is_dir, racy = _folder_sig(folder.path, now)
            row = stored.get(key)
            if not full and row is not None and row[1] == sig and not row[2]:
                listing = _problems(row[5]) if row[5] else []
                scans.append(_FolderScan(key, rank, sig, bool(row[3]), False, False, {}, listing))
                continue
            entries, listing = _scan_folder(folder.path)
            scans.append(_FolderScan(key, rank, sig, is_dir, racy, True, entries, listing))
        seen_version = conn.execute("PRAGMA data_version").fetchone()[0]
        changes, deletes = self._diff(scans, now)
        folder_rows_changed = any(
            s.listed and (stored.get(s.key) is None or tuple(stored[s.key][1:6]) != self._folder_row(s)[1:6])
            for s in scans
        )
        if not (rebuild or changes or deletes or folder_rows_changed or self._merges_missing()):
            return
        conn.execute("BEGIN IMMEDIATE")
        self._next_rowid = None
        try:
            if rebuild:
                self._create_tables(_stamp())
            if rebuild or conn.execute("PRAGMA data_version").fetchone()[0] != seen_version:
                changes, deletes = self._diff(scans, now)  # another process wrote meanwhile: compare again
            self._apply(scans, changes, deletes, now)
            self._merge_patches()
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('updated', ?)", (str(time.time_ns()),))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _diff(self, scans: list[_FolderScan], now: int) -> tuple[list[_Change], list[int]]:
        conn = self.conn
        changes: list[_Change] = []
        deletes: list[int] = []
        listed = [s for s in scans if s.listed]
        trusted = [s for s in scans if not s.listed]
        digests = dict(conn.execute("SELECT path, digest FROM folders").fetchall()) if listed else {}
        for s in listed:
            folder = _b(s.key)
            if s.digest is not None and s.digest == digests.get(folder):
                # The same files with the same signatures as last time: only those read too recently to trust.
                for fid, name, kind, racy in conn.execute(
                    "SELECT fid, name, kind, racy FROM files WHERE folder = ? AND (racy != 0 OR problems IS NOT NULL)",
                    (folder,),
                ):
                    if racy:
                        changes.append(_Change(folder, name, kind, s.entries[name][1:], fid))
                continue
            known = {
                row[1]: row
                for row in conn.execute(
                    "SELECT fid, name, kind, size, mtime_ns, ctime_ns, ino, racy FROM files WHERE folder = ?", (folder,)
                )
            }
            for name, entry in s.entries.items():
                old = known.pop(name, None)
                if old is None:
                    changes.append(_Change(folder, name, entry[0], entry[1:], None))
                elif old[2:7] != entry or old[7]:
                    changes.append(_Change(folder, name, entry[0], entry[1:], old[0]))
            deletes += [row[0] for row in known.values()]
        if trusted:
            marks = ",".join("?" * len(trusted))
            for fid, folder, name, kind, size, mtime, ctime, ino, racy in conn.execute(
                "SELECT fid, folder, name, kind, size, mtime_ns, ctime_ns, ino, racy FROM files "
                f"WHERE folder IN ({marks}) AND (racy != 0 OR problems IS NOT NULL)",
                [_b(s.key) for s in trusted],
            ).fetchall():
                sig = _sig(os.path.join(folder, name))
                if racy or sig != (size, mtime, ctime, ino):
                    changes.append(_Change(folder, name, kind, sig, fid))
        return changes, deletes

    def refresh_all(self) -> bool:
        """Check every file, if this run has not yet; True if it had not."""
        if self._full:
            return False
        self._full = True
        self._run(lambda: self._refresh(True))
        return True

    def check(self, eid: int) -> bool:
        """Is the film about to be shown still as indexed? If not, read it (and its patches) again."""

        def work() -> bool:
            now = time.time_ns()
            changes = []
            for fid, folder, name, kind, size, mtime, ctime, ino, racy in self.conn.execute(
                "SELECT f.fid, f.folder, f.name, f.kind, f.size, f.mtime_ns, f.ctime_ns, f.ino, f.racy "
                "FROM members m JOIN files f ON f.fid = m.fid WHERE m.eid = ?",
                (eid,),
            ).fetchall():
                sig = _sig(os.path.join(folder, name))
                if sig != (size, mtime, ctime, ino) or (racy and self._fresh.get(fid) != sig):
                    changes.append(_Change(folder, name, kind, sig, fid))
            if not changes:
                return True
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            self._next_rowid = None
            try:
                self._apply([], changes, [], now)
                self._merge_patches()
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return False

        fresh: bool = self._run(work)
        return fresh

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
                        raise IndexDamaged(f"entry {eid} does not match its full-text rows")
                    conn.executemany(
                        "INSERT INTO fts(fts, rowid, text) VALUES ('delete', ?, ?)",
                        [(row[0] + i, r[0]) for i, r in enumerate(rows)],
                    )
                    conn.execute("DELETE FROM texts WHERE rowid BETWEEN ? AND ?", row[:2])
                conn.execute("DELETE FROM names WHERE eid = ?", (eid,))
                conn.execute("DELETE FROM members WHERE eid = ?", (eid,))
                conn.execute("DELETE FROM films WHERE eid = ?", (eid,))
                conn.execute("DELETE FROM dossiers WHERE eid = ?", (eid,))

    def _apply(self, scans: list[_FolderScan], changes: list[_Change], deletes: list[int], now: int) -> None:
        conn = self.conn
        listed = {_b(s.key) for s in scans if s.listed}
        for folder in {c.folder for c in changes} - listed:
            # A file updated without listing its folder: the folder's digest no longer describes the rows.
            conn.execute("UPDATE folders SET digest = NULL WHERE path = ?", (folder,))
        self._drop_entries(deletes)
        conn.executemany("DELETE FROM files WHERE fid = ?", [(fid,) for fid in deletes])
        self._drop_entries(c.fid for c in changes if c.fid is not None)
        patches = [c for c in changes if c.kind == PATCH]
        for c in patches:
            self._fresh[self._put_file(c, _racy(c.sig, now), None)] = c.sig  # merged again below
        to_read = [c for c in changes if c.kind == DOSSIER]
        if to_read:
            by_path = {c.path: c for c in to_read}
            for path, problems, data in self._read_all(list(by_path)):
                c = by_path[path]
                fid = self._put_file(c, _racy(c.sig, now), problems)
                self._fresh[fid] = c.sig
                if data is not None:
                    self._put_entry(fid, "", data, [fid])
        for s in scans:
            if s.listed:
                key, *rest = self._folder_row(s)
                conn.execute("INSERT OR REPLACE INTO folders VALUES (?, ?, ?, ?, ?, ?, ?)", (_b(key), *rest))
        if scans:
            self._forget_vanished_folders({s.key for s in scans})

    @staticmethod
    def _folder_row(s: _FolderScan) -> tuple[str, str, int, int, int, str | None, str | None]:
        count = sum(1 for e in s.entries.values() if e[0] == DOSSIER)
        listing = _problems_json(s.listing) if s.listing else None
        return (s.key, s.sig, int(s.racy), int(s.is_dir), count, listing, s.digest)

    def _forget_vanished_folders(self, in_use: set[str]) -> None:
        """Files of folders that no longer exist and that this run does not use leave the index."""
        conn = self.conn
        keep = {_b(k) for k in in_use}
        for (folder,) in conn.execute("SELECT DISTINCT folder FROM files").fetchall():
            if folder not in keep and not os.path.isdir(folder):
                fids = [r[0] for r in conn.execute("SELECT fid FROM files WHERE folder = ?", (folder,))]
                self._drop_entries(fids)
                conn.execute("DELETE FROM files WHERE folder = ?", (folder,))
                conn.execute("DELETE FROM folders WHERE path = ?", (folder,))

    def _put_file(self, c: _Change, racy: bool, problems: str | None) -> int:
        stem = _text(_s(c.name).removesuffix(PATCH_SUFFIX if c.kind == PATCH else SUFFIX))
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
        self.conn.execute(
            "UPDATE files SET kind = ?, size = ?, mtime_ns = ?, ctime_ns = ?, ino = ?, racy = ?, problems = ? "
            "WHERE fid = ?",
            (*values, c.fid),
        )
        return c.fid

    def _put_entry(
        self,
        fid: int,
        combo: str,
        data: Payload,
        members: list[int],
        patches: str | None = None,
        patch_problems: str | None = None,
    ) -> int:
        conn = self.conn
        film_id, title, year, runtime, sort_key, info, blob, names, texts = data
        first = last = None
        if texts and self._has_fts:
            if self._next_rowid is None:
                top = conn.execute("SELECT max(rowid) FROM texts").fetchone()[0]
                self._next_rowid = (top or 0) + 1
            first = self._next_rowid
            last = first + len(texts) - 1
            self._next_rowid = last + 1
        cur = conn.execute(
            "INSERT INTO films(fid, combo, id, title, year, runtime, sort_key, info, patches, patch_problems, "
            "fts_first, fts_last) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (fid, combo, film_id, title, year, runtime, sort_key, info, patches, patch_problems, first, last),
        )
        eid = cur.lastrowid
        assert eid is not None
        conn.execute("INSERT INTO dossiers VALUES (?, ?)", (eid, blob))
        conn.executemany("INSERT INTO members VALUES (?, ?)", [(eid, m) for m in members])
        conn.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", [(eid, *n) for n in names])
        if first is not None:
            conn.executemany(
                "INSERT INTO texts VALUES (?, ?, ?, ?, ?, ?)", [(first + i, eid, *t[1:]) for i, t in enumerate(texts)]
            )
            conn.executemany(
                "INSERT INTO fts(rowid, text) VALUES (?, ?)", [(first + i, t[0]) for i, t in enumerate(texts)]
            )
        return eid

    def _read_all(self, paths: list[str]) -> Iterator[tuple[str, str | None, Payload | None]]:
        """Read and validate files, in worker processes when there are many; progress reported as they come."""
        total = len(paths)
        workers = min(os.cpu_count() or 1, 8)
        if total < PARALLEL_MIN or workers < 2:
            yield from self._reported(([(p, *read_file(p))] for p in paths), total)
            return
        import multiprocessing
        import sys

        method = "fork" if sys.platform.startswith("linux") else None  # elsewhere the platform's default
        size = max(8, min(64, total // (workers * 8) or 8))
        chunks = [paths[i : i + size] for i in range(0, total, size)]
        # The workers start before the progress bar, whose thread a fork would copy.
        with multiprocessing.get_context(method).Pool(workers, initializer=_quiet_worker) as pool:
            yield from self._reported(pool.imap_unordered(_read_batch, chunks), total)

    def _reported(
        self, batches: Iterable[list[tuple[str, str | None, Payload | None]]], total: int
    ) -> Iterator[tuple[str, str | None, Payload | None]]:
        progress = self.progress
        if progress is not None:
            progress(0, total)
        done = 0
        for batch in batches:
            yield from batch
            done += len(batch)
            self._read += len(batch)
            if progress is not None and (done == total or done % PROGRESS_EVERY < len(batch)):
                progress(done, total)

    # --- patches -----------------------------------------------------------------

    def _patch_plan(self, stems: Sequence[str] | None = None) -> dict[str, list[tuple[int, str, str, int]]]:
        """Patch files in the folders in use, per film id, farthest folder first, then by name."""
        if stems is None:
            sql = (
                "SELECT f.stem, f.fid, f.folder, f.name, c.rank FROM cur c CROSS JOIN files f "
                "WHERE f.folder = c.folder AND f.kind = 1"
            )
            args: list[Any] = []
        else:  # from the few files of these films, not from every file of the folders
            sql = (
                "SELECT f.stem, f.fid, f.folder, f.name, c.rank FROM files f CROSS JOIN cur c "
                f"WHERE c.folder = f.folder AND f.kind = 1 AND f.stem IN ({','.join('?' * len(stems))})"
            )
            args = list(stems)
        plan: dict[str, list[tuple[int, str, str, int]]] = {}
        for stem, fid, folder, name, rank in self.conn.execute(sql, args):
            plan.setdefault(stem, []).append((fid, _s(folder), _s(name), rank))
        for items in plan.values():
            items.sort(key=lambda p: (-p[3], p[2]))
        return plan

    def _base_winners(self, stems: Sequence[str] | None = None) -> dict[str, tuple[int, int, bytes, bytes, int]]:
        """stem -> (fid, eid, folder, file name, rank) of the most local valid dossier."""
        if stems is None:
            sql = (
                "SELECT f.stem, f.fid, e.eid, f.folder, f.name, c.rank FROM cur c CROSS JOIN files f "
                "CROSS JOIN films e WHERE f.folder = c.folder AND f.kind = 0 AND f.problems IS NULL "
                "AND e.fid = f.fid AND e.combo = ''"
            )
            args: list[Any] = []
        else:  # from the few files of these films, not from every file of the folders
            sql = (
                "SELECT f.stem, f.fid, e.eid, f.folder, f.name, c.rank FROM files f CROSS JOIN cur c "
                "CROSS JOIN films e WHERE c.folder = f.folder AND f.kind = 0 AND f.problems IS NULL "
                f"AND e.fid = f.fid AND e.combo = '' AND f.stem IN ({','.join('?' * len(stems))})"
            )
            args = list(stems)
        best: dict[str, tuple[int, int, bytes, bytes, int]] = {}
        for stem, fid, eid, folder, name, rank in self.conn.execute(sql, args):
            old = best.get(stem)
            if old is None or rank < old[4]:
                best[stem] = (fid, eid, folder, name, rank)
        return best

    def _base_winners_light(self) -> list[tuple[int, bytes, bytes, int]]:
        """(fid, folder, file name, rank) of the most local valid dossier of each film, from the files alone."""
        best: dict[str, tuple[int, bytes, bytes, int]] = {}
        for stem, fid, folder, name, rank in self.conn.execute(
            "SELECT f.stem, f.fid, f.folder, f.name, c.rank FROM cur c CROSS JOIN files f "
            "WHERE f.folder = c.folder AND f.kind = 0 AND f.problems IS NULL"
        ):
            old = best.get(stem)
            if old is None or rank < old[3]:
                best[stem] = (fid, folder, name, rank)
        return list(best.values())

    @staticmethod
    def _combo(base: int, patches: list[tuple[int, str, str, int]]) -> str:
        return "|".join(str(x) for x in (base, *(p[0] for p in patches)))

    def _merges_missing(self) -> bool:
        plan = self._patch_plan()
        if not plan:
            return False
        winners = self._base_winners(list(plan))
        combos = [self._combo(winners[s][0], p) for s, p in plan.items() if s in winners]
        if not combos:
            return False
        have = {
            r[0]
            for r in self.conn.execute(
                f"SELECT combo FROM films WHERE combo IN ({','.join('?' * len(combos))})", combos
            )
        }
        return any(c not in have for c in combos)

    def _merge_patches(self) -> None:
        """Build the entry of each patched film for the folders in use, if it is not there yet."""
        plan = self._patch_plan()
        if not plan:
            return
        from .errors import InvalidDossier
        from .patches import load_patch

        winners = self._base_winners(list(plan))
        for stem, patches in plan.items():
            if stem not in winners:
                continue  # reported as a problem of the patch, at query time
            fid, eid = winners[stem][:2]
            combo = self._combo(fid, patches)
            if self.conn.execute("SELECT 1 FROM films WHERE combo = ?", (combo,)).fetchone():
                continue
            d = self._dossier(eid)
            infos: list[PatchInfo] = []
            failed: dict[str, str] = {}
            for pfid, folder, name, _rank in patches:
                try:
                    d, info = load_patch(d, Path(folder, name))
                except InvalidDossier as err:
                    failed[str(pfid)] = _problems_json(err.problems)
                    continue
                infos.append(info)
            self._put_entry(
                fid,
                combo,
                payload(d),
                [fid, *(p[0] for p in patches)],
                patches=json.dumps([_patch_info_data(i) for i in infos]),
                patch_problems=json.dumps(failed),
            )

    # --- queries --------------------------------------------------------------------

    def effective(self, stems: Sequence[str] | None = None, patches: bool = True) -> dict[str, Winner]:
        """film id -> (eid, folder, file name, folder rank): the entry each film is shown from,
        most local first, its patches applied."""

        def work() -> dict[str, Winner]:
            winners = self._base_winners(stems)
            out = {stem: (eid, folder, name, rank) for stem, (_, eid, folder, name, rank) in winners.items()}
            if not patches:
                return out
            plan = self._patch_plan(list(winners) if stems is not None else None)
            combos = {self._combo(winners[s][0], p): s for s, p in plan.items() if s in winners}
            if combos:
                for eid, combo in self.conn.execute(
                    f"SELECT eid, combo FROM films WHERE combo IN ({','.join('?' * len(combos))})", list(combos)
                ):
                    stem = combos[combo]
                    out[stem] = (eid, *out[stem][1:])
            return out

        result: dict[str, Winner] = self._run(work)
        return result

    def entries(self) -> list[Entry]:
        """Every film the folders in use hold (most local wins, patches applied), by title, year and id."""

        def work() -> list[Entry]:
            winners = {w[0]: w for w in self._base_winners_light()}
            out = [
                Entry(eid, film_id, title, year, runtime, sort_key, info, *winners[fid][1:])
                for eid, fid, film_id, title, year, runtime, sort_key, info in self.conn.execute(
                    "SELECT eid, fid, id, title, year, runtime, sort_key, info FROM films WHERE combo = ''"
                )
                if fid in winners
            ]
            out.sort(key=lambda e: (e.sort_key, e.year, e.id))
            plan = self._patch_plan()
            if plan:  # a patched film is shown from its merged entry
                shown = self.effective(list(plan))
                merged = {e.id: e for e in self.entries_for([w[0] for w in shown.values()])}
                for e in merged.values():
                    e.rank = shown[e.id][3]
                out = [merged.get(e.id, e) if e.id in shown else e for e in out]
                out.sort(key=lambda e: (e.sort_key, e.year, e.id))
            return out

        result: list[Entry] = self._run(work)
        return result

    def entries_for(self, eids: Sequence[int]) -> list[Entry]:
        if not eids:
            return []

        def work() -> list[Entry]:
            rows = self.conn.execute(
                "SELECT e.eid, e.id, e.title, e.year, e.runtime, e.sort_key, e.info, f.folder, f.name "
                f"FROM films e JOIN files f ON f.fid = e.fid WHERE e.eid IN ({','.join('?' * len(eids))})",
                list(eids),
            ).fetchall()
            return [Entry(a, b, c, d, e, f, g, h, i, 0) for a, b, c, d, e, f, g, h, i in rows]

        result: list[Entry] = self._run(work)
        return result

    def _dossier(self, eid: int) -> Dossier:
        row = self.conn.execute("SELECT data FROM dossiers WHERE eid = ?", (eid,)).fetchone()
        if row is None:
            raise IndexDamaged(f"entry {eid} is missing")
        return dossier_from_blob(row[0])

    def dossier(self, eid: int) -> Dossier:
        d: Dossier = self._run(lambda: self._dossier(eid))
        return d

    def dossiers(self, eids: Sequence[int]) -> dict[int, Dossier]:
        def work() -> dict[int, Dossier]:
            out = {}
            for start in range(0, len(eids), 500):
                part = list(eids[start : start + 500])
                for eid, blob in self.conn.execute(
                    f"SELECT eid, data FROM dossiers WHERE eid IN ({','.join('?' * len(part))})", part
                ):
                    out[eid] = dossier_from_blob(blob)
            return out

        result: dict[int, Dossier] = self._run(work)
        return result

    def patch_infos(self, eid: int) -> list[PatchInfo]:
        row = self.conn.execute("SELECT patches FROM films WHERE eid = ?", (eid,)).fetchone()
        if row is None or not row[0]:
            return []
        from .patches import PatchInfo

        try:
            return [PatchInfo(**_patch_info_args(x)) for x in json.loads(row[0])]
        except (ValueError, TypeError) as err:
            raise IndexDamaged(f"stored patch notes cannot be read: {err}") from None

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
            if film_id and film_id == _text(film_id):  # an id is a slug: a name with stray bytes is none
                rows.update(self.conn.execute("SELECT eid, id FROM films WHERE id = ?", (film_id,)).fetchall())
            return sorted(rows)

        result: list[tuple[int, str]] = self._run(work)
        return result

    def names_of(self, eids: Sequence[int]) -> dict[int, list[str]]:
        """Each entry's folded spoiler-free names, title first, as ``policy.names`` orders them."""
        out: dict[int, list[tuple[int, str]]] = {eid: [] for eid in eids}
        ids = list(eids)
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            for eid, name, k in self.conn.execute(
                f"SELECT eid, name, k FROM names WHERE pos = 0 AND eid IN ({','.join('?' * len(part))})", part
            ):
                out[eid].append((k, name))
        return {eid: [n for _, n in sorted(names)] for eid, names in out.items()}

    def name_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM names WHERE pos = 0").fetchone()[0])

    def broken(self, patches: bool = True) -> list[list[Problem]]:
        """Problems to warn about, in the order reading the folders would meet them:
        listing problems and broken dossiers (not overridden by a more local valid one), then patches."""

        def work() -> list[list[Problem]]:
            conn = self.conn
            ranks = {str(f.path): r for r, f in reversed(list(enumerate(self.folders)))}
            found: list[tuple[tuple[int, int, bytes], list[Problem]]] = []
            for path, listing in conn.execute("SELECT path, listing FROM folders WHERE listing IS NOT NULL"):
                if _s(path) in ranks:
                    found.append(((ranks[_s(path)], 0, b""), _problems(listing)))
            bad = conn.execute(
                "SELECT f.stem, f.name, f.problems, c.rank FROM files f JOIN cur c ON c.folder = f.folder "
                "WHERE f.kind = 0 AND f.problems IS NOT NULL"
            ).fetchall()
            if bad:
                winners = self._base_winners(list({b[0] for b in bad}))
                for stem, name, problems, rank in bad:
                    if stem in winners and winners[stem][4] < rank:
                        continue  # a more local dossier overrides it: never read, as before the index
                    found.append(((rank, 1, name), _problems(problems)))
            found.sort(key=lambda x: x[0])
            out = [p for _, p in found]
            plan = self._patch_plan() if patches else {}
            if plan:
                winners = self._base_winners(list(plan))
                notes: list[tuple[tuple[int, str], list[Problem]]] = []
                for stem, files in plan.items():
                    failed: dict[str, str] = {}
                    if stem in winners:
                        row = conn.execute(
                            "SELECT patch_problems FROM films WHERE combo = ?", (self._combo(winners[stem][0], files),)
                        ).fetchone()
                        failed = json.loads(row[0]) if row and row[0] else {}
                    for pfid, folder, name, rank in files:
                        path = os.path.join(folder, name)
                        if stem not in winners:
                            problem = [Problem(path, f"patches {stem!r}, which is not in the catalog")]
                            notes.append(((-rank, name), problem))
                        elif str(pfid) in failed:
                            notes.append(((-rank, name), _problems(failed[str(pfid)])))
                notes.sort(key=lambda x: x[0])
                out += [p for _, p in notes]
            return out

        result: list[list[Problem]] = self._run(work)
        return result

    def folder_rows(self) -> list[FolderRow]:
        rows = {_s(r[0]): r for r in self.conn.execute("SELECT path, is_dir, count FROM folders")}
        out = []
        for f in self.folders:
            r = rows.get(str(f.path))
            out.append(FolderRow(f, bool(r[1]) if r else f.path.is_dir(), int(r[2]) if r else 0))
        return out

    def complete(self, incomplete: str) -> list[tuple[str, str]]:
        """Ids whose id or spoiler-free name starts with what was typed."""
        q = fold(incomplete)
        low = incomplete.lower()
        eff = self.effective()
        named = {
            r[0]
            for r in self.conn.execute(
                "SELECT eid FROM names WHERE pos = 0 AND name >= ? AND name < ?", (q, q + "\U0010ffff")
            )
        }
        chosen = [w[0] for film_id, w in eff.items() if film_id.startswith(low) or w[0] in named]
        rows = sorted(self.entries_for(chosen), key=lambda e: (e.sort_key, e.year, e.id))
        return [(e.id, f"{e.title} ({e.year})") for e in rows]

    # --- search ---------------------------------------------------------------------

    @property
    def searchable(self) -> bool:
        return self._has_fts

    def matches(self, expression: str) -> list[tuple[int, str, int, int, int | None, float]]:
        """Every item that matches: (eid, section, item, grade, at minute, rank; lower ranks first).

        Where a match is, never its text: what may be shown is decided by the
        caller, which then reads only the visible items from the dossier.
        """

        def work() -> list[tuple[int, str, int, int, int | None, float]]:
            try:
                return self.conn.execute(
                    "SELECT t.eid, t.section, t.item, t.grade, t.at, m.rank "
                    "FROM (SELECT rowid, rank FROM fts WHERE fts MATCH ?) m CROSS JOIN texts t ON t.rowid = m.rowid",
                    (expression,),
                ).fetchall()
            except sqlite3.OperationalError as err:
                if "fts5" in str(err) or "syntax" in str(err):
                    raise BadQuery(str(err)) from None
                raise

        result: list[tuple[int, str, int, int, int | None, float]] = self._run(work)
        return result

    # --- status -----------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        conn = self.conn
        keys = [_b(str(f.path)) for f in self.folders]
        marks = ",".join("?" * len(keys))
        files, broken = conn.execute(
            f"SELECT count(*), count(problems) FROM files WHERE kind = 0 AND folder IN ({marks})", keys
        ).fetchone()
        patches = conn.execute(f"SELECT count(*) FROM files WHERE kind = 1 AND folder IN ({marks})", keys).fetchone()[0]
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        size = 0
        if self.db is not None:
            for f in (self.db, *_aux_files(self.db)):
                with contextlib.suppress(OSError):
                    size += f.stat().st_size
        else:
            page = conn.execute("PRAGMA page_size").fetchone()[0]
            size = page * conn.execute("PRAGMA page_count").fetchone()[0]
        return {
            "path": str(self.db) if self.db is not None else None,
            "bytes": size,
            "files": int(files),
            "broken": int(broken),
            "patches": int(patches),
            "films": len(self.effective()),
            "built": int(meta.get("built", 0)) / 1e9,
            "updated": int(meta.get("updated", 0)) / 1e9,
            "version": INDEX_VERSION,
            "searchable": self._has_fts,
        }


def _patch_info_data(info: Any) -> dict[str, Any]:
    return {f.name: getattr(info, f.name) for f in fields(info)}


def _patch_info_args(data: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}


def index_path() -> Path:
    return cache_dir().absolute() / FILE_NAME


def open_index(
    folders: Sequence[Folder], *, full: bool = True, progress: Progress | None = None, rebuild: bool = False
) -> Index:
    """The index for these folders, brought up to date (``full``: every file checked; ``rebuild``: read again)."""
    idx = Index(folders, index_path(), progress)
    idx.start(full, rebuild)
    return idx
