"""Where filmguide reads and writes: built-in films, user folders, FILMGUIDE_PATH.

``FILMGUIDE_HOME``, when set, puts every user folder under one directory
(data/, config/, state/, cache/): tests and portable set-ups use it to stay
away from the real home.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP = "filmguide"


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
        return Path(home).expanduser() / kind
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


@dataclass(frozen=True, slots=True)
class Folder:
    path: Path
    origin: str  # "FILMGUIDE_PATH", "user", "catalog NAME" or "built-in"


def film_folders() -> list[Folder]:
    """Folders holding dossiers, most local first: FILMGUIDE_PATH, the user's, catalogs, built-in.

    Empty entries in FILMGUIDE_PATH are skipped; relative ones are taken from
    the current folder; a folder named twice counts once, at its first place.
    """
    folders: list[Folder] = []
    for entry in os.environ.get("FILMGUIDE_PATH", "").split(os.pathsep):
        if entry.strip():
            folders.append(Folder(Path(entry).expanduser().absolute(), "FILMGUIDE_PATH"))
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
