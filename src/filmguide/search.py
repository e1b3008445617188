"""Searching and filtering the catalog, spoiler-safe.

``search`` runs a full-text query over the items of the policy's catalogue
(titles, aliases, people, tags, the premise and every graded text) and
returns, per film, snippets of the matching items the user may see. It
searches the view: an item the allowance hides (``policy.Allowance.shows``,
the rule ``redact`` follows) is dropped as soon as FTS5 proposes it, so
hidden text is never matched, counted, ranked or hinted at, and the
results, their order and the exit code depend on visible text alone.

``Filters`` and ``filter_entries`` are ``list``'s filters; a credit hidden
at the user's grade never makes a film match ``--person``.

Domain code: no terminal, no Rich, no typer.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from .errors import ExitCode, FilmguideError, UsageProblem
from .text import clean, fold

if TYPE_CHECKING:  # imported by the functions that need them: `list` needs neither the model nor the policy
    from .index import Entry, Index
    from .index.ranked import Ranked
    from .model import Grade
    from .policy import Allowance

FORMAT = "filmguide.search/1"
MAX_QUERY = 500
SNIPPET_WORDS = 24  # words around the first match
SNIPPETS_PER_FILM = 3

LABELS = {
    "title": "title",
    "aliases": "also known as",
    "directors": "directed by",
    "writers": "written by",
    "genres": "genres",
    "tags": "tags",
    "source": "based on",
    "cast": "cast",
    "premise": "premise",
    "acts": "act",
    "beats": "plot",
    "ending": "ending",
    "theories": "theory",
    "quotes": "quote",
    "related": "related",
}


class NoMatch(FilmguideError):
    exit_code = ExitCode.NOT_FOUND


# --- the query ------------------------------------------------------------------

_TERM = re.compile(r'"([^"]*)("?)(\*?)|(\S+)')
_TOKEN = re.compile(r"[^\W_]+")


class Term(NamedTuple):
    words: tuple[str, ...]  # folded
    prefix: bool  # the last word is the start of a word


class Query(NamedTuple):
    text: str
    expression: str  # for SQLite FTS5
    terms: tuple[Term, ...]


def _fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse_query(text: str) -> Query:
    """Words (all must match), "a phrase", and word* for a word that starts so.

    Case, accents and punctuation are ignored: ``amelie`` finds *Amélie*.
    Every term is quoted for FTS5, so no input is read as FTS5 syntax.
    """
    if len(text) > MAX_QUERY:
        raise UsageProblem(f"the search is {len(text)} characters long; keep it under {MAX_QUERY}")
    parts: list[str] = []
    terms: list[Term] = []
    for m in _TERM.finditer(text):
        if m[4] is not None:
            raw, prefix = m[4].rstrip("*"), m[4].endswith("*")
        else:
            raw, prefix = m[1], bool(m[3])
        words = tuple(_fold_word(w) for w in _TOKEN.findall(raw))
        if not words:
            continue
        terms.append(Term(words, prefix))
        parts.append('"' + " ".join(words).replace('"', '""') + '"' + ("*" if prefix else ""))
    if not parts:
        raise UsageProblem('nothing to search for: give a word, a "phrase" or the start of a word with *')
    return Query(text, " ".join(parts), tuple(terms))


# --- results ----------------------------------------------------------------------


class Snippet(NamedTuple):
    """Part of one visible item's text, and where the query matched in it."""

    section: str
    grade: Grade
    at: int | None
    text: str  # cleaned, on one line
    highlights: tuple[tuple[int, int], ...]  # character offsets into text

    @property
    def label(self) -> str:
        label = LABELS.get(self.section, self.section)
        return (
            f"{label}, {self.at} min" if self.at is not None and self.section in ("beats", "quotes", "acts") else label
        )

    def parts(self) -> list[tuple[str, bool]]:
        """The text cut into (piece, matched) pieces, for a renderer to style."""
        out: list[tuple[str, bool]] = []
        pos = 0
        for start, end in self.highlights:
            if start > pos:
                out.append((self.text[pos:start], False))
            out.append((self.text[start:end], True))
            pos = end
        if pos < len(self.text):
            out.append((self.text[pos:], False))
        return out


