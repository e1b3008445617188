"""Which films the user has seen, kept in a small TOML file in the state folder.

The file is human-readable and may be edited by hand::

    # Films you have seen, for filmguide.
    [seen]
    "all-of-us-strangers-2023" = 2026-11-24

A broken file is an error naming the file and line; it is never overwritten,
so nothing the user wrote is lost.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

from .atomic import locked, write_atomic
from .errors import FilmguideError
from .paths import state_dir

HEADER = "# Films you have seen, for filmguide. Edit freely; one line per film.\n"


class StateError(FilmguideError):
    pass


def seen_file() -> Path:
    return state_dir() / "seen.toml"


def _parse(path: Path) -> dict[str, dt.date]:
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):  # NotADirectory: XDG_STATE_HOME names a file
        return {}
    except (OSError, UnicodeDecodeError) as e:
        raise StateError(f"{path}: cannot be read: {getattr(e, 'strerror', None) or e}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+)", str(e))
        where = f"{path}:{m[1]}" if m else str(path)
        raise StateError(f"{where}: not valid TOML ({str(e).split(' (at')[0]}); fix or remove the file") from None
    seen = data.get("seen", {})
    if not isinstance(seen, dict):
        raise StateError(f"{path}: [seen] must be a table of film ids")
    out: dict[str, dt.date] = {}
    for film_id, when in seen.items():
        if isinstance(when, dt.datetime):
            when = when.date()
        if not isinstance(when, dt.date):
            raise StateError(f"{path}: seen.{film_id}: expected a date such as 2026-11-24")
        out[film_id] = when
    return out


def _key(film_id: str) -> str:
    """A TOML quoted key: a hand-edited id with a quote or a control character must survive a rewrite."""
    escaped = film_id.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04X}", escaped) + '"'


def _render(seen: dict[str, dt.date]) -> str:
    lines = [HEADER, "[seen]\n"]
    lines += [f"{_key(film_id)} = {when.isoformat()}\n" for film_id, when in sorted(seen.items())]
    return "".join(lines)


def load_seen() -> dict[str, dt.date]:
    return _parse(seen_file())


def mark(film_id: str, seen: bool, today: dt.date | None = None) -> bool:
    """Record or forget one film; True if that changed anything. Safe against a parallel writer."""
    path = seen_file()
    try:
        with locked(path):
            # Under the lock no writer is mid-write: a temporary file left here
            # is from one that was killed, and only clutter.
            for stale in path.parent.glob(f".{path.name}.*.tmp"):
                stale.unlink(missing_ok=True)
            current = _parse(path)
            if seen == (film_id in current):
                return False
            if seen:
                current[film_id] = today or dt.date.today()
            else:
                del current[film_id]
            write_atomic(path, _render(current))
            return True
    except OSError as e:
        raise StateError(f"{path}: cannot be written: {e.strerror or e}") from None
