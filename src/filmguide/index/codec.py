"""The stored form of a dossier, and decoding it back with every type checked and every size bounded.

A dataclass is stored as the list of its field values in field order, a
grade as its number, as compact JSON compressed with zlib. The plan for each
class is derived once from the model's own field types; a change to
model.py rebuilds the index (see ``store.stamp``).

The index file is only a cache, and whatever it holds may be damaged or
written by someone else: decoding never trusts it. The compressed blob is
inflated to at most ``MAX_STORED`` bytes, JSON nested past what the format
needs is refused (never a ``RecursionError``), and every value is checked
against the type its field declares. Anything else is ``IndexDamaged``.
The model is imported only when a dossier is encoded or decoded.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from ..model import Dossier

MAX_STORED = 4 * 1024 * 1024  # a stored dossier is a few KiB, and its file at most 1 MiB


class IndexDamaged(Exception):
    """The index holds something that cannot be decoded: rebuild it."""


_SCALAR, _GRADE, _STRS, _OBJ, _OBJS = range(5)


class Field(NamedTuple):
    kind: int
    name: str
    scalar: type | None  # the JSON type of a scalar field: str or int
    nullable: bool
    cls: type | None  # the dataclass of an object field
    plan: tuple[Field, ...] | None


Plan = tuple[Field, ...]
_PLANS: dict[type, Plan] = {}
_GRADES: tuple[Any, ...] = ()


def plan_of(cls: type) -> Plan:
    """How ``cls`` is stored, from its field types (each class analysed once)."""
    if cls in _PLANS:
        return _PLANS[cls]
    from .. import model

    out = []
    for f in fields(cls):
        t = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        nullable = t.endswith(" | None")
        base = t.removesuffix(" | None")
        kind, sub, scalar = _SCALAR, None, None
        if base == "Grade":
            kind = _GRADE
        elif base.startswith("tuple[") and base.endswith(", ...]"):
            sub = getattr(model, base[6:-6], None)
            kind = _OBJS if isinstance(sub, type) and is_dataclass(sub) else _STRS
        elif isinstance(getattr(model, base, None), type) and is_dataclass(getattr(model, base)):
            kind, sub = _OBJ, getattr(model, base)
        else:
            scalar = int if base == "int" else str  # str, Slug, Url, PartialDate, Literal[...]
        sub_plan = plan_of(sub) if kind in (_OBJ, _OBJS) and isinstance(sub, type) else None
        out.append(Field(kind, f.name, scalar, nullable, sub, sub_plan))
    _PLANS[cls] = plan = tuple(out)
    return plan


_ENCODERS: dict[type, Callable[[Any], list[Any]]] = {}
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # what json.dumps builds per call


def _encoder(cls: type, plan: Plan) -> Callable[[Any], list[Any]]:
    """How an object of ``cls`` becomes the list of its stored values: its fields read at once, then
    the few that are not stored as they are (grades, lists, objects) converted; made once per class."""
    if cls in _ENCODERS:
        return _ENCODERS[cls]
    get = attrgetter(*(f.name for f in plan))
    read = get if len(plan) > 1 else lambda obj: (get(obj),)
    convert = [
        (i, f.kind, _encoder(f.cls, f.plan) if f.cls is not None and f.plan is not None else None)
        for i, f in enumerate(plan)
    ]
    convert = [c for c in convert if c[1] != _SCALAR]

    def encode(obj: Any) -> list[Any]:
        out = list(read(obj))
        for i, kind, sub in convert:
            v = out[i]
            if kind == _GRADE:
                out[i] = int(v)
            elif kind == _STRS:
                out[i] = list(v)
            elif kind == _OBJ:
                out[i] = None if v is None else sub(v)  # type: ignore[misc]
            else:
                out[i] = [sub(x) for x in v]  # type: ignore[misc]
        return out

    _ENCODERS[cls] = encode
    return encode


def _bad(what: str) -> IndexDamaged:
    return IndexDamaged(f"a stored dossier is not in the stored form: {what}")


def _decode(cls: type, plan: Plan, values: Any) -> Any:
    if type(values) is not list or len(values) != len(plan):
        raise _bad(f"{cls.__name__} is not a list of {len(plan)} values")
    args: list[Any] = []
    for f, v in zip(plan, values, strict=True):
        if f.kind == _SCALAR:
            if type(v) is not f.scalar and not (v is None and f.nullable):
                raise _bad(f"{cls.__name__}.{f.name} has the wrong type")
            args.append(v)
        elif f.kind == _GRADE:
            if type(v) is not int or not 0 <= v < len(_GRADES):
                raise _bad(f"{cls.__name__}.{f.name} is not a grade")
            args.append(_GRADES[v])
        elif f.kind == _STRS:
            if type(v) is not list or any(type(x) is not str for x in v):
                raise _bad(f"{cls.__name__}.{f.name} is not a list of text")
            args.append(tuple(v))
        elif f.kind == _OBJ:
            args.append(None if v is None and f.nullable else _decode(f.cls or object, f.plan or (), v))
        else:
            if type(v) is not list:
                raise _bad(f"{cls.__name__}.{f.name} is not a list")
            args.append(tuple(_decode(f.cls or object, f.plan or (), x) for x in v))
    return cls(*args)


def dossier_to_blob(d: Dossier) -> bytes:
    text = _JSON.encode(_encoder(type(d), plan_of(type(d)))(d))
    return zlib.compress(text.encode("utf-8"), 1)


def inflate(blob: object, limit: int = MAX_STORED) -> bytes:
    """A stored blob decompressed, refusing anything that is not one or inflates past ``limit``."""
    if not isinstance(blob, bytes):
        raise IndexDamaged("a stored value is not a blob")
    try:
        z = zlib.decompressobj()
        data = z.decompress(blob, limit)
        if z.unconsumed_tail or not z.eof:
            raise IndexDamaged("a stored blob is truncated or too large")
    except zlib.error as err:
        raise IndexDamaged(f"a stored blob cannot be inflated: {err}") from None
    return data


def load_json(data: bytes | str) -> Any:
    """JSON from the index; malformed, non-UTF-8 or absurdly nested text is damage, never an exception."""
    try:
        return json.loads(data)
    except (ValueError, RecursionError, MemoryError) as err:  # UnicodeDecodeError is a ValueError
        raise IndexDamaged(f"stored JSON cannot be read: {type(err).__name__}") from None


def dossier_from_blob(blob: object) -> Dossier:
    """The stored form back as a ``Dossier``: no YAML, no validation (it was validated when indexed),
    but every value checked against the type of its field."""
    global _GRADES
    from ..model import Dossier, Grade

    _GRADES = _GRADES or tuple(Grade)
    values = load_json(inflate(blob))
    try:
        d: Dossier = _decode(Dossier, plan_of(Dossier), values)
    except (ValueError, TypeError, RecursionError) as err:  # a dataclass's own check refusing a value
        raise IndexDamaged(f"a stored dossier cannot be read: {type(err).__name__}") from None
    return d
