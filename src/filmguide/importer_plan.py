"""From an export's rows to changes in ``seen.toml``: merge, match to the catalog, compare.

A film is matched by title and year, ignoring case and accents, against the
catalog's spoiler-free names only (the title and ``none``-graded aliases, as
``catalog`` matches titles). A film that matches none, or several, is kept in
``[unmatched]`` with its title, year and source id, and is matched by a later
import once the catalog has it. Importing the same file again changes
nothing: dates only ever move earlier, and a rating is written only when it
differs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .importer import Export, Row, read_export
from .records import Record
from .state import Entry, State
from .text import fold
from .tomlfile import Op

if TYPE_CHECKING:
    from .catalog import Named
    from .index import Index


@dataclass(init=False, repr=False, eq=False, slots=True)
class Film(Record):
    """One film of an export, all its rows merged."""

    list: str
    titles: tuple[str, ...]
    year: int
    date: dt.date | None = None
    rating: int | float | None = None
    out_of: int | None = None
    source: str = ""
    source_id: str = ""
    best: tuple[int, dt.date] | None = None  # the rank and date of the row the rating came from

    @property
    def title(self) -> str:
        return self.titles[0]

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        list: str,
        titles: tuple[str, ...],
        year: int,
        date: dt.date | None = None,
        rating: int | float | None = None,
        out_of: int | None = None,
        source: str = "",
        source_id: str = "",
        best: tuple[int, dt.date] | None = None,
    ) -> None:
        self.list = list
        self.titles = titles
        self.year = year
        self.date = date
        self.rating = rating
        self.out_of = out_of
        self.source = source
        self.source_id = source_id
        self.best = best
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class Plan(Record):
    ops: list[Op] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # one line per change, for --dry-run
    matched: int = 0
    unmatched: int = 0
    rematched: int = 0  # films kept unmatched by an earlier import that match now

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        ops: list[Op] | None = None,
        changes: list[str] | None = None,
        matched: int = 0,
        unmatched: int = 0,
        rematched: int = 0,
    ) -> None:
        self.ops = list() if ops is None else ops
        self.changes = list() if changes is None else changes
        self.matched = matched
        self.unmatched = unmatched
        self.rematched = rematched
    # --- end of the written __init__ ---
    # fmt: on


def catalog_names(idx: Index) -> list[Named]:
    """The films shown, with the spoiler-free names title resolution uses."""
    from .catalog import _index_named

    return _index_named(idx, [w[0] for w in idx.effective().values()])


def merge(rows: Sequence[Row]) -> list[Film]:
    """One ``Film`` per list, title and year: the earliest date, the rating of the latest rating row."""
    films: dict[tuple[str, str, int], Film] = {}
    for row in rows:
        k = (row.list, fold(row.title), row.year)
        film = films.get(k)
        if film is None:
            film = films[k] = Film(row.list, row.titles, row.year, source=row.source, source_id=row.source_id)
        if row.date is not None and (film.date is None or row.date < film.date):
            film.date = row.date
        if row.rating is not None:
            when = (row.rank, row.date or dt.date.min)
            if film.best is None or when >= film.best:
                film.rating, film.out_of, film.best = row.rating, row.out_of, when
        if row.rank and row.source_id:  # ratings.csv and IMDb name the film itself, not a diary entry
            film.source_id = row.source_id
    return list(films.values())


class Matcher:
    def __init__(self, films: Sequence[Named]) -> None:
        self.by_name: dict[tuple[str, int], set[str]] = {}
        self.titles: dict[str, str] = {}
        for f in films:
            self.titles[f.id] = f"{f.title} ({f.year})"
            for name in f.names:
                self.by_name.setdefault((name, f.year), set()).add(f.id)

    def match(self, titles: Sequence[str], year: int) -> str | None:
        """The one film with one of ``titles`` as a spoiler-free name and this year; None if none or several."""
        ids: set[str] = set()
        for t in titles:
            ids |= self.by_name.get((fold(t), year), set())
        return next(iter(ids)) if len(ids) == 1 else None


def _fields(film: Film | Entry, old: Entry | None) -> dict[str, Any]:
    """What recording ``film`` changes in ``old``: an earlier date, a different rating."""
    out: dict[str, Any] = {}
    if film.date is not None and (old is None or old.date is None or film.date < old.date):
        out["date"] = film.date
    if film.rating is not None and (old is None or (old.rating, old.out_of) != (film.rating, film.out_of)):
        out["rating"], out["out_of"] = film.rating, film.out_of
    if old is None and "date" not in out and film.list == "seen":
        out = {}  # a seen film needs a date: the reader refused rows without one
    return out


def _shown(fields: dict[str, Any]) -> str:
    parts = [fields["date"].isoformat()] if "date" in fields else []
    if "rating" in fields:
        parts.append(f"rated {fields['rating']}/{fields['out_of']}")
    return ", ".join(parts)


def _record(plan: Plan, lists: dict[str, dict[str, Entry]], film_id: str, film: Film | Entry, label: str) -> None:
    current = lists[film.list]
    old = current.get(film_id)
    fields = _fields(film, old)
    if film.list == "watchlist" and old is None:
        fields = {"date": film.date or dt.date.today()}
    elif film.list == "watchlist":
        fields = {}
    if not fields:
        return
    plan.ops.append(Op(film.list, film_id, fields))
    verb = "add" if old is None else "update"
    plan.changes.append(f"{verb} {film.list}: {label} as {film_id}, {_shown(fields)}")
    current[film_id] = Entry(film_id, fields.get("date", old.date if old else None), list=film.list)


def plan_import(films: Sequence[Film], matcher: Matcher, state: State) -> Plan:
    """The changes that record ``films`` in ``state``, and earlier unmatched films that match now."""
    plan = Plan()
    lists = {"seen": dict(state.seen), "watchlist": dict(state.watchlist)}
    unmatched = {(e.list, fold(e.title or ""), e.year): e for e in state.unmatched.values()}
    done: set[str] = set()
    for film in films:
        film_id = matcher.match(film.titles, film.year)
        kept = unmatched.get((film.list, fold(film.title), film.year))
        if film_id is not None:
            plan.matched += 1
            _record(plan, lists, film_id, film, f"{film.title} ({film.year})")
            if kept is not None and kept.key not in done:
                done.add(kept.key)
                plan.ops.append(Op("unmatched", kept.key, None))
            continue
        plan.unmatched += 1
        if kept is not None:
            done.add(kept.key)
            fields = _fields(film, kept)
            if fields:
                plan.ops.append(Op("unmatched", kept.key, fields))
                plan.changes.append(f"update unmatched: {film.title} ({film.year}), {_shown(fields)}")
            continue
        new: dict[str, Any] = {"title": film.title, "year": film.year}
        new.update({"original_title": film.titles[1]} if len(film.titles) > 1 else {})
        new.update({"list": "watchlist"} if film.list == "watchlist" else {})
        new.update(_fields(film, None) if film.list == "seen" else ({"date": film.date} if film.date else {}))
        new.update({"source": film.source, "source_id": film.source_id} if film.source_id else {"source": film.source})
        key = f"{film.source}:{film.source_id}" if film.source_id else f"{film.source}:{film.title} ({film.year})"
        key = key if key not in state.unmatched else f"{key} #{len(state.unmatched)}"
        unmatched[(film.list, fold(film.title), film.year)] = Entry(None, film.date, key=key)
        done.add(key)
        plan.ops.append(Op("unmatched", key, new))
        plan.changes.append(f"keep unmatched: {film.title} ({film.year}), {_shown(new)}")
    for entry in state.unmatched.values():
        if entry.key in done or entry.title is None or entry.year is None:
            continue
        film_id = matcher.match((entry.title, *([entry.original_title] if entry.original_title else [])), entry.year)
        if film_id is not None:
            plan.rematched += 1
            _record(plan, lists, film_id, entry, f"{entry.title} ({entry.year}), kept unmatched before,")
            plan.ops.append(Op("unmatched", entry.key, None))
    return plan


def import_file(path: Path, films: Sequence[Named], dry_run: bool = False) -> tuple[Export, Plan]:
    """Read an export and record it in ``seen.toml`` (or, with ``dry_run``, only say what would change)."""
    from . import state as state_file

    export = read_export(path)
    merged, matcher = merge(export.rows), Matcher(films)
    if dry_run:
        return export, plan_import(merged, matcher, state_file.load_state())
    plans: list[Plan] = []

    def make(current: State) -> list[Op]:
        plans.append(plan_import(merged, matcher, current))
        return plans[-1].ops

    state_file.update(make)
    return export, plans[-1]
