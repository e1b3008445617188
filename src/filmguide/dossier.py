"""Reading dossier files: YAML in, a validated ``Dossier`` or a list of problems out.

YAML is composed into nodes (never constructed into Python objects), and the
nodes are checked against the dataclasses in ``filmguide.model``. Working on
nodes gives every problem its line, keeps text as the author wrote it
(``title: 1984`` is the text "1984", ``title: No`` is not ``false``), and lets
anchors and aliases be refused before anything expands them.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from .errors import InvalidDossier, Problem
from .messages import ANCHORS, DEEP, TAGGED, choice_message, describe, near_miss
from .model import CountryCode, Dossier, Grade, LanguageCode, PartialDate, Slug, Url
from .records import Record
from .yamlread import MAX_DEPTH, compose_yaml, read_text

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {_TAG + "seq", _TAG + "map"}  # not !!set, !!omap, !!python/…
_NULL, _STR = _TAG + "null", _TAG + "str"
_GRADES = dict(Grade.__members__)  # what ``Grade.parse`` looks a stripped word up in, upper-cased
_MAX_DIGITS = 12  # past any year, runtime or minute; int() refuses beyond 4300 digits
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_URL = re.compile(r"https?://[^\s]+")
_INT = re.compile(r"[+-]?[0-9][0-9_]*")


class _Fail:
    """Marks a value that did not validate; the problem is already recorded."""


_FAIL = _Fail()


@dataclass(init=False, repr=False, eq=False, slots=True)
class _Ctx(Record):
    file: str
    problems: list[Problem]
    seen: set[int] = dataclasses.field(default_factory=set)

    def add(self, node: Any, path: str, message: str) -> _Fail:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(Problem(self.file, message, line, path))
        return _FAIL

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, file: str, problems: list[Problem], seen: set[int] | None = None) -> None:
        self.file = file
        self.problems = problems
        self.seen = set() if seen is None else seen
    # --- end of the written __init__ ---
    # fmt: on


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
    a dataclass, the shape of a tuple's items, a ``Literal``'s choices."""
    inner = _optional_inner(tp)
    if inner is not None:
        tp = inner
    is_object = isinstance(tp, type) and dataclasses.is_dataclass(tp)
    item = _shape(get_args(tp)[0]) if get_origin(tp) is tuple else None
    choices = tuple(str(c) for c in get_args(tp)) if get_origin(tp) is Literal else None
    return tp, is_object, item, choices


@cache
def _fields(cls: type) -> dict[str, tuple[dataclasses.Field[Any], dict[str, Any]]]:
    """Each field of a model class with its rules, analysed once per class."""
    return {f.name: (f, dict(f.metadata)) for f in dataclasses.fields(cls)}


@cache
def _rules(cls: type) -> tuple[dict[str, tuple[Any, dict[str, Any]]], tuple[str, ...]]:
    """Each field's shape and rules by name, and the required fields in order: once per class."""
    fields, hints = _fields(cls), _hints(cls)
    required = tuple(n for n, (f, _) in fields.items() if f.default is f.default_factory is dataclasses.MISSING)
    return {n: (_shape(hints[n]), meta) for n, (_, meta) in fields.items()}, required


def _convert(node: Any, tp: Any, path: str, ctx: _Ctx, meta: dict[str, Any]) -> Any:
    return _checked(node, _shape(tp), path, ctx, meta)


def _checked(node: Any, shape: Any, path: str, ctx: _Ctx, meta: dict[str, Any]) -> Any:
    seen = ctx.seen
    if id(node) in seen:
        return ctx.add(node, path, ANCHORS)
    seen.add(id(node))
    return _value(node, shape, path, ctx, meta)


def _items(nodes: list[Any], shape: Any, path: str, ctx: _Ctx, meta: dict[str, Any]) -> Any:
    """A list's items checked, each as ``_checked`` would (text items sooner); ``_FAIL`` if any fails."""
    seen = ctx.seen
    text = shape[0] is str
    items: list[Any] = []
    failed = False
    for i, n in enumerate(nodes):
        x: Any
        if id(n) in seen:
            x = ctx.add(n, f"{path}[{i}]", ANCHORS)
        else:
            seen.add(id(n))
            raw = n.value.strip() if text and n.tag == _STR and n.id == "scalar" else ""
            x = raw or _value(n, shape, f"{path}[{i}]", ctx, meta)
        failed = failed or x is _FAIL
        items.append(x)
    return _FAIL if failed else items


def _convert_value(node: Any, tp: Any, path: str, ctx: _Ctx, meta: dict[str, Any]) -> Any:
    return _value(node, _shape(tp), path, ctx, meta)


