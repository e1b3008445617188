"""Reading dossier files: YAML in, a validated ``Dossier`` or a list of problems out.

YAML is composed into nodes (never constructed into Python objects), and the
nodes are checked against the dataclasses in ``filmguide.model``. Working on
nodes gives every problem its line, keeps text as the author wrote it
(``title: 1984`` is the text "1984", ``title: No`` is not ``false``), and lets
anchors and aliases be refused before anything expands them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import os
import re
import stat
import types
import typing
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from .errors import InvalidDossier, Problem
from .model import Dossier, Grade, PartialDate, Slug, Url

MAX_BYTES = 1024 * 1024  # a dossier is a few KiB; anything near this is not one

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {_TAG + "seq", _TAG + "map"}  # not !!set, !!omap, !!python/…
_MAX_DIGITS = 12  # past any year, runtime or minute; int() refuses beyond 4300 digits
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_URL = re.compile(r"https?://[^\s]+")
_INT = re.compile(r"[+-]?[0-9][0-9_]*")


class _Fail:
    """Marks a value that did not validate; the problem is already recorded."""


_FAIL = _Fail()


@dataclasses.dataclass
class _Ctx:
    file: str
    problems: list[Problem]
    seen: set[int] = dataclasses.field(default_factory=set)

    def add(self, node: Any, path: str, message: str) -> _Fail:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(Problem(self.file, message, line, path))
        return _FAIL


def _describe(node: Any) -> str:
    """What a node holds, for an error message, without quoting dossier prose.

    Messages reach every user (a broken file is warned about by `list`), and
    a field's text may be a spoiler; only a short single word is quoted, the
    kind of value that is a typo worth seeing (`grade: huge`, `year: soon`).
    """
    import yaml

    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _TAG + "null":
        return "nothing"
    value = node.value.strip()
    if _SHORT_WORD.fullmatch(value):
        return repr(value)
    return "text"


_SHORT_WORD = re.compile(r"[\w.:/+-]{1,12}")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _optional_inner(tp: Any) -> Any | None:
    if get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return None


@cache
def _shape(tp: Any) -> tuple[Any, bool, Any, tuple[str, ...] | None]:
    """A field's type analysed once, not at every node: the type without ``| None``, whether it is
    a dataclass, a tuple's item type, a ``Literal``'s choices."""
    inner = _optional_inner(tp)
    if inner is not None:
        tp = inner
    is_object = isinstance(tp, type) and dataclasses.is_dataclass(tp)
    item = get_args(tp)[0] if get_origin(tp) is tuple else None
    choices = tuple(str(c) for c in get_args(tp)) if get_origin(tp) is Literal else None
    return tp, is_object, item, choices


@cache
def _fields(cls: type) -> dict[str, tuple[dataclasses.Field[Any], dict[str, Any]]]:
    """Each field of a model class with its rules, analysed once per class."""
    return {f.name: (f, dict(f.metadata)) for f in dataclasses.fields(cls)}


def _convert(node: Any, tp: Any, path: str, ctx: _Ctx, meta: dict[str, Any]) -> Any:

    if id(node) in ctx.seen:
        return ctx.add(node, path, "anchors and aliases (& and *) are not allowed in a dossier")
    ctx.seen.add(id(node))
    return _convert_value(node, tp, path, ctx, meta)


def _convert_value(node: Any, tp: Any, path: str, ctx: _Ctx, meta: dict[str, Any]) -> Any:
    import yaml

    if node.tag not in (_SCALAR_TAGS if isinstance(node, yaml.ScalarNode) else _COLLECTION_TAGS):
        return ctx.add(node, path, f"YAML tag {node.tag!r} is not allowed")

    # an explicit null for an optional field is still "nothing" below
    tp, is_object, item_tp, choices = _shape(tp)

    if is_object:
        if isinstance(node, yaml.ScalarNode) and meta.get("shorthand") and node.tag != _TAG + "null":
            return _convert_shorthand(node, tp, path, ctx, meta["shorthand"])
        return _convert_object(node, tp, path, ctx)

    if item_tp is not None:
        if not isinstance(node, yaml.SequenceNode):
            # A word where a list is expected is not quoted: it is list text, and `secrets: Rosebud`
            # would print the secret in the warning every `list` and `show` gives.
            got = "text" if isinstance(node, yaml.ScalarNode) and node.tag != _TAG + "null" else _describe(node)
            if got == "text" and item_tp is str:
                return ctx.add(node, path, "expected a list, got text (write it in brackets: [...])")
            return ctx.add(node, path, f"expected a list, got {got}")
        items = [_convert(n, item_tp, f"{path}[{i}]", ctx, meta) for i, n in enumerate(node.value)]
        if any(item is _FAIL for item in items):
            return _FAIL
        if len(items) < meta.get("min_items", 0):
            return ctx.add(node, path, f"needs at least {meta['min_items']} entry")
        return tuple(items)

    if not isinstance(node, yaml.ScalarNode):
        return ctx.add(node, path, f"expected {_expected(tp)}, got {_describe(node)}")
    if node.tag == _TAG + "null" and node.value in ("", "~", "null", "Null", "NULL"):
        return ctx.add(node, path, f"expected {_expected(tp)}, got nothing")
    raw = node.value.strip()

    if tp is int:
        if not _INT.fullmatch(raw):
            return ctx.add(node, path, f"expected a whole number, got {_describe(node)}")
        if len(raw.lstrip("+-0_").replace("_", "")) > _MAX_DIGITS:
            return ctx.add(node, path, f"expected a whole number of at most {_MAX_DIGITS} digits")
        value = int(raw.replace("_", ""))
        if "min" in meta and value < meta["min"]:
            return ctx.add(node, path, f"must be at least {meta['min']}, got {value}")
        if "max" in meta and value > meta["max"]:
            return ctx.add(node, path, f"must be at most {meta['max']}, got {value}")
        return value
    if tp is Grade:
        try:
            return Grade.parse(raw)
        except KeyError:
            return ctx.add(node, path, _choice_message(raw, ["none", "minor", "major"]))
    if choices is not None:
        if raw.lower() in choices:
            return raw.lower()
        return ctx.add(node, path, _choice_message(raw, list(choices)))
    if not raw:
        return ctx.add(node, path, "expected text, got an empty string")
    if tp is Slug:
        if not _SLUG.fullmatch(raw):
            return ctx.add(
                node, path, f"expected an id of lower-case letters, digits and hyphens, got {_describe(node)}"
            )
        return raw
    if tp is Url:
        if not _URL.fullmatch(raw):
            return ctx.add(node, path, f"expected an http(s) address, got {_describe(node)}")
        return raw
    if tp is PartialDate:
        if not _valid_date(raw):
            return ctx.add(node, path, f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {_describe(node)}")
        return raw
    if tp is str:
        return node.value.strip()
    raise TypeError(f"no rule for {tp!r}")  # pragma: no cover - a model bug, not bad input


def _expected(tp: Any) -> str:
    if tp is int:
        return "a whole number"
    if tp in (Grade,) or get_origin(tp) is Literal:
        return "one word"
    return "text"


def _choice_message(raw: str, choices: list[str]) -> str:
    shown = repr(raw) if _SHORT_WORD.fullmatch(raw) else "text"  # never quote prose: it may spoil
    msg = f"expected one of {', '.join(choices)}, got {shown}"
    close = difflib.get_close_matches(raw.lower(), choices, n=1)
    return msg + (f" (did you mean {close[0]!r}?)" if close else "")


def _valid_date(raw: str) -> bool:
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", raw)
    if not m:
        return False
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _convert_shorthand(node: Any, cls: type, path: str, ctx: _Ctx, name: str) -> Any:
    value = _convert_value(node, _hints(cls)[name], path, ctx, {})
    if value is _FAIL:
        return _FAIL
    try:
        return cls(**{name: value})
    except TypeError:
        return ctx.add(node, path, f"write this entry as a mapping; a bare value only gives its {name}")


def _convert_object(node: Any, cls: type, path: str, ctx: _Ctx) -> Any:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return ctx.add(node, path, f"expected a mapping of fields, got {_describe(node)}")
    fields = _fields(cls)
    hints = _hints(cls)
    values: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    failed = merged = False
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _TAG + "merge":
            ctx.add(key_node, path, "field names must be plain words (no merge keys or complex keys)")
            failed = merged = True
            continue
        name = key_node.value
        where = f"{path}.{name}" if path else name
        if name in key_lines:
            ctx.add(key_node, where, f"duplicate field (first given on line {key_lines[name]})")
            failed = True
            continue
        key_lines[name] = key_node.start_mark.line + 1
        if name not in fields:
            close = difflib.get_close_matches(name, list(fields), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known fields: {', '.join(fields)}"
            ctx.add(key_node, where, f"unknown field{hint}")
            failed = True
            continue
        value = _convert(value_node, hints[name], where, ctx, fields[name][1])
        if value is _FAIL:
            failed = True
        else:
            values[name] = value
    for name, (f, _) in fields.items():
        if merged:
            break  # the fields a merge key would have given are not "missing" as well
        if name not in key_lines and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            ctx.add(node, f"{path}.{name}" if path else name, "missing required field")
            failed = True
    if failed:
        return _FAIL
    return cls(**values)


def _check_dossier(d: Dossier, node: Any, ctx: _Ctx, stem: str | None) -> None:
    """Rules that span fields; a failure is reported at the mapping's top."""
    import yaml

    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        lines = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}

    def add(field_path: str, message: str) -> None:
        top = field_path.split("[")[0].split(".")[0]
        ctx.problems.append(Problem(ctx.file, message, lines.get(top), field_path))

    if stem is not None and stem != d.id:
        add("id", f"{d.id!r} does not match the file name {stem + '.yaml'!r}")
    for section in ("beats", "quotes", "acts"):
        for i, item in enumerate(getattr(d, section)):
            if item.at is not None and item.at > d.runtime:
                add(f"{section}[{i}].at", f"minute {item.at} is past the runtime ({d.runtime} min)")
    for i, src in enumerate(d.sources):
        if src.url is None and src.date is None:
            add(f"sources[{i}]", "give a url or a date")
    for i, rel in enumerate(d.related):
        if rel.id == d.id:
            add(f"related[{i}].id", "a film cannot be related to itself")