class Hit(NamedTuple):
    """One film: the snippets of its best visible matches, and how many more visible items match."""

    id: str
    title: str
    year: int
    snippets: tuple[Snippet, ...]
    more: int
    allowance: Allowance


class Results(NamedTuple):
    query: str
    hits: tuple[Hit, ...]
    total: int  # films that matched, before the limit
    footer: str | None = None  # what the search covered and how to widen it: the same words whatever is hidden


# Which matches count most: a film's names first, then its people and labels, then its text.
_WEIGHT = {"title": 0, "aliases": 1, "directors": 2, "writers": 2, "cast": 2, "source": 3, "genres": 3, "tags": 3}
_BODY = 4


def search(
    idx: Index,
    text: str,
    allowance_for: Callable[[str], Allowance],
    limit: int = 20,
    per_film: int = SNIPPETS_PER_FILM,
    base: Allowance | None = None,
) -> Results:
    """Films whose visible text matches ``text``, best first, with snippets.

    Search runs over the view: FTS5 only proposes candidate items; an item
    the user's allowance hides (``Allowance.shows``, the rule ``redact``
    uses) is dropped before anything else, so it is never matched, counted,
    ranked or hinted at. Ranking uses the visible matches alone (which kind
    of field matched, how many items, then the title): FTS5's own rank is not
    used, since its statistics include hidden rows. ``allowance_for(film_id)``
    is what the user allowed for each film; ``base`` (the allowance without
    the seen list) words the footer.
    """
    from .index import BadQuery
    from .model import Grade
    from .policy.catalogue import search_items
    from .policy.hints import search_footer

    grades = tuple(Grade)
    query = parse_query(text)
    if not idx.searchable:  # pragma: no cover - SQLite without FTS5
        raise FilmguideError("this Python's SQLite has no full-text search (FTS5); `filmguide search` needs it")
    try:
        ranked = _ranked_by_the_index(idx, query.expression, allowance_for, limit)
    except BadQuery as err:  # pragma: no cover - every term is quoted
        raise UsageProblem(f"cannot search for {text!r}: {err}") from None
    if ranked is not None:  # counted and ranked by SQLite; the films shown are checked again below
        total = ranked.total
        by_eid = dict(ranked.top)
    else:
        try:
            rows = idx.matches(query.expression)
        except BadQuery as err:  # pragma: no cover - every term is quoted
            raise UsageProblem(f"cannot search for {text!r}: {err}") from None
        by_eid = {}
        for eid, section, item, grade, at in rows:
            by_eid.setdefault(eid, []).append((section, item, grade, at))
    entries = {e.eid: e for e in idx.entries_for(list(by_eid), info=False)}
    current = set(by_eid)
    if ranked is None:
        current = {w[0] for w in idx.effective(sorted({e.id for e in entries.values()})).values()}

    found: list[tuple[tuple[object, ...], Entry, Allowance, list[tuple[str, int, int, int | None]]]] = []
    for eid, matched in by_eid.items():
        if eid not in current:
            continue  # overridden by a more local dossier, or a folder not in use
        entry = entries.get(eid)
        if entry is None:
            continue  # a damaged index row: the film is found again after the rebuild
        allowance = allowance_for(entry.id)
        # A grade the index holds but no dossier could have (a damaged row) counts as hidden.
        visible = [m for m in matched if m[2] in grades and allowance.shows(m[0], grades[m[2]], m[3], entry.runtime)]
        if not visible:
            continue  # what the allowance hides is not searched
        visible.sort(key=lambda m: (_WEIGHT.get(m[0], _BODY), m[0], m[1]))
        key = (_WEIGHT.get(visible[0][0], _BODY), -len(visible), entry.sort_key, entry.year, entry.id)
        found.append((key, entry, allowance, visible))
    found.sort(key=lambda f: f[0])
    if ranked is None:
        total = len(found)
    top = found[:limit] if limit > 0 else found
    dossiers = idx.dossiers([entry.eid for _, entry, _, _ in top])
    hits = []
    for _, entry, allowance, visible in top:
        stored = dossiers.get(entry.eid)
        texts = {(s, i): t for s, i, _, _, t in search_items(stored)} if stored is not None else {}
        snippets = [
            _snippet(texts.get((section, item), []), query, section, grade, at)
            for section, item, grade, at in visible[:per_film]
        ]
        hits.append(Hit(entry.id, entry.title, entry.year, tuple(snippets), len(visible) - len(snippets), allowance))
    footer = search_footer(base) if base is not None else None
    return Results(text, tuple(hits), total, footer)


