"""The catalog: which dossiers exist, which one wins, and finding a film by title."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .dossier import load_dossier
from .errors import AmbiguousTitle, FilmNotFound, InvalidDossier, Problem, UsageProblem
from .model import Dossier
from .paths import Folder, film_folders

if TYPE_CHECKING:
    from .patches import PatchInfo
from .text import fold

SUFFIX = ".yaml"
PATCH_SUFFIX = ".patch.yaml"  # partial overrides, see patches.py
MAX_QUERY = 200  # longer than any title; a longer argument is not a title


@dataclass(frozen=True, slots=True)
class FolderInfo:
    folder: Folder
    exists: bool
    files: int


@dataclass(slots=True)
class Catalog:
    """All films found, most local first, plus one problem list per broken file."""

    films: list[Dossier] = field(default_factory=list)
    origins: dict[str, Path] = field(default_factory=dict)
    broken: list[list[Problem]] = field(default_factory=list)
    folders: list[FolderInfo] = field(default_factory=list)
    patches: dict[str, list[PatchInfo]] = field(default_factory=dict)


def patch_files(folder: Path) -> list[Path]:
    """The ``<id>.patch.yaml`` files directly in ``folder``."""
    try:
        return sorted(p for p in folder.glob("*" + PATCH_SUFFIX) if not p.name.startswith("."))
    except OSError:
        return []


def apply_patches(cat: Catalog, folders: list[Folder]) -> None:
    """Merge every patch into its film, farthest folder first so the most local wins."""
    from .patches import load_patch, patch_id

    by_id: dict[str, int] = {d.id: i for i, d in enumerate(cat.films)}
    for folder in reversed(folders):
        for path in patch_files(folder.path):
            film_id = patch_id(path)
            if film_id not in by_id:
                cat.broken.append([Problem(str(path), f"patches {film_id!r}, which is not in the catalog")])
                continue
            try:
                merged, info = load_patch(cat.films[by_id[film_id]], path)
            except InvalidDossier as err:
                cat.broken.append(err.problems)
                continue
            cat.films[by_id[film_id]] = merged
            cat.patches.setdefault(film_id, []).append(info)


def dossier_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The ``*.yaml`` files directly in ``folder`` (folders and other files ignored)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except FileNotFoundError:
        return [], []
    except NotADirectoryError:
        return [], [Problem(str(folder), "is not a folder")]
    except OSError as err:
        return [], [Problem(str(folder), f"cannot be listed: {err.strerror or err}")]
    files = []
    for entry in entries:
        if not entry.name.endswith(SUFFIX) or entry.name.startswith(".") or entry.name.endswith(PATCH_SUFFIX):
            continue
        try:
            if entry.is_dir():
                continue
        except OSError:
            pass  # an unreadable entry is reported when it is read
        files.append(Path(entry.path))
    return files, []


def load_catalog(folders: Iterable[Folder] | None = None, patches: bool = True) -> Catalog:
    """Read every dossier; a more local folder's dossier overrides a farther one's.

    With ``patches`` (the default), ``<id>.patch.yaml`` files are merged in.
    """
    cat = Catalog()
    folders = list(folders if folders is not None else film_folders())
    for folder in folders:
        files, problems = dossier_files(folder.path)
        cat.folders.append(FolderInfo(folder, folder.path.is_dir(), len(files)))
        if problems:
            cat.broken.append(problems)
        for path in files:
            film_id = path.name.removesuffix(SUFFIX)
            if film_id in cat.origins:
                continue  # overridden by a more local folder; not even read
            try:
                d = load_dossier(path, label=str(path))
            except InvalidDossier as err:
                cat.broken.append(err.problems)
                continue
            cat.origins[d.id] = path
            cat.films.append(d)
    if patches:
        apply_patches(cat, folders)
    cat.films.sort(key=lambda d: (fold(d.title), d.year, d.id))
    return cat


# --- finding a film --------------------------------------------------------

_YEAR = re.compile(r"(.*\S)\s+\(?(\d{4})\)?")


def _tiers(films: list[Dossier], query: str) -> Iterable[list[Dossier]]:
    """Candidate lists from the most to the least exact; the first non-empty one decides."""
    q = fold(query)
    names = [(d, [fold(n) for n in d.names()]) for d in films]
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


def resolve(films: list[Dossier], query: str) -> Dossier:
    """Find one film by id, title or alias, "title year", or a unique start of the title or of a word in it.

    Only spoiler-free names (the title and `none`-graded aliases) are matched
    or suggested. The query is never treated as a path.
    """
    if not query.strip():
        raise UsageProblem("the title is empty; see `filmguide list` for the films")
    if len(query) > MAX_QUERY:
        raise UsageProblem(f"the title is {len(query)} characters long; no film title is longer than {MAX_QUERY}")
    if not fold(query):
        raise FilmNotFound(query, [])
    for candidates in _tiers(films, query):
        unique = list({d.id: d for d in candidates}.values())
        if len(unique) == 1:
            return unique[0]
        if unique:
            raise AmbiguousTitle(query, [(d.id, d.title, d.year) for d in unique])
    raise FilmNotFound(query, suggest(films, query))


def suggest(films: list[Dossier], query: str, n: int = 3) -> list[str]:
    """Close spoiler-free names, shown as ``Title (year)``."""
    by_name: dict[str, str] = {}
    for d in films:
        for name in d.names():
            by_name.setdefault(fold(name), f"{d.title} ({d.year})")
    close = difflib.get_close_matches(fold(query), list(by_name), n=n * 2, cutoff=0.6)
    return list(dict.fromkeys(by_name[c] for c in close))[:n]


def complete(films: list[Dossier], incomplete: str) -> list[tuple[str, str]]:
    """Shell completion: ids whose id or spoiler-free name starts with what was typed."""
    q = fold(incomplete)
    out: list[tuple[str, str]] = []
    for d in films:
        if d.id.startswith(incomplete.lower()) or any(fold(n).startswith(q) for n in d.names()):
            out.append((d.id, f"{d.title} ({d.year})"))
    return out
