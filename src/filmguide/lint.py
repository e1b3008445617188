"""The spoiler-leak linter: secrets in text below `major`, beats out of order.

A dossier's ``secrets`` are the words and phrases that give its ending away.
The linter looks for them wherever a viewer could read them without asking
for spoilers, and checks the beats' order and grades, the quotes' sources and
the theories' holders. Each finding carries a stable rule code (``RULES``,
documented in docs/lint.md) and the line of the offending field.

Domain code only: nothing here prints.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalog import SUFFIX, dossier_files
from .dossier import parse_dossier
from .errors import InvalidDossier, Problem, where
from .model import Dossier, Grade
from .paths import film_folders, is_folder
from .records import Frozen
from .secrets import find_secrets, first_match
from .yamlread import read_text

RULES: dict[str, str] = {
    "FG001": "the dossier does not validate",
    "FG101": "a secret appears in text graded below major (or in text shown without a grade)",
    "FG102": "a secret appears in a title, a none-graded alias, a tag or a genre",
    "FG103": "a major beat is placed before a none beat in time",
    "FG104": "beats out of order: a beat's minute is smaller than the previous beat's",
    "FG105": "a quote whose speaker or source is only a placeholder",
    "FG106": "a theory whose holder is only a placeholder",
    "FG107": "an ending or major items but no secrets list, so leaks cannot be checked",
    "FG108": "two films link to each other with the link graded differently each way",
    "FG109": "a tag or genre that announces a twist or an ending",
}

ERROR = "error"
WARNING = "warning"
WARNINGS = {"FG107"}  # the rules whose findings are warnings; every other rule's are errors


@dataclass(init=False, repr=False, eq=False, slots=True)
class Finding(Frozen):
    """One finding in one file: ``file:line: FG101 field.path: message``."""

    file: str
    line: int | None
    code: str
    path: str
    message: str
    severity: str  # "error" or "warning"

    def __str__(self) -> str:
        field = f" {self.path}:" if self.path else ""
        return f"{where(self.file, self.line)}: {self.code}{field} {self.message}"

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        file: str,
        line: int | None,
        code: str,
        path: str,
        message: str,
        severity: str,
    ) -> None:
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "severity", severity)
    # --- end of the written __init__ ---
    # fmt: on


_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")

# --- where a field is ----------------------------------------------------------

Key = str | int


class _Source:
    """The composed YAML of a valid dossier, to give each field its line."""

    def __init__(self, text: str) -> None:
        import yaml

        self.text = text
        self.root: Any = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))

    def locate(self, keys: Sequence[Key]) -> tuple[str, Any]:
        """The path walked, in the validator's style, and the node reached.

        The walk stops early at a shorthand (an alias written as a bare
        string), so ``("aliases", 0, "title")`` may give ``aliases[0]``.
        """
        import yaml

        node, path = self.root, ""
        for key in keys:
            if isinstance(key, int):
                if not isinstance(node, yaml.SequenceNode) or key >= len(node.value):
                    break
                node, path = node.value[key], f"{path}[{key}]"
            else:
                if not isinstance(node, yaml.MappingNode):
                    break
                child = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
                if child is None:
                    break
                node, path = child, f"{path}.{key}" if path else key
        return path, node

    def line(self, node: Any) -> int | None:
        return None if node is None else int(node.start_mark.line) + 1

    def field_line(self, keys: Sequence[Key]) -> int | None:
        """The field's line: a list or mapping under a key is named by its key's line."""
        import yaml

        _, node = self.locate(keys)
        if isinstance(node, yaml.CollectionNode) and keys and isinstance(keys[-1], str):
            _, parent = self.locate(keys[:-1])
            if isinstance(parent, yaml.MappingNode):
                for k, v in parent.value:
                    if v is node:
                        return self.line(k)
        return self.line(node)

    def secret_line(self, node: Any, secrets: Sequence[str]) -> int | None:
        """The line a secret is written on, inside a multi-line text; else the field's line."""
        start, end = node.start_mark.index, node.end_mark.index
        raw = self.text[start:end]
        offsets = []
        for secret in secrets:
            at = first_match(secret, raw)
            if at is not None:
                offsets.append(at)
        if not offsets:  # escapes or folding hide it in the raw text
            return self.line(node)
        return int(node.start_mark.line) + 1 + len(_LINE_BREAK.findall(raw, 0, min(offsets)))


# --- the rules ------------------------------------------------------------------


