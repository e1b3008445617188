"""Reading dossier files for the index: validate each once, turn it into the rows the index keeps.

Many files are read by worker processes; each returns a ``Read``: the
problems of a broken file, or the ``Payload`` to store for a valid one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import Problem
from ..text import clean, fold
from .codec import dossier_to_blob

if TYPE_CHECKING:
    from ..model import Dossier
    from ..policy.catalogue import Item

PARALLEL_MIN = 200  # files to read before worker processes are worth their start
PROGRESS_EVERY = 32

Progress = Callable[[int, int], None]  # (files read so far, files to read)
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # what json.dumps would build per call


class SearchRow(NamedTuple):
    """A searched item of the policy's catalogue as the full-text index holds it: its texts cleaned, on one line."""

    text: str
    section: str
    item: int
    grade: int
    at: int | None


class NameRow(NamedTuple):
    """A spoiler-free name from one of its words on (folded), for finding titles by any word."""

    name: str
    pos: int
    k: int


class Payload(NamedTuple):
    """What the index stores for one valid dossier."""

    id: str
    title: str
    year: int
    runtime: int
    sort_key: str
    info: str
    blob: bytes
    names: list[NameRow] | list[tuple[str, int, int]]  # from a worker process: plain tuples (see _read_batch)
    texts: list[SearchRow] | list[tuple[str, str, int, int, int | None]]


class Read(NamedTuple):
    """One file read: its problems as JSON (broken), or its payload (valid)."""

    path: str
    problems: str | None
    payload: Payload | None


def _flat(texts: list[str]) -> str:
    """An item's texts cleaned, on one line. ``clean`` leaves printable text as it is, and the
    line break that joins texts is whitespace that ``split`` drops: only unprintable texts need it."""
    joined = " \n ".join(texts)
    if not all(map(str.isprintable, texts)):
        joined = clean(joined)
    return " ".join(joined.split())


def search_rows(d: Dossier, catalogued: list[Item] | None = None) -> list[SearchRow]:
    """One full-text row per item of the policy's catalogue that is searched (what to index is the policy's)."""
    from ..policy.catalogue import search_items

    return [
        SearchRow(_flat(texts), section, item, grade, at)
        for section, item, grade, at, texts in search_items(d, catalogued)
    ]


def name_rows(d: Dossier, catalogued: list[Item] | None = None) -> list[NameRow]:
    """Each spoiler-free name (as the policy names them), from each of its words on."""
    from ..policy.catalogue import names

    rows = []
    for k, name in enumerate(names(d, catalogued)):
        words = fold(name).split(" ")
        for pos in range(len(words)):
            rows.append(NameRow(" ".join(words[pos:]), pos, k))
    return rows


def list_info(d: Dossier, catalogued: list[Item] | None = None) -> str:
    """What ``list`` shows and filters on, without decoding the whole dossier; ``labels``: the
    spoiler-free values of its filters, as the policy gives them, which completion offers."""
    from ..policy.catalogue import labels

    info = {
        "directors": list(d.directors),
        "writers": list(d.writers),
        "genres": list(d.genres),
        "tags": list(d.tags),
        "cast": [[c.actor, int(c.grade)] for c in d.cast],
        "countries": list(d.countries),
        "languages": list(d.languages),
        "labels": labels(d, catalogued),
    }
    return _JSON.encode(info)


def payload(d: Dossier) -> Payload:
    from ..policy.catalogue import items

    its = items(d)  # names, labels and search rows all come from the policy's catalogue: made once
    return Payload(
        d.id,
        d.title,
        d.year,
        d.runtime,
        fold(d.title),
        list_info(d, its),
        dossier_to_blob(d),
        name_rows(d, its),
        search_rows(d, its),
    )


def problems_json(problems: Sequence[Problem]) -> str:
    # ASCII: a file name with bytes that are not UTF-8 holds lone surrogates, which JSON escapes and SQLite refuses.
    return json.dumps([[p.file, p.message, p.line, p.path, p.code] for p in problems])


def read_file(path: str) -> Read:
    """Read and validate one dossier."""
    from ..dossier import load_dossier
    from ..errors import InvalidDossier

    try:
        d = load_dossier(Path(path), label=path)
    except InvalidDossier as err:
        return Read(path, problems_json(err.problems), None)
    except Exception as err:  # a validator bug must not hide every other film
        return Read(path, problems_json([Problem(path, f"could not be checked: {type(err).__name__}")]), None)
    return Read(path, None, payload(d))


def _quiet_worker() -> None:
    """Ctrl-C is the main process's to handle (it stops the workers): a worker ignores it. What a
    worker inherits lives as long as it does: frozen, the collector never walks it again (reading
    a file makes no cycles), nor writes to its pages, which the fork shares with the main process."""
    import gc
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()


# What a worker sends back is pickled there and unpickled by the main process, which writes every
# row: a named tuple costs a class lookup and a call each way, a plain one neither. For 10,000 files
# and their 350,000 name and search rows, that was about 1.4 s of the main process's CPU.
Plain = tuple[str, "str | None", "tuple[Any, ...] | None"]


def _read_batch(paths: list[str]) -> list[Plain]:
    out: list[Plain] = []
    for path in paths:
        r = read_file(path)
        p = r.payload
        out.append(
            (
                r.path,
                r.problems,
                None if p is None else (*p[:7], [tuple(n) for n in p.names], [tuple(x) for x in p.texts]),
            )
        )
    return out


def _unpack(batch: list[Plain]) -> list[Read]:
    return [Read(path, problems, None if p is None else Payload(*p)) for path, problems, p in batch]


def read_all(paths: list[str], progress: Progress | None = None) -> Iterator[Read]:
    """Read and validate files, in worker processes when there are many; progress reported as they come."""
    total = len(paths)
    workers = min(os.cpu_count() or 1, 8)
    if total < PARALLEL_MIN or workers < 2:
        yield from _reported(([read_file(p)] for p in paths), total, progress)
        return
    import multiprocessing
    import sys

    method = "fork" if sys.platform.startswith("linux") else None  # elsewhere the platform's default
    size = max(8, min(64, total // (workers * 8) or 8))
    chunks = [paths[i : i + size] for i in range(0, total, size)]
    # The workers start before the progress bar, whose thread a fork would copy.
    with multiprocessing.get_context(method).Pool(workers, initializer=_quiet_worker) as pool:
        yield from _reported(map(_unpack, pool.imap_unordered(_read_batch, chunks)), total, progress)


def _reported(batches: Iterable[list[Read]], total: int, progress: Progress | None) -> Iterator[Read]:
    if progress is not None:
        progress(0, total)
    done = 0
    for batch in batches:
        yield from batch
        done += len(batch)
        if progress is not None and (done == total or done % PROGRESS_EVERY < len(batch)):
            progress(done, total)
