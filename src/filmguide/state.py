"""Which films the user has seen, and wants to see, kept in a small TOML file in the state folder.

The file is human-readable and may be edited by hand::

    # Films you have seen, for filmguide. Edit freely; one line per film.
    [seen]
    "all-of-us-strangers-2023" = 2026-11-24
    "amelie-2001" = { date = 2024-03-01, rating = 4.5, out_of = 5 }

    [watchlist]
    "solaris-1972" = 2025-01-03

Imported films the catalog does not have are kept apart, in ``unmatched.toml``
beside it, and matched by a later import once the catalog has them::

    [unmatched]
    "imdb:tt0118799" = { title = "Life Is Beautiful", year = 1997, date = 2020-02-02, rating = 9, out_of = 10 }

A seen film is an id with a date (or a date and time), or a table holding
``date`` and, from an import, ``rating`` on the source's own scale
(``out_of``). A film on the watchlist is not seen: it unlocks nothing.
Everything else in the file — comments, notes, tables and keys filmguide does
not know, the exact text of times — is kept when filmguide changes it
(``tomlfile.update``). A broken file is an error naming the file and line;
it is never overwritten.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import tomlfile
from .atomic import locked
from .errors import FilmguideError
from .paths import state_dir
from .records import Frozen, Record
from .tomlfile import Op, as_date, read

HEADER = "# Films you have seen, for filmguide. Edit freely; one line per film.\n"
LISTS = ("seen", "watchlist")


class StateError(FilmguideError):
    pass


@dataclass(init=False, repr=False, eq=False, slots=True)
class Entry(Frozen):
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

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        id: str | None,
        date: dt.date | None,
        rating: int | float | None = None,
        out_of: int | None = None,
        title: str | None = None,
        year: int | None = None,
        original_title: str | None = None,
        source: str | None = None,
        source_id: str | None = None,
        list: str = "seen",
        key: str = "",
    ) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "date", date)
        object.__setattr__(self, "rating", rating)
        object.__setattr__(self, "out_of", out_of)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "year", year)
        object.__setattr__(self, "original_title", original_title)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "source_id", source_id)
        object.__setattr__(self, "list", list)
        object.__setattr__(self, "key", key)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class State(Record):
    seen: dict[str, Entry] = field(default_factory=dict)
    watchlist: dict[str, Entry] = field(default_factory=dict)
    unmatched: dict[str, Entry] = field(default_factory=dict)

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        seen: dict[str, Entry] | None = None,
        watchlist: dict[str, Entry] | None = None,
        unmatched: dict[str, Entry] | None = None,
    ) -> None:
        self.seen = dict() if seen is None else seen
        self.watchlist = dict() if watchlist is None else watchlist
        self.unmatched = dict() if unmatched is None else unmatched
    # --- end of the written __init__ ---
    # fmt: on


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


def unmatched_file() -> Path:
    return state_dir() / "unmatched.toml"


def load_state() -> State:
    """The seen list and the watchlist (``seen.toml``) and the films an import could not match (``unmatched.toml``)."""
    path, other = seen_file(), unmatched_file()
    state = parse_state(read(path, StateError, "; fix or remove the file")[0], path)
    state.unmatched = parse_state(read(other, StateError, "; fix or remove the file")[0], other).unmatched
    return state


def load_seen() -> dict[str, dt.date]:
    """The ids of the films the user has seen, with the date of each. The watchlist is not here.

    Only ``seen.toml`` is read: imported films the catalog does not have are
    kept apart, so a long history costs a spoiler check nothing.
    """
    path = seen_file()
    seen = parse_state(read(path, StateError, "; fix or remove the file")[0], path).seen
    return {film_id: e.date for film_id, e in seen.items() if e.date is not None}


# --- changing the files ---------------------------------------------------------------

UNMATCHED_HEADER = (
    "# Films you imported that are not in your catalog yet, for filmguide.\n"
    "# The next `filmguide import` matches them again; edit or delete them freely.\n"
)


def update(plan: Callable[[State], list[Op]], unmatched: bool = True) -> list[Op]:
    """Change the lists by the ops ``plan`` returns for their current state; return the ops.

    Both files are locked (always ``seen.toml`` first) while they are read
    and written, so a parallel writer takes its turn. Ops on ``unmatched``
    go to ``unmatched.toml``, after ``seen.toml`` is written: a crash between
    the two leaves a film both seen and unmatched, which the next import
    tidies. Only the entries changed are rewritten (see ``tomlfile``).
    Without ``unmatched`` only ``seen.toml`` is read, and ``plan`` sees no unmatched films.
    """
    path, other = seen_file(), unmatched_file()
    try:
        with contextlib.ExitStack() as stack:
            for locking in (path, other) if unmatched else (path,):
                stack.enter_context(locked(locking))
                tomlfile.tidy(locking)
            data, text = read(path, StateError, "; fix or remove the file")
            more, more_text = read(other, StateError, "; fix or remove the file") if unmatched else ({}, "")
            state = parse_state(data, path)
            state.unmatched = parse_state(more, other).unmatched
            ops = plan(state)
            mine = [op for op in ops if op.table != "unmatched"]
            tomlfile.rewrite(path, text or HEADER, data, mine, StateError)
            rest = [op for op in ops if op.table == "unmatched"]
            if rest and not unmatched:
                raise ValueError("a change to unmatched.toml without reading it")
            tomlfile.rewrite(other, more_text or UNMATCHED_HEADER, more, rest, StateError)
            return ops
    except OSError as e:
        raise StateError(f"{path}: cannot be written: {e.strerror or e}") from None


def mark(film_id: str, seen: bool, today: dt.date | None = None) -> bool:
    """Record or forget one film; True if that changed anything. Safe against a parallel writer.

    Marking a film seen takes it off the watchlist (``mark_seen`` says whether it was on it).
    """
    return mark_seen(film_id, seen, today)[0]


def mark_seen(film_id: str, seen: bool, today: dt.date | None = None) -> tuple[bool, bool]:
    """As ``mark``; also whether the film was taken off the watchlist."""

    def plan(state: State) -> list[Op]:
        if seen == (film_id in state.seen):
            return []
        if not seen:
            return [Op("seen", film_id, None)]
        ops = [Op("seen", film_id, {"date": today or dt.date.today()})]
        return ops + ([Op("watchlist", film_id, None)] if film_id in state.watchlist else [])

    ops = update(plan, unmatched=False)
    return bool(ops), any(op.table == "watchlist" for op in ops)


def watch(film_id: str, add: bool, today: dt.date | None = None) -> bool:
    """Put a film on the watchlist or take it off; True if that changed anything."""

    def plan(state: State) -> list[Op]:
        if add == (film_id in state.watchlist):
            return []
        return [Op("watchlist", film_id, {"date": today or dt.date.today()} if add else None)]

    return bool(update(plan, unmatched=False))
