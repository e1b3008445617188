"""``filmguide pack``: check every dossier in a folder, then write the archive and its checksum."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..atomic import write_atomic
from ..errors import InvalidDossier, Problem
from ..records import Frozen
from .archive import Film, build, read_folder, valid_name


@dataclass(init=False, repr=False, eq=False, slots=True)
class Packed(Frozen):
    archive: Path
    checksum: Path
    count: int
    sha256: str

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, archive: Path, checksum: Path, count: int, sha256: str) -> None:
        object.__setattr__(self, "archive", archive)
        object.__setattr__(self, "checksum", checksum)
        object.__setattr__(self, "count", count)
        object.__setattr__(self, "sha256", sha256)
    # --- end of the written __init__ ---
    # fmt: on


def _made(folder: Path, files: list[Path]) -> datetime:
    """When the catalog was made: ``SOURCE_DATE_EPOCH`` if set, else the newest dossier's time.

    Either way the same folder gives the same archive, byte for byte.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    newest = max((p.stat().st_mtime for p in files), default=0.0)
    return datetime.fromtimestamp(int(newest), UTC)


def pack(folder: Path, output: Path, name: str | None = None) -> Packed:
    """Validate and lint every dossier in ``folder``; if all are clean, write ``output`` and ``output.sha256``.

    Raises ``InvalidDossier`` (exit 6) listing every problem when any dossier is
    invalid or leaks a spoiler, and writes nothing.
    """
    from ..dossier import parse_dossier
    from ..lint import lint_file

    name = name or folder.resolve().name.lower()
    if not valid_name(name):
        raise InvalidDossier(
            [Problem(str(folder), "a catalog name is lower-case letters, digits and hyphens; pass --name")]
        )
    if not folder.is_dir():
        raise InvalidDossier([Problem(str(folder), "is not a folder")])
    files = read_folder(folder)
    if not files:
        raise InvalidDossier([Problem(str(folder), "holds no dossiers (*.yaml)")])
    problems: list[Problem] = []
    films: list[Film] = []
    for file_name, data in files.items():
        path = folder / file_name
        findings = lint_file(path, str(path))
        problems.extend(Problem(f.file, f.message, f.line, f.path, f.code) for f in findings)
        if findings:
            continue
        d = parse_dossier(data.decode("utf-8-sig"), str(path), file_name.removesuffix(".yaml"))
        films.append(Film(d.id, d.title, d.year))
    if problems:
        raise InvalidDossier(problems)
    paths = [folder / n for n in files]
    archive = build(files, films, name, _made(folder, paths))
    digest = hashlib.sha256(archive).hexdigest()
    checksum = output.with_name(output.name + ".sha256")
    write_atomic(output, archive)
    write_atomic(checksum, f"{digest}  {output.name}\n".encode())
    return Packed(output, checksum, len(films), digest)
