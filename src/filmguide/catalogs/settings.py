"""The catalogs a user subscribes to, in config.toml::

    auto_update_days = 30      # remind me when a catalog is older than this

    [[catalogs]]
    name = "noir"
    url = "https://example.org/noir.zip"

Read with the rest of the settings' file; a new subscription is appended as
text, so every comment and setting already in the file stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..atomic import locked, write_atomic
from ..config import ConfigError, config_file
from ..records import Frozen
from .archive import valid_name
from .fetch import check_url


@dataclass(init=False, repr=False, eq=False, slots=True)
class Subscription(Frozen):
    name: str
    url: str

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, name: str, url: str) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "url", url)
    # --- end of the written __init__ ---
    # fmt: on


def _load(path: Path) -> dict[str, object]:
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot be read: {getattr(e, 'strerror', None) or type(e).__name__}") from None
    import tomllib  # only when the file exists (see tomlfile.parse)

    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        raise ConfigError(f"{path}: not valid TOML; run `filmguide config` to see where") from None


def subscriptions(path: Path | None = None) -> list[Subscription]:
    """The ``[[catalogs]]`` entries, checked: each has a valid name and an allowed URL."""
    path = path or config_file()
    raw = _load(path).get("catalogs", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: catalogs: expected [[catalogs]] tables with a name and a url")
    out = []
    for i, entry in enumerate(raw):
        where = f"{path}: catalogs[{i}]"
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("name"), str)
            or not isinstance(entry.get("url"), str)
        ):
            raise ConfigError(f"{where}: expected a name and a url, both strings")
        if not valid_name(entry["name"]):
            raise ConfigError(f"{where}: name: lower-case letters, digits and hyphens")
        try:
            check_url(entry["url"])
        except Exception as err:  # CatalogError: say which entry
            raise ConfigError(f"{where}: url: {getattr(err, 'message', 'not allowed')}") from None
        out.append(Subscription(entry["name"], entry["url"]))
    return out


def auto_update_days(path: Path | None = None) -> int | None:
    """``auto_update_days`` if set (a whole number ≥ 1), else ``None``."""
    path = path or config_file()
    value = _load(path).get("auto_update_days")
    if value is None:
        return None
    if type(value) is not int or value < 1:
        raise ConfigError(f"{path}: auto_update_days: expected a whole number of days, 1 or more")
    return value


def subscribe(name: str, url: str, path: Path | None = None) -> bool:
    """Record ``name`` at ``url`` in config.toml unless it is there; ``True`` if the file changed."""
    path = path or config_file()
    with locked(path):
        if any(s.name == name and s.url == url for s in subscriptions(path)):
            return False
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = ""
        if any(s.name == name for s in subscriptions(path)):
            raise ConfigError(f"{path}: a catalog named {name!r} is already listed with another url; edit the file")
        block = f'[[catalogs]]\nname = "{name}"\nurl = {_toml_string(url)}\n'
        sep = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        write_atomic(path, text + sep + block)
        return True


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'
