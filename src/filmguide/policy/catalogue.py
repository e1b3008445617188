"""The catalogue of a dossier's items: every text, with the grade and minute that rule it.

One list, read by everything that decides or checks what may be shown:
``redact`` and ``search`` (through ``Allowance.shows``), the index's search
rows and names, the linter, title resolution and completion. An item is what
is shown or withheld as one: a beat, an alias, a cast credit (actor and
role), a quote with its speaker, source and context, a theory with its title
and holder, the ending. Texts without a grade (title, premise, credits) are
items of grade ``none``. Secrets are never in the catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..model import Dossier, Grade
from ..records import Frozen

Key = str | int
Reach = Literal["name", "label", "page"]


@dataclass(init=False, repr=False, eq=False, slots=True)
class Text(Frozen):
    keys: tuple[Key, ...]  # the field's path in the dossier: ("beats", 2, "text")
    value: str

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, keys: tuple[Key, ...], value: str) -> None:
        object.__setattr__(self, "keys", keys)
        object.__setattr__(self, "value", value)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class Item(Frozen):
    section: str
    index: int
    grade: Grade
    at: int | None
    texts: tuple[Text, ...]
    # "name": typed to find the film and shown everywhere (title, id, none aliases);
    # "label": shown everywhere (tags, genres); "page": shown on the film's own pages.
    reach: Reach = "page"
    searched: bool = True  # in the full-text index
    linted: bool = True  # checked for secrets by `lint`

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        section: str,
        index: int,
        grade: Grade,
        at: int | None,
        texts: tuple[Text, ...],
        reach: Reach = "page",
        searched: bool = True,
        linted: bool = True,
    ) -> None:
        object.__setattr__(self, "section", section)
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "grade", grade)
        object.__setattr__(self, "at", at)
        object.__setattr__(self, "texts", texts)
        object.__setattr__(self, "reach", reach)
        object.__setattr__(self, "searched", searched)
        object.__setattr__(self, "linted", linted)
    # --- end of the written __init__ ---
    # fmt: on


def _item(
    section: str,
    index: int,
    grade: Grade,
    at: int | None,
    fields: Sequence[tuple[tuple[Key, ...], str | None]],
    **kw: object,
) -> Item | None:
    texts = tuple(Text(keys, value) for keys, value in fields if value)
    return Item(section, index, grade, at, texts, **kw) if texts else None  # type: ignore[arg-type]


def items(d: Dossier) -> list[Item]:
    """Every item of ``d``, in the order search snippets and lint findings use.

    ``names``, ``labels`` and ``search_items`` take these items (``catalogued``) when the
    caller has them already: storing a film asks for all three.
    """
    out: list[Item | None] = []
    add = out.append
    add(_item("title", 0, Grade.NONE, None, [(("title",), d.title)], reach="name"))
    add(_item("id", 0, Grade.NONE, None, [(("id",), d.id.replace("-", " "))], reach="name", searched=False))
    for i, a in enumerate(d.aliases):
        reach: Reach = "name" if a.grade == Grade.NONE else "page"
        add(_item("aliases", i, a.grade, None, [(("aliases", i, "title"), a.title)], reach=reach))
    for section in ("directors", "writers"):
        people = [((section, i), p) for i, p in enumerate(getattr(d, section))]
        add(_item(section, 0, Grade.NONE, None, people, linted=False))
    for section in ("genres", "tags"):
        words = [((section, i), w) for i, w in enumerate(getattr(d, section))]
        add(_item(section, 0, Grade.NONE, None, words, reach="label"))
    if d.source is not None:
        names = ("title", "original_title", "author", "kind")
        add(_item("source", 0, Grade.NONE, None, [(("source", n), getattr(d.source, n)) for n in names]))
    for i, c in enumerate(d.cast):
        add(_item("cast", i, c.grade, None, [(("cast", i, "actor"), c.actor), (("cast", i, "role"), c.role)]))
    add(_item("premise", 0, Grade.NONE, None, [(("premise",), d.premise)]))
    for i, w in enumerate(d.watch):
        fields = [(("watch", i, n), getattr(w, n)) for n in ("service", "region")]
        add(_item("watch", i, Grade.NONE, None, fields, searched=False))
    for i, aw in enumerate(d.awards):
        fields = [(("awards", i, n), getattr(aw, n)) for n in ("name", "category")]
        add(_item("awards", i, Grade.NONE, None, fields, searched=False))
    for i, ref in enumerate(d.sources):
        add(_item("sources", i, Grade.NONE, None, [(("sources", i, "title"), ref.title)], searched=False))
    for i, act in enumerate(d.acts):
        add(_item("acts", i, act.grade, act.at, [(("acts", i, "title"), act.title)]))
    for i, b in enumerate(d.beats):
        add(_item("beats", i, b.grade, b.at, [(("beats", i, "text"), b.text)]))
    if d.ending is not None:
        ending = [(("ending", "what"), d.ending.what), (("ending", "meaning"), d.ending.meaning)]
        add(_item("ending", 0, Grade.MAJOR, None, ending))
    for i, t in enumerate(d.theories):
        names = ("title", "text", "held_by", "filmmakers")
        add(_item("theories", i, t.grade, None, [(("theories", i, n), getattr(t, n)) for n in names]))
    for i, q in enumerate(d.quotes):
        names = ("text", "speaker", "source", "context")
        add(_item("quotes", i, q.grade, q.at, [(("quotes", i, n), getattr(q, n)) for n in names]))
    for i, r in enumerate(d.related):
        add(_item("related", i, r.grade, None, [(("related", i, "why"), r.why)]))
    return [x for x in out if x is not None]


def names(d: Dossier, catalogued: list[Item] | None = None) -> list[str]:
    """The names a user may type to find a film, and that suggestions and completion offer:
    the title and the ``none`` aliases. Never a graded alias."""
    its = items(d) if catalogued is None else catalogued
    return [t.value for it in its if it.reach == "name" and it.section != "id" for t in it.texts]


# What each filter of `list` takes, by the catalogue's sections: completion offers these values.
LABELS: dict[str, tuple[str, ...]] = {
    "genre": ("genres",),
    "tag": ("tags",),
    "director": ("directors",),
    "person": ("directors", "writers", "cast"),
}


def labels(d: Dossier, catalogued: list[Item] | None = None) -> dict[str, list[str]]:
    """The spoiler-free values ``list``'s filters take, that completion offers: genres, tags,
    directors, and people (directors, writers, the actors of ``none``-graded cast credits).
    Only items of grade ``none`` tied to no minute: never a graded credit, never a role."""
    its = items(d) if catalogued is None else catalogued
    free = [it for it in its if it.grade == Grade.NONE and it.at is None]
    return {
        kind: [t.value for it in free if it.section in sections for t in it.texts if t.keys[-1] != "role"]
        for kind, sections in LABELS.items()
    }


def search_items(d: Dossier, catalogued: list[Item] | None = None) -> list[tuple[str, int, int, int | None, list[str]]]:
    """The items the full-text index holds: (section, item, grade, at minute, its texts)."""
    its = items(d) if catalogued is None else catalogued
    return [(it.section, it.index, int(it.grade), it.at, [t.value for t in it.texts]) for it in its if it.searched]
