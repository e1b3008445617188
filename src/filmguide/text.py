"""Text helpers shared by the core and the renderers.

Everything here is pure string work: no terminal, no Rich, no YAML.
"""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences: CSI (ESC [ ... final), OSC / DCS / SOS / PM / APC
# (ESC ] ... BEL or ST), and two-character escapes (ESC x).
_ESC_SEQ = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, DCS, SOS, PM, APC
    r"|\x1b[ -~]?"  # any other escape
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # 8-bit CSI
    r"|[\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x9c|\x1b\\)?"  # 8-bit OSC etc.
)
# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional
# embedding / override / isolate characters that can reorder what a reader sees.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Lone surrogates: undecodable bytes of a file name or an argument (Python's
# surrogateescape). Written out they would be those raw bytes, 0x9b (an 8-bit
# CSI) among them, or fail to encode; shown, they become U+FFFD.
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSAFE_FOR_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def clean(text: str) -> str:
    """Remove everything that could drive a terminal from untrusted text.

    Escape sequences go whole (so no stray ``[31m`` is left behind), then any
    other control or bidi-override character. Newlines and tabs stay; a lone
    surrogate (an undecodable byte) is shown as U+FFFD.
    """
    if text.isprintable():
        return text
    text = text.replace("\r\n", "\n")
    return _SURROGATE.sub("\ufffd", _UNSAFE.sub("", _ESC_SEQ.sub("", text)))


def json_safe(dumped: str) -> str:
    """Escape C1 controls, bidi overrides and lone surrogates in already dumped JSON.

    ``json.dumps(ensure_ascii=False)`` escapes C0 but writes C1 and bidi
    characters raw; as ``\\uXXXX`` escapes the JSON still holds the original
    text, yet no terminal byte reaches the screen.
    """
    return _UNSAFE_FOR_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def fold(text: str) -> str:
    """Fold text for matching: case- and accent-insensitive, punctuation-blind.

    ``Amélie`` and ``AMELIE`` both fold to ``amelie``; ``All of Us Strangers!``
    to ``all of us strangers``.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.findall(r"\w+", stripped.replace("'", "").replace("\u2019", ""))
    return " ".join(words)


_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_TO_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape_one(m: re.Match[str]) -> str:
    c = m.group()
    return _NAMED_ESCAPES.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def escape(text: str) -> str:
    """Show every control, line-breaking or bidi character of ``text`` as an escape (``\\n``, ``\\x1b``).

    For names that are not dossier prose but must be shown as they are: a file
    name holding a newline stays one line and still names that file. A lone
    surrogate (a byte of a name that is not UTF-8) becomes ``\\udcXX``.
    """
    return text if text.isprintable() else _TO_ESCAPE.sub(_escape_one, text)


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, the middle cut out: the start and end of a long name still show."""
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    return text[:head] + "\u2026" + text[len(text) - (limit - 1 - head) :]


MESSAGE_LIMIT = 400  # no message a person reads needs more; a 2 MB value is not echoed whole


def message(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """One line for stderr or a report: controls escaped, and bounded, whatever it quotes."""
    return shorten(escape(text), limit)


def slugify(text: str) -> str:
    """A dossier id fragment: ``All of Us Strangers`` -> ``all-of-us-strangers``."""
    return fold(text).replace(" ", "-").replace("_", "-")


def one_line(text: str, limit: int = 120) -> str:
    """Collapse whitespace and shorten, for messages that must stay one line."""
    flat = " ".join(clean(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