def _yaml_problem(file: str, err: Exception, text: str | None = None) -> Problem:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    character = getattr(err, "character", None)
    if isinstance(character, int):  # a ReaderError: a raw control character in the file
        problem = f"the character U+{character:04X} is not allowed in YAML; write it as an escape in double quotes"
        at = text.find(chr(character)) if text is not None else -1
        line = text.count("\n", 0, at) + 1 if text is not None and at >= 0 else None
    else:
        problem = getattr(err, "problem", None) or str(err)
    lines = text.split("\n") if text is not None else []
    src = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
    if re.search(r"\btabs?\b|'\\t'", problem) or "\t" in src[: len(src) - len(src.lstrip())]:
        problem += " (YAML is indented with spaces, not tabs)"
    return Problem(file, f"not valid YAML: {problem}", line)


# A dossier nests three levels deep (the top, a list, its entries). Deeper YAML
# is refused before it is composed: PyYAML's C composer recurses once per
# level and overflows the C stack (a crash, not an exception) somewhere past
# 20,000 levels, which a 1 MiB file of `[` reaches.
MAX_DEPTH = 32
# Every level of nesting opens at one of these characters, so text with fewer
# of them cannot nest deep enough to matter and skips the extra scan.
_NESTING = "[{-?:"
_SCAN_ABOVE = 1000


