"""The catalog: which dossiers exist, which one wins, and finding a film by title."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import AmbiguousTitle, FilmNotFound, Problem, UsageProblem
from .index.scan import PATCH_SUFFIX as PATCH_SUFFIX  # the one folder lister, shared with lint
from .index.scan import SUFFIX as SUFFIX
from .index.scan import dossier_files as dossier_files
from .index.scan import patch_files as patch_files
from .paths import Folder, film_folders
from .records import Frozen, Record

if TYPE_CHECKING:
    from .index import Index, Note, Progress
    from .model import Dossier
    from .patches import PatchInfo
from .text import fold

MAX_QUERY = 200  # longer than any title; a longer argument is not a title


@dataclass(init=False, repr=False, eq=False, slots=True)
class FolderInfo(Frozen):
    folder: Folder
    exists: bool
    files: int

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, folder: Folder, exists: bool, files: int) -> None:
        object.__setattr__(self, "folder", folder)
        object.__setattr__(self, "exists", exists)
        object.__setattr__(self, "files", files)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class Catalog(Record):
    """All films found, most local first, plus one problem list per broken file."""

    films: list[Dossier] = field(default_factory=list)
    origins: dict[str, Path] = field(default_factory=dict)
    broken: list[list[Problem]] = field(default_factory=list)
    folders: list[FolderInfo] = field(default_factory=list)
    patches: dict[str, list[PatchInfo]] = field(default_factory=dict)
    note: Note | None = None  # what building or updating the index cost, when it did work

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        films: list[Dossier] | None = None,
        origins: dict[str, Path] | None = None,
        broken: list[list[Problem]] | None = None,
        folders: list[FolderInfo] | None = None,
        patches: dict[str, list[PatchInfo]] | None = None,
        note: Note | None = None,
    ) -> None:
        self.films = list() if films is None else films
        self.origins = dict() if origins is None else origins
        self.broken = list() if broken is None else broken
        self.folders = list() if folders is None else folders
        self.patches = dict() if patches is None else patches
        self.note = note
    # --- end of the written __init__ ---
    # fmt: on


def load_catalog(
    folders: Iterable[Folder] | None = None, patches: bool = True, *, progress: Progress | None = None
) -> Catalog:
    """Every dossier; a more local folder's dossier overrides a farther one's.

    With ``patches`` (the default), ``<id>.patch.yaml`` files are merged in.
    Dossiers are read through the index (``filmguide.index``), which reads and
    validates each file once and again only when it changes.
    """
    from .index import open_index

    idx = open_index(list(folders if folders is not None else film_folders()), full=True, progress=progress)
    try:
        return catalog_from_index(idx, patches)
    finally:
        idx.close()


def catalog_from_index(idx: Index, patches: bool = True) -> Catalog:
    """The same ``Catalog`` as reading every file would give, from an index brought up to date."""
    eff = idx.effective(patches=patches)
    order = idx.entries_for([w[0] for w in eff.values()])
    order.sort(key=lambda e: (e.sort_key, e.year, e.id))
    dossiers = idx.dossiers([e.eid for e in order])
    cat = Catalog(note=idx.note)
    cat.films = [dossiers[e.eid] for e in order]
    cat.origins = {
        film_id: Path(os.fsdecode(os.path.join(folder, name)))
        for film_id, (_, folder, name, _) in sorted(eff.items(), key=lambda kv: (kv[1][3], kv[1][2]))
    }
    cat.broken = idx.broken(patches=patches)
    cat.folders = [FolderInfo(r.folder, r.exists, r.files) for r in idx.folder_rows()]
    if patches:
        cat.patches = {e.id: notes for e in order if (notes := idx.patch_infos(e.eid))}
    return cat


# --- finding a film --------------------------------------------------------

_YEAR = re.compile(r"(.*\S)\s+\(?(\d{4})\)?")


class Named(NamedTuple):
    """A film as title resolution sees it: id, title, year and folded spoiler-free names."""

    id: str
    title: str
    year: int
    names: tuple[str, ...]
    key: Any = None  # the Dossier, or the index entry it stands for


def _tiers(films: Sequence[Named], query: str) -> Iterable[list[Named]]:
    """Candidate lists from the most to the least exact; the first non-empty one decides."""
    q = fold(query)
    names = [(d, d.names) for d in films]
    m = _YEAR.fullmatch(query.strip())
    q_title, year = (fold(m[1]), int(m[2])) if m else (None, None)

    yield [d for d in films if d.id == query.strip().lower()]
    yield [d for d, ns in names if q in ns]
    if q_title is not None:
        yield [d for d, ns in names if q_title in ns and d.year == year]
    yield [d for d, ns in names if any(n.startswith(q) for n in ns)]
    if q_title is not None:
        yield [d for d, ns in names if d.year == year and any(n.startswith(q_title) for n in ns)]
    yield [d for d, ns in names if any(f" {q}" in f" {n}" for n in ns)]
    if q_title is not None:
        yield [d for d, ns in names if d.year == year and any(f" {q_title}" in f" {n}" for n in ns)]


def _check_query(query: str) -> None:
    if not query.strip():
        raise UsageProblem("the title is empty; see `filmguide list` for the films")
    if len(query) > MAX_QUERY:
        raise UsageProblem(f"the title is {len(query)} characters long; no film title is longer than {MAX_QUERY}")
    if not fold(query):
        raise FilmNotFound(query, [])


def _resolve(films: Sequence[Named], query: str, suggestions: Callable[[], list[str]]) -> Named:
    for candidates in _tiers(films, query):
        unique = list({d.id: d for d in candidates}.values())
        if len(unique) == 1:
            return unique[0]
        if unique:
            raise AmbiguousTitle(query, [(d.id, d.title, d.year) for d in unique])
    raise FilmNotFound(query, suggestions())


def _suggest(films: Sequence[Named], query: str, n: int = 3) -> list[str]:
    """Close spoiler-free names, shown as ``Title (year)``."""
    import difflib

    by_name: dict[str, str] = {}
    for d in films:
        for name in d.names:
            by_name.setdefault(name, f"{d.title} ({d.year})")
    close = difflib.get_close_matches(fold(query), list(by_name), n=n * 2, cutoff=0.6)
    return list(dict.fromkeys(by_name[c] for c in close))[:n]


# --- finding a film through the index --------------------------------------------

SUGGEST_ALL = 5000  # up to this many names, suggestions weigh every one
SUGGEST_MAX = 2000  # past it, only names sharing the start of a word with the query


def _index_named(idx: Index, eids: Iterable[int]) -> list[Named]:
    entries = idx.entries_for(list(eids))
    names = idx.names_of([e.eid for e in entries])
    entries.sort(key=lambda e: (e.sort_key, e.year, e.id))
    return [Named(e.id, e.title, e.year, tuple(names[e.eid]), e.eid) for e in entries]


def _candidates(idx: Index, query: str) -> list[Named]:
    """Every film any tier of ``_tiers`` could match: its id, or a name with a word starting with the query."""
    q = fold(query)
    m = _YEAR.fullmatch(query.strip())
    prefixes = [q] + ([fold(m[1])] if m else [])
    rows = idx.name_candidates(prefixes, query.strip().lower())
    eff = idx.effective(sorted({film_id for _, film_id in rows}))
    shown = {w[0] for w in eff.values()}
    return _index_named(idx, [eid for eid, _ in rows if eid in shown])


def _index_suggest(idx: Index, query: str, n: int = 3) -> list[str]:
    """``_suggest`` over every film; in a very large catalog, among names sharing the start of a word with the query."""
    shown = [w[0] for w in idx.effective().values()]
    if idx.name_count() > SUGGEST_ALL:
        starts = [w[:3] for w in fold(query).split(" ") if w]
        near = {eid for eid, _ in idx.name_candidates(starts, "")}
        shown = [eid for eid in shown if eid in near][:SUGGEST_MAX]
    return _suggest(_index_named(idx, shown), query, n)


def find_film(idx: Index, query: str) -> tuple[Dossier, int]:
    """Find one film by id, title or alias, "title year", or a unique start of the title or of a word in it.

    Only spoiler-free names (the title and `none`-graded aliases) are matched
    or suggested, and the query is never treated as a path. The tiers of
    ``_tiers`` are tried on the few films whose names could match.

    The film found is checked against its file (and read again if it
    changed); a title that is not found or is ambiguous is looked up again
    after every file has been checked, so a stale index never decides.
    """
    _check_query(query)
    for _ in range(3):
        try:
            hit = _resolve(_candidates(idx, query), query, lambda: _index_suggest(idx, query))
        except (FilmNotFound, AmbiguousTitle):
            if idx.refresh_all():
                continue
            raise
        if idx.check(hit.key):
            return idx.dossier(hit.key), hit.key
    hit = _resolve(_candidates(idx, query), query, lambda: _index_suggest(idx, query))
    return idx.dossier(hit.key), hit.key


# --- completion ---------------------------------------------------------------------


def complete_titles(idx: Index, incomplete: str) -> list[tuple[str, str]]:
    """What completing a title offers: (id, ``Title (year)``) of each film whose id starts with what
    was typed, or with a spoiler-free name (``policy.names``) that has a word starting with it, case
    and accents folded. A film found by an alias alone names that alias: ``Title (year), aka Alias``."""
    from .policy import names

    found = idx.complete(incomplete)
    by_alias = {e.eid: ks[0] for e, ks in found if ks and 0 not in ks}
    dossiers = idx.dossiers(list(by_alias)) if by_alias else {}
    out = []
    for e, _ in found:
        described = f"{e.title} ({e.year})"
        if e.eid in dossiers:
            aliases = names(dossiers[e.eid])
            if by_alias[e.eid] < len(aliases):
                described += f", aka {aliases[by_alias[e.eid]]}"
        out.append((e.id, described))
    return out
