"""Reading the user's film history from Letterboxd and IMDb exports.

Letterboxd's export is a zip holding ``watched.csv``, ``diary.csv``,
``ratings.csv`` and ``watchlist.csv`` (columns Date, Name, Year, Letterboxd
URI, and in the diary Rating, Rewatch, Tags, Watched Date); any of those
CSVs may also be read alone. IMDb's ratings export has Const, Your Rating,
Date Rated, Title, Original Title, URL, Title Type, IMDb Rating, Runtime
(mins), Year, Genres, Num Votes, Release Date, Directors; its watchlist
export has Const and no Your Rating.

Every row becomes a ``Row``; a row that cannot be read is a ``Skip`` naming
file, line and column (its values are never quoted), and the other rows are
still taken. Matching rows to the catalog and recording them is
``importer_plan``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import FilmguideError, UsageProblem
from .records import Frozen, Record

MAX_BYTES = 64 * 1024 * 1024  # far more than any real export; a bigger file is not one
LETTERBOXD_FILES = ("watched.csv", "diary.csv", "ratings.csv", "watchlist.csv")
NOT_FILMS = {"tvseries", "tvminiseries", "tvepisode", "videogame", "podcastseries", "podcastepisode", "musicvideo"}


class ExportError(FilmguideError):
    """The export as a whole cannot be read (the rows of a readable one are skipped one by one)."""


@dataclass(init=False, repr=False, eq=False, slots=True)
class Row(Frozen):
    list: str  # "seen" or "watchlist"
    titles: tuple[str, ...]  # the title, then the original title if it differs
    year: int
    date: dt.date | None
    rating: int | float | None
    out_of: int | None
    source: str  # "letterboxd" or "imdb"
    source_id: str
    where: str  # file:line
    rank: int = 0  # which rating wins when a film has several: ratings.csv over the diary

    @property
    def title(self) -> str:
        return self.titles[0]

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        list: str,
        titles: tuple[str, ...],
        year: int,
        date: dt.date | None,
        rating: int | float | None,
        out_of: int | None,
        source: str,
        source_id: str,
        where: str,
        rank: int = 0,
    ) -> None:
        object.__setattr__(self, "list", list)
        object.__setattr__(self, "titles", titles)
        object.__setattr__(self, "year", year)
        object.__setattr__(self, "date", date)
        object.__setattr__(self, "rating", rating)
        object.__setattr__(self, "out_of", out_of)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "source_id", source_id)
        object.__setattr__(self, "where", where)
        object.__setattr__(self, "rank", rank)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class Skip(Frozen):
    where: str
    reason: str
    bad: bool = True  # False: a row read fine but not for us (a TV series)

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, where: str, reason: str, bad: bool = True) -> None:
        object.__setattr__(self, "where", where)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "bad", bad)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class Export(Record):
    rows: list[Row] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        rows: list[Row] | None = None,
        skips: list[Skip] | None = None,
        files: list[str] | None = None,
    ) -> None:
        self.rows = list() if rows is None else rows
        self.skips = list() if skips is None else skips
        self.files = list() if files is None else files
    # --- end of the written __init__ ---
    # fmt: on


def read_export(path: Path) -> Export:
    """Every row of a Letterboxd zip or CSV, or an IMDb CSV."""
    label = str(path)
    data = _read_bytes(path, label)
    out = Export()
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        _read_zip(data, label, out)
    else:
        _read_csv(_decode(data, label), label, path.name, out)
    return out


def _read_bytes(path: Path, label: str) -> bytes:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise UsageProblem(f"{label}: no such file") from None
    except IsADirectoryError:
        raise UsageProblem(f"{label}: is a folder; give the export's zip or one of its CSV files") from None
    except OSError as e:
        raise ExportError(f"{label}: cannot be read: {e.strerror or e}") from None
    if len(data) > MAX_BYTES:
        raise ExportError(f"{label}: larger than {MAX_BYTES // 2**20} MB; not an export filmguide reads")
    return data


def _decode(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ExportError(f"{label}: not UTF-8 text (byte {e.start + 1}); is it a CSV export?") from None


def _read_zip(data: bytes, label: str, out: Export) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as e:
        raise ExportError(f"{label}: not a readable zip ({e})") from None
    found: dict[str, zipfile.ZipInfo] = {}
    for info in members:
        member = PurePosixPath(info.filename)
        # Letterboxd's own lists: the four at the top (perhaps in one folder), not deleted/, likes/ or lists/.
        top = len(member.parts) == 1 or (
            len(member.parts) == 2 and member.parts[0] not in ("deleted", "orphaned", "likes", "lists")
        )
        if member.name in LETTERBOXD_FILES and top and not info.is_dir():
            found.setdefault(member.name, info)
    if not found:
        raise ExportError(f"{label}: holds none of {', '.join(LETTERBOXD_FILES)}; is it a Letterboxd export?")
    for name in LETTERBOXD_FILES:
        if name in found:
            info = found[name]
            inner = f"{label}:{info.filename}"
            if info.file_size > MAX_BYTES:
                raise ExportError(f"{inner}: larger than {MAX_BYTES // 2**20} MB; not an export filmguide reads")
            try:
                raw = archive.read(info)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as e:
                raise ExportError(f"{inner}: cannot be read from the zip ({e})") from None
            _read_csv(_decode(raw, inner), inner, name, out)


def _read_csv(text: str, label: str, name: str, out: Export) -> None:
    out.files.append(label)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as e:
        raise ExportError(f"{label}:1: not valid CSV ({e})") from None
    if header is None:
        return
    columns = {h.strip(): i for i, h in enumerate(header)}
    kind = _layout(columns, name.lower(), label)
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            out.skips.append(Skip(f"{label}:{start}", f"not valid CSV ({e}); the rest of the file is skipped"))
            return
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        where = f"{label}:{start}"
        record = {h: (cells[i].strip() if i < len(cells) else "") for h, i in columns.items()}
        try:
            row = _imdb(record, where, kind) if kind.startswith("imdb") else _letterboxd(record, where, kind)
        except _Bad as bad:
            out.skips.append(Skip(where, str(bad), bad.is_bad))
            continue
        out.rows.append(row)


def _layout(columns: dict[str, int], name: str, label: str) -> str:
    """Which export a CSV is, from its columns (and, where columns cannot tell, its name)."""
    if "Const" in columns:
        return "imdb-ratings" if "Your Rating" in columns else "imdb-watchlist"
    if {"Name", "Year"} <= columns.keys():
        if "Watched Date" in columns:
            return "diary"
        if "Rating" in columns:
            return "ratings"
        if "watchlist" in name:
            return "watchlist"
        if "watched" in name:
            return "watched"
        raise UsageProblem(
            f"{label}: a Letterboxd list, but is it watched.csv or watchlist.csv? Import it under its own name"
        )
    raise ExportError(f"{label}:1: not a Letterboxd or IMDb export (no Name and Year, or Const, columns)")


class _Bad(Exception):
    def __init__(self, message: str, is_bad: bool = True) -> None:
        super().__init__(message)
        self.is_bad = is_bad


def _year(text: str, column: str) -> int:
    if not text:
        raise _Bad(f"{column}: missing")
    if not (text.isascii() and text.isdigit() and len(text) == 4 and 1870 <= int(text) <= 2200):
        raise _Bad(f"{column}: not a year")
    return int(text)


def _date(text: str, column: str, required: bool) -> dt.date | None:
    if not text:
        if required:
            raise _Bad(f"{column}: missing")
        return None
    try:
        if not text.isascii() or len(text) > 40:
            raise ValueError
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise _Bad(f"{column}: not a date such as 2024-03-01") from None


def _title(text: str, column: str) -> str:
    if not text:
        raise _Bad(f"{column}: missing")
    if len(text) > 500:
        raise _Bad(f"{column}: longer than any title ({len(text)} characters)")
    return text


def _letterboxd(record: dict[str, str], where: str, kind: str) -> Row:
    title = _title(record.get("Name", ""), "Name")
    year = _year(record.get("Year", ""), "Year")
    date = _date(record.get("Watched Date", ""), "Watched Date", False) if kind == "diary" else None
    date = date or _date(record.get("Date", ""), "Date", kind != "watchlist")
    rating: float | int | None = None
    text = record.get("Rating", "")
    if text:
        try:
            value = float(text) if text.isascii() and len(text) < 8 else -1.0
        except ValueError:
            value = -1.0
        if not (0.5 <= value <= 5 and (value * 2).is_integer()):
            raise _Bad("Rating: not a Letterboxd rating (0.5 to 5 in half stars)")
        rating = int(value) if value.is_integer() else value
    return Row(
        "watchlist" if kind == "watchlist" else "seen",
        (title,),
        year,
        date,
        rating,
        5 if rating is not None else None,
        "letterboxd",
        record.get("Letterboxd URI", "")[:300],
        where,
        rank=1 if kind == "ratings" else 0,
    )


def _imdb(record: dict[str, str], where: str, kind: str) -> Row:
    kind_of_title = record.get("Title Type", "").replace(" ", "").replace("-", "").lower()
    if kind_of_title in NOT_FILMS:
        raise _Bad("not a film (Title Type)", is_bad=False)
    title = _title(record.get("Title", ""), "Title")
    original = record.get("Original Title", "")
    titles = (title, original) if original and original != title and len(original) <= 500 else (title,)
    year = _year(record.get("Year", ""), "Year")
    const = record.get("Const", "")
    if not (const.startswith("tt") and const[2:].isascii() and const[2:].isdigit()):
        raise _Bad("Const: not an IMDb title id")
    if kind == "imdb-watchlist":
        date = _date(record.get("Created", ""), "Created", False)
        return Row("watchlist", titles, year, date, None, None, "imdb", const, where)
    text = record.get("Your Rating", "")
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 10):
        raise _Bad("Your Rating: not an IMDb rating (1 to 10)")
    date = _date(record.get("Date Rated", ""), "Date Rated", True)
    return Row("seen", titles, year, date, int(text), 10, "imdb", const, where, rank=1)
