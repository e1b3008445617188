"""The spoiler policy: the one place that decides what may be shown.

``redact`` takes a dossier and what the user allowed and returns a
``DossierView`` holding only what may be shown, plus counts of what was
hidden. Renderers receive the view and nothing else, so no renderer can leak:
hidden text is not in the object they are given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import UsageProblem
from .model import (
    Act,
    Award,
    Beat,
    CastMember,
    Dossier,
    Ending,
    Grade,
    Quote,
    Related,
    SourceMaterial,
    SourceRef,
    Theory,
    WatchOption,
)

if TYPE_CHECKING:
    from .patches import PatchInfo

T = TypeVar("T")

SECTIONS = ("aliases", "cast", "acts", "beats", "ending", "theories", "quotes", "related")


@dataclass(frozen=True, slots=True)
class Allowance:
    """What the user allowed: a grade, and optionally how far they have watched."""

    level: Grade = Grade.NONE
    upto_seconds: int | None = None

    def permits(self, grade: Grade, at: int | None = None) -> bool:
        """An item with a minute mark follows ``--upto`` when given; else its grade rules."""
        if self.upto_seconds is not None and at is not None:
            return at * 60 <= self.upto_seconds
        return grade <= self.level

    def permits_ending(self, runtime: int) -> bool:
        """The ending counts as at the end of the film."""
        return self.permits(Grade.MAJOR, runtime)


@dataclass(frozen=True, slots=True)
class Hidden:
    """How many items of a section were withheld, by grade. Never their text or length."""

    minor: int = 0
    major: int = 0

    @property
    def total(self) -> int:
        return self.minor + self.major


@dataclass(frozen=True, slots=True)
class DossierView:
    """Everything a renderer may show of one film under one allowance."""

    id: str
    title: str
    year: int
    runtime: int
    directors: tuple[str, ...]
    writers: tuple[str, ...]
    genres: tuple[str, ...]
    tags: tuple[str, ...]
    premise: str
    source: SourceMaterial | None
    watch: tuple[WatchOption, ...]
    awards: tuple[Award, ...]
    sources: tuple[SourceRef, ...]
    aliases: tuple[str, ...]
    cast: tuple[CastMember, ...]
    acts: tuple[Act, ...]
    beats: tuple[Beat, ...]
    ending: Ending | None
    theories: tuple[Theory, ...]
    quotes: tuple[Quote, ...]
    related: tuple[Related, ...]
    allowance: Allowance
    hidden: dict[str, Hidden] = field(default_factory=dict)
    # Minutes at which withheld beats happen: the timeline draws an unlabelled
    # mark there. Only the minute, never what happens.
    hidden_beat_minutes: tuple[int, ...] = ()
    # True for the view of what an allowance hides (spoiler_delta): it holds
    # only graded items, for destinations that wrap them in spoiler markup.
    delta: bool = False
    # What the user's own patch files added (positions in the shown lists) or replaced.
    from_patch: dict[str, frozenset[int]] = field(default_factory=dict)
    patch_files: tuple[str, ...] = ()
    patched_fields: tuple[str, ...] = ()

    def hidden_in(self, section: str) -> Hidden:
        return self.hidden.get(section, Hidden())

    @property
    def hidden_total(self) -> Hidden:
        return Hidden(sum(h.minor for h in self.hidden.values()), sum(h.major for h in self.hidden.values()))


def _split(items: Iterable[T], allowance: Allowance) -> tuple[tuple[T, ...], Hidden]:
    shown: list[T] = []
    minor = major = 0
    for item in items:
        grade: Grade = item.grade  # type: ignore[attr-defined]
        if allowance.permits(grade, getattr(item, "at", None)):
            shown.append(item)
        elif grade >= Grade.MAJOR:
            major += 1
        else:
            minor += 1  # a `none` item past --upto is counted with the minor ones
    return tuple(shown), Hidden(minor, major)


def redact(d: Dossier, allowance: Allowance, patches: Sequence[PatchInfo] = ()) -> DossierView:
    """The only function that turns a dossier into something a renderer may see.

    ``patches`` (from the catalog) mark which shown items the user's own
    ``<id>.patch.yaml`` files added; they change nothing about what is shown.
    """
    hidden: dict[str, Hidden] = {}
    aliases, hidden["aliases"] = _split(d.aliases, allowance)
    cast, hidden["cast"] = _split(d.cast, allowance)
    acts, hidden["acts"] = _split(d.acts, allowance)
    beats, hidden["beats"] = _split(d.beats, allowance)
    theories, hidden["theories"] = _split(d.theories, allowance)
    quotes, hidden["quotes"] = _split(d.quotes, allowance)
    related, hidden["related"] = _split(d.related, allowance)
    ending = d.ending if d.ending is not None and allowance.permits_ending(d.runtime) else None
    if d.ending is not None and ending is None:
        hidden["ending"] = Hidden(0, 1)
    shown_beats = set(map(id, beats))
    hidden_minutes = tuple(b.at for b in d.beats if id(b) not in shown_beats and b.at is not None)
    return DossierView(
        id=d.id,
        title=d.title,
        year=d.year,
        runtime=d.runtime,
        directors=d.directors,
        writers=d.writers,
        genres=d.genres,
        tags=d.tags,
        premise=d.premise,
        source=d.source,
        watch=d.watch,
        awards=d.awards,
        sources=d.sources,
        aliases=tuple(a.title for a in aliases),
        cast=cast,
        acts=acts,
        beats=beats,
        ending=ending,
        theories=theories,
        quotes=quotes,
        related=related,
        allowance=allowance,
        hidden={k: v for k, v in hidden.items() if v.total},
        hidden_beat_minutes=hidden_minutes,
        from_patch=_from_patch(d, patches, {"theories": theories, "quotes": quotes, "watch": d.watch, "beats": beats}),
        patch_files=tuple(p.file for p in patches),
        patched_fields=tuple(sorted({f for p in patches for f in (*p.replaced, *p.appended)})),
    )


def _from_patch(
    d: Dossier, patches: Sequence[PatchInfo], shown: dict[str, tuple[Any, ...]]
) -> dict[str, frozenset[int]]:
    """Positions, in the shown lists, of the items that patches appended."""
    out: dict[str, frozenset[int]] = {}
    for section, items in shown.items():
        added = sum(p.appended.get(section, 0) for p in patches)
        if not added:
            continue
        tail = set(map(id, getattr(d, section)[-added:]))
        out[section] = frozenset(i for i, x in enumerate(items) if id(x) in tail)
    return out


def spoiler_delta(d: Dossier, allowance: Allowance) -> DossierView:
    """What ``allowance`` hides, as a view of its own: for ``export --spoilers=wrap``.

    The user asked for the hidden parts to be included inside the
    destination's spoiler markup; this view holds exactly those parts, so the
    renderer never decides what is a spoiler.
    """
    shown = redact(d, allowance)
    full = redact(d, Allowance(Grade.MAJOR))

    def minus(a: tuple[T, ...], b: tuple[T, ...]) -> tuple[T, ...]:
        ids = set(map(id, b))
        return tuple(x for x in a if id(x) not in ids)

    return replace(
        full,
        premise="",
        directors=(),
        writers=(),
        genres=(),
        tags=(),
        source=None,
        watch=(),
        awards=(),
        sources=(),
        aliases=tuple(a for a in full.aliases if a not in shown.aliases),
        cast=minus(full.cast, shown.cast),
        acts=minus(full.acts, shown.acts),
        beats=minus(full.beats, shown.beats),
        ending=full.ending if shown.ending is None else None,
        theories=minus(full.theories, shown.theories),
        quotes=minus(full.quotes, shown.quotes),
        related=minus(full.related, shown.related),
        hidden={},
        hidden_beat_minutes=(),
        delta=True,
    )


def reveal_hint(hidden: Hidden, allowance: Allowance) -> str:
    """Which flag shows what is hidden. Counts only: the same for any text length."""
    if hidden.minor and allowance.level < Grade.MINOR and allowance.upto_seconds is None:
        return "add --level minor, or --spoilers for everything"
    if allowance.upto_seconds is not None:
        return "watch further and raise --upto, or add --spoilers"
    return "add --spoilers"


_PLURALS = {"theory": "theories"}


def hidden_phrase(hidden: Hidden, noun: str = "item") -> str:
    """``2 beats hidden (1 minor, 1 major)``: a fixed-form placeholder."""
    n = hidden.total
    parts = [f"{c} {g}" for c, g in ((hidden.minor, "minor"), (hidden.major, "major")) if c]
    nouns = noun if n == 1 else _PLURALS.get(noun, noun + "s")
    return f"{n} {nouns} hidden ({', '.join(parts)})"


# --- positions for --upto -------------------------------------------------

UPTO_FORMS = "minutes (45 or 45m), h:mm or h:mm:ss (1:12, 1:12:00), or a percentage of the runtime (40%)"
_MINUTES = re.compile(r"(\d+)\s*m?(?:in)?")
_CLOCK = re.compile(r"(\d+):([0-5]\d)(?::([0-5]\d))?")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")


def parse_position(text: str, runtime: int) -> int:
    """``--upto`` as seconds into the film; a ``UsageProblem`` names the accepted forms."""
    raw = text.strip().lower()
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
