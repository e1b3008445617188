"""Where the time goes: the profiles quoted in docs/performance.md.

    python benchmarks/profiles.py [--n 3000]

1. ``python -X importtime``: the modules a warm ``show --color always`` and
   the floor import, top level only, each the least of 5 runs (microseconds,
   with what they import themselves);
2. ``cProfile`` of reading and validating dossiers (what a cold build does
   per file), and what is left for the index to do with each;
3. a cold build of N generated dossiers, with the CPU time of the main
   process and of its worker processes;
4. ``cProfile`` of a warm ``list`` and ``search`` over those N dossiers, in
   the same process as the profiler (imports excluded: they are part 1's).

Needs only the standard library and filmguide.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def top_imports(cmd: list[str], env: dict[str, str], runs: int = 5) -> dict[str, int]:
    """Top-level modules imported by every run, each with its least cumulative time."""
    seen: list[dict[str, int]] = []
    for _ in range(runs):
        err = subprocess.run(cmd, env=env, capture_output=True, text=True).stderr
        seen.append({m[4]: int(m[2]) for m in LINE.finditer(err) if len(m[3]) <= 1})
    return {name: min(run[name] for run in seen) for name in seen[0] if all(name in run for run in seen)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=3000, help="dossiers for the cold build (default 3000)")
    parser.add_argument("--catalog", type=Path, help="a folder generate.py already wrote (its files are used)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="filmguide-profile-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FILMGUIDE_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(FILMGUIDE_HOME=str(tmp / "home"), COLUMNS="100", TERM="xterm-256color")

    print("## 1. python -X importtime: top-level imports, least of 5 runs (µs, cumulative)\n")
    show = [sys.executable, "-X", "importtime", "-m", "filmguide", "show", "all of us strangers", "--color", "always"]
    floor = [sys.executable, "-X", "importtime", str(HERE / "floor.py")]
    subprocess.run([sys.executable, *show[3:]], env=env, capture_output=True)  # build the index, write bytecode
    got_show, got_floor = top_imports(show, env), top_imports(floor, env)
    names = sorted(set(got_show) | set(got_floor), key=lambda k: -max(got_show.get(k, 0), got_floor.get(k, 0)))
    print(f"{'module':<32} {'show':>8} {'floor':>8}")
    for name in names:
        a, b = got_show.get(name), got_floor.get(name)
        if max(a or 0, b or 0) >= 500:
            print(f"{name:<32} {a if a is not None else '-':>8} {b if b is not None else '-':>8}")
    print(f"{'all top-level imports':<32} {sum(got_show.values()):>8} {sum(got_floor.values()):>8}")

    print("\n## 2. cProfile: reading and validating 200 generated dossiers\n")
    folder = args.catalog.resolve() if args.catalog else tmp / "catalog"
    # With --catalog, part 2 profiles the first 200 files; parts 3 and 4 build from the whole folder.
    files = sorted(folder.glob("*.yaml")) if args.catalog else generate(folder, args.n)
    from filmguide.dossier import load_dossier
    from filmguide.errors import InvalidDossier
    from filmguide.index import payload

    sample = files[:200]  # the first 200
    prof = cProfile.Profile()
    started = time.perf_counter()
    prof.enable()
    for f in sample:
        with contextlib.suppress(InvalidDossier):
            load_dossier(f, label=str(f))
    prof.disable()
    read = (time.perf_counter() - started) / len(sample)
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(8)
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:3000])
    dossiers = []
    started = time.perf_counter()
    for f in sample:
        with contextlib.suppress(InvalidDossier):
            dossiers.append(load_dossier(f, label=str(f)))
    plain = (time.perf_counter() - started) / len(sample)
    started = time.perf_counter()
    for d in dossiers:
        payload(d)
    stored = (time.perf_counter() - started) / len(dossiers)
    print(f"\nper file: read and validate {plain * 1000:.2f} ms ({read * 1000:.2f} ms under the profiler)")
    print(f"per file, without it: the index's own work (stored form, names, search rows) {stored * 1000:.2f} ms")

    print(f"\n## 3. a cold build of {len(files)} dossiers\n")
    time.sleep(1.1)
    code = (
        "import resource, sys, time\n"
        "from filmguide.index import open_index\n"
        "from filmguide.paths import film_folders\n"
        "t = time.perf_counter(); idx = open_index(film_folders()); wall = time.perf_counter() - t\n"
        "me = resource.getrusage(resource.RUSAGE_SELF); kids = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(f'wall {wall:.1f} s; CPU: main process {me.ru_utime + me.ru_stime:.1f} s, '\n"
        "      f'worker processes {kids.ru_utime + kids.ru_stime:.1f} s; {idx.note.files} files read')\n"
    )
    cold_env = dict(env, FILMGUIDE_HOME=str(tmp / "cold"), FILMGUIDE_PATH=str(folder))
    print(subprocess.run([sys.executable, "-c", code], env=cold_env, capture_output=True, text=True).stdout.strip())
    print(
        f"os.cpu_count() = {os.cpu_count()}; wrapper peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} KiB"
    )

    print(f"\n## 4. cProfile: a warm list and search over {len(files)} dossiers, imports done beforehand\n")
    code = (
        "import cProfile, io, pstats, sys\n"
        "import filmguide.cli, filmguide.index.queries, filmguide.search, filmguide.model, filmguide.policy\n"
        "from filmguide.cli import main\n"
        "args = sys.argv[1:]\n"
        "real, sys.stdout = sys.stdout, io.StringIO()\n"
        "prof = cProfile.Profile(); prof.enable(); main(args); prof.disable()\n"
        "sys.stdout = real\n"
        "out = io.StringIO(); pstats.Stats(prof, stream=out).sort_stats('tottime').print_stats(10)\n"
        "print('\\n'.join(line for line in out.getvalue().splitlines() if line.strip()))\n"
    )
    for words in (["list"], ["search", "harbour"]):
        subprocess.run([sys.executable, "-m", "filmguide", *words], env=cold_env, capture_output=True)  # warm
        print(f"### filmguide {' '.join(words)}\n")
        got = subprocess.run([sys.executable, "-c", code, *words], env=cold_env, capture_output=True, text=True)
        print(got.stdout.strip()[:2500] + "\n")
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
