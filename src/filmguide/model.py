"""The dossier model, format version 1.

These dataclasses are the one definition of the dossier format: the loader
validates YAML against them (``filmguide.dossier``), the JSON Schema printed by
``filmguide schema`` is derived from them (``filmguide.schema``), and the rest
of the program reads them. Field metadata carries the documentation and the
constraints; a field with no default is required.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Literal

from .records import Frozen

SCHEMA_VERSION = 1


class Grade(IntEnum):
    """How much a piece of text gives away.

    ``none``: what a trailer shows. ``minor``: plot a viewer learns early.
    ``major``: the ending, the twist, anything that gives them away.
    """

    NONE = 0
    MINOR = 1
    MAJOR = 2

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Grade:
        return cls[text.strip().upper()]


# Marker types: plain ``str`` at run time, but each validated by its own rule.
class Slug(str):
    """Lower-case letters, digits and hyphens: ``all-of-us-strangers-2023``."""


class PartialDate(str):
    """A date as precise as known: ``2024``, ``2024-03`` or ``2024-03-21``."""


class Url(str):
    """An http(s) address."""


class CountryCode(str):
    """An ISO 3166-1 alpha-2 country code, upper case: ``FR``; ``SU`` and a few others for former countries."""


class LanguageCode(str):
    """An ISO 639-1 language code, lower case: ``fr``."""


def doc(text: str, **rules: Any) -> dict[str, Any]:
    """Field metadata: its documentation plus validation rules.

    Rules: ``min``/``max`` for whole numbers, ``shorthand`` for an object that
    may also be written as a bare string (the string fills that field),
    ``min_items`` and ``unique`` (no value twice) for lists.
    """
    return {"doc": text, **rules}


@dataclass(init=False, repr=False, eq=False, slots=True)
class Alias(Frozen):
    title: str = field(metadata=doc("Another title the film is known by."))
    grade: Grade = field(
        default=Grade.NONE,
        metadata=doc("Spoiler grade; only `none` aliases are used to find or suggest films."),
    )

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, title: str, grade: Grade = Grade.NONE) -> None:
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "grade", grade)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class SourceMaterial(Frozen):
    title: str = field(metadata=doc("Title of the work the film is based on."))
    author: str = field(metadata=doc("Its author."))
    kind: str = field(metadata=doc("What it is: novel, play, short story, comic, film…"))
    year: int | None = field(default=None, metadata=doc("Year it was published.", min=1, max=2100))
    original_title: str | None = field(default=None, metadata=doc("Title in its original language, if different."))

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        title: str,
        author: str,
        kind: str,
        year: int | None = None,
        original_title: str | None = None,
    ) -> None:
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "author", author)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "year", year)
        object.__setattr__(self, "original_title", original_title)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class CastMember(Frozen):
    actor: str = field(metadata=doc("The performer."))
    role: str = field(metadata=doc("The character they play."))
    grade: Grade = field(default=Grade.NONE, metadata=doc("Spoiler grade of this credit (a role name can spoil)."))

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, actor: str, role: str, grade: Grade = Grade.NONE) -> None:
        object.__setattr__(self, "actor", actor)
        object.__setattr__(self, "role", role)
        object.__setattr__(self, "grade", grade)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class WatchOption(Frozen):
    service: str = field(metadata=doc("Where the film can be watched: a service or a shop."))
    region: str = field(metadata=doc("Country or region code, such as US or GB."))
    as_of: PartialDate = field(metadata=doc("When this was true."))
    kind: Literal["stream", "rent", "buy", "free", "cinema"] | None = field(
        default=None, metadata=doc("How it can be watched there.")
    )

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        service: str,
        region: str,
        as_of: PartialDate,
        kind: Literal["stream", "rent", "buy", "free", "cinema"] | None = None,
    ) -> None:
        object.__setattr__(self, "service", service)
        object.__setattr__(self, "region", region)
        object.__setattr__(self, "as_of", as_of)
        object.__setattr__(self, "kind", kind)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class Award(Frozen):
    name: str = field(metadata=doc("The award or festival: BAFTA Film Awards, Academy Awards…"))
    year: int = field(metadata=doc("Year of the ceremony.", min=1900, max=2100))
    result: Literal["won", "nominated"] = field(metadata=doc("Won or nominated."))
    category: str | None = field(default=None, metadata=doc("The category, if one."))
    count: int | None = field(default=None, metadata=doc("For a summary entry: how many nominations or wins.", min=1))

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        name: str,
        year: int,
        result: Literal["won", "nominated"],
        category: str | None = None,
        count: int | None = None,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "year", year)
        object.__setattr__(self, "result", result)
        object.__setattr__(self, "category", category)
        object.__setattr__(self, "count", count)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class Act(Frozen):
    title: str = field(metadata=doc("A short name for this part of the film."))
    at: int = field(metadata=doc("Minute at which it starts.", min=0))
    grade: Grade = field(default=Grade.NONE, metadata=doc("Spoiler grade of the act's name."))

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, title: str, at: int, grade: Grade = Grade.NONE) -> None:
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "at", at)
        object.__setattr__(self, "grade", grade)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class Beat(Frozen):
    text: str = field(metadata=doc("What happens, in one or a few sentences."))
    grade: Grade = field(metadata=doc("Spoiler grade of this beat."))
    at: int | None = field(default=None, metadata=doc("Minute of the film at which a viewer learns it.", min=0))

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, text: str, grade: Grade, at: int | None = None) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "grade", grade)
        object.__setattr__(self, "at", at)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class Ending(Frozen):
    what: str = field(metadata=doc("What happens at the end."))
    meaning: str = field(metadata=doc("What it means: the reading the film and its makers support."))

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, what: str, meaning: str) -> None:
        object.__setattr__(self, "what", what)
        object.__setattr__(self, "meaning", meaning)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class Theory(Frozen):
    title: str = field(metadata=doc("A short name for the theory (graded with the rest of it)."))
    text: str = field(metadata=doc("The theory, stated fairly."))
    grade: Grade = field(metadata=doc("Spoiler grade of the whole theory, title included."))
    held_by: str = field(metadata=doc("Who holds it: critics, viewers, a named writer…"))
    filmmakers: str | None = field(default=None, metadata=doc("What the filmmakers have said of it, if anything."))
    status: Literal["open", "confirmed", "contradicted"] | None = field(
        default=None, metadata=doc("What the ending says of it; shown at the theory's grade.")
    )

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        title: str,
        text: str,
        grade: Grade,
        held_by: str,
        filmmakers: str | None = None,
        status: Literal["open", "confirmed", "contradicted"] | None = None,
    ) -> None:
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "grade", grade)
        object.__setattr__(self, "held_by", held_by)
        object.__setattr__(self, "filmmakers", filmmakers)
        object.__setattr__(self, "status", status)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class Quote(Frozen):
    text: str = field(metadata=doc("The exact words."))
    speaker: str = field(metadata=doc("Who said them: a character or a person."))
    source: str = field(metadata=doc("Where: the film itself, or the interview or article."))
    grade: Grade = field(metadata=doc("Spoiler grade: a remark about the ending is a spoiler."))
    context: str | None = field(default=None, metadata=doc("When or why it was said."))
    at: int | None = field(default=None, metadata=doc("Minute of the film, for a line of dialogue.", min=0))

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        text: str,
        speaker: str,
        source: str,
        grade: Grade,
        context: str | None = None,
        at: int | None = None,
    ) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "speaker", speaker)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "grade", grade)
        object.__setattr__(self, "context", context)
        object.__setattr__(self, "at", at)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class Related(Frozen):
    id: Slug = field(metadata=doc("Id of the related film's dossier."))
    why: str | None = field(default=None, metadata=doc("How the two films are related."))
    grade: Grade = field(default=Grade.NONE, metadata=doc("Spoiler grade of the reason."))

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, id: Slug, why: str | None = None, grade: Grade = Grade.NONE) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "why", why)
        object.__setattr__(self, "grade", grade)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class SourceRef(Frozen):
    publication: str = field(metadata=doc("Publication or site."))
    title: str | None = field(default=None, metadata=doc("Title of the piece."))
    url: Url | None = field(default=None, metadata=doc("Address of the piece."))
    date: PartialDate | None = field(default=None, metadata=doc("When it was published."))
    author: str | None = field(default=None, metadata=doc("Who wrote it."))

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        publication: str,
        title: str | None = None,
        url: Url | None = None,
        date: PartialDate | None = None,
        author: str | None = None,
    ) -> None:
        object.__setattr__(self, "publication", publication)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "url", url)
        object.__setattr__(self, "date", date)
        object.__setattr__(self, "author", author)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class Dossier(Frozen):
    schema: int = field(metadata=doc("Dossier format version; this is version 1.", min=1, max=1))
    id: Slug = field(metadata=doc("Unique id, the file's name without .yaml: title slug and year."))
    title: str = field(metadata=doc("The film's title as usually given in English."))
    year: int = field(metadata=doc("Year of first release.", min=1870, max=2100))
    runtime: int = field(metadata=doc("Running time in minutes.", min=1, max=1500))
    directors: tuple[str, ...] = field(metadata=doc("Who directed it.", min_items=1))
    premise: str = field(metadata=doc("The set-up, free of spoilers: what a trailer shows."))
    aliases: tuple[Alias, ...] = field(
        default=(), metadata=doc("Other titles: original-language, working or regional titles.", shorthand="title")
    )
    genres: tuple[str, ...] = field(default=(), metadata=doc("Genres, lower case."))
    countries: tuple[CountryCode, ...] = field(
        default=(),
        metadata=doc(
            "Countries of production, as ISO 3166-1 alpha-2 codes in upper case (FR, KR);"
            " a country that no longer exists keeps its old code (SU, CS, DD, YU).",
            unique=True,
        ),
    )
    languages: tuple[LanguageCode, ...] = field(
        default=(),
        metadata=doc(
            "Languages spoken in the film, main one first, as ISO 639-1 codes in lower case (en, ja).", unique=True
        ),
    )
    writers: tuple[str, ...] = field(default=(), metadata=doc("Who wrote the screenplay."))
    source: SourceMaterial | None = field(default=None, metadata=doc("What the film is based on."))
    cast: tuple[CastMember, ...] = field(default=(), metadata=doc("Performers and their roles."))
    watch: tuple[WatchOption, ...] = field(default=(), metadata=doc("Where to watch it, and when that was true."))
    awards: tuple[Award, ...] = field(default=(), metadata=doc("Awards won and nominations."))
    tags: tuple[str, ...] = field(default=(), metadata=doc("Free keywords, spoiler-free."))
    acts: tuple[Act, ...] = field(default=(), metadata=doc("Named parts of the film, for the timeline."))
    beats: tuple[Beat, ...] = field(default=(), metadata=doc("The plot, in order, one graded beat each."))
    ending: Ending | None = field(default=None, metadata=doc("The ending explained; always a major spoiler."))
    theories: tuple[Theory, ...] = field(default=(), metadata=doc("Readings of the film and its ending."))
    quotes: tuple[Quote, ...] = field(default=(), metadata=doc("Lines from the film or its makers, with sources."))
    related: tuple[Related, ...] = field(default=(), metadata=doc("Related films, by dossier id.", shorthand="id"))
    spoils: tuple[Slug, ...] = field(
        default=(),
        metadata=doc(
            "Ids of films whose twist or ending this film's major spoilers give away (a remake, the same source);"
            " before revealing them, filmguide names those films the user has not seen.",
            unique=True,
        ),
    )
    secrets: tuple[str, ...] = field(
        default=(),
        metadata=doc("Words and phrases that give the ending away; never shown, used by the leak linter."),
    )
    sources: tuple[SourceRef, ...] = field(default=(), metadata=doc("Where the facts come from."))

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        schema: int,
        id: Slug,
        title: str,
        year: int,
        runtime: int,
        directors: tuple[str, ...],
        premise: str,
        aliases: tuple[Alias, ...] = (),
        genres: tuple[str, ...] = (),
        countries: tuple[CountryCode, ...] = (),
        languages: tuple[LanguageCode, ...] = (),
        writers: tuple[str, ...] = (),
        source: SourceMaterial | None = None,
        cast: tuple[CastMember, ...] = (),
        watch: tuple[WatchOption, ...] = (),
        awards: tuple[Award, ...] = (),
        tags: tuple[str, ...] = (),
        acts: tuple[Act, ...] = (),
        beats: tuple[Beat, ...] = (),
        ending: Ending | None = None,
        theories: tuple[Theory, ...] = (),
        quotes: tuple[Quote, ...] = (),
        related: tuple[Related, ...] = (),
        spoils: tuple[Slug, ...] = (),
        secrets: tuple[str, ...] = (),
        sources: tuple[SourceRef, ...] = (),
    ) -> None:
        object.__setattr__(self, "schema", schema)
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "year", year)
        object.__setattr__(self, "runtime", runtime)
        object.__setattr__(self, "directors", directors)
        object.__setattr__(self, "premise", premise)
        object.__setattr__(self, "aliases", aliases)
        object.__setattr__(self, "genres", genres)
        object.__setattr__(self, "countries", countries)
        object.__setattr__(self, "languages", languages)
        object.__setattr__(self, "writers", writers)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "cast", cast)
        object.__setattr__(self, "watch", watch)
        object.__setattr__(self, "awards", awards)
        object.__setattr__(self, "tags", tags)
        object.__setattr__(self, "acts", acts)
        object.__setattr__(self, "beats", beats)
        object.__setattr__(self, "ending", ending)
        object.__setattr__(self, "theories", theories)
        object.__setattr__(self, "quotes", quotes)
        object.__setattr__(self, "related", related)
        object.__setattr__(self, "spoils", spoils)
        object.__setattr__(self, "secrets", secrets)
        object.__setattr__(self, "sources", sources)
    # --- end of the written __init__ ---
    # fmt: on
