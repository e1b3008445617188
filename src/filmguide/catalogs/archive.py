"""Catalog archives: a zip of dossiers plus ``index.json``, written the same way every time.

``build`` makes the archive that ``filmguide pack`` publishes; ``read`` opens
one that ``filmguide update`` downloaded, and is the gate against hostile
archives: only ``*.yaml`` files at the top or under ``films/`` are taken,
names with ``..``, absolute paths, links and other special entries are
refused, and counts and sizes are bounded before anything is decompressed.
"""

from __future__ import annotations

import io
import json
import re
import stat
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from ..errors import ExitCode, FilmguideError
from ..records import Frozen

FORMAT = 1  # the catalog format this filmguide reads and writes
INDEX = "index.json"
SUFFIX = ".yaml"
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
# Every entry of a built archive carries this time, so the bytes depend only on the files.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(init=False, repr=False, eq=False, slots=True)
class Limits(Frozen):
    """What an archive may hold; past any of these it is refused before it is unpacked."""

    archive_bytes: int = 64 * 1024 * 1024
    files: int = 20_000
    file_bytes: int = 1024 * 1024
    total_bytes: int = 256 * 1024 * 1024
    ratio: int = 200  # largest uncompressed-to-compressed ratio of one entry (a zip bomb's tell)

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        archive_bytes: int = 64 * 1024 * 1024,
        files: int = 20_000,
        file_bytes: int = 1024 * 1024,
        total_bytes: int = 256 * 1024 * 1024,
        ratio: int = 200,
    ) -> None:
        object.__setattr__(self, "archive_bytes", archive_bytes)
        object.__setattr__(self, "files", files)
        object.__setattr__(self, "file_bytes", file_bytes)
        object.__setattr__(self, "total_bytes", total_bytes)
        object.__setattr__(self, "ratio", ratio)
    # --- end of the written __init__ ---
    # fmt: on


DEFAULT_LIMITS = Limits()


class CatalogError(FilmguideError):
    """A catalog could not be packed, downloaded, checked or installed."""

    exit_code = ExitCode.CATALOG


@dataclass(init=False, repr=False, eq=False, slots=True)
class Film(Frozen):
    id: str
    title: str
    year: int

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, id: str, title: str, year: int) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "year", year)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class Pack(Frozen):
    """An archive's contents: its index and each dossier's bytes, by file name."""

    name: str
    made: str
    films: tuple[Film, ...]
    files: dict[str, bytes]

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, name: str, made: str, films: tuple[Film, ...], files: dict[str, bytes]) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "made", made)
        object.__setattr__(self, "films", films)
        object.__setattr__(self, "files", files)
    # --- end of the written __init__ ---
    # fmt: on


def valid_name(name: str) -> bool:
    return bool(NAME.match(name))


