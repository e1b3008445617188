"""filmguide's own words for what is wrong with a dossier: no dossier text, ever.

A message names the file, the line and a field path made of the format's own
field names and list indices. A value is described by its kind ("text", "a
list", "a tagged value"), never quoted: any value, however short, may be a
spoiler, and messages reach everyone (`list` warns about a broken file).

PyYAML's wording changes between releases and between its C and Python
parsers, and the Python parser quotes the file (``found undefined tag handle
'!x!'``, ``found unknown escape character 'q'``). A message must quote no
dossier text and must not depend on a third party's phrasing, so the error is
only classified here, by the kind of thing that went wrong, and described in
words of our own. Whatever is not recognised is still one clear line.
"""

from __future__ import annotations

import difflib
import errno
import re
from typing import Any

from .errors import Problem

_TAG = "tag:yaml.org,2002:"
TAGGED = "expected a plain value, got a tagged value (YAML tags such as !!set are not allowed)"


def describe(node: Any) -> str:
    """What a node holds, by its kind, for an error message: never the value itself.

    Messages reach every user (a broken file is warned about by `list`), and
    any value, however short, may be a spoiler: `secrets: Rosebud`.
    """
    import yaml

    if isinstance(node, yaml.MappingNode):
        return "a mapping" if node.tag == _TAG + "map" else "a tagged value"
    if isinstance(node, yaml.SequenceNode):
        return "a list" if node.tag == _TAG + "seq" else "a tagged value"
    return _SCALAR_KINDS.get(node.tag, "a tagged value")


_SCALAR_KINDS = {
    _TAG + "null": "nothing",
    _TAG + "str": "text",
    _TAG + "int": "a number",
    _TAG + "float": "a decimal number",
    _TAG + "bool": "a yes/no word",
    _TAG + "timestamp": "a date",
}
_NEAR_MISS = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,23}")


def near_miss(name: str, fields: list[str]) -> str | None:
    """The field a mistyped key was meant to be, if it is plainly a typo of one.

    Only then is the key itself named in a message: a short word a letter or
    two away from a field name (`runtme`, `Genres`) carries no dossier text.
    """
    if not _NEAR_MISS.fullmatch(name):
        return None
    close = difflib.get_close_matches(name.lower(), fields, n=1, cutoff=0.75)
    if close and abs(len(close[0]) - len(name)) <= 2:
        return close[0]
    return None


def choice_message(node: Any, raw: str, choices: list[str]) -> str:
    msg = f"expected one of {', '.join(choices)}, got {describe(node)}"
    close = near_miss(raw, choices)  # names one of the choices, never the value
    return msg + (f" (did you mean {close!r}?)" if close else "")


DEEP = "nested more than {depth} levels deep; a dossier needs three"
ANCHORS = "anchors and aliases (& and *) are not allowed in a dossier"
_TAB = "a tab in the indentation; YAML is indented with spaces"
_UNCLOSED_QUOTE = "a quoted text is not closed before the end of the file"
_ESCAPE = "an unknown escape in double-quoted text (write a backslash as \\\\)"

# (words in PyYAML's context or problem, lower case) -> our words. The first row
# whose words all appear wins; each row holds what both parsers have in common.
_KINDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("nesting",), DEEP),
    (("tab",), _TAB),
    (("quoted scalar", "end of stream"), _UNCLOSED_QUOTE),
    (("quoted scalar", "document"), "a line of --- or ... inside quoted text"),
    (("escape",), _ESCAPE),
    (("hexadecimal",), _ESCAPE),
    (("hexdecimal",), _ESCAPE),
    (("anchor",), ANCHORS),
    (("alias",), ANCHORS),
    (("directive",), "a YAML directive (a line starting with %) that filmguide does not read"),
    (("tag",), "a malformed YAML tag (and tags are not allowed in a dossier)"),
    (("single document",), "more than one YAML document (a line of --- after the first)"),
    (("incompatible",), "a YAML directive (a line starting with %) that filmguide does not read"),
    (("mapping values",), "a ': ' inside a value; put text that holds ': ' in quotes"),
    (("simple key",), "a line that is neither `field: value` nor a list item `- value`"),
    (("flow sequence",), "a list in [ ] that is not closed, or holds something out of place"),
    (("flow mapping",), "a mapping in { } that is not closed, or holds something out of place"),
    (("block scalar",), "a malformed | or > block (its text goes on the lines below, indented)"),
    (("cannot start any token",), "a character that cannot start a value here (such as @, ` or %); put it in quotes"),
    (("block mapping",), "the indentation does not line up with the fields above"),
    (("block collection",), "the indentation does not line up with the list above"),
    (("node content",), "a value is missing, or starts with a character that cannot start one; put it in quotes"),
    (("node",), "a value is missing, or starts with a character that cannot start one; put it in quotes"),
)
_UNKNOWN = "the text cannot be read as YAML here"


def describe_error(err: Any, depth: int) -> str:
    """Our words for a PyYAML error, from its kind alone (never its text in a message)."""
    words = f"{getattr(err, 'context', None) or ''} {getattr(err, 'problem', None) or ''}".lower()
    for needed, ours in _KINDS:
        if all(w in words for w in needed):
            return ours.replace("{depth}", str(depth))
    return _UNKNOWN


def yaml_problem(file: str, err: Exception, text: str | None, depth: int) -> Problem:
    """One ``Problem`` for a PyYAML error: its line, and what is wrong in filmguide's words."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    character = getattr(err, "character", None)
    lines = text.split("\n") if text is not None else []
    if isinstance(character, int):  # a ReaderError: a raw control character in the file
        problem = f"the character U+{character:04X} is not allowed in YAML; write it as an escape in double quotes"
        at = text.find(chr(character)) if text is not None else -1
        line = text.count("\n", 0, at) + 1 if text is not None and at >= 0 else None
        return Problem(file, f"not valid YAML: {problem}", line)
    if isinstance(err, UnicodeError):  # text that cannot be UTF-8 (a lone surrogate)
        return Problem(file, "is not UTF-8 text", line)
    src = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
    # Whatever the parser made of it, a tab in the indentation is the cause.
    problem = _TAB if "\t" in src[: len(src) - len(src.lstrip())] else describe_error(err, depth)
    if problem in (DEEP.format(depth=depth), ANCHORS):
        return Problem(file, problem, line)  # the same words as our own check, whichever ran first
    return Problem(file, f"not valid YAML: {problem}", line)


_OS_REASONS = {
    errno.ENAMETOOLONG: "its name is longer than the file system allows",
    errno.ELOOP: "it is a loop of symbolic links",
    errno.ENOTDIR: "a part of its path is not a folder",
    errno.EACCES: "permission denied",
    errno.EIO: "the disk reported an input/output error",
}


def os_reason(err: OSError) -> str:
    """Why a file could not be read, in our words where we know the case."""
    return _OS_REASONS.get(err.errno or 0) or err.strerror or type(err).__name__
