"""What the main process of a cold build spends writing rows, measured apart from reading.

    python benchmarks/inserts.py /tmp/fg10k               # the rows of 10,000 dossiers
    python benchmarks/inserts.py /tmp/fg10k --copies 10   # the same ten times over (100,000 films)

Reads every dossier of the folder once (in worker processes, as the index
does), keeps the rows in memory, then writes them into a new index file with
filmguide's own schema in one transaction, as ``Refresh.put_entry`` does: a
row per file, per film, per stored dossier, per name and per search row, and
the full-text index. Each variant runs on a new file and prints its CPU
time: as the index does it; without the full-text index (what building it
at the first search would leave); and with the other indexes made after the
rows instead of kept up while inserting.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--copies", type=int, default=1, help="write every film this many times, under new ids")
    args = parser.parse_args()
    from filmguide.index.reader import read_all
    from filmguide.index.store import FTS, SCHEMA

    started = time.perf_counter()
    payloads = [r.payload for r in read_all(sorted(str(p) for p in args.folder.glob("*.yaml"))) if r.payload]
    films = [p._replace(id=f"{p.id}-{k}") for k in range(args.copies) for p in payloads]
    print(f"{len(films)} films to write (read in {time.perf_counter() - started:.1f} s)\n")
    statements = [s for s in SCHEMA.split(";") if s.strip()]
    tables = [s for s in statements if "CREATE INDEX" not in s]
    indexes = [s for s in statements if "CREATE INDEX" in s]
    print(f"{'variant':<40} {'CPU':>8}")
    for label, fts, late in (
        ("as the index writes them", True, False),
        ("without the full-text index", False, False),
        ("other indexes made after the rows", True, True),
    ):
        with tempfile.TemporaryDirectory() as tmp:
            conn = sqlite3.connect(os.path.join(tmp, "index.sqlite3"), isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            for s in tables if late else statements:
                conn.execute(s)
            conn.execute(FTS)
            cpu = time.process_time()
            conn.execute("BEGIN")
            _write(conn, films, fts)
            if late:
                for s in indexes:
                    conn.execute(s)
            conn.execute("COMMIT")
            print(f"{label:<40} {time.process_time() - cpu:>7.2f}s", flush=True)
            conn.close()


def _write(conn: sqlite3.Connection, films: list[Any], fts: bool) -> None:
    row = 1
    for p in films:
        fid = conn.execute(
            "INSERT INTO files(folder, name, stem, kind, size, mtime_ns, ctime_ns, ino, racy, problems) "
            "VALUES (?, ?, ?, 0, 1, 2, 3, 4, 0, NULL)",
            (b"/films", p.id.encode() + b".yaml", p.id),
        ).lastrowid
        last = row + len(p.texts) - 1
        eid = conn.execute(
            "INSERT INTO films(fid, combo, id, title, year, runtime, sort_key, info, patches, patch_problems, "
            "fts_first, fts_last) VALUES (?, '', ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)",
            (fid, p.id, p.title, p.year, p.runtime, p.sort_key, p.info, row, last),
        ).lastrowid
        conn.execute("INSERT INTO dossiers VALUES (?, ?)", (eid, p.blob))
        conn.execute("INSERT INTO members VALUES (?, ?)", (eid, fid))
        conn.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", [(eid, *n) for n in p.names])
        conn.executemany(
            "INSERT INTO texts VALUES (?, ?, ?, ?, ?, ?)", [(row + i, eid, *t[1:]) for i, t in enumerate(p.texts)]
        )
        if fts:
            conn.executemany(
                "INSERT INTO fts(rowid, text) VALUES (?, ?)", [(row + i, t[0]) for i, t in enumerate(p.texts)]
            )
        row = last + 1


if __name__ == "__main__":
    sys.exit(main())
