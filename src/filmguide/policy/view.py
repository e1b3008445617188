"""The view: what one allowance lets a renderer see of a dossier.

``redact`` takes a dossier and what the user allowed and returns a
``DossierView`` holding only what may be shown, plus counts of what was
hidden. Renderers receive the view and nothing else, so no renderer can leak:
hidden text is not in the object they are given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from ..model import (
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
from ..records import Frozen
from .allowance import EVERYTHING, Allowance

if TYPE_CHECKING:
    from ..patches import PatchInfo

T = TypeVar("T")


@dataclass(init=False, repr=False, eq=False, slots=True)
class Hidden(Frozen):
    """How many items of a section were withheld, by grade. Never their text or length.

    ``later_minor`` and ``later_major`` count those among them withheld only
    because they come after the ``--upto`` position (the ending included):
    the hint says what would reveal them.
    """

    minor: int = 0
    major: int = 0
    later_minor: int = 0
    later_major: int = 0

    @property
    def total(self) -> int:
        return self.minor + self.major

    def __add__(self, other: Hidden) -> Hidden:
        return Hidden(
            self.minor + other.minor,
            self.major + other.major,
            self.later_minor + other.later_minor,
            self.later_major + other.later_major,
        )

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, minor: int = 0, major: int = 0, later_minor: int = 0, later_major: int = 0) -> None:
        object.__setattr__(self, "minor", minor)
        object.__setattr__(self, "major", major)
        object.__setattr__(self, "later_minor", later_minor)
        object.__setattr__(self, "later_major", later_major)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class DossierView(Frozen):
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
        return sum(self.hidden.values(), Hidden())

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        id: str,
        title: str,
        year: int,
        runtime: int,
        directors: tuple[str, ...],
        writers: tuple[str, ...],
        genres: tuple[str, ...],
        tags: tuple[str, ...],
        premise: str,
        source: SourceMaterial | None,
        watch: tuple[WatchOption, ...],
        awards: tuple[Award, ...],
        sources: tuple[SourceRef, ...],
        aliases: tuple[str, ...],
        cast: tuple[CastMember, ...],
        acts: tuple[Act, ...],
        beats: tuple[Beat, ...],
        ending: Ending | None,
        theories: tuple[Theory, ...],
        quotes: tuple[Quote, ...],
        related: tuple[Related, ...],
        allowance: Allowance,
        hidden: dict[str, Hidden] | None = None,
        hidden_beat_minutes: tuple[int, ...] = (),
        delta: bool = False,
        from_patch: dict[str, frozenset[int]] | None = None,
        patch_files: tuple[str, ...] = (),
        patched_fields: tuple[str, ...] = (),
    ) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "year", year)
        object.__setattr__(self, "runtime", runtime)
        object.__setattr__(self, "directors", directors)
        object.__setattr__(self, "writers", writers)
        object.__setattr__(self, "genres", genres)
        object.__setattr__(self, "tags", tags)
        object.__setattr__(self, "premise", premise)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "watch", watch)
        object.__setattr__(self, "awards", awards)
        object.__setattr__(self, "sources", sources)
        object.__setattr__(self, "aliases", aliases)
        object.__setattr__(self, "cast", cast)
        object.__setattr__(self, "acts", acts)
        object.__setattr__(self, "beats", beats)
        object.__setattr__(self, "ending", ending)
        object.__setattr__(self, "theories", theories)
        object.__setattr__(self, "quotes", quotes)
        object.__setattr__(self, "related", related)
        object.__setattr__(self, "allowance", allowance)
        object.__setattr__(self, "hidden", dict() if hidden is None else hidden)
        object.__setattr__(self, "hidden_beat_minutes", hidden_beat_minutes)
        object.__setattr__(self, "delta", delta)
        object.__setattr__(self, "from_patch", dict() if from_patch is None else from_patch)
        object.__setattr__(self, "patch_files", patch_files)
        object.__setattr__(self, "patched_fields", patched_fields)
    # --- end of the written __init__ ---
    # fmt: on


def _split(section: str, items: Iterable[T], allowance: Allowance, runtime: int) -> tuple[tuple[T, ...], Hidden]:
    shown: list[T] = []
    counts = [0, 0, 0, 0]  # minor, major, later minor, later major
    for item in items:
        grade: Grade = item.grade  # type: ignore[attr-defined]
        at: int | None = getattr(item, "at", None)
        if allowance.shows(section, grade, at, runtime):
            shown.append(item)
            continue
        major = grade >= Grade.MAJOR  # a `none` item past --upto is counted with the minor ones
        counts[major] += 1
        if allowance.later(at):
            counts[2 + major] += 1
    return tuple(shown), Hidden(*counts)


def redact(d: Dossier, allowance: Allowance, patches: Sequence[PatchInfo] = ()) -> DossierView:
    """The only function that turns a dossier into something a renderer may see.

    ``patches`` (from the catalog) mark which shown items the user's own
    ``<id>.patch.yaml`` files added; they change nothing about what is shown.
    """
    hidden: dict[str, Hidden] = {}
    rt = d.runtime
    aliases, hidden["aliases"] = _split("aliases", d.aliases, allowance, rt)
    cast, hidden["cast"] = _split("cast", d.cast, allowance, rt)
    acts, hidden["acts"] = _split("acts", d.acts, allowance, rt)
    beats, hidden["beats"] = _split("beats", d.beats, allowance, rt)
    theories, hidden["theories"] = _split("theories", d.theories, allowance, rt)
    quotes, hidden["quotes"] = _split("quotes", d.quotes, allowance, rt)
    related, hidden["related"] = _split("related", d.related, allowance, rt)
    ending = d.ending if d.ending is not None and allowance.shows("ending", Grade.MAJOR, None, rt) else None
    if d.ending is not None and ending is None:
        later = int(allowance.later(rt))  # the ending counts as at the end of the film
        hidden["ending"] = Hidden(0, 1, 0, later)
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
    full = redact(d, EVERYTHING)

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


def spoiled_by(d: Dossier, view: DossierView, seen: Iterable[str]) -> tuple[str, ...]:
    """Films this view gives away: ids in ``d.spoils`` not marked seen, if it shows the ending or a major item.

    Only what the view shows counts, so what the allowance hides never
    decides whether the other films are named.
    """
    if not d.spoils or not reveals_major(view):
        return ()
    watched = set(seen)
    return tuple(other for other in d.spoils if other not in watched)


def reveals_major(view: DossierView) -> bool:
    """Whether the view shows the ending or any item graded major."""
    if view.ending is not None:
        return True
    sections = ("cast", "acts", "beats", "theories", "quotes", "related")
    return any(item.grade >= Grade.MAJOR for section in sections for item in getattr(view, section))