@dataclass(init=False, repr=False, eq=False, slots=True)
class _Text(Frozen):
    code: str
    keys: tuple[Key, ...]
    value: str
    why: str

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, code: str, keys: tuple[Key, ...], value: str, why: str) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "keys", keys)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "why", why)
    # --- end of the written __init__ ---
    # fmt: on


_ALWAYS = "text shown without a spoiler grade"
_EVERYWHERE = "a name shown everywhere, including suggestions and completion"
_UNGRADED = {"premise": "the premise, shown without a spoiler grade", "id": "the id, " + _EVERYWHERE}
_GRADED = {"aliases", "cast", "acts", "beats", "theories", "quotes", "related"}


def _texts(d: Dossier) -> Iterator[_Text]:
    """Every text a viewer can read without asking for major spoilers, from the policy's catalogue."""
    from .policy import Allowance, items

    minor = Allowance(Grade.MINOR, None, False)
    for item in items(d):
        if not item.linted or not minor.shows(item.section, item.grade, item.at, d.runtime):
            continue
        code = "FG101" if item.reach == "page" else "FG102"
        if item.reach != "page":
            why = _UNGRADED.get(item.section, _EVERYWHERE)
        elif item.section in _GRADED:
            why = f"text graded {item.grade.label}"
        else:
            why = _UNGRADED.get(item.section, _ALWAYS)
        for text in item.texts:
            yield _Text(code, text.keys, text.value, why)


_PLACEHOLDERS = {
    "unknown",
    "n/a",
    "na",
    "tbd",
    "tba",
    "tbc",
    "todo",
    "fixme",
    "anonymous",
    "anon",
    "none",
    "nobody",
    "someone",
    "somebody",
    "unattributed",
    "xxx",
    "unknown speaker",
    "unknown source",
}


def is_placeholder(text: str) -> bool:
    """A stand-in for a name: "unknown", "?", "n/a", "tbd", "anonymous"…"""
    core = text.strip().strip(" \t\"'`()[]<>{}?.!…*_-—–").strip().casefold()
    return core in _PLACEHOLDERS or not any(c.isalnum() for c in core)


class _Linter:
    def __init__(self, d: Dossier, src: _Source, file: str, spoilers: bool) -> None:
        self.d, self.src, self.file, self.spoilers = d, src, file, spoilers
        self.findings: list[Finding] = []

    def add(self, code: str, keys: Sequence[Key], message: str, line: int | None = None) -> None:
        path, _ = self.src.locate(keys)
        if line is None:
            line = self.src.field_line(keys)
        severity = WARNING if code in WARNINGS else ERROR
        self.findings.append(Finding(self.file, line, code, path, message, severity))

    def secrets(self) -> None:
        secrets = self.d.secrets
        if not secrets:
            return
        for t in _texts(self.d):
            found = find_secrets(t.value, secrets)
            if not found:
                continue
            _, node = self.src.locate(t.keys)
            line = self.src.secret_line(node, found)
            plural = "s" * (len(found) > 1)
            if self.spoilers:
                names = ", ".join(f'"{s}"' for s in found)
                message = f"gives away the secret{plural} {names} in {t.why}"
            else:  # which secret, and the secrets themselves, only for an author who asks (--spoilers)
                message = f"gives away a secret in {t.why} (--spoilers names it)"
            self.add(t.code, t.keys, message, line=line)

    def beat_order(self) -> None:
        beats = self.d.beats
        prev: tuple[int, int] | None = None  # (index, at) of the last beat with a minute
        for i, beat in enumerate(beats):
            if beat.at is None:
                continue
            if prev is not None and beat.at < prev[1]:
                self.add(
                    "FG104",
                    ("beats", i, "at"),
                    f"minute {beat.at} comes after beats[{prev[0]}] at minute {prev[1]}; beats go in film order",
                )
            prev = (i, beat.at)

    def major_before_none(self) -> None:
        beats = self.d.beats

        def before(i: int, j: int) -> bool:
            a, b = beats[i].at, beats[j].at
            if a is not None and b is not None and a != b:
                return a < b
            return i < j

        nones = [j for j, b in enumerate(beats) if b.grade == Grade.NONE]
        for i, beat in enumerate(beats):
            if beat.grade != Grade.MAJOR:
                continue
            later = [j for j in nones if before(i, j)]
            if not later:
                continue
            j = min(later, key=lambda k: (beats[k].at is None, beats[k].at or 0, k))
            when = f" (minute {beat.at})" if beat.at is not None else ""
            then = f" (minute {beats[j].at})" if beats[j].at is not None else ""
            self.add(
                "FG103",
                ("beats", i),
                f"a major beat{when} comes before the none beat beats[{j}]{then}; "
                "one of them is misgraded or out of place",
            )

    def placeholders(self) -> None:
        for i, quote in enumerate(self.d.quotes):
            for name in ("speaker", "source"):
                value = getattr(quote, name)
                if is_placeholder(value):
                    message = f"{name}{self._quoted(value)} is a placeholder; say who and where"
                    self.add("FG105", ("quotes", i, name), message)
        for i, theory in enumerate(self.d.theories):
            if is_placeholder(theory.held_by):
                self.add(
                    "FG106",
                    ("theories", i, "held_by"),
                    f"held_by{self._quoted(theory.held_by)} is a placeholder; say who holds it",
                )

    def _quoted(self, value: str) -> str:
        """A field's value, only with --spoilers: it may belong to a hidden item."""
        return f' "{value}"' if self.spoilers else ""

    def no_secrets(self) -> None:
        d = self.d
        if d.secrets:
            return
        keys: tuple[Key, ...] | None = ("ending",) if d.ending is not None else None
        if keys is None:
            for section in ("aliases", "cast", "acts", "beats", "theories", "quotes", "related"):
                first = next((i for i, item in enumerate(getattr(d, section)) if item.grade == Grade.MAJOR), None)
                if first is not None:
                    keys = (section, first)
                    break
        if keys is not None:
            what = "an ending" if keys == ("ending",) else "major items"
            self.add(
                "FG107",
                keys,
                f"the dossier has {what} but no secrets list, so leaks cannot be checked; "
                "add `secrets:` with the words that give the ending away",
            )