def _ranked_by_the_index(
    idx: Index, expression: str, allowance_for: Callable[[str], Allowance], limit: int
) -> Ranked | None:
    """The films counted and ranked inside SQLite, when the allowances can be put as grade limits there
    (the policy's ``Allowance.grade_limits``): the same results as counting here, in a fraction of the time."""
    from .model import Grade
    from .policy import Allowances

    if not isinstance(allowance_for, Allowances) or allowance_for.default is None:
        return None
    default = allowance_for.default.grade_limits()
    limits = {film: a.grade_limits() for film, a in allowance_for.exceptions.items()}
    exceptions = {film: v for film, v in limits.items() if v is not None}
    if default is None or len(exceptions) != len(limits):
        return None
    return idx.ranked(expression, default, exceptions, _WEIGHT, _BODY, [int(g) for g in Grade], limit)


def _highlights(text: str, terms: Sequence[Term]) -> list[tuple[int, int]]:
    tokens = [(m.start(), m.end(), _fold_word(m.group())) for m in _TOKEN.finditer(text)]
    spans = []
    for term in terms:
        n = len(term.words)
        for i in range(len(tokens) - n + 1):
            head = all(tokens[i + j][2] == term.words[j] for j in range(n - 1))
            last = tokens[i + n - 1][2]
            if head and (last.startswith(term.words[-1]) if term.prefix else last == term.words[-1]):
                spans.append((tokens[i][0], tokens[i + n - 1][1]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _snippet(texts: Sequence[str], query: Query, section: str, grade: int, at: int | None) -> Snippet:
    """The words around the first match in the first of the item's texts that shows one."""
    flat = [" ".join(clean(t).split()) for t in texts] or [""]
    chosen, spans = flat[0], []
    for t in flat:
        found = _highlights(t, query.terms)
        if found:
            chosen, spans = t, found
            break
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", chosen)]
    if len(words) > SNIPPET_WORDS:
        first = next((i for i, (s, e) in enumerate(words) if spans and e > spans[0][0]), 0)
        lo = max(0, min(first - SNIPPET_WORDS // 3, len(words) - SNIPPET_WORDS))
        hi = lo + SNIPPET_WORDS
        start, end = words[lo][0], words[hi - 1][1]
        prefix = "…" if lo > 0 else ""
        suffix = "…" if hi < len(words) else ""
        cut = prefix + chosen[start:end] + suffix
        shift = len(prefix) - start
        spans = [(max(s, start) + shift, min(e, end) + shift) for s, e in spans if e > start and s < end]
        chosen = cut
    from .model import Grade

    return Snippet(section, Grade(grade), at, chosen, tuple(spans))


# --- list filters -----------------------------------------------------------------


class Filters(NamedTuple):
    genres: tuple[str, ...] = ()
    years: tuple[int | None, int | None] | None = None
    directors: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    seen: bool | None = None
    countries: tuple[str, ...] = ()  # ISO codes, as parse_country gives them
    languages: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(
            self.genres
            or self.years
            or self.directors
            or self.people
            or self.tags
            or self.seen is not None
            or self.countries
            or self.languages
        )


_YEARS = re.compile(r"\s*(\d{4})?\s*(\.\.)?\s*(\d{4})?\s*")
SORTS = ("title", "year", "runtime")


def parse_years(text: str) -> tuple[int | None, int | None]:
    """``1999``, ``1990..1999``, ``1990..`` or ``..1999``."""
    m = _YEARS.fullmatch(text)
    if not m or not (m[1] or m[3]) or (not m[2] and m[3]):
        raise UsageProblem(f"--year {text!r}: give a year (1999) or a range (1990..1999, 1990.., ..1999)")
    lo = int(m[1]) if m[1] else None
    hi = (int(m[3]) if m[3] else None) if m[2] else lo
    if lo is not None and hi is not None and lo > hi:
        raise UsageProblem(f"--year {text!r}: the range ends before it starts")
    return lo, hi


def parse_country(text: str) -> str:
    """``fr``, ``FR`` or ``France`` -> ``FR``; a usage error for anything else."""
    from .codes import country_code

    code = country_code(text)
    if code is None:
        raise UsageProblem(f"--country {text!r}: not a country; give an ISO 3166-1 code or a name (FR, France)")
    return code


def parse_language(text: str) -> str:
    """``KO``, ``ko`` or ``Korean`` -> ``ko``; a usage error for anything else."""
    from .codes import language_code

    code = language_code(text)
    if code is None:
        raise UsageProblem(f"--language {text!r}: not a language; give an ISO 639-1 code or a name (ko, Korean)")
    return code


def _word_start(query: str, names: Iterable[str], fold: Callable[[str], str] = fold) -> bool:
    q = fold(query)
    return bool(q) and any(f" {q}" in f" {fold(n)}" for n in names)


def _same(query: str, values: Iterable[str], fold: Callable[[str], str] = fold) -> bool:
    q = fold(query)
    return any(fold(v) == q for v in values)


def filter_entries(
    entries: Sequence[Entry],
    filters: Filters,
    seen: set[str] | None,
    allowance_for: Callable[[str], Allowance] | None,
) -> list[Entry]:
    """The films that pass every filter (each repeated filter must match too).

    Names match at the start of a word, ignoring case and accents (``--director
    haigh``); genres and tags match whole; countries and languages are codes
    (``parse_country``, ``parse_language``). ``--person`` looks at directors,
    writers and the cast credits the user's grade shows for that film.
    """
    if not filters.active:
        return list(entries)
    import functools

    folded = functools.lru_cache(maxsize=None)(fold)  # genres, tags and names repeat from film to film
    out = []
    for e in entries:
        if filters.seen is not None and (seen is not None and e.id in seen) != filters.seen:
            continue
        if filters.years is not None:
            lo, hi = filters.years
            if (lo is not None and e.year < lo) or (hi is not None and e.year > hi):
                continue
        if filters.countries or filters.languages:
            made = json.loads(e.info)
            if not all(c in made.get("countries", ()) for c in filters.countries):
                continue
            if not all(x in made.get("languages", ()) for x in filters.languages):
                continue
        if filters.genres or filters.tags or filters.directors or filters.people:
            info = json.loads(e.info)
            if not all(_same(g, info["genres"], folded) for g in filters.genres):
                continue
            if not all(_same(t, info["tags"], folded) for t in filters.tags):
                continue
            if not all(_word_start(d, info["directors"], folded) for d in filters.directors):
                continue
            if filters.people:
                if allowance_for is None:
                    raise ValueError("--person needs each film's allowance")
                from .model import Grade

                allowance = allowance_for(e.id)
                cast = [actor for actor, grade in info["cast"] if allowance.permits(Grade(grade))]
                people = [*info["directors"], *info["writers"], *cast]
                if not all(_word_start(p, people, folded) for p in filters.people):
                    continue
        out.append(e)
    return out


def sort_entries(entries: Sequence[Entry], by: str) -> list[Entry]:
    """By title (as ``Index.entries`` gives them), year or runtime; ties by title, year and id."""
    if by == "year":
        return sorted(entries, key=lambda e: (e.year, e.sort_key, e.id))
    if by == "runtime":
        return sorted(entries, key=lambda e: (e.runtime, e.sort_key, e.year, e.id))
    return list(entries)
