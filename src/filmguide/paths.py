"""Where filmguide reads and writes: built-in films, user folders, FILMGUIDE_PATH.

``FILMGUIDE_HOME``, when set, puts every user folder under one directory
(data/, config/, state/, cache/): tests and portable set-ups use it to stay
away from the real home.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import FilmguideError
from .records import Frozen

APP = "filmguide"


def _expand(raw: str, var: str) -> Path:
    """``raw`` from the environment variable ``var`` with ``~`` or ``~user`` expanded.

    A ``~user`` with no such user (or ``~`` with no home) is a clear error naming
    the variable, not Python's RuntimeError.
    """
    try:
        return Path(raw).expanduser()
    except RuntimeError:
        user = raw[1:].split("/", 1)[0].split(os.sep, 1)[0]
        whose = f"no user named {user!r}" if user else "no home folder for ~"
        message = f"{var}: {raw!r} starts with ~{user}, but there is {whose}; give the folder in full"
        raise FilmguideError(message) from None


def is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder; a name the system cannot even look up (too long, say) is not."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def builtin_films() -> Path:
    """The films shipped with filmguide: inside the wheel, or the source checkout's data/films."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "films"
    if packaged.is_dir():
        return packaged
    return here.parents[1] / "data" / "films"


def _user_dir(kind: str) -> Path:
    home = os.environ.get("FILMGUIDE_HOME")
    if home:
        return _expand(home, "FILMGUIDE_HOME") / kind
    import platformdirs

    getter = {
        "data": platformdirs.user_data_dir,
        "config": platformdirs.user_config_dir,
        "state": platformdirs.user_state_dir,
        "cache": platformdirs.user_cache_dir,
    }[kind]
    return Path(getter(APP))


def user_films() -> Path:
    return _user_dir("data") / "films"


def catalogs_dir() -> Path:
    """Where community catalogs are installed, one folder each (``filmguide update``)."""
    return _user_dir("data") / "catalogs"


def catalog_folders() -> list[Folder]:
    """The installed catalogs' folders, by name; hidden entries (unfinished installs) left out."""
    try:
        names = sorted(e.name for e in os.scandir(catalogs_dir()) if not e.name.startswith("."))
    except OSError:
        return []
    return [Folder(catalogs_dir() / name, f"catalog {name}") for name in names]


def config_dir() -> Path:
    return _user_dir("config")


def state_dir() -> Path:
    return _user_dir("state")


def cache_dir() -> Path:
    return _user_dir("cache")


@dataclass(init=False, repr=False, eq=False, slots=True)
class Folder(Frozen):
    path: Path
    origin: str  # "FILMGUIDE_PATH", "user", "catalog NAME" or "built-in"

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, path: Path, origin: str) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "origin", origin)
    # --- end of the written __init__ ---
    # fmt: on


def film_folders() -> list[Folder]:
    """Folders holding dossiers, most local first: FILMGUIDE_PATH, the user's, catalogs, built-in.

    Empty entries in FILMGUIDE_PATH are skipped; relative ones are taken from
    the current folder; a folder named twice counts once, at its first place.
    """
    folders: list[Folder] = []
    for entry in os.environ.get("FILMGUIDE_PATH", "").split(os.pathsep):
        if entry.strip():
            folders.append(Folder(_expand(entry, "FILMGUIDE_PATH").absolute(), "FILMGUIDE_PATH"))
    folders.append(Folder(user_films(), "user"))
    folders.extend(catalog_folders())
    folders.append(Folder(builtin_films(), "built-in"))
    seen: set[Path] = set()
    unique = []
    for f in folders:
        if f.path not in seen:
            seen.add(f.path)
            unique.append(f)
    return unique
