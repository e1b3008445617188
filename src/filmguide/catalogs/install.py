"""Installing and updating catalogs under ``<user data>/catalogs/<name>/``.

Each install unpacks into a new hidden folder beside the others, then swaps
a symbolic link ``<name>`` to it in one rename, so every command sees either
the old catalog or the new one, whole. Until that rename nothing the user
has is touched: a failed download, a wrong checksum or a damaged archive
leaves the previous catalog exactly as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..paths import catalogs_dir
from ..records import Frozen
from .archive import DEFAULT_LIMITS, INDEX, CatalogError, Limits, Pack, read
from .fetch import Progress, download

SOURCE = "source.json"  # beside the dossiers: where the catalog came from and when


@dataclass(init=False, repr=False, eq=False, slots=True)
class Change(Frozen):
    name: str
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    count: int

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        name: str,
        added: tuple[str, ...],
        changed: tuple[str, ...],
        removed: tuple[str, ...],
        count: int,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "added", added)
        object.__setattr__(self, "changed", changed)
        object.__setattr__(self, "removed", removed)
        object.__setattr__(self, "count", count)
    # --- end of the written __init__ ---
    # fmt: on


@dataclass(init=False, repr=False, eq=False, slots=True)
class Installed(Frozen):
    name: str
    path: Path
    url: str | None
    installed: float | None  # seconds since the epoch
    count: int

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, name: str, path: Path, url: str | None, installed: float | None, count: int) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "url", url)
        object.__setattr__(self, "installed", installed)
        object.__setattr__(self, "count", count)
    # --- end of the written __init__ ---
    # fmt: on


def parse_checksum(text: bytes) -> str:
    """The SHA-256 in a ``.sha256`` file (``<hex>`` or ``<hex>  <file name>``)."""
    m = re.match(rb"\s*([0-9a-fA-F]{64})(?:\s|$)", text[:4096])
    if m is None:
        raise CatalogError("the .sha256 file holds no SHA-256 checksum")
    return m.group(1).decode().lower()


def fetch_pack(
    url: str, limits: Limits = DEFAULT_LIMITS, timeout: float = 20.0, progress: Progress | None = None
) -> Pack:
    """Download ``url`` and ``url.sha256``, check one against the other, and open the archive."""
    data = download(url, limits.archive_bytes, timeout, progress)
    expected = parse_checksum(download(url + ".sha256", 4096, timeout))
    if hashlib.sha256(data).hexdigest() != expected:
        raise CatalogError("the archive does not match its .sha256 checksum; nothing was changed")
    return read(data, limits)


def _digests(folder: Path) -> dict[str, str]:
    out = {}
    with contextlib.suppress(OSError):
        for p in folder.iterdir():
            if p.name.endswith(".yaml") and p.is_file():
                out[p.name] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def install(pack: Pack, url: str, root: Path | None = None, expect: str | None = None) -> Change:
    """Unpack ``pack`` as catalog ``pack.name`` (or refuse if it is not ``expect``); say what changed."""
    if expect is not None and pack.name != expect:
        raise CatalogError(f"the archive is catalog {pack.name!r}, not {expect!r}; nothing was changed")
    root = root or catalogs_dir()
    root.mkdir(parents=True, exist_ok=True)
    link = root / pack.name
    before = _digests(link)
    fresh = Path(tempfile.mkdtemp(prefix=f".{pack.name}-", dir=root))
    try:
        for name, data in pack.files.items():
            _write(fresh / name, data)
        index = {"format": 1, "name": pack.name, "made": pack.made, "count": len(pack.films)}
        index["films"] = [{"id": f.id, "title": f.title, "year": f.year} for f in pack.films]
        _write(fresh / INDEX, json.dumps(index, ensure_ascii=False, indent=1).encode())
        source = {"url": url, "installed": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
        _write(fresh / SOURCE, json.dumps(source).encode())
        fresh.chmod(0o755)
        _swap(link, fresh)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    after = {n: hashlib.sha256(d).hexdigest() for n, d in pack.files.items()}
    stem = lambda n: n.removesuffix(".yaml")  # noqa: E731
    return Change(
        pack.name,
        added=tuple(sorted(stem(n) for n in after.keys() - before.keys())),
        changed=tuple(sorted(stem(n) for n in after.keys() & before.keys() if after[n] != before[n])),
        removed=tuple(sorted(stem(n) for n in before.keys() - after.keys())),
        count=len(after),
    )


def _swap(link: Path, fresh: Path) -> None:
    """Point ``link`` at ``fresh`` in one rename; remove what it pointed at before."""
    old = link.resolve() if link.is_symlink() else None
    if link.exists() and not link.is_symlink():
        raise CatalogError(f"{link} is a folder filmguide did not make; move it away first")
    tmp = link.with_name(f".{link.name}.link-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(fresh.name, tmp)
    try:
        os.replace(tmp, link)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if old is not None and old != fresh.resolve() and old.parent == link.parent:
        shutil.rmtree(old, ignore_errors=True)


def installed(root: Path | None = None) -> list[Installed]:
    """The catalogs installed, by name."""
    root = root or catalogs_dir()
    out = []
    try:
        entries = sorted(p for p in root.iterdir() if not p.name.startswith("."))
    except OSError:
        return []
    for path in entries:
        if not path.is_dir():
            continue
        url, when = None, None
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
            source = json.loads((path / SOURCE).read_text(encoding="utf-8"))
            url = source.get("url") if isinstance(source.get("url"), str) else None
            when = datetime.strptime(source["installed"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()
        count = sum(1 for p in path.glob("*.yaml"))
        out.append(Installed(path.name, path, url, when, count))
    return out


def age_text(seconds: float | None, now: Callable[[], float] = time.time) -> str:
    """How long ago an install was, in words: ``today``, ``1 day ago``, ``12 days ago``."""
    if seconds is None:
        return "age unknown"
    days = int(max(0.0, now() - seconds) // 86400)
    return "today" if days == 0 else f"{days} day{'s' * (days != 1)} ago"
