"""Records: filmguide's dataclasses, without compiling their methods at every import.

``@dataclass(frozen=True, slots=True)`` writes ``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, ``__setattr__`` and ``__delattr__`` as source text and
compiles it every time its module is imported: about 4 million instructions a
class, and 33 classes stood between `filmguide show` and its output, a quarter
of all it executed. A record is declared instead as

    @dataclass(init=False, repr=False, eq=False, slots=True)
    class Beat(Frozen):
        text: str
        ...

``Frozen`` (immutable, hashable, like ``frozen=True``) and ``Record`` (mutable,
unhashable, like a plain ``@dataclass``) give equality, hashing and ``repr``
over the fields in order, as dataclasses do. Each ``__init__``, whose
signature type checkers read, is written into the class body as ordinary
source by ``python -m filmguide.records``, so Python caches it as bytecode with
the module; ``--check`` (used by the tests) fails when one is out of date.
``dataclasses`` still provides ``fields``, ``replace``, ``__match_args__`` and
the slots, so the validator, the schema and the stored form read the model as
before.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import FrozenInstanceError
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

if TYPE_CHECKING:
    import ast


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


class Record:
    """A mutable record: equal to a record of the same class with equal fields; never hashed."""

    __slots__ = ()
    _field_names: ClassVar[tuple[str, ...]] = ()
    _field_values: ClassVar[Callable[[Any], tuple[Any, ...]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names = list(vars(cls).get("__annotations__", {}))  # its own fields, in order, as dataclasses reads them
        cls._field_names = tuple(names)
        cls._field_values = staticmethod(_getter(names))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        values = type(self)._field_values
        return values(self) == values(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._field_names)
        return f"{type(self).__qualname__}({shown})"


class Frozen(Record):
    """An immutable record: its fields are set once, by ``__init__``; hashable by its fields."""

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(type(self)._field_values(self))

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


# --- writing each record's __init__ (python -m filmguide.records) ----------------------

DECORATORS = (
    "@dataclass(init=False, repr=False, eq=False, slots=True)",
    "@dataclass(init=False, repr=False, eq=False)",  # a record that needs a __dict__
)
BASES = {"Frozen": True, "Record": False}
OFF, ON = "    # fmt: off", "    # fmt: on"  # the generator, not ruff, lays these lines out
BEGIN = "    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---"
END = "    # --- end of the written __init__ ---"
WIDTH = 110  # written lines stay within ruff's 120 columns, at a class body's indent


class Field(NamedTuple):
    name: str
    annotation: str
    default: str | None  # source of the default value
    factory: str | None  # source of the default factory


def _fields(source: str, cls: ast.ClassDef) -> list[Field]:
    import ast

    out = []
    for stmt in cls.body:
        if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
            continue
        annotation = ast.get_source_segment(source, stmt.annotation) or ""
        default = factory = None
        value = stmt.value
        if isinstance(value, ast.Call) and ast.get_source_segment(source, value.func) in ("field", "dataclasses.field"):
            for kw in value.keywords:
                if kw.arg == "default":
                    default = ast.get_source_segment(source, kw.value)
                elif kw.arg == "default_factory":
                    factory = ast.get_source_segment(source, kw.value)
        elif value is not None:
            default = ast.get_source_segment(source, value)
        if factory is not None and "None" in annotation:
            raise SystemExit(f"{cls.name}.{stmt.target.id}: a default factory needs a type without None")
        out.append(Field(stmt.target.id, annotation, default, factory))
    return out


def init(fields: list[Field], frozen: bool) -> list[str]:
    """The lines of one record's ``__init__``, indented for a class body."""
    params = ["self"]
    for f in fields:
        if f.factory is not None:
            params.append(f"{f.name}: {f.annotation} | None = None")
        elif f.default is not None:
            params.append(f"{f.name}: {f.annotation} = {f.default}")
        else:
            params.append(f"{f.name}: {f.annotation}")
    one = f"    def __init__({', '.join(params)}) -> None:"
    lines = [one] if len(one) <= WIDTH else ["    def __init__(", *(f"        {p}," for p in params), "    ) -> None:"]
    for f in fields:
        factory = f.factory if f.factory is None or f.factory.isidentifier() else f"({f.factory})"
        value = f"{factory}() if {f.name} is None else {f.name}" if factory is not None else f.name
        if frozen:
            lines.append(f'        object.__setattr__(self, "{f.name}", {value})')
        else:
            lines.append(f"        self.{f.name} = {value}")
    if not fields:
        lines.append("        pass")
    return lines


def rewrite(source: str) -> str:
    """The module's source with every record's written ``__init__`` brought up to date."""
    import ast

    tree = ast.parse(source)
    lines = source.split("\n")
    edits: list[tuple[int, int, list[str]]] = []  # (first line, end line, new lines), 0-based, end exclusive
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef) or not node.decorator_list:
            continue
        if lines[node.decorator_list[0].lineno - 1].strip() not in DECORATORS:
            continue
        bases = [b.id for b in node.bases if isinstance(b, ast.Name) and b.id in BASES]
        if not bases:
            raise SystemExit(f"{node.name}: a record's class is Frozen or Record")
        body = init(_fields(source, node), BASES[bases[0]])
        assert node.end_lineno is not None
        start = end = None
        for i in range(node.lineno, min(node.end_lineno + 2, len(lines) - 1)):  # END and ON are comments after it
            if lines[i] == BEGIN and lines[i - 1] == OFF:
                start = i - 1
            elif lines[i] == END and lines[i + 1] == ON:
                end = i + 2
        block = [OFF, BEGIN, *body, END, ON]
        if start is None or end is None:  # a new record: its __init__ goes at the end of the class
            edits.append((node.end_lineno, node.end_lineno, ["", *block]))
        else:
            edits.append((start, end, block))
    for start, end, new in sorted(edits, reverse=True):
        lines[start:end] = new
    return "\n".join(lines)


def modules(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*.py") if p.name != "records.py" and any(d in p.read_text("utf-8") for d in DECORATORS)
    )


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parent
    stale = []
    for path in modules(root):
        old = path.read_text(encoding="utf-8")
        new = rewrite(old)
        if new != old:
            stale.append(path)
            if "--check" not in argv:
                path.write_text(new, encoding="utf-8")
    for path in stale:
        verb = "out of date" if "--check" in argv else "rewritten"
        print(f"{path.relative_to(root.parent)}: {verb}", file=sys.stderr)
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
