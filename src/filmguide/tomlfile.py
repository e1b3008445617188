"""The user's TOML files (settings, seen films): read them strictly, change them without losing a word.

Reading uses the standard library's ``tomllib``. Changing a file goes
through ``tomlkit``, a round-trip TOML library imported only then: it keeps
what the user wrote — comments, tables and keys filmguide does not know,
the exact text of dates and times, the order of keys — and changes only the
entries asked for. The change is made under a lock and written atomically;
a file that is a symbolic link (into a dotfiles repository, say) is written
through the link, so the link stays a link.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import locked, write_atomic
from .errors import FilmguideError
from .records import Frozen


def _reason(e: BaseException) -> str:
    return str(getattr(e, "strerror", None) or e)


def read(path: Path, error: type[FilmguideError], fix: str = "") -> tuple[dict[str, Any], str]:
    """The parsed file and its text; ``({}, "")`` if it does not exist. Errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):  # NotADirectory: XDG_*_HOME names a file
        return {}, ""
    except (OSError, UnicodeDecodeError) as e:
        raise error(f"{path}: cannot be read: {_reason(e)}") from None
    return parse(text, path, error, fix), text


def parse(text: str, path: Path, error: type[FilmguideError], fix: str = "") -> dict[str, Any]:
    # Imported here, not at the top: most commands find no config or state file, and
    # tomllib (with the regular expressions it compiles) costs more than the command's own work.
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+)", str(e))
        where = f"{path}:{m[1]}" if m else str(path)
        raise error(f"{where}: not valid TOML: {str(e).split(' (at')[0]}{fix}") from None
    except RecursionError:
        raise error(f"{path}: nested too deeply to read{fix}") from None


def target(path: Path) -> Path:
    """Where writing ``path`` must go: through any symbolic links to the file they name."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


@dataclass(init=False, repr=False, eq=False, slots=True)
class Op(Frozen):
    """One change: set ``fields`` of entry ``name`` in ``table`` (``""``: the top level), or delete it (``None``).

    An entry that is a bare value (a date) stays bare when ``fields`` is only
    ``{"date": …}``; otherwise it becomes an inline table with its other keys kept.
    With ``value`` (and no ``fields``) the entry is set to that value whole.
    """

    table: str
    name: str
    fields: dict[str, Any] | None
    value: Any = None

    @property
    def deletes(self) -> bool:
        return self.fields is None and self.value is None

    def new_value(self, old: object) -> object:
        return self.value if self.fields is None else merge(old, self.fields)

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, table: str, name: str, fields: dict[str, Any] | None, value: Any = None) -> None:
        object.__setattr__(self, "table", table)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "fields", fields)
        object.__setattr__(self, "value", value)
    # --- end of the written __init__ ---
    # fmt: on


Plan = Callable[[dict[str, Any]], list[Op]]


def update(
    path: Path, error: type[FilmguideError], plan: Plan, header: str = "", intro: dict[str, str] | None = None
) -> list[Op]:
    """Apply the changes ``plan`` asks for, given the file's current content; return them.

    The read, the plan and the write run under the file's lock, so two
    processes take turns. A file that does not read is an error and is never
    replaced. ``intro`` is a comment for a table the change creates.
    """
    try:
        with locked(path):
            tidy(path)
            data, text = read(path, error, "; fix or remove the file")
            ops = plan(data)
            rewrite(path, text or header, data, ops, error, intro)
            return ops
    except OSError as e:
        raise error(f"{path}: cannot be written: {_reason(e)}") from None


def tidy(path: Path) -> None:
    """Remove temporary files a killed writer left beside ``path``: call it holding the lock.

    Under the lock no writer is mid-write, so any such file is only clutter.
    """
    real = target(path)
    for stale in real.parent.glob(f".{real.name}.*.tmp"):
        stale.unlink(missing_ok=True)


def rewrite(
    path: Path,
    text: str,
    data: dict[str, Any],
    ops: list[Op],
    error: type[FilmguideError],
    intro: dict[str, str] | None = None,
) -> None:
    """Write ``ops`` into ``path`` (whose content is ``text``, parsed as ``data``): call it holding the lock.

    Each change touches only its own line when it can (checked by reading
    the result back); anything else goes through ``tomlkit``. The file is
    replaced atomically, through any symbolic link.
    """
    if not ops:
        return
    expected = _applied(data, ops)
    new = _by_lines(text, data, ops, intro or {})
    if new is None or _loads(new) != expected:
        new = _by_tomlkit(text, ops, intro or {}, path, error)
    write_atomic(target(path), new)


def _loads(text: str) -> object:
    import tomllib

    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return None


def merge(old: object, fields: dict[str, Any]) -> object:
    """What an entry becomes: ``old`` (a bare value, a table or nothing) with ``fields`` set."""
    merged = dict(old) if isinstance(old, dict) else ({} if old is None else {"date": old})
    merged.update(fields)
    return merged if isinstance(old, dict) or list(merged) != ["date"] else merged["date"]


def _applied(data: dict[str, Any], ops: list[Op]) -> dict[str, Any]:
    """What ``data`` becomes once ``ops`` are made (``data`` itself is left as it is)."""
    data = dict(data)
    for name in {op.table for op in ops if op.table}:
        data[name] = dict(data.get(name, {}))
    for op in ops:
        table = data if not op.table else data[op.table]
        if op.deletes:
            table.pop(op.name, None)
        else:
            table[op.name] = op.new_value(table.get(op.name))
    return data


_HEADER = re.compile(r"\s*\[")
_KEY = re.compile(r"""\s*("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[A-Za-z0-9_-]+)\s*=""")


