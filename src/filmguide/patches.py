"""Partial overrides: ``<id>.patch.yaml`` adds to a dossier without copying it.

A patch holds any dossier fields but ``schema`` and ``id``: lists are
appended to the base dossier's (more theories, quotes, places to watch),
anything else replaces the base value. The merged dossier is checked like any
other, and what came from a patch is recorded so ``show`` can mark it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from .dossier import _FAIL, _check_dossier, _convert, _Ctx, _hints, _plain_key, _unknown
from .errors import InvalidDossier, Problem
from .messages import describe
from .model import Dossier
from .records import Frozen
from .yamlread import compose_yaml, read_text

SUFFIX = ".patch.yaml"
TAG_MAP = "tag:yaml.org,2002:map"
FIXED = ("schema", "id")


@dataclass(init=False, repr=False, eq=False, slots=True)
class PatchInfo(Frozen):
    file: str
    appended: dict[str, int]  # field -> how many items the patch added at the end
    replaced: tuple[str, ...]

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, file: str, appended: dict[str, int], replaced: tuple[str, ...]) -> None:
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "appended", appended)
        object.__setattr__(self, "replaced", replaced)
    # --- end of the written __init__ ---
    # fmt: on


def patch_id(path: Path) -> str:
    return path.name.removesuffix(SUFFIX)


def apply_patch(base: Dossier, text: str, file: str) -> tuple[Dossier, PatchInfo]:
    """Merge patch text into ``base``; raise ``InvalidDossier`` listing every problem."""
    import yaml

    node = compose_yaml(text, file)  # refuses anchors and deep nesting (a crash in the C composer)
    ctx = _Ctx(file, [])
    if node is None:
        raise InvalidDossier([Problem(file, "the patch is empty")])
    if not isinstance(node, yaml.MappingNode) or node.tag != TAG_MAP:
        ctx.add(node, "", f"a patch must be a plain mapping of fields, got {describe(node)}")
        raise InvalidDossier(ctx.problems)
    fields = {f.name: f for f in dataclasses.fields(Dossier)}
    hints = _hints(Dossier)
    changes: dict[str, object] = {}
    appended: dict[str, int] = {}
    replaced: list[str] = []
    for key_node, value_node in node.value:
        if not _plain_key(key_node):  # a list, a mapping or `<<` as a key: never printed as a node
            ctx.add(key_node, "", "field names must be plain words (no tags, merge keys or complex keys)")
            continue
        name = key_node.value
        if name in FIXED:
            ctx.add(key_node, name, "a patch cannot change the schema or the id (the file name names the film)")
            continue
        if name not in fields:
            _unknown(ctx, key_node, "", name, list(fields))  # named only as a near miss of a field
            continue
        if name in changes:
            ctx.add(key_node, name, "duplicate field")
            continue
        value = _convert(value_node, hints[name], name, ctx, dict(fields[name].metadata))
        if value is _FAIL:
            continue
        if isinstance(value, tuple):
            changes[name] = getattr(base, name) + value
            appended[name] = len(value)
        else:
            changes[name] = value
            replaced.append(name)
    if ctx.problems:
        raise InvalidDossier(ctx.problems)
    merged = dataclasses.replace(base, **changes)  # type: ignore[arg-type]
    _check_dossier(merged, node, ctx, None)
    if ctx.problems:
        raise InvalidDossier(ctx.problems)
    return merged, PatchInfo(file, appended, tuple(replaced))


def load_patch(base: Dossier, path: Path) -> tuple[Dossier, PatchInfo]:
    return apply_patch(base, read_text(path, str(path)), str(path))
