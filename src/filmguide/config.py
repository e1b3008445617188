"""User settings: flags beat the environment, which beats the config file, which beats defaults.

The file is ``config.toml`` in the user's config folder::

    spoilers = "seen"   # ask | never | seen
    level = "none"      # none | minor | major: the default for show, theories, quotes, export

A broken file is an error naming the file and line, never a silent default.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import FilmguideError
from .paths import config_dir


@dataclass(frozen=True, slots=True)
class Spec:
    default: str
    choices: tuple[str, ...]
    env: str
    doc: str


SPECS: dict[str, Spec] = {
    "spoilers": Spec(
        "ask",
        ("ask", "never", "seen"),
        "FILMGUIDE_SPOILERS",
        "ask before revealing an ending; never reveal without --spoilers; "
        "or reveal films you marked seen without asking",
    ),
    "level": Spec(
        "none",
        ("none", "minor", "major"),
        "FILMGUIDE_LEVEL",
        "the spoiler grade shown when no --level or --spoilers is given",
    ),
}


# Keys read elsewhere: the community catalogs (filmguide.catalogs.settings).
OTHER_KEYS = ("catalogs", "auto_update_days")


class ConfigError(FilmguideError):
    pass


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    value: str
    origin: str  # "default", "environment (FILMGUIDE_X)", or "file:line"


def config_file() -> Path:
    return config_dir() / "config.toml"


def _line_of(text: str, key: str) -> int | None:
    for n, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return n
    return None


def _read_file(path: Path) -> tuple[dict[str, object], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):  # NotADirectory: XDG_CONFIG_HOME names a file
        return {}, ""
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot be read: {getattr(e, 'strerror', None) or e}") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+)", str(e))
        where = f"{path}:{m[1]}" if m else str(path)
        raise ConfigError(f"{where}: not valid TOML: {str(e).split(' (at')[0]}") from None


def load_settings(env: Mapping[str, str] | None = None) -> dict[str, Setting]:
    env = os.environ if env is None else env
    path = config_file()
    data, text = _read_file(path)
    for key in data:
        if key not in SPECS and key not in OTHER_KEYS:
            close = difflib.get_close_matches(key, list(SPECS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known settings: {', '.join(SPECS)}"
            raise ConfigError(f"{path}:{_line_of(text, key) or 1}: {key}: unknown setting{hint}")
    out: dict[str, Setting] = {}
    for name, spec in SPECS.items():
        value, origin = spec.default, "default"
        if name in data:
            raw = data[name]
            where = f"{path}:{_line_of(text, name) or 1}"
            if not isinstance(raw, str) or raw not in spec.choices:
                raise ConfigError(f"{where}: {name}: expected one of {', '.join(spec.choices)}, got {raw!r}")
            value, origin = raw, where
        if env.get(spec.env):
            raw = env[spec.env].strip().lower()
            if raw not in spec.choices:
                raise ConfigError(f"{spec.env}={env[spec.env]!r}: expected one of {', '.join(spec.choices)}")
            value, origin = raw, f"environment ({spec.env})"
        out[name] = Setting(name, value, origin)
    return out