# Each check adds findings for one or more rules of ``RULES``; a new rule is a method and an entry here.
CHECKS: list[Callable[[_Linter], None]] = [
    _Linter.secrets,
    _Linter.major_before_none,
    _Linter.beat_order,
    _Linter.placeholders,
    _Linter.no_secrets,
]


def _sort_key(f: Finding) -> tuple[str, int, str, str]:
    return (f.file, f.line or 0, f.code, f.path)


def _from_problem(p: Problem) -> Finding:
    return Finding(p.file, p.line, "FG001", p.path, p.message, ERROR)


def lint_text(text: str, file: str, stem: str | None, spoilers: bool = False) -> list[Finding]:
    """Lint one dossier's text; ``stem`` is the file name without .yaml, if from a file.

    Findings name the rule, the field and the line; the secret or hidden text
    a rule matched is quoted only with ``spoilers``, for authors checking
    their own files.
    """
    try:
        d = parse_dossier(text, file, stem)
    except InvalidDossier as err:
        return sorted((_from_problem(p) for p in err.problems), key=_sort_key)
    linter = _Linter(d, _Source(text), file, spoilers)
    for check in CHECKS:
        check(linter)
    from .lint_catalog import tag_findings

    linter.findings.extend(tag_findings(d, text, file))
    return sorted(linter.findings, key=_sort_key)


def lint_file(path: Path, label: str | None = None, spoilers: bool = False) -> list[Finding]:
    file = label or str(path)
    try:
        text = read_text(path, file)
    except InvalidDossier as err:
        return [_from_problem(p) for p in err.problems]
    return lint_text(text, file, path.name.removesuffix(SUFFIX), spoilers)


def _present(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name the system will not look up (too long): reading it says why
        return True


def lint_paths(paths: list[Path], spoilers: bool = False) -> tuple[int, list[Finding]]:
    """Lint files and folders (``*.yaml`` directly inside); none given: every folder in use.

    Returns how many files were checked and every finding, by file then line.
    """
    findings: list[Finding] = []
    files: list[Path] = []
    targets = paths or [f.path for f in film_folders()]
    for target in targets:
        if is_folder(target):
            found, problems = dossier_files(target)
            files.extend(found)
            findings.extend(_from_problem(p) for p in problems)
        elif _present(target):
            files.append(target)
        elif paths:  # a default folder that does not exist is simply empty
            findings.append(Finding(str(target), None, "FG001", "", "no such file or folder", ERROR))
    seen: set[Path] = set()
    checked: list[Path] = []
    for path in files:
        key = path.absolute()
        if key in seen:
            continue
        seen.add(key)
        checked.append(path)
        findings.extend(lint_file(path, spoilers=spoilers))
    from .lint_catalog import link_findings

    findings.extend(link_findings(checked))
    return len(checked), sorted(findings, key=_sort_key)
