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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import FilmguideError, UsageProblem
from .paths import config_dir
from .records import Frozen


@dataclass(init=False, repr=False, eq=False, slots=True)
class Spec(Frozen):
    default: str
    choices: tuple[str, ...]
    env: str
    doc: str

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, default: str, choices: tuple[str, ...], env: str, doc: str) -> None:
        object.__setattr__(self, "default", default)
        object.__setattr__(self, "choices", choices)
        object.__setattr__(self, "env", env)
        object.__setattr__(self, "doc", doc)
    # --- end of the written __init__ ---
    # fmt: on


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
OTHER_KEYS = ("catalogs", "auto_update_days", "pager", "width")


class ConfigError(FilmguideError):
    pass


@dataclass(init=False, repr=False, eq=False, slots=True)
class Setting(Frozen):
    name: str
    value: str
    origin: str  # "default", "environment (FILMGUIDE_X)", or "file:line"

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, name: str, value: str, origin: str) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "origin", origin)
    # --- end of the written __init__ ---
    # fmt: on


def config_file() -> Path:
    return config_dir() / "config.toml"


def _line_of(text: str, key: str) -> int | None:
    for n, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return n
    return None


def _read_file(path: Path) -> tuple[dict[str, object], str]:
    from .tomlfile import read

    return read(path, ConfigError)


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


# --- changing the file: `filmguide config set|unset|edit` ----------------------------

TEMPLATE = """\
# filmguide settings. `filmguide config` shows each value and where it comes from;
# `filmguide config set KEY VALUE` changes one and keeps the rest of this file.
"""


def _spec(name: str) -> Spec:
    if name not in SPECS:
        close = difflib.get_close_matches(name, list(SPECS), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known settings: {', '.join(SPECS)}"
        raise UsageProblem(f"{_shown(name)}: unknown setting; {hint}")
    return SPECS[name]


def _shown(text: str) -> str:
    from .text import one_line

    return repr(one_line(text, 60))


def set_value(name: str, value: str) -> bool:
    """Write ``name = value`` in the config file, keeping everything else in it; True if that changed it."""
    from .tomlfile import Op, update

    spec = _spec(name)
    if value not in spec.choices:
        raise UsageProblem(f"{name}: {_shown(value)} is not allowed; choose one of {', '.join(spec.choices)}")

    def plan(data: dict[str, object]) -> list[Op]:
        return [] if data.get(name) == value else [Op("", name, None, value)]

    return bool(update(config_file(), ConfigError, plan))


def unset(name: str) -> bool:
    """Remove ``name`` from the config file, so the default (or the environment) applies; True if it was there."""
    from .tomlfile import Op, update

    _spec(name)
    return bool(update(config_file(), ConfigError, lambda data: [Op("", name, None)] if name in data else []))


def ensure_file() -> Path:
    """The config file, created with a short commented header if it does not exist yet."""
    from .atomic import write_new

    path = config_file()
    try:
        write_new(path, TEMPLATE)
    except FileExistsError:
        pass
    except OSError as e:
        raise ConfigError(f"{path}: cannot be written: {e.strerror or e}") from None
    return path
