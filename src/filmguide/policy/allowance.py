"""What the user allowed, resolved in one place from flags, settings and the seen list.

``resolve_allowance`` is the only function that turns a command's spoiler
flags (``Request``), the settings (``config.load_settings``: environment over
file over defaults) and the seen list into an ``Allowance``. The table it
implements is in docs/spoilers.md.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import UsageProblem
from ..model import Grade
from ..records import Frozen


@dataclass(init=False, repr=False, eq=False, slots=True)
class Allowance(Frozen):
    """What may be shown of one film: a grade, how far the user has watched, and the ending.

    ``ending`` is True when the ending may be shown (``--spoilers``, watched to
    the end, or a film marked seen with ``spoilers = "seen"``); ``None`` lets it
    follow the grade and position like any major item at the end of the film.
    ``flags`` are the spoiler flags the user gave, so that a hint never
    suggests one of them again.
    """

    level: Grade = Grade.NONE
    upto_seconds: int | None = None
    ending: bool | None = None
    flags: frozenset[str] = frozenset()

    @property
    def everything(self) -> bool:
        return self.level >= Grade.MAJOR and self.ending is True

    def permits(self, grade: Grade, at: int | None = None) -> bool:
        """An item with a minute mark follows ``--upto`` when given; else its grade rules."""
        if self.everything:
            return True
        if self.upto_seconds is not None and at is not None:
            return at * 60 <= self.upto_seconds
        return grade <= self.level

    def later(self, at: int | None) -> bool:
        """Hidden because it comes after the position given with ``--upto``, whatever its grade."""
        return not self.everything and self.upto_seconds is not None and at is not None and at * 60 > self.upto_seconds

    def permits_ending(self, runtime: int) -> bool:
        """The ending counts as at the end of the film."""
        if self.ending is not None:
            return self.ending
        return self.permits(Grade.MAJOR, runtime)

    def shows(self, section: str, grade: Grade, at: int | None, runtime: int) -> bool:
        """Whether one catalogue item may be shown: the one rule redact, search and the index share."""
        if section == "ending":
            return self.permits_ending(runtime)
        return self.permits(grade, at)

    def grade_limits(self) -> tuple[int, int] | None:
        """``shows`` as two numbers, for a query to apply: the highest grade shown of the ending and of
        every other item (-1: none), whatever their minute; None when minutes decide (``--upto``)."""
        if self.upto_seconds is not None and not self.everything:
            return None
        top = int(max(Grade))
        ending = top if self.permits_ending(0) else -1
        return ending, top if self.everything else int(self.level)

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        level: Grade = Grade.NONE,
        upto_seconds: int | None = None,
        ending: bool | None = None,
        flags: frozenset[str] = frozenset(),
    ) -> None:
        object.__setattr__(self, "level", level)
        object.__setattr__(self, "upto_seconds", upto_seconds)
        object.__setattr__(self, "ending", ending)
        object.__setattr__(self, "flags", flags)
    # --- end of the written __init__ ---
    # fmt: on


EVERYTHING = Allowance(Grade.MAJOR, None, True)


@dataclass(init=False, repr=False, eq=False, slots=True)
class Request(Frozen):
    """A command's spoiler flags, as given.

    ``spoilers`` is ``--spoilers`` (``export --spoilers=show``); ``for_others``
    marks an export for other people, where only these flags count.
    """

    level: Grade | None = None
    spoilers: bool = False
    upto: str | None = None
    for_others: bool = False
    spoilers_flag: str = "--spoilers"

    @property
    def flags(self) -> frozenset[str]:
        given = {"--level": self.level is not None, "--upto": self.upto is not None, "--spoilers": self.spoilers}
        return frozenset(k for k, v in given.items() if v)

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        level: Grade | None = None,
        spoilers: bool = False,
        upto: str | None = None,
        for_others: bool = False,
        spoilers_flag: str = "--spoilers",
    ) -> None:
        object.__setattr__(self, "level", level)
        object.__setattr__(self, "spoilers", spoilers)
        object.__setattr__(self, "upto", upto)
        object.__setattr__(self, "for_others", for_others)
        object.__setattr__(self, "spoilers_flag", spoilers_flag)
    # --- end of the written __init__ ---
    # fmt: on


def check_request(request: Request) -> None:
    """A contradictory combination of flags is a usage error naming both."""
    if request.spoilers:
        for flag in ("--level", "--upto"):
            if flag in request.flags:
                raise UsageProblem(
                    f"{request.spoilers_flag} and {flag} contradict each other: "
                    f"{request.spoilers_flag} shows everything, {flag} only part; give one of them"
                )


def _setting(settings: Mapping[str, Any] | None, name: str, default: str) -> str:
    if settings is None or name not in settings:
        return default
    value = settings[name]
    return str(getattr(value, "value", value))


def resolve_allowance(
    request: Request,
    film_id: str,
    runtime: int,
    settings: Mapping[str, Any] | None = None,
    seen: Collection[str] = (),
) -> Allowance:
    """The allowance for one film: flags first, then the settings, then the seen list.

    - ``--spoilers``, or ``--upto`` at or past the end: everything.
    - ``--level`` and ``--upto``: items with a minute follow the position, the
      others their grade; the ending needs ``--spoilers`` or the end of the film.
    - No flags: the configured level; with ``spoilers = "seen"``, a film marked
      seen shows everything.
    - For other people (``export``): the flags alone; the settings and the seen
      list never apply.
    """
    check_request(request)
    flags = request.flags
    seconds = parse_position(request.upto, runtime) if request.upto is not None else None
    if request.spoilers or (seconds is not None and seconds >= runtime * 60):
        return Allowance(Grade.MAJOR, seconds, True, flags)
    if request.for_others:
        return Allowance(request.level or Grade.NONE, seconds, False, flags)
    if request.level is not None:
        return Allowance(request.level, seconds, False, flags)
    if seconds is None and _setting(settings, "spoilers", "ask") == "seen" and film_id in seen:
        return Allowance(Grade.MAJOR, None, True, flags)
    return Allowance(Grade.parse(_setting(settings, "level", "none")), seconds, False, flags)


class Allowances:
    """``resolve_allowance`` by film id, for commands over many films (a call gives one film's).

    Without ``--upto`` (which needs each film's runtime), the films the seen list
    does not name share ``default``, resolved once; ``exceptions`` holds those
    it names. With ``--upto``, ``default`` is None and each film is resolved.
    """

    __slots__ = ("_request", "_seen", "_settings", "default", "exceptions")

    def __init__(self, request: Request, settings: Mapping[str, Any] | None = None, seen: Collection[str] = ()) -> None:
        check_request(request)
        self._request, self._settings, self._seen = request, settings, seen
        self.default: Allowance | None = None
        self.exceptions: dict[str, Allowance] = {}
        if request.upto is None:
            self.default = resolve_allowance(request, "", 1, settings, ())
            self.exceptions = {film: resolve_allowance(request, film, 1, settings, seen) for film in seen}

    def __call__(self, film_id: str) -> Allowance:
        if self.default is None:
            return resolve_allowance(self._request, film_id, 1, self._settings, self._seen)
        return self.exceptions.get(film_id, self.default)


# --- positions for --upto -------------------------------------------------

UPTO_FORMS = "minutes (45 or 45m), h:mm or h:mm:ss (1:12, 1:12:00), or a percentage of the runtime (40%)"
_UPTO_MAX = 16
_MINUTES = re.compile(r"(\d+)\s*m?(?:in)?")
_CLOCK = re.compile(r"(\d+):([0-5]\d)(?::([0-5]\d))?")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")


def parse_position(text: str, runtime: int) -> int:
    """``--upto`` as seconds into the film; a ``UsageProblem`` names the accepted forms."""
    raw = text.strip().lower()
    if len(raw) > _UPTO_MAX:  # no position is this long; int() would refuse 5,000 digits with a ValueError
        raise UsageProblem(f"--upto takes a position of at most {_UPTO_MAX} characters: {UPTO_FORMS}")
    seconds: float
    if m := _MINUTES.fullmatch(raw):
        seconds = int(m[1]) * 60
    elif m := _CLOCK.fullmatch(raw):
        seconds = int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3] or 0)
    elif m := _PERCENT.fullmatch(raw):
        pct = float(m[1])
        if pct > 100:
            raise UsageProblem(f"--upto {text!r}: a percentage goes from 0% to 100%")
        seconds = runtime * 60 * pct / 100
    else:
        raise UsageProblem(f"--upto {text!r} is not a position; use {UPTO_FORMS}")
    if seconds > runtime * 60:
        raise UsageProblem(f"--upto {text!r} is past the end of the film ({runtime} min)")
    return int(seconds)
