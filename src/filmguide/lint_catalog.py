"""Lint rules that look past one field: links between films, and tags.

- ``FG108``: two films that link to each other must grade the link alike. A
  link graded ``none`` one way and ``major`` the other shows, at the lower
  grade, a reason the other film hides as a spoiler ("often compared with it"
  is a hint to its twist). Checked between the files linted together.
- ``FG109``: a tag or genre that announces a twist or an ending ("twist
  ending", "shock finale"). Tags are shown everywhere, to everyone; telling a
  viewer that there is a twist is itself a spoiler.

Both are called by ``filmguide.lint``; their codes are in ``lint.RULES`` and
docs/lint.md. Domain code only: nothing here prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import Dossier, Grade

if TYPE_CHECKING:
    from .lint import Finding

# Words that announce a twist or an ending, matched as whole words in a tag or
# genre, ignoring case. Fixed words of filmguide's, so a message may name them.
_ANNOUNCING = {
    "twist": r"twist(?:s|y)?",
    "ending": r"endings?",
    "finale": r"finales?",
    "reveal": r"reveals?",
    "revelation": r"revelations?",
    "rug pull": r"rug[\s-]pulls?",
    "unreliable narrator": r"unreliable[\s-]narrators?",
    "all a dream": r"all\s+a\s+dream",
    "not what it seems": r"not\s+what\s+(?:it|they)\s+seems?",
}
_PATTERNS = [(word, re.compile(r"(?<!\w)" + rx + r"(?!\w)", re.IGNORECASE)) for word, rx in _ANNOUNCING.items()]


def announces_ending(text: str) -> str | None:
    """The fixed word by which ``text`` announces a twist or an ending, or None."""
    for word, pattern in _PATTERNS:
        if pattern.search(text):
            return word
    return None


def announcing_tags(d: Dossier) -> list[tuple[str, int, str]]:
    """``(section, index, word)`` for each tag or genre that announces a twist or an ending."""
    out = []
    for section in ("tags", "genres"):
        for i, tag in enumerate(getattr(d, section)):
            word = announces_ending(tag)
            if word is not None:
                out.append((section, i, word))
    return out


def link_mismatches(films: Iterable[Dossier]) -> list[tuple[Dossier, int, Dossier, Grade]]:
    """``(film, index, other, other_grade)`` for each link graded otherwise than the link back.

    Both sides of a mismatched pair are listed, each with its own link's index.
    A film that links to another twice is compared by its first link.
    """
    by_id: dict[str, Dossier] = {}
    for d in films:
        by_id.setdefault(d.id, d)
    out = []
    for d in by_id.values():
        for i, link in enumerate(d.related):
            other = by_id.get(link.id)
            if other is None or link.id == d.id or any(r.id == link.id for r in d.related[:i]):
                continue
            back = next((r for r in other.related if r.id == d.id), None)
            if back is not None and back.grade != link.grade:
                out.append((d, i, other, back.grade))
    return out


def tag_findings(d: Dossier, text: str, file: str) -> list[Finding]:
    """``FG109`` findings for one valid dossier and its text."""
    from .lint import ERROR, Finding, _Source

    rows = announcing_tags(d)
    if not rows:
        return []
    src = _Source(text)
    out = []
    for section, i, word in rows:
        field, node = src.locate((section, i))
        message = f'announces a twist or an ending ("{word}"); {section} are shown to everyone, so leave it out'
        out.append(Finding(file, src.line(node), "FG109", field, message, ERROR))
    return out


def link_findings(files: Iterable[Path]) -> list[Finding]:
    """``FG108`` findings among the valid dossiers in ``files`` (each side of a pair is reported)."""
    from .dossier import parse_dossier
    from .errors import InvalidDossier
    from .lint import ERROR, Finding, _Source
    from .yamlread import read_text

    loaded: dict[int, tuple[str, str]] = {}
    films: list[Dossier] = []
    for path in files:
        file = str(path)
        try:
            text = read_text(path, file)
            d = parse_dossier(text, file, path.name.removesuffix(".yaml"))
        except InvalidDossier:
            continue  # already an FG001
        loaded[id(d)] = (file, text)
        films.append(d)
    out = []
    for d, i, other, grade in link_mismatches(films):
        file, text = loaded[id(d)]
        src = _Source(text)
        keys = ("related", i, "grade") if "grade" in _written(src, i) else ("related", i)
        field, node = src.locate(keys)
        mine = d.related[i].grade.label
        message = (
            f"the link to {other.id} is graded {mine}, but {other.id} grades its link back {grade.label}; "
            "grade both alike (the higher of the two)"
        )
        out.append(Finding(file, src.line(node), "FG108", field, message, ERROR))
    return out


def _written(src: Any, i: int) -> set[str]:
    """The keys written in ``related[i]`` (none for a bare id)."""
    import yaml

    _, node = src.locate(("related", i))
    if not isinstance(node, yaml.MappingNode):
        return set()
    return {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
