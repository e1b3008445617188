"""The index: every dossier read and validated once, kept in SQLite in the cache folder.

The index is a cache and never needed for correctness. Deleted, damaged,
unreadable in any way, or written by another version of filmguide, it is
rebuilt from the dossiers by the next command; when the cache folder cannot
be written (or another filmguide holds it past a bounded wait), the same
tables are built in memory from the files, which is slower but gives the
same answers.

The parts:

- ``scan``: listing folders (shared with the catalog and ``validate``);
- ``reader``: reading and validating files, in worker processes;
- ``codec``: the stored form of a dossier, decoded with types checked and sizes bounded;
- ``store``: the tables, opening the file, recovering from damage, bounded waits;
- ``refresh``: comparing the folders with the index and applying the difference;
- ``overlay``: folder precedence and patches;
- ``queries``: what commands ask;
- ``kept``: the list of films ``list`` prints, kept per set of folders;
- ``ranked``: search counted and ranked inside SQLite.

What it holds (one row per file, whatever folders the current run uses; the
folder order is applied per query): ``folders`` (each folder's signature and
listing digest), ``files`` (each file's signature; a broken dossier keeps its
problems and whether they were told), ``films`` (entries: the validated form
of one dossier, or of a dossier with its patches), ``dossiers`` (the stored
form), ``members``, ``names`` (spoiler-free names, folded, one row per word
they could be typed from), and ``fts``/``texts`` (one row per searchable
item, with its section, grade and minute; the full-text table is
contentless; secrets are never indexed).

Concurrency: updates run in ``BEGIN IMMEDIATE`` transactions; readers use
WAL and never wait. A damaged file is removed under a lock file
(``.index.sqlite3.lock``) and a new one is created in its place. Domain code:
nothing here prints; progress and waits are reported through callbacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

FILE_NAME = "index.sqlite3"

if TYPE_CHECKING:
    from ..paths import Folder
    from .codec import IndexDamaged, dossier_from_blob, dossier_to_blob
    from .overlay import Winner
    from .queries import Broken, Entry, FolderRow, Index, Match
    from .reader import Payload, Progress, SearchRow, payload, search_rows
    from .store import INDEX_VERSION, BadQuery, Note, Notify, Timing, timing_from_env

# Imported when first used, so that listing a folder (``scan``) does not bring SQLite in.
_WHERE = {
    "IndexDamaged": "codec",
    "dossier_from_blob": "codec",
    "dossier_to_blob": "codec",
    "Winner": "overlay",
    "Broken": "queries",
    "Entry": "queries",
    "FolderRow": "queries",
    "Index": "queries",
    "Match": "queries",
    "Payload": "reader",
    "Progress": "reader",
    "SearchRow": "reader",
    "payload": "reader",
    "search_rows": "reader",
    "INDEX_VERSION": "store",
    "BadQuery": "store",
    "Note": "store",
    "Notify": "store",
    "Timing": "store",
    "timing_from_env": "store",
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{where}"), name)


__all__ = [
    "FILE_NAME",
    "INDEX_VERSION",
    "BadQuery",
    "Broken",
    "Entry",
    "FolderRow",
    "Index",
    "IndexDamaged",
    "Match",
    "Note",
    "Notify",
    "Payload",
    "Progress",
    "SearchRow",
    "Timing",
    "Winner",
    "dossier_from_blob",
    "dossier_to_blob",
    "index_path",
    "open_index",
    "payload",
    "search_rows",
    "timing_from_env",
]


def index_path() -> Path:
    from ..paths import cache_dir

    return cache_dir().absolute() / FILE_NAME


def open_index(
    folders: Sequence[Folder],
    *,
    full: bool = True,
    progress: Progress | None = None,
    rebuild: bool = False,
    notify: Notify | None = None,
    timing: Timing | None = None,
    broken: bool = True,
) -> Index:
    """The index for these folders, brought up to date (``full``: every file checked; ``rebuild``: read again;
    ``broken=False``: broken files not checked again, for a command about one film)."""
    from .queries import Index

    idx = Index(folders, index_path(), progress, notify, timing)
    idx.recheck_broken = broken
    idx.start(full, rebuild)
    return idx
