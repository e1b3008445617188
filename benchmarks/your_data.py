"""What a big history costs: `filmguide import` and `seen` with thousands of films in seen.toml.

    python benchmarks/your_data.py [--n 2000]

Writes a Letterboxd diary.csv of N films (none in the catalog, so every one is
kept in [unmatched], the largest entries seen.toml holds), then times, each as
its own process in a temporary FILMGUIDE_HOME: the first import, a re-import
(which changes nothing), listing `seen`, and marking one film seen. Then it
times `state.mark` in-process on seen.toml files of N bare dates and N rated
entries (median of 7). Needs only the standard library and filmguide.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def commands(n: int) -> None:
    home = Path(tempfile.mkdtemp())
    env = dict(os.environ, FILMGUIDE_HOME=str(home))
    diary = home / "diary.csv"
    with diary.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags", "Watched Date"])
        for i in range(n):
            year, day = 1950 + i % 70, i % 28 + 1
            w.writerow([f"2020-01-{day:02d}", f"Film {i}", year, f"https://boxd.it/{i}", "3.5", "", "", "2020-01-01"])
    fg = [sys.executable, "-m", "filmguide"]
    subprocess.run([*fg, "list"], env=env, capture_output=True, check=True)  # the index is built first
    runs = [("first import", ["import", str(diary)]), ("re-import", ["import", str(diary)])]
    runs += [("seen (list)", ["seen"]), ("seen vertigo", ["seen", "vertigo"]), ("list, for scale", ["list"])]
    for label, args in runs:
        start = time.perf_counter()
        r = subprocess.run([*fg, *args], env=env, capture_output=True)
        took = time.perf_counter() - start
        last = (r.stderr.decode().strip().splitlines() or [""])[-1]
        print(f"{label:14} {took:6.2f} s  exit {r.returncode}  {last[:80]}")


def marks(n: int) -> None:
    os.environ["FILMGUIDE_HOME"] = tempfile.mkdtemp()
    from filmguide import state

    path = state.seen_file()
    path.parent.mkdir(parents=True)
    for rated in (False, True):
        value = "{ date = 2024-01-01, rating = 4.5, out_of = 5 }" if rated else "2024-01-01"
        text = "[seen]\n" + "".join(f'"film-{i:05d}-2000" = {value}\n' for i in range(n))
        times = []
        for k in range(7):
            path.write_text(text, encoding="utf-8")
            start = time.perf_counter()
            state.mark(f"new-{k}-2000", True)
            times.append(time.perf_counter() - start)
        kind = "rated" if rated else "bare-date"
        print(f"state.mark, {n} {kind} entries: median {statistics.median(times) * 1000:.0f} ms of 7")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    n = parser.parse_args().n
    commands(n)
    marks(n)