def _index_bytes(name: str, made: str, films: list[Film]) -> bytes:
    index = {
        "format": FORMAT,
        "name": name,
        "made": made,
        "count": len(films),
        "films": [{"id": f.id, "title": f.title, "year": f.year} for f in films],
    }
    return (json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def build(files: dict[str, bytes], films: list[Film], name: str, made: datetime) -> bytes:
    """The archive for ``files`` (file name to bytes), byte for byte the same for the same input."""
    out = io.BytesIO()
    stamp = made.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    entries = {f"films/{n}": data for n, data in files.items()}
    entries[INDEX] = _index_bytes(name, stamp, sorted(films, key=lambda f: f.id))
    with zipfile.ZipFile(out, "w") as zf:
        for entry in sorted(entries):
            info = zipfile.ZipInfo(entry, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.create_system = 3  # Unix, whatever machine packs it
            zf.writestr(info, entries[entry], compresslevel=9)
    return out.getvalue()


def _member_name(info: zipfile.ZipInfo) -> str | None:
    """The dossier file name an entry unpacks to, ``None`` for entries that are skipped.

    Raises ``CatalogError`` for an entry that tries to leave the catalog's folder.
    """
    raw = info.filename
    path = PurePosixPath(raw.replace("\\", "/"))
    if raw.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", raw) or ".." in path.parts:
        raise CatalogError("the archive has an entry that points outside the catalog; refused")
    kind = stat.S_IFMT(info.external_attr >> 16)
    if info.create_system == 3 and kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise CatalogError("the archive has a link or a special file; refused")
    if info.is_dir() or not raw.endswith(SUFFIX):
        return None
    parts = path.parts
    if len(parts) == 1 or (len(parts) == 2 and parts[0] == "films"):
        name = parts[-1]
        return name if not name.startswith(".") else None
    return None


def _parse_index(data: bytes) -> tuple[str, str, tuple[Film, ...]]:
    def bad(what: str) -> CatalogError:
        return CatalogError(f"the archive's {INDEX} is not valid: {what}")

    try:
        index = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise bad("not JSON") from None
    if not isinstance(index, dict):
        raise bad("not an object")
    version = index.get("format")
    if type(version) is not int:
        raise bad("no format version")
    if version != FORMAT:
        raise CatalogError(
            f"the catalog is in format {version}; this filmguide reads format {FORMAT} (upgrade filmguide)"
        )
    name, made, films = index.get("name"), index.get("made"), index.get("films")
    if not isinstance(name, str) or not valid_name(name):
        raise bad("the name must be lower-case letters, digits and hyphens")
    if not isinstance(made, str) or len(made) > 40:
        raise bad("no time it was made")
    if not isinstance(films, list):
        raise bad("no list of films")
    out = []
    for f in films:
        if not (
            isinstance(f, dict)
            and isinstance(f.get("id"), str)
            and isinstance(f.get("title"), str)
            and type(f.get("year")) is int
        ):
            raise bad("a film entry needs an id, a title and a year")
        out.append(Film(f["id"], f["title"], f["year"]))
    if index.get("count") != len(out):
        raise bad("the count does not match the films")
    return name, made, tuple(out)


def read(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Pack:
    """Open an archive's bytes, within ``limits``; raise ``CatalogError`` for anything unsafe."""
    if len(data) > limits.archive_bytes:
        raise CatalogError(f"the archive is larger than {limits.archive_bytes // (1024 * 1024)} MiB; refused")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise CatalogError("the download is not a zip archive") from None
    if len(infos) > limits.files:
        raise CatalogError(f"the archive holds more than {limits.files} entries; refused")
    total = 0
    wanted: dict[str, zipfile.ZipInfo] = {}
    index_info = None
    for info in infos:
        if info.filename == INDEX:
            index_info = info
        name = _member_name(info)
        if name is None and info is not index_info:
            continue
        if info.file_size > limits.file_bytes:
            raise CatalogError(f"an entry of the archive is larger than {limits.file_bytes // 1024} KiB; refused")
        if info.compress_size and info.file_size / info.compress_size > limits.ratio:
            raise CatalogError("an entry of the archive expands suspiciously far (a zip bomb?); refused")
        total += info.file_size
        if total > limits.total_bytes:
            raise CatalogError(f"the archive unpacks to more than {limits.total_bytes // (1024 * 1024)} MiB; refused")
        if name is not None:
            if name in wanted:
                raise CatalogError("the archive holds two dossiers with the same file name; refused")
            wanted[name] = info
    if index_info is None:
        raise CatalogError(f"the archive has no {INDEX}; it is not a filmguide catalog")

    def take(info: zipfile.ZipInfo) -> bytes:
        # Read at most one byte past the declared size: a lying header cannot make us inflate more.
        try:
            with zf.open(info) as fh:
                content = fh.read(limits.file_bytes + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
            raise CatalogError("the archive is damaged") from None
        if len(content) != info.file_size:
            raise CatalogError("the archive is damaged (an entry's size does not match)")
        return content

    name, made, films = _parse_index(take(index_info))
    files = {n: take(i) for n, i in sorted(wanted.items())}
    return Pack(name, made, films, files)


def read_folder(folder: Path) -> dict[str, bytes]:
    """The ``*.yaml`` dossiers directly in ``folder``, by file name (patches and hidden files left out)."""
    out = {}
    for path in sorted(folder.iterdir()):
        if path.name.endswith(SUFFIX) and not path.name.startswith(".") and path.is_file():
            out[path.name] = path.read_bytes()
    return out
