"""Reading dossier YAML safely: the file within its size cap, then its nodes.

Text becomes a node tree (never Python objects), which ``dossier.py``
validates against the model; hostile YAML (anchors and aliases, nesting deep
enough to crash the C composer) is refused before anything is built, and
every failure is an ``InvalidDossier`` in filmguide's own words.
"""

from __future__ import annotations

import contextlib
import os
import stat
from functools import cache
from pathlib import Path
from typing import Any

from .errors import InvalidDossier, Problem
from .messages import ANCHORS, DEEP, os_reason, yaml_problem

MAX_BYTES = 1024 * 1024  # a dossier is a few KiB; anything near this is not one


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
        raise InvalidDossier([Problem(file, f"cannot be read: {os_reason(err)}")]) from None
    if len(data) > MAX_BYTES:
        raise InvalidDossier([Problem(file, f"is larger than {MAX_BYTES // 1024} KiB; a dossier is a few KiB")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InvalidDossier([Problem(file, f"is not UTF-8 text (byte 0x{data[err.start]:02x})", line)]) from None


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
            raise InvalidDossier([Problem(file, ANCHORS, line)])
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise InvalidDossier([Problem(file, DEEP.format(depth=MAX_DEPTH), line)])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _rescan(text: str, file: str) -> None:
    """Our own checks over the pure-Python event stream; a syntax error there is left to the caller."""
    import yaml

    with contextlib.suppress(yaml.YAMLError):
        _scan(text, file, yaml.SafeLoader)


# PyYAML's composer asks the loader's Python ``resolve`` for the tag of every node, and calls
# ``descend_resolver``/``ascend_resolver`` around each: most of the cost of composing a dossier.
# The loader below answers the same tags as its base for the cases a dossier has, only sooner:
# a quoted scalar is text, a plain one whose first character starts none of YAML 1.1's implicit
# types (a letter outside y/n/t/f/o, say) is text, and any other plain value is resolved once by
# the base resolver and remembered (field names and grades repeat in every file).
_RESOLVED_MAX = 4096  # plain values remembered; past this, resolved each time as before


@cache
def _loader(base: Any) -> Any:
    """``base`` with the same tags, resolved faster (no path resolvers, which filmguide never adds)."""
    import yaml

    if base.yaml_path_resolvers or None in base.yaml_implicit_resolvers:  # pragma: no cover - not SafeLoader
        return base
    scalar, sequence = yaml.ScalarNode, yaml.SequenceNode
    text, seq, mapping = base.DEFAULT_SCALAR_TAG, base.DEFAULT_SEQUENCE_TAG, base.DEFAULT_MAPPING_TAG
    starts = frozenset(base.yaml_implicit_resolvers)  # "" (the empty value, null) among them
    slow = base.resolve
    resolved: dict[str, str] = {}

    def resolve(self: Any, kind: Any, value: Any, implicit: Any) -> str:
        if kind is not scalar:
            return seq if kind is sequence else mapping
        if not implicit[0] or value[:1] not in starts:
            return text
        tag = resolved.get(value)
        if tag is None:
            tag = slow(self, kind, value, implicit)
            if len(resolved) < _RESOLVED_MAX:
                resolved[value] = tag
        return tag

    def descend(self: Any, current_node: Any, current_index: Any) -> None:
        return None

    def ascend(self: Any) -> None:
        return None

    methods = {"resolve": resolve, "descend_resolver": descend, "ascend_resolver": ascend}
    return type(f"Dossier{base.__name__}", (base,), methods)


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
        return yaml.compose(text, Loader=_loader(loader))
    except yaml.YAMLError as err:
        if loader is not yaml.SafeLoader:
            # libyaml may refuse a file with a check of its own (newer releases
            # bound the nesting depth) before ours has run. Scan again with the
            # pure-Python parser, which stops at our own checks first, so the
            # message is filmguide's whatever release of PyYAML is installed.
            _rescan(text, file)
        raise InvalidDossier([yaml_problem(file, err, text, MAX_DEPTH)]) from None
    except UnicodeError as err:  # text holding a lone surrogate cannot reach libyaml
        raise InvalidDossier([yaml_problem(file, err, text, MAX_DEPTH)]) from None
    except RecursionError:
        raise InvalidDossier([Problem(file, DEEP.format(depth=MAX_DEPTH))]) from None