def _key_of(line: str) -> str | None:
    m = _KEY.match(line)
    if not m:
        return None
    if m[1][0] not in "\"'":
        return m[1]
    if "\\" not in m[1]:
        return m[1][1:-1]
    parsed = _loads(f"{m[1]} = 0\n")
    return next(iter(parsed)) if isinstance(parsed, dict) and parsed else None


def _by_lines(text: str, data: dict[str, Any], ops: list[Op], intro: dict[str, str]) -> str | None:
    """Each change made on its own line, the rest of the text untouched; None where that cannot be done."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    tables: dict[str, list[Op]] = {}
    for op in ops:
        tables.setdefault(op.table, []).append(op)
    for table, table_ops in tables.items():
        if len({op.name for op in table_ops}) != len(table_ops):
            return None  # two changes to one entry: left to tomlkit
        done = _table_by_lines(lines, table, table_ops, table in data, intro.get(table))
        if done is None:
            return None
        lines = done
    return "".join(lines)


def _table_by_lines(lines: list[str], table: str, ops: list[Op], known: bool, intro: str | None) -> list[str] | None:
    """``lines`` with ``ops`` made in ``table``, each entry on its own line; None where that cannot be done."""
    if table:
        pattern = re.compile(rf"""\s*\[\s*(?:{re.escape(table)}|"{re.escape(table)}")\s*\](?:\s*#.*)?\s*""")
        heads = [i for i, line in enumerate(lines) if pattern.fullmatch(line)]
        if not heads and not known and not any(line.lstrip().startswith(f"[{table}.") for line in lines):
            if all(op.deletes for op in ops):
                return lines
            note = f"# {intro}\n" if intro else ""
            lines = [*lines, "\n" if lines and lines[-1].strip() else "", f"{note}[{table}]\n"]
            heads = [len(lines) - 1]
        if len(heads) != 1:
            return None
        start = heads[0] + 1
    else:
        start = 0
    end = next((i for i in range(start, len(lines)) if _HEADER.match(lines[i])), len(lines))
    at: dict[str, int] = {}
    for i in range(start, end):
        name = _key_of(lines[i])
        if name is not None:
            at[name] = -1 if name in at else i
    out = list(lines)
    added: list[str] = []
    for op in ops:
        hit = at.get(op.name)
        if hit == -1:
            return None
        if hit is None:
            if not op.deletes:
                added.append(f"{key(op.name, table).as_string()} = {value_text(op.new_value(None))}\n")
        elif op.deletes:
            out[hit] = ""
        else:
            doc = _tomlkit_doc(lines[hit])
            if doc is None or op.name not in doc:
                return None
            put(doc, op)
            out[hit] = doc.as_string()
    entries = [i for i in range(start, end) if lines[i].strip() and not lines[i].lstrip().startswith("#")]
    where = entries[-1] + 1 if entries else (start if table else _after_comments(lines, end))
    return out[:where] + added + out[where:]


def _after_comments(lines: list[str], end: int) -> int:
    """Where a new top-level key goes in a file with none: after its opening comments."""
    at = end
    while at > 0 and not lines[at - 1].strip():
        at -= 1
    return at


def _tomlkit_doc(text: str) -> Any:
    import tomlkit

    try:
        return tomlkit.parse(text)
    except (tomlkit.exceptions.TOMLKitError, RecursionError):
        return None


def _by_tomlkit(text: str, ops: list[Op], intro: dict[str, str], path: Path, error: type[FilmguideError]) -> str:
    import tomlkit

    doc = _tomlkit_doc(text)
    if doc is None:
        raise error(f"{path}: cannot be changed without losing what it holds; fix or remove the file")
    for op in ops:
        if op.table and op.table not in doc:
            if op.deletes:
                continue
            doc.add(tomlkit.nl())
            if op.table in intro:
                doc.add(tomlkit.comment(intro[op.table]))
            doc.add(op.table, tomlkit.table())
        table = doc[op.table] if op.table else doc
        if op.deletes:
            if op.name in table:
                del table[op.name]
        else:
            put(table, op)
    return str(doc.as_string())


def put(table: Any, op: Op) -> None:
    """Make ``op``'s change to ``table`` (a ``tomlkit`` container), as ``Op.new_value`` does.

    Keys the user added to an entry (a note, say), its comment and the exact
    text of every value not being changed stay as written.
    """
    from tomlkit.items import InlineTable, Table

    name, old = op.name, table.get(op.name)
    if op.fields is None:
        value: Any = op.value
    elif isinstance(old, Table):  # a [seen."id"] table the user wrote: change its keys in place
        for k, v in op.fields.items():
            old[k] = v
        return
    else:
        if isinstance(old, InlineTable):
            merged = {k.key: v for k, v in old.value.body if k is not None}
        else:
            merged = {} if old is None else {"date": old}
        merged.update(op.fields)
        value = merged["date"] if list(merged) == ["date"] and not isinstance(old, InlineTable) else inline(merged)
    if old is None:
        table.add(key(name, op.table), value)
        return
    import tomlkit

    value = value if hasattr(value, "trivia") else tomlkit.item(value)
    value.trivia.comment_ws, value.trivia.comment = old.trivia.comment_ws, old.trivia.comment
    table[name] = value


def key(name: str, table: str = "x") -> Any:
    """A key in ``table``: quoted in a table of film ids (an id with a quote must survive), bare at the top."""
    from tomlkit.items import KeyType, SingleKey

    return SingleKey(name) if not table else SingleKey(name, KeyType.Basic)


def inline(fields: dict[str, Any]) -> Any:
    """An inline table written ``{ a = 1, b = 2 }``; ``fields`` values may be kept ``tomlkit`` items.

    Items the user wrote keep their exact text (a time with its offset stays
    as written); new values are written by ``tomlkit``.
    """
    import tomlkit

    return tomlkit.parse(f"x = {value_text(fields)}\n")["x"]


def value_text(value: Any) -> str:
    """``value`` as TOML text; a dict as a one-line inline table. A value kept from the file keeps its text."""
    if hasattr(value, "as_string"):
        return str(value.as_string()).strip()
    if isinstance(value, dict):
        parts = [f"{_bare_or_quoted(k)} = {value_text(v)}" for k, v in value.items()]
        return f"{{ {', '.join(parts)} }}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | dt.date):  # a datetime is a date too; isoformat is valid TOML for each
        return value.isoformat() if isinstance(value, dt.date) else repr(value)
    if isinstance(value, str):
        return _quoted(value)
    import tomlkit

    return str(tomlkit.item(value).as_string()).strip()


def _quoted(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04X}", escaped) + '"'


def _bare_or_quoted(name: str) -> str:
    return name if name and re.fullmatch(r"[A-Za-z0-9_-]+", name) else _quoted(name)


def as_date(value: object) -> dt.date | None:
    """A TOML date or date-time as a date; anything else ``None``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None