def _value(node: Any, shape: Any, path: str, ctx: _Ctx, meta: dict[str, Any]) -> Any:
    """``node`` checked against a field's shape; a node's kind is PyYAML's own ``id``: scalar, sequence, mapping."""
    scalar = node.id == "scalar"
    if node.tag not in (_SCALAR_TAGS if scalar else _COLLECTION_TAGS):
        return ctx.add(node, path, TAGGED)

    # an explicit null for an optional field is still "nothing" below
    tp, is_object, item, choices = shape

    if is_object:
        if scalar and meta.get("shorthand") and node.tag != _NULL:
            return _convert_shorthand(node, tp, path, ctx, meta["shorthand"])
        return _convert_object(node, tp, path, ctx)

    if item is not None:
        if node.id != "sequence":
            got = describe(node)
            if got == "text" and item[0] is str:
                return ctx.add(node, path, "expected a list, got text (write it in brackets: [...])")
            return ctx.add(node, path, f"expected a list, got {got}")
        items = _items(node.value, item, path, ctx, meta)
        if items is _FAIL:
            return _FAIL
        if meta and len(items) < meta.get("min_items", 0):
            return ctx.add(node, path, f"needs at least {meta['min_items']} entry")
        if meta and meta.get("unique"):
            repeated = [i for i, x in enumerate(items) if x in items[:i]]
            for i in repeated:
                ctx.add(node.value[i], f"{path}[{i}]", "given twice")
            if repeated:
                return _FAIL
        return tuple(items)

    if not scalar:
        return ctx.add(node, path, f"expected {_expected(tp)}, got {describe(node)}")
    if node.tag == _NULL and node.value in ("", "~", "null", "Null", "NULL"):
        return ctx.add(node, path, f"expected {_expected(tp)}, got nothing")
    raw = node.value.strip()

    if tp is str:
        return raw if raw else ctx.add(node, path, "expected text, got an empty string")
    if tp is Grade:
        grade = _GRADES.get(raw.upper())
        if grade is None:
            return ctx.add(node, path, choice_message(node, raw, ["none", "minor", "major"]))
        return grade
    if tp is int:
        if not _INT.fullmatch(raw):
            return ctx.add(node, path, f"expected a whole number, got {describe(node)}")
        if len(raw.lstrip("+-0_").replace("_", "")) > _MAX_DIGITS:
            return ctx.add(node, path, f"expected a whole number of at most {_MAX_DIGITS} digits")
        value = int(raw.replace("_", ""))
        if "min" in meta and value < meta["min"]:
            return ctx.add(node, path, f"must be at least {meta['min']}")
        if "max" in meta and value > meta["max"]:
            return ctx.add(node, path, f"must be at most {meta['max']}")
        return value
    if choices is not None:
        if raw.lower() in choices:
            return raw.lower()
        return ctx.add(node, path, choice_message(node, raw, list(choices)))
    if not raw:
        return ctx.add(node, path, "expected text, got an empty string")
    if tp is Slug:
        if not _SLUG.fullmatch(raw):
            return ctx.add(
                node, path, f"expected an id of lower-case letters, digits and hyphens, got {describe(node)}"
            )
        return raw
    if tp is Url:
        if not _URL.fullmatch(raw):
            return ctx.add(node, path, f"expected an http(s) address, got {describe(node)}")
        return raw
    if tp is CountryCode or tp is LanguageCode:
        return _code(node, tp, raw, path, ctx)
    if tp is PartialDate:
        if not _valid_date(raw):
            got = "a day that is not in the calendar" if describe(node) == "a date" else describe(node)
            return ctx.add(node, path, f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {got}")
        return raw
    raise TypeError(f"no rule for {tp!r}")  # pragma: no cover - a model bug, not bad input


def _code(node: Any, tp: Any, raw: str, path: str, ctx: _Ctx) -> Any:
    from . import codes

    if tp is CountryCode:
        table, what, case, code = codes.countries(), "an ISO 3166-1 alpha-2 country code", "FR", codes.country_code(raw)
    else:
        table, what, case, code = codes.languages(), "an ISO 639-1 language code", "fr", codes.language_code(raw)
    if raw in table:
        return raw
    hint = f" (did you mean {code!r}?)" if code else f"; write a code such as {case!r}"
    return ctx.add(node, path, f"expected {what}, got {describe(node)}{hint}")


def _expected(tp: Any) -> str:
    if tp is int:
        return "a whole number"
    if tp in (Grade,) or get_origin(tp) is Literal:
        return "one word"
    return "text"


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
    if node.id != "mapping":
        return ctx.add(node, path, f"expected a mapping of fields, got {describe(node)}")
    rules, required = _rules(cls)
    values: dict[str, Any] = {}
    keys: dict[str, Any] = {}  # each field's key node, for its line
    failed = merged = False
    prefix = f"{path}." if path else ""
    seen = ctx.seen
    for key_node, value_node in node.value:
        if not _plain_key(key_node):
            ctx.add(key_node, path, "field names must be plain words (no tags, merge keys or complex keys)")
            failed = merged = True
            continue
        name = key_node.value
        rule = rules.get(name)
        if rule is None:
            _unknown(ctx, key_node, path, name, list(rules))
            failed = True
            continue
        where = prefix + name
        if name in keys:
            ctx.add(key_node, where, f"duplicate field (first given on line {keys[name].start_mark.line + 1})")
            failed = True
            continue
        keys[name] = key_node
        shape = rule[0]
        if id(value_node) in seen:
            value = ctx.add(value_node, where, ANCHORS)
        elif shape[0] is str and value_node.tag == _STR and value_node.id == "scalar" and value_node.value.strip():
            seen.add(id(value_node))
            value = value_node.value.strip()  # what _value gives text, sooner: most fields are text
        else:
            seen.add(id(value_node))
            value = _value(value_node, shape, where, ctx, rule[1])
        if value is _FAIL:
            failed = True
        else:
            values[name] = value
    if not merged:  # the fields a merge key would have given are not "missing" as well
        for name in required:
            if name not in keys:
                ctx.add(node, prefix + name, "missing required field")
                failed = True
    if failed:
        return _FAIL
    return cls(**values)


def _plain_key(node: Any) -> bool:
    """A field name: an untagged scalar (a merge key ``<<``, a list or a mapping as a key are not)."""
    return node.id == "scalar" and node.tag in _SCALAR_TAGS


def _unknown(ctx: _Ctx, key_node: Any, path: str, name: str, fields: list[str]) -> None:
    """An unknown key is named only as a near miss of a field; otherwise by its parent and line."""
    close = near_miss(name, fields)
    if close is not None:
        ctx.add(key_node, f"{path}.{name}" if path else name, f"unknown field; did you mean {close!r}?")
    elif len(fields) <= 8:
        ctx.add(key_node, path, f"unknown field; the fields here are {', '.join(fields)}")
    else:
        ctx.add(key_node, path, "unknown field; `filmguide schema` lists the fields of a dossier")


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
        add("id", "does not match the file name (a dossier's id is its file name without .yaml)")
    for section in ("beats", "quotes", "acts"):
        for i, item in enumerate(getattr(d, section)):
            if item.at is not None and item.at > d.runtime:
                add(f"{section}[{i}].at", "the minute is past the film's runtime")
    for i, src in enumerate(d.sources):
        if src.url is None and src.date is None:
            add(f"sources[{i}]", "give a url or a date")
    for i, rel in enumerate(d.related):
        if rel.id == d.id:
            add(f"related[{i}].id", "a film cannot be related to itself")
    for i, other in enumerate(d.spoils):
        if other == d.id:
            add(f"spoils[{i}]", "a film cannot spoil itself")


def parse_dossier(text: str, file: str = "<dossier>", stem: str | None = None) -> Dossier:
    """Validate dossier text; raise ``InvalidDossier`` listing every problem."""
    import yaml

    node = compose_yaml(text, file)
    if node is None:
        raise InvalidDossier([Problem(file, "the file is empty; a dossier is a mapping of fields")])
    ctx = _Ctx(file, [])
    if not isinstance(node, yaml.MappingNode):
        ctx.add(node, "", f"a dossier must be a mapping of fields, got {describe(node)}")
        raise InvalidDossier(ctx.problems)
    if node.tag != _TAG + "map":
        ctx.add(node, "", TAGGED)
        raise InvalidDossier(ctx.problems)
    try:
        dossier = _convert_object(node, Dossier, "", ctx)
    except RecursionError:
        raise InvalidDossier([Problem(file, DEEP.format(depth=MAX_DEPTH))]) from None
    if dossier is not _FAIL:
        _check_dossier(dossier, node, ctx, stem)
    if ctx.problems:
        raise InvalidDossier(ctx.problems)
    return dossier


def load_dossier(path: Path, label: str | None = None) -> Dossier:
    """Read and validate one dossier file; the id must match the file name."""
    file = label or path.name
    return parse_dossier(read_text(path, file), file, stem=path.name.removesuffix(".yaml"))
