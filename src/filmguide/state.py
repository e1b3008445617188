"""Which films the user has seen, and wants to see, kept in a small TOML file in the state folder.

The file is human-readable and may be edited by hand::

    # Films you have seen, for filmguide. Edit freely; one line per film.
    [seen]
    "all-of-us-strangers-2023" = 2026-11-24
    "amelie-2001" = { date = 2024-03-01, rating = 4.5, out_of = 5 }

    [watchlist]
    "solaris-1972" = 2025-01-03

    [unmatched]   # imported films not in the catalog yet; matched when they are
    "imdb:tt0118799" = { title = "La vita è bella", year = 1997, date = 2020-02-02, rating = 9, out_of = 10 }

A seen film is an id with a date (or a date and time), or a table holding
``date`` and, from an import, ``rating`` on the source's own scale
(``out_of``). A film on the watchlist is not seen: it unlocks nothing.
Everything else in the file — comments, notes, tables and keys filmguide does
not know, the exact text of times — is kept when filmguide changes it
(``tomlfile.editing``). A broken file is an error naming the file and line;
it is never overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import tomlfile
from .errors import FilmguideError
from .paths import state_dir
from .tomlfile import Op, as_date, read

HEADER = "# Films you have seen, for filmguide. Edit freely; one line per film.\n"
LISTS = ("seen", "watchlist")


class StateError(FilmguideError):
    pass


@dataclass(frozen=True, slots=True)
class Entry:
    """One film on a list. ``id`` is None for an imported film not in the catalog (then ``title``, ``year``)."""

    id: str | None
    date: dt.date | None
    rating: int | float | None = None
    out_of: int | None = None
    title: str | None = None
    year: int | None = None
    original_title: str | None = None
    source: str | None = None
    source_id: str | None = None
    list: str = "seen"
    key: str = ""  # the key in [unmatched]


@dataclass(slots=True)
class State:
    seen: dict[str, Entry] = field(default_factory=dict)
    watchlist: dict[str, Entry] = field(default_factory=dict)
    unmatched: dict[str, Entry] = field(default_factory=dict)


def seen_file() -> Path:
    return state_dir() / "seen.toml"


def _table(data: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise StateError(f"{path}: [{name}] must be a table of film ids")
    return value


def _number(fields: dict[str, Any], name: str, where: str, kinds: tuple[type, ...]) -> Any:
    value = fields.get(name)
    if value is not None and (isinstance(value, bool) or not isinstance(value, kinds)):
        raise StateError(f"{where}.{name}: expected a number")
    return value


def _entry(value: object, where: str, film_id: str | None, list_: str, need_date: bool) -> Entry:
    """An entry from a date, a date-time, or a table with ``date`` and optional ``rating``/``out_of``."""
    when = as_date(value)
    if when is not None:
        return Entry(film_id, when, list=list_)
    if not isinstance(value, dict):
        raise StateError(f"{where}: expected a date such as 2026-11-24")
    when = as_date(value.get("date"))
    if (need_date or "date" in value) and when is None:
        raise StateError(f"{where}.date: expected a date such as 2026-11-24")
    return Entry(
        film_id,
        when,
        rating=_number(value, "rating", where, (int, float)),
        out_of=_number(value, "out_of", where, (int,)),
        list=list_,
    )


def _unmatched(name: str, value: object, where: str) -> Entry:
    if not isinstance(value, dict):
        raise StateError(f"{where}: expected a table with title and year")
    list_ = value.get("list", "seen")
    if list_ not in LISTS:
        raise StateError(f"{where}.list: expected one of {', '.join(LISTS)}")
    base = _entry(value, where, None, list_, need_date=False)
    title, year = value.get("title"), value.get("year")
    if not isinstance(title, str) or not title.strip():
        raise StateError(f"{where}.title: expected text")
    if isinstance(year, bool) or not isinstance(year, int):
        raise StateError(f"{where}.year: expected a year such as 1997")
    source, source_id, original = value.get("source"), value.get("source_id"), value.get("original_title")
    return Entry(
        None,
        base.date,
        base.rating,
        base.out_of,
        title=title,
        year=year,
        original_title=original if isinstance(original, str) else None,
        source=source if isinstance(source, str) else None,
        source_id=source_id if isinstance(source_id, str) else None,
        list=list_,
        key=name,
    )


def parse_state(data: dict[str, Any], path: Path) -> State:
    """The lists in a parsed ``seen.toml``; a value of the wrong kind is an error naming its key."""
    state = State()
    for film_id, value in _table(data, "seen", path).items():
        state.seen[film_id] = _entry(value, f"{path}: seen.{film_id}", film_id, "seen", need_date=True)
    for film_id, value in _table(data, "watchlist", path).items():
        state.watchlist[film_id] = _entry(value, f"{path}: watchlist.{film_id}", film_id, "watchlist", False)
    for name, value in _table(data, "unmatched", path).items():
        state.unmatched[name] = _unmatched(name, value, f"{path}: unmatched.{name}")
    return state


def load_state() -> State:
    path = seen_file()
    data, _ = read(path, StateError, "; fix or remove the file")
    return parse_state(data, path)


def load_seen() -> dict[str, dt.date]:
    """The ids of the films the user has seen, with the date of each. The watchlist is not here."""
    return {film_id: e.date for film_id, e in load_state().seen.items() if e.date is not None}


# --- changing the file ----------------------------------------------------------------

INTRO = {"unmatched": "Imported films not in your catalog yet; matched when they are."}


def update(plan: Callable[[State], list[Op]]) -> list[Op]:
    """Change ``seen.toml`` under its lock by the ops ``plan`` returns for its current lists.

    Only the entries changed are rewritten (see ``tomlfile.update``).
    """
    path = seen_file()
    return tomlfile.update(path, StateError, lambda data: plan(parse_state(data, path)), HEADER, INTRO)


def mark(film_id: str, seen: bool, today: dt.date | None = None) -> bool:
    """Record or forget one film; True if that changed anything. Safe against a parallel writer.

    Marking a film seen takes it off the watchlist.
    """

    def plan(state: State) -> list[Op]:
        if seen == (film_id in state.seen):
            return []
        if not seen:
            return [Op("seen", film_id, None)]
        ops = [Op("seen", film_id, {"date": today or dt.date.today()})]
        return ops + ([Op("watchlist", film_id, None)] if film_id in state.watchlist else [])

    return bool(update(plan))


def watch(film_id: str, add: bool, today: dt.date | None = None) -> bool:
    """Put a film on the watchlist or take it off; True if that changed anything."""

    def plan(state: State) -> list[Op]:
        if add == (film_id in state.watchlist):
            return []
        return [Op("watchlist", film_id, {"date": today or dt.date.today()} if add else None)]

    return bool(update(plan))
