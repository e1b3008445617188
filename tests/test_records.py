"""filmguide's records behave exactly like the dataclasses they replace.

Their methods are written ahead of time by ``python -m filmguide.records``
(so that importing filmguide compiles nothing). Each record is compared with a
real ``@dataclass`` built from its own fields: the same ``repr``, equality,
hash, defaults, immutability and ``dataclasses.replace``.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import subprocess
import sys

import pytest

import filmguide
from filmguide import records


def _record_classes() -> list[tuple[type, bool]]:
    found = []
    for info in pkgutil.walk_packages(filmguide.__path__, "filmguide."):
        if info.name == "filmguide.__main__":
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            mine = isinstance(value, type) and value.__module__ == info.name
            if mine and issubclass(value, records.Record) and value not in (records.Record, records.Frozen):
                found.append((value, issubclass(value, records.Frozen)))
    return found


RECORDS = _record_classes()


def test_every_record_is_found() -> None:
    names = {cls.__name__ for cls, _ in RECORDS}
    assert {"Dossier", "Beat", "Allowance", "DossierView", "Document", "Catalog"} <= names
    assert len(RECORDS) >= 40


def test_the_generated_methods_are_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "filmguide.records", "--check"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, f"run `python -m filmguide.records`:\n{done.stderr}"


def _reference(cls: type, frozen: bool) -> type:
    specs = []
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            specs.append((f.name, object, dataclasses.field(default=f.default)))
        elif f.default_factory is not dataclasses.MISSING:
            specs.append((f.name, object, dataclasses.field(default_factory=f.default_factory)))
        else:
            specs.append((f.name, object))
    ref = dataclasses.make_dataclass(cls.__name__, specs, frozen=frozen, slots="__slots__" in vars(cls))
    ref.__qualname__ = cls.__qualname__
    return ref


class Token:
    """A field value that is hashable, comparable and shows which field it is."""

    def __init__(self, name: str, n: int) -> None:
        self.key = (name, n)

    def __repr__(self) -> str:
        return f"<{self.key[0]} {self.key[1]}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Token) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)


@pytest.mark.parametrize(("cls", "frozen"), RECORDS, ids=[f"{c.__module__}.{c.__name__}" for c, _ in RECORDS])
def test_a_record_behaves_like_its_dataclass(cls: type, frozen: bool) -> None:
    ref = _reference(cls, frozen)
    names = [f.name for f in dataclasses.fields(cls)]
    assert names == [f.name for f in dataclasses.fields(ref)]
    assert cls.__match_args__ == ref.__match_args__  # type: ignore[attr-defined]
    if "__slots__" in vars(cls):
        assert set(cls.__slots__) == set(names)  # type: ignore[attr-defined]

    values = {n: Token(n, 1) for n in names}
    mine, theirs = cls(**values), ref(**values)
    assert repr(mine) == repr(theirs)
    assert mine == cls(**values) and mine != cls(**{**values, names[0]: Token(names[0], 2)}) if names else True
    assert (mine == theirs) is False  # another class is never equal, as with dataclasses
    assert mine.__eq__(object()) is NotImplemented

    required = {f.name: values[f.name] for f in dataclasses.fields(ref) if _required(f)}
    assert repr(cls(**required)) == repr(ref(**required))  # the same defaults, factories called afresh
    if any(f.default_factory is not dataclasses.MISSING for f in dataclasses.fields(ref)):
        assert cls(**required) is not cls(**required)

    if names:
        other = Token(names[-1], 3)
        changed = dataclasses.replace(mine, **{names[-1]: other})
        assert getattr(changed, names[-1]) == other and type(changed) is cls

    if frozen:
        assert hash(mine) == hash(theirs) == hash(cls(**values))
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(mine, names[0] if names else "x", 1)
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(mine, names[0] if names else "x")
    else:
        with pytest.raises(TypeError):
            hash(mine)
        if names:
            setattr(mine, names[0], Token(names[0], 9))
            assert getattr(mine, names[0]) == Token(names[0], 9)


def _required(f: dataclasses.Field) -> bool:  # type: ignore[type-arg]
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def test_importing_filmguide_compiles_no_dataclass_methods() -> None:
    """The point of the records: `filmguide show` imports its modules without ``exec``-ing method source."""
    code = (
        "import dataclasses, sys\n"
        "made = []\n"
        "orig = dataclasses._create_fn\n"
        "def spy(name, *a, **k):\n"
        "    made.append(name)\n"
        "    return orig(name, *a, **k)\n"
        "dataclasses._create_fn = spy\n"
        "import filmguide.cli.film, filmguide.policy, filmguide.render.plain, filmguide.index\n"
        "print(len(made))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"
