"""A view laid out as a document of sections, for any text renderer.

Pure data: no Rich, no terminal. Text stays as the dossier wrote it; each
renderer cleans and escapes it for its own destination.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..model import Grade
from ..policy import DossierView, Hidden, hidden_phrase, reveal_hint
from ..records import Record


@dataclass(init=False, repr=False, eq=False, slots=True)
class Item(Record):
    text: str
    heading: str | None = None  # a theory's title
    meta: str | None = None  # "12 min · minor"
    details: list[tuple[str, str]] = field(default_factory=list)

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        text: str,
        heading: str | None = None,
        meta: str | None = None,
        details: list[tuple[str, str]] | None = None,
    ) -> None:
        self.text = text
        self.heading = heading
        self.meta = meta
        self.details = list() if details is None else details
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class Section(Record):
    key: str
    title: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    numbered: bool = False
    hidden: str | None = None  # the fixed placeholder for withheld items
    grade: str = "none"  # the highest grade this section can hold, for export wrapping

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        key: str,
        title: str,
        fields: list[tuple[str, str]] | None = None,
        paragraphs: list[str] | None = None,
        items: list[Item] | None = None,
        numbered: bool = False,
        hidden: str | None = None,
        grade: str = "none",
    ) -> None:
        self.key = key
        self.title = title
        self.fields = list() if fields is None else fields
        self.paragraphs = list() if paragraphs is None else paragraphs
        self.items = list() if items is None else items
        self.numbered = numbered
        self.hidden = hidden
        self.grade = grade
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class Document(Record):
    title: str
    subtitle: str
    sections: list[Section]
    footer: str | None = None

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, title: str, subtitle: str, sections: list[Section], footer: str | None = None) -> None:
        self.title = title
        self.subtitle = subtitle
        self.sections = sections
        self.footer = footer
    # --- end of the written __init__ ---
    # fmt: on


def _placeholder(view: DossierView, hidden: Hidden, noun: str) -> str | None:
    if not hidden.total:
        return None
    return f"▒▒▒▒ {hidden_phrase(hidden, noun)} — {reveal_hint(hidden, view.allowance)}"


def _minutes(at: int | None) -> str | None:
    return None if at is None else f"{at} min"


def _credits(v: DossierView) -> Section:
    s = Section("credits", "Credits")
    add = s.fields.append
    if v.aliases:
        add(("Also known as", "; ".join(v.aliases)))
    if v.delta:  # only the graded credits: hidden aliases and roles
        s.fields += [("Cast", f"{c.actor} as {c.role}") for c in v.cast]
        return s
    add(("Directed by", ", ".join(v.directors)))
    if v.writers:
        add(("Written by", ", ".join(v.writers)))
    if v.source:
        src = v.source
        orig = f" ({src.original_title})" if src.original_title else ""
        year = f", {src.year}" if src.year else ""
        add(("Based on", f"{src.title}{orig}, {src.kind} by {src.author}{year}"))
    add(("Runtime", f"{v.runtime} min"))
    if v.genres:
        add(("Genres", ", ".join(v.genres)))
    for c in v.cast:
        add(("Cast", f"{c.actor} as {c.role}"))
    for i, w in enumerate(v.watch):
        kind = f" ({w.kind})" if w.kind else ""
        mine = " — from your patch" if i in v.from_patch.get("watch", ()) else ""
        add(("Watch", f"{w.service}{kind}, {w.region}, as of {w.as_of}{mine}"))
    for a in v.awards:
        noun = "nomination" if a.result == "nominated" else "win"
        what = f"{a.count} {noun}{'s' * (a.count != 1)}" if a.count else a.result
        cat = f": {a.category}" if a.category else ""
        add(("Awards", f"{a.name} {a.year}{cat} — {what}"))
    if v.tags:
        add(("Tags", ", ".join(v.tags)))
    if v.patch_files:
        add(("Your patch", f"{'; '.join(v.patch_files)} (changes {', '.join(v.patched_fields)})"))
    hidden = v.hidden_in("cast") + v.hidden_in("aliases")
    s.hidden = _placeholder(v, hidden, "credit")
    return s


def _beats(v: DossierView) -> Section:
    s = Section("beats", "Plot", numbered=True, grade="major")
    for i, b in enumerate(v.beats):
        mine = "from your patch" if i in v.from_patch.get("beats", ()) else None
        meta = " · ".join(x for x in (_minutes(b.at), b.grade.label if b.grade else None, mine) if x)
        s.items.append(Item(b.text, meta=meta or None))
    s.hidden = _placeholder(v, v.hidden_in("beats"), "beat")
    if not v.beats and not s.hidden and not v.delta:
        s.paragraphs.append("This dossier tells no plot yet.")
    return s


def _ending(v: DossierView) -> Section:
    s = Section("ending", "The ending (major spoilers)", grade="major")
    if v.ending is not None:
        s.fields = []
        s.items = [Item(v.ending.what, heading="What happens"), Item(v.ending.meaning, heading="What it means")]
    else:
        s.hidden = _placeholder(v, v.hidden_in("ending"), "ending")
        if s.hidden is None and not v.delta:
            s.paragraphs.append("This dossier does not explain the ending yet.")
    return s


def _theories(v: DossierView) -> Section:
    s = Section("theories", "Theories", numbered=True, grade="major")
    for i, t in enumerate(v.theories):
        details = [("Held by", t.held_by)]
        if i in v.from_patch.get("theories", ()):
            details.append(("Added by", "your patch"))
        if t.filmmakers:
            details.append(("The filmmakers", t.filmmakers))
        if t.status:
            details.append(("What the ending says", t.status))
        s.items.append(Item(t.text, heading=t.title, meta=t.grade.label, details=details))
    s.hidden = _placeholder(v, v.hidden_in("theories"), "theory")
    if not v.theories and not s.hidden and not v.delta:
        s.paragraphs.append("No theories recorded.")
    return s


def _quotes(v: DossierView) -> Section:
    s = Section("quotes", "Quotes", grade="major")
    for i, q in enumerate(v.quotes):
        details = [("Source", q.source)]
        if i in v.from_patch.get("quotes", ()):
            details.append(("Added by", "your patch"))
        if q.context:
            details.append(("Context", q.context))
        meta = " · ".join(x for x in (_minutes(q.at), q.grade.label) if x)
        s.items.append(Item(f"“{q.text}”", heading=f"— {q.speaker}", meta=meta, details=details))
    s.hidden = _placeholder(v, v.hidden_in("quotes"), "quote")
    if not v.quotes and not s.hidden and not v.delta:
        s.paragraphs.append("No quotes recorded.")
    return s


def _related(v: DossierView) -> Section:
    s = Section("related", "Related films")
    for r in v.related:
        s.items.append(Item(r.why or "", heading=r.id))
    s.hidden = _placeholder(v, v.hidden_in("related"), "related film")
    return s


def _sources(v: DossierView) -> Section:
    s = Section("sources", "Sources")
    for src in v.sources:
        bits = [x for x in (src.author, src.title, src.date, src.url) if x]
        s.items.append(Item(", ".join(bits), heading=src.publication))
    return s


_BUILDERS = {
    "credits": _credits,
    "premise": lambda v: Section("premise", "Premise", paragraphs=[v.premise] if v.premise else []),
    "beats": _beats,
    "ending": _ending,
    "theories": _theories,
    "quotes": _quotes,
    "related": _related,
    "sources": _sources,
}


def layout(
    view: DossierView, parts: Sequence[str], post: bool = False, titles: Mapping[str, str] | None = None
) -> Document:
    """The view as sections. ``post``: for a document other people read (Markdown, HTML, Discord,
    Reddit): no terminal hints or grade tags, and related films named by ``titles`` (id to "Title (year)")."""
    sections = [_BUILDERS[p](view) for p in parts]
    sections = [s for s in sections if s.fields or s.paragraphs or s.items or s.hidden]
    total = sum((view.hidden_in(k) for k in _counted(parts)), Hidden())
    footer = None
    if total.total:
        footer = f"{hidden_phrase(total)} — {reveal_hint(total, view.allowance)}."
    doc = Document(f"{view.title} ({view.year})", _subtitle(view), sections, footer)
    return _for_post(doc, view, titles or {}) if post else doc


_GRADE_TAGS = {g.label for g in Grade}


def _for_post(doc: Document, view: DossierView, titles: Mapping[str, str]) -> Document:
    """``doc`` as a post: placeholders without hints, no grade tags, related films by title."""
    sections = []
    for s in doc.sections:
        items = [replace(i, meta=_untagged(i.meta)) for i in s.items]
        if s.key == "related":
            items = [replace(i, heading=titles.get(i.heading or "", i.heading)) for i in items]
        hidden = s.hidden.split(" — ", 1)[0].removeprefix("▒▒▒▒ ") if s.hidden else None
        title = "The ending" if s.key == "ending" else s.title
        sections.append(replace(s, items=items, hidden=hidden, title=title))
    footer = doc.footer.split(" — ", 1)[0] + "." if doc.footer else None
    return replace(doc, sections=sections, footer=footer)


def _untagged(meta: str | None) -> str | None:
    kept = [m for m in (meta or "").split(" · ") if m and m not in _GRADE_TAGS]
    return " · ".join(kept) or None


def _counted(parts: Sequence[str]) -> list[str]:
    keys = {"credits": ["cast", "aliases"]}
    return [k for p in parts for k in keys.get(p, [p])]


def _subtitle(v: DossierView) -> str:
    who = ", ".join(v.directors)
    return f"{who} · {v.runtime} min" + (f" · {', '.join(v.genres)}" if v.genres else "")