def _scan(text: str, file: str, loader: Any) -> None:
    """Refuse anchors, aliases and deep nesting from the event stream, before anything is built."""
    import yaml

    depth = 0
    for event in yaml.parse(text, Loader=loader):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            raise InvalidDossier([Problem(file, "anchors and aliases (& and *) are not allowed in a dossier", line)])
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                message = f"nested more than {MAX_DEPTH} levels deep; a dossier needs three"
                raise InvalidDossier([Problem(file, message, line)])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _rescan(text: str, file: str) -> None:
    """Our own checks over the pure-Python event stream; a syntax error there is left to the caller."""
    import yaml

    with contextlib.suppress(yaml.YAMLError):
        _scan(text, file, yaml.SafeLoader)


def compose_yaml(text: str, file: str) -> Any:
    """YAML text to a node tree (never to Python objects), or ``InvalidDossier``.

    Anchors, aliases and nesting deeper than ``MAX_DEPTH`` are refused first,
    so neither a "billion laughs" file nor ``[[[[…`` can exhaust memory or
    crash the C composer.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        if "&" in text or "*" in text or sum(map(text.count, _NESTING)) > _SCAN_ABOVE:
            _scan(text, file, loader)
        return yaml.compose(text, Loader=loader)
    except yaml.YAMLError as err:
        if loader is not yaml.SafeLoader:
            # libyaml may refuse a file with a check of its own (newer releases
            # bound the nesting depth) before ours has run. Scan again with the
            # pure-Python parser, which stops at our own checks first, so the
            # message is filmguide's whatever release of PyYAML is installed.
            _rescan(text, file)
        raise InvalidDossier([_yaml_problem(file, err, text)]) from None
    except RecursionError:
        raise InvalidDossier([Problem(file, "not valid YAML: nested too deeply")]) from None


def parse_dossier(text: str, file: str = "<dossier>", stem: str | None = None) -> Dossier:
    """Validate dossier text; raise ``InvalidDossier`` listing every problem."""
    import yaml

    node = compose_yaml(text, file)
    if node is None:
        raise InvalidDossier([Problem(file, "the file is empty; a dossier is a mapping of fields")])
    ctx = _Ctx(file, [])
    if not isinstance(node, yaml.MappingNode):
        ctx.add(node, "", f"a dossier must be a mapping of fields, got {_describe(node)}")
        raise InvalidDossier(ctx.problems)
    if node.tag != _TAG + "map":
        ctx.add(node, "", f"YAML tag {node.tag!r} is not allowed")
        raise InvalidDossier(ctx.problems)
    try:
        dossier = _convert_object(node, Dossier, "", ctx)
    except RecursionError:
        raise InvalidDossier([Problem(file, "nested too deeply to be a dossier")]) from None
    if dossier is not _FAIL:
        _check_dossier(dossier, node, ctx, stem)
    if ctx.problems:
        raise InvalidDossier(ctx.problems)
    return dossier


def read_text(path: Path, label: str | None = None) -> str:
    """Read a dossier file as UTF-8 within the size cap, or raise ``InvalidDossier``."""
    file = label or path.name
    try:
        # Non-blocking, so a FIFO named *.yaml cannot hang every command; only regular files are read.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as fh:
            mode = os.fstat(fh.fileno()).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError
            if not stat.S_ISREG(mode):
                raise InvalidDossier([Problem(file, "is not a regular file (a device, a pipe or a socket)")])
            # Sized to the file, not to the cap: most of a 1 MiB buffer would be allocated for nothing.
            want = min(os.fstat(fh.fileno()).st_size, MAX_BYTES) + 1
            data = fh.read(want)
            if len(data) == want and want <= MAX_BYTES:  # it grew since: read on, up to the cap
                data += fh.read(MAX_BYTES + 1 - want)
    except IsADirectoryError:
        raise InvalidDossier([Problem(file, "is a folder, not a dossier file")]) from None
    except FileNotFoundError:
        raise InvalidDossier([Problem(file, "no such file")]) from None
    except PermissionError:
        raise InvalidDossier([Problem(file, "cannot be read: permission denied")]) from None
    except OSError as err:
        raise InvalidDossier([Problem(file, f"cannot be read: {err.strerror or err}")]) from None
    if len(data) > MAX_BYTES:
        raise InvalidDossier([Problem(file, f"is larger than {MAX_BYTES // 1024} KiB; a dossier is a few KiB")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InvalidDossier([Problem(file, f"is not UTF-8 text (byte 0x{data[err.start]:02x})", line)]) from None


def load_dossier(path: Path, label: str | None = None) -> Dossier:
    """Read and validate one dossier file; the id must match the file name."""
    file = label or path.name
    return parse_dossier(read_text(path, file), file, stem=path.name.removesuffix(".yaml"))
