"""Finding a dossier's secrets in text: whole words, folded for case, accents and apostrophes.

A secret matches at word boundaries, across any run of white space, with the
simple plural and possessive forms of its last word. ``lint`` uses it for its
leak rules; nothing here knows grades.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "\uff07": "'"})


def _normalise(text: str) -> tuple[str, list[int] | None]:
    """Case-, accent- and apostrophe-folded text, and where each character came from.

    The map is ``None`` when the folded text lines up with the original
    character for character (plain ASCII).
    """
    if text.isascii():
        return text.lower(), None
    out: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        decomposed = unicodedata.normalize("NFKD", c.casefold().translate(_APOSTROPHES))
        for d in decomposed:
            if not unicodedata.combining(d):
                out.append(d)
                where.append(i)
    return "".join(out), where


def _word_forms(word: str) -> str:
    """A secret's last word, with simple plurals and possessives: ghost(s)('s), body/bodies."""
    forms = [re.escape(word) + r"(?:'s|s'|es'?|s|')?"]
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiouy":
        forms.append(re.escape(word[:-1]) + r"ies'?")
    return forms[0] if len(forms) == 1 else "(?:" + "|".join(forms) + ")"


@cache
def _pattern(secret: str) -> re.Pattern[str] | None:
    """Whole words, any run of white space between them, never inside another word."""
    words = _normalise(secret)[0].split()
    if not words:
        return None
    *head, last = words
    body = r"\s+".join([*(re.escape(w) for w in head), _word_forms(last)])
    return re.compile(r"(?<!\w)" + body + r"(?!\w)")


@cache
def _needle(secret: str) -> str:
    """Text every match of ``secret`` starts with: its first word, less a last letter a plural may change."""
    words = _normalise(secret)[0].split()
    if not words:
        return ""
    return words[0] if len(words) > 1 else words[0][:-1]


def _search(secret: str, folded: str) -> int | None:
    """Offset in folded text of the first match of ``secret``, or None.

    The pattern is tried only where its first word starts: a plain substring
    search is far faster than a regex search that opens with a lookbehind,
    which matters for a file with thousands of secrets and long texts.
    """
    pattern = _pattern(secret)
    if pattern is None:
        return None
    needle = _needle(secret)
    at = folded.find(needle)
    while at != -1:
        if pattern.match(folded, at):
            return at
        at = folded.find(needle, at + 1)
    return None


def first_match(secret: str, text: str) -> int | None:
    """Offset in ``text`` of the first match of ``secret``, or None."""
    folded, where = _normalise(text)
    at = _search(secret, folded)
    return at if at is None or where is None else where[at]


def find_secrets(text: str, secrets: Sequence[str]) -> list[str]:
    """The secrets that ``text`` gives away, in the order they are listed."""
    folded = _normalise(text)[0]
    return [secret for secret in secrets if _search(secret, folded) is not None]
