"""The JSON Schema of the dossier format, derived from ``filmguide.model``.

Editors (through the YAML language server) and CI check dossiers with it; the
loader in ``filmguide.dossier`` applies the same rules and adds line numbers
and the checks JSON Schema cannot state (the id matching the file name,
minutes within the runtime).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Literal, get_args, get_origin

from .model import SCHEMA_VERSION, CountryCode, Dossier, Grade, LanguageCode, PartialDate, Slug, Url

SCHEMA_ID = "https://filmguide.invalid/schema/dossier-1.json"


def _type(tp: Any, meta: dict[str, Any]) -> dict[str, Any]:
    if get_origin(tp) in (typing.Union, types.UnionType):
        inner = [a for a in get_args(tp) if a is not type(None)]
        return _type(inner[0], meta)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        obj = _object(tp)
        if meta.get("shorthand"):
            return {"anyOf": [{"type": "string", "minLength": 1}, obj]}
        return obj
    if get_origin(tp) is tuple:
        out: dict[str, Any] = {"type": "array", "items": _type(get_args(tp)[0], meta)}
        if meta.get("min_items"):
            out["minItems"] = meta["min_items"]
        if meta.get("unique"):
            out["uniqueItems"] = True
        return out
    if tp is int:
        out = {"type": "integer"}
        if "min" in meta:
            out["minimum"] = meta["min"]
        if "max" in meta:
            out["maximum"] = meta["max"]
        return out
    if tp is Grade:
        return {"enum": [g.label for g in Grade]}
    if get_origin(tp) is Literal:
        return {"enum": list(get_args(tp))}
    if tp is Slug:
        return {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
    if tp is CountryCode or tp is LanguageCode:
        from . import codes

        table = codes.countries() if tp is CountryCode else codes.languages()
        return {"type": "string", "enum": sorted(table)}
    if tp is Url:
        return {"type": "string", "pattern": "^https?://\\S+$"}
    if tp is PartialDate:
        # YAML may read an unquoted 2024-03-21 as a date; the loader takes it as written.
        return {"type": ["string", "integer"], "pattern": "^\\d{4}(-\\d{2}(-\\d{2})?)?$"}
    if tp is str:
        # Text fields take any scalar: `title: 1984` is the text "1984".
        return {"type": ["string", "number", "boolean"], "minLength": 1}
    raise TypeError(f"no schema for {tp!r}")  # pragma: no cover


def _object(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    props: dict[str, Any] = {}
    required: list[str] = []
    for f in dataclasses.fields(cls):
        meta = dict(f.metadata)
        prop = _type(hints[f.name], meta)
        prop = {"description": meta.get("doc", ""), **prop}
        props[f.name] = prop
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            required.append(f.name)
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = required
    return out


def json_schema() -> dict[str, Any]:
    root = _object(Dossier)
    root["properties"]["schema"]["const"] = SCHEMA_VERSION
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"filmguide dossier, format version {SCHEMA_VERSION}",
        **root,
    }
