"""Listing folders: the one lister the index, the catalog and ``filmguide validate`` share.

A folder holds dossiers (``*.yaml``) and patches (``<id>.patch.yaml``);
names starting with a dot and sub-folders are left out (a folder named
``*.patch.yaml`` is kept: reading it reports it). Names are kept as bytes,
as the file system gives them, so none is decoded unless it must be read.

A file's signature is its size, mtime, ctime and inode; a folder's is its
inode and mtime, which change when a file is added, removed or renamed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from ..errors import Problem

SUFFIX = ".yaml"
PATCH_SUFFIX = ".patch.yaml"
DOSSIER, PATCH = 0, 1

# A file whose mtime is this close to the moment it was read may change again
# within the same clock tick, unseen (the "racy git" problem): it is read
# again next time. One second covers coarse kernel clocks and most network
# file systems.
RACY_NS = 1_000_000_000


class Sig(NamedTuple):
    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int


NO_SIG = Sig(-1, -1, -1, -1)


class Listed(NamedTuple):
    """One file of a folder: its kind (``DOSSIER`` or ``PATCH``) and its signature (``NO_SIG`` if not stat'ed)."""

    kind: int
    sig: Sig


Entries = dict[bytes, Listed]  # file name -> what was found, in the order the folder lists them


class Listing(NamedTuple):
    entries: Entries
    problems: list[Problem]


def kind_of(name: bytes) -> int | None:
    """``DOSSIER``, ``PATCH``, or None for a name that is neither."""
    if not name.endswith(b".yaml") or name.startswith(b"."):
        return None
    return PATCH if name.endswith(b".patch.yaml") else DOSSIER


def scan_folder(folder: Path, with_sigs: bool = True) -> Listing:
    """The dossier and patch files directly in ``folder``, with their signatures if ``with_sigs``."""
    raw = os.fsencode(folder)
    try:
        found = list(os.scandir(raw))
    except FileNotFoundError:
        return Listing({}, [])
    except NotADirectoryError:
        return Listing({}, [Problem(str(folder), "is not a folder")])
    except OSError as err:
        return Listing({}, [Problem(str(folder), f"cannot be listed: {err.strerror or err}")])
    out: Entries = {}
    fd: int | None = None
    if with_sigs and os.stat in os.supports_dir_fd:
        try:
            fd = os.open(raw, os.O_RDONLY)
        except OSError:
            fd = None
    try:
        for entry in found:
            name = entry.name
            if not name.endswith(b".yaml") or name.startswith(b"."):  # kind_of, inlined: once per file
                continue
            kind = PATCH if name.endswith(b".patch.yaml") else DOSSIER
            if kind == DOSSIER:
                try:
                    if entry.is_dir():
                        continue
                except OSError:
                    pass  # an unreadable entry is reported when it is read
            if not with_sigs:
                out[name] = Listed(kind, NO_SIG)
                continue
            try:
                st = os.stat(name, dir_fd=fd) if fd is not None else os.stat(os.path.join(raw, name))
                out[name] = Listed(kind, Sig(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
            except OSError:
                out[name] = Listed(kind, NO_SIG)
    finally:
        if fd is not None:
            os.close(fd)
    return Listing(out, [])


def dossier_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The dossier files directly in ``folder``, by name (patches, folders and other files left out)."""
    listing = scan_folder(folder, with_sigs=False)
    names = sorted(n for n, e in listing.entries.items() if e.kind == DOSSIER)
    return [folder / os.fsdecode(n) for n in names], listing.problems


def patch_files(folder: Path) -> list[Path]:
    """The ``<id>.patch.yaml`` files directly in ``folder``, by name."""
    listing = scan_folder(folder, with_sigs=False)
    return [folder / os.fsdecode(n) for n in sorted(n for n, e in listing.entries.items() if e.kind == PATCH)]


def digest(entries: Entries) -> str:
    """A digest of a folder's files and their signatures, in listing order: equal digests, nothing to
    compare file by file (a listing in another order only costs that comparison)."""
    import hashlib
    import marshal

    flat = {name: (e.kind, *e.sig) for name, e in entries.items()}
    return hashlib.sha1(marshal.dumps(flat), usedforsecurity=False).hexdigest()


def file_sig(path: str | bytes) -> Sig:
    try:
        st = os.stat(path)
    except OSError:
        return NO_SIG
    return Sig(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def is_racy(sig: Sig, since: int) -> bool:
    return max(sig.mtime_ns, sig.ctime_ns) >= since - RACY_NS


class FolderSig(NamedTuple):
    sig: str
    is_dir: bool
    racy: bool


def folder_sig(path: Path, now: int) -> FolderSig:
    """A folder's signature: its listing changes when a file is added, removed or renamed."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return FolderSig("missing", False, False)
    except OSError as err:
        return FolderSig(f"error:{err.errno}", False, False)
    is_dir = stat.S_ISDIR(st.st_mode)
    sig = f"{'d' if is_dir else 'f'}:{st.st_ino}:{st.st_mtime_ns}"
    return FolderSig(sig, is_dir, max(st.st_mtime_ns, st.st_ctime_ns) >= now - RACY_NS)


class FolderScan:
    """One folder as this run found it; ``listed`` False: trusted from the index without listing it."""

    __slots__ = ("digest", "entries", "is_dir", "key", "listed", "listing", "racy", "rank", "sig")

    def __init__(
        self, key: str, rank: int, sig: FolderSig, listed: bool, entries: Entries, listing: list[Problem]
    ) -> None:
        self.key, self.rank, self.sig, self.is_dir, self.racy = (key, rank, sig.sig, sig.is_dir, sig.racy)
        self.listed, self.entries, self.listing = listed, entries, listing
        self.digest = digest(entries) if listed else None


class Change:
    """A file to read (or, for a patch, to note) again; ``fid`` None for a new one."""

    __slots__ = ("fid", "folder", "kind", "name", "sig")

    def __init__(self, folder: bytes, name: bytes, kind: int, sig: Sig, fid: int | None) -> None:
        self.folder, self.name, self.kind, self.sig, self.fid = (folder, name, kind, sig, fid)

    @property
    def path(self) -> str:
        return os.fsdecode(os.path.join(self.folder, self.name))
