"""Measure filmguide's start-up, warm and cold commands against a floor, side by side.

    python benchmarks/run.py                 # N = 10,000, 11 runs each
    python benchmarks/run.py --n 50 --repeat 2   # a smoke test (CI)

Every figure is the median of whole-process runs, and the runs of all
measurements are interleaved round by round, so a slow moment of the machine
touches them all alike. Each run happens inside its own small wrapper process,
which times the command and reads ``getrusage(RUSAGE_CHILDREN).ru_maxrss``:
that is a maximum over a process's children, so one wrapper per run gives the
peak memory of that command alone (worker processes included).

What is measured:

1. the floor: a minimal Typer app, with the same typer and rich, printing one
   Rich panel (``benchmarks/floor.py``);
2. ``filmguide show`` on the seed film with Rich forced on (``--color always``)
   and ``show --plain`` into a pipe, with the built-in catalog only;
3. the same with N generated dossiers on FILMGUIDE_PATH (warm index);
4. ``list`` and ``search`` with N dossiers (warm);
5. the first command after adding N dossiers (cold index), and after
   touching one file (incremental): ``show`` of that film, and ``list``;
6. the peak memory of each.

It prints a table (time, ratio to the floor, peak memory) and writes it as
JSON (``--json``, by default ``benchmarks/results/<date>.json``). It asserts
nothing: CI runs it at a small N to see that it works.

Children run without PYTHONDONTWRITEBYTECODE, after one untimed warm-up run,
so Python's cached bytecode is used as in an installed copy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

SEED = "all of us strangers"

WRAPPER = """
import json, resource, subprocess, sys, time
spec = json.loads(sys.argv[1])
started = time.perf_counter()
done = subprocess.run(spec["cmd"], env=spec["env"], stdin=subprocess.DEVNULL,
                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_kib": peak, "code": done.returncode,
                  "err": done.stderr.decode("utf-8", "replace")[-400:]}))
"""


def filmguide_cmd() -> list[str]:
    script = Path(sys.executable).with_name("filmguide")
    return [str(script)] if script.exists() else [sys.executable, "-m", "filmguide"]


def child_env(home: Path, path: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FILMGUIDE_")}
    for k in ("PYTHONDONTWRITEBYTECODE", "NO_COLOR", "FORCE_COLOR"):
        env.pop(k, None)
    env.update(FILMGUIDE_HOME=str(home), COLUMNS="100", TERM="xterm-256color")
    if path is not None:
        env["FILMGUIDE_PATH"] = str(path)
    return env


def run_once(cmd: list[str], env: dict[str, str]) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, json.dumps({"cmd": cmd, "env": env})],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


class Measure:
    def __init__(
        self, key: str, label: str, cmd: list[str], env: dict[str, str], before: object = None, after: object = None
    ) -> None:
        self.key, self.label, self.cmd, self.env, self.before, self.after = key, label, cmd, env, before, after
        self.seconds: list[float] = []
        self.cpu: list[float] = []
        self.peaks: list[int] = []
        self.codes: set[int] = set()

    def once(self) -> None:
        if callable(self.before):
            self.before()
        r = run_once(self.cmd, self.env)
        self.seconds.append(float(r["seconds"]))  # type: ignore[arg-type]
        self.cpu.append(float(r["cpu"]))  # type: ignore[arg-type]
        self.peaks.append(int(r["peak_kib"]))  # type: ignore[call-overload]
        self.codes.add(int(r["code"]))  # type: ignore[call-overload]
        if r["code"] not in (0, 3):
            print(f"  {self.key}: exit {r['code']}: {r['err']}", file=sys.stderr)
        if callable(self.after):
            self.after()

    def row(self, floor: float | None, floor_cpu: float | None = None) -> dict[str, object]:
        median = statistics.median(self.seconds)
        cpu = statistics.median(self.cpu)
        return {
            "key": self.key,
            "what": self.label,
            "median_ms": round(median * 1000, 1),
            "ratio_to_floor": round(median / floor, 2) if floor else None,
            "cpu_ms": round(cpu * 1000, 1),
            "cpu_ratio_to_floor": round(cpu / floor_cpu, 2) if floor_cpu else None,
            "peak_mib": round(max(self.peaks) / 1024, 1),
            "runs": len(self.seconds),
            "min_ms": round(min(self.seconds) * 1000, 1),
            "max_ms": round(max(self.seconds) * 1000, 1),
            "exit_codes": sorted(self.codes),
        }


def interleave(measures: list[Measure], repeat: int) -> None:
    for m in measures:  # warm-up: bytecode written, index warm; not timed
        if callable(m.before):
            m.before()
        run_once(m.cmd, m.env)
        if callable(m.after):
            m.after()
    for _ in range(repeat):
        for m in measures:
            m.once()


def touch(path: Path) -> None:
    now = time.time_ns()
    os.utime(path, ns=(now, now))


def settle(cmd: list[str], env: dict[str, str]) -> None:
    """After a change: wait out the index's "too recent to trust" second, and let one untimed run
    read the file once more, as the next command after an edit does; the next timed run is clean."""
    time.sleep(1.1)
    run_once(cmd, env)


def table(rows: list[dict[str, object]]) -> str:
    """Wall time and CPU time (user + system, worker processes included), each as a median and as a
    multiple of its floor: on a machine shared with other work, CPU time is the steadier of the two."""
    head = f"{'measurement':<58} {'wall':>10} {'× floor':>8} {'CPU':>10} {'× floor':>8} {'peak':>9}"
    lines = [head, "-" * len(head)]
    for r in rows:
        ratio = f"{r['ratio_to_floor']:.2f}" if r["ratio_to_floor"] is not None else "-"
        cpu_ratio = f"{r['cpu_ratio_to_floor']:.2f}" if r["cpu_ratio_to_floor"] is not None else "-"
        lines.append(
            f"{r['what'][:58]:<58} {r['median_ms']:>7.1f} ms {ratio:>8} {r['cpu_ms']:>7.1f} ms {cpu_ratio:>8} "
            f"{r['peak_mib']:>5.1f} MiB"
        )
    return "\n".join(lines)


def generate_order(files: list[Path]) -> list[Path]:
    """The files in the order generate.py wrote them (by the number in their id's position), so the film
    picked is the same with --catalog as without."""
    return sorted(files, key=lambda f: f.stat().st_mtime_ns)


TARGETS = [  # (key, limit, what: "×" a ratio to its floor, or "s" seconds)
    ("cold_list", 6.0, "s"),
    ("list_big", 1.3, "×"),
    ("list_filter_big", 1.3, "×"),
    ("search_big", 1.3, "×"),
    ("search_rare_big", 1.3, "×"),
    ("show_rich_small", 1.25, "×"),
    ("show_rich_big", 1.25, "×"),
    ("show_plain_small", 1.0, "×"),
    ("show_plain_big", 1.0, "×"),
]


def targets(rows: list[dict[str, object]], n: int) -> str:
    """Each target of the index work, met or missed, from this run's figures (the 10,000-film targets)."""
    by_key = {r["key"]: r for r in rows}
    lines = [f"targets (set for N = 10000; this run N = {n}), on wall time and, in brackets, on CPU time"]
    for key, limit, unit in TARGETS:
        r = by_key.get(key)
        if r is None:
            continue
        if unit == "s":
            got, cpu = float(r["median_ms"]) / 1000, float(r["cpu_ms"]) / 1000  # type: ignore[arg-type]
            shown, cpu_shown, limit_shown = f"{got:.2f} s", f"{cpu:.2f} s CPU", f"{limit:g} s"
            cpu_ok = None
        else:
            got, cpu = float(r["ratio_to_floor"] or 0), float(r["cpu_ratio_to_floor"] or 0)  # type: ignore[arg-type]
            shown, cpu_shown, limit_shown = f"{got:.2f}×", f"{cpu:.2f}×", f"{limit:g}×"
            cpu_ok = cpu <= limit
        verdict = "met" if got <= limit else "MISSED"
        if cpu_ok is not None:
            verdict += f" ({'met' if cpu_ok else 'missed'} on CPU)"
        lines.append(f"  {key:<18} {shown:>9} ({cpu_shown})  target ≤ {limit_shown:<6} {verdict}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark filmguide against a minimal Typer + Rich app.")
    parser.add_argument("--n", type=int, default=10_000, help="dossiers in the large catalog (default 10000)")
    parser.add_argument("--repeat", type=int, default=11, help="timed runs of each warm measurement (default 11)")
    parser.add_argument("--cold-repeat", type=int, default=3, help="timed cold index builds (default 3)")
    parser.add_argument("--json", type=Path, help="where to write the results (default benchmarks/results/)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--large",
        action="store_true",
        help="for N = 100,000: no parse-only floor and no touched-file runs (each takes many minutes there)",
    )
    parser.add_argument(
        "--catalog", type=Path, help="use dossiers already written by generate.py to this folder (same N and seed)"
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="filmguide-bench-"))
    fg = filmguide_cmd()
    try:
        floor_env = child_env(tmp / "home-floor", None)
        small_env = child_env(tmp / "home-small", None)
        big = tmp / "catalog"
        started = time.perf_counter()
        if args.catalog is not None:
            big = args.catalog.resolve()
            files = sorted(big.glob("*.yaml"))
            assert len(files) == args.n, f"{args.catalog} holds {len(files)} dossiers, not {args.n}"
        else:
            files = generate(big, args.n)
        generated = time.perf_counter() - started
        avg_kib = sum(f.stat().st_size for f in files) / len(files) / 1024
        print(f"{len(files)} dossiers ({avg_kib:.1f} KiB on average) ready in {generated:.1f} s", file=sys.stderr)
        time.sleep(1.1)  # older than the index's "too recent to trust" window, as files added a moment ago are
        big_env = child_env(tmp / "home-big", big)
        film = generate_order(files)[len(files) // 3]  # a valid one: broken files are every 500th from 250
        film_id = film.name.removesuffix(".yaml")
        other = generate_order(files)[len(files) // 2 + 1]

        warm = [
            Measure(
                "floor", "floor: Typer app printing one Rich panel", [sys.executable, str(HERE / "floor.py")], floor_env
            ),
            Measure(
                "show_rich_small",
                "show seed, Rich (--color always), built-in films",
                [*fg, "show", SEED, "--color", "always"],
                small_env,
            ),
            Measure(
                "show_plain_small",
                "show seed --plain, in a pipe, built-in films",
                [*fg, "show", SEED, "--plain"],
                small_env,
            ),
            Measure("version", "filmguide --version", [*fg, "--version"], small_env),
            Measure("help", "filmguide --help", [*fg, "--help"], small_env),
            Measure(
                "show_rich_big",
                f"show seed, Rich, N={args.n} (warm)",
                [*fg, "show", SEED, "--color", "always"],
                big_env,
            ),
            Measure("show_plain_big", f"show seed --plain, N={args.n} (warm)", [*fg, "show", SEED, "--plain"], big_env),
            Measure(
                "show_film_big",
                f"show {film_id} --plain, N={args.n} (warm)",
                [*fg, "show", film_id, "--plain"],
                big_env,
            ),
            Measure("list_big", f"list, in a pipe, N={args.n} (warm)", [*fg, "list"], big_env),
            Measure(
                "list_filter_big",
                f"list --genre drama --year 1990..1999, N={args.n}",
                [*fg, "list", "--genre", "drama", "--year", "1990..1999"],
                big_env,
            ),
            Measure(
                "list_year_big",
                f"list --year 1958..1958, N={args.n}",
                [*fg, "list", "--year", "1958..1958"],
                big_env,
            ),
            Measure("search_big", f"search harbour, in a pipe, N={args.n} (warm)", [*fg, "search", "harbour"], big_env),
            Measure(
                "search_rare_big", f'search "paul mescal", N={args.n} (warm)', [*fg, "search", "paul mescal"], big_env
            ),
        ]
        incremental = [
            Measure(
                "touched_show",
                f"show {film_id} --plain after touching its file",
                [*fg, "show", film_id, "--plain"],
                big_env,
                lambda: touch(film),
                lambda: settle([*fg, "list"], big_env),
            ),
            Measure(
                "touched_list",
                f"list after touching another file, N={args.n}",
                [*fg, "list"],
                big_env,
                lambda: touch(other),
                lambda: settle([*fg, "list"], big_env),
            ),
        ]
        cache = tmp / "home-big" / "cache"
        cold = [
            Measure(
                "parse_floor",
                f"floor: CSafeLoader parse of the {args.n} files, one process",
                [sys.executable, str(HERE / "floor_parse.py"), str(big)],
                big_env,
            ),
            Measure(
                "cold_list",
                f"first list after adding {args.n} dossiers (cold index)",
                [*fg, "list"],
                big_env,
                lambda: shutil.rmtree(cache, ignore_errors=True),
            ),
        ]

        if args.large:
            cold, incremental = cold[1:], []
        print("cold index builds…", file=sys.stderr)
        for _ in range(args.cold_repeat):
            for m in cold:
                m.once()
        print("warm runs…", file=sys.stderr)
        interleave(warm, args.repeat)
        print("one file changed…", file=sys.stderr)
        interleave(incremental, args.repeat)

        floor, floor_cpu = statistics.median(warm[0].seconds), statistics.median(warm[0].cpu)
        rows = [m.row(floor, floor_cpu) for m in [*warm, *incremental]]
        if args.large:
            rows += [m.row(None) for m in cold]
        else:
            parse_floor, parse_floor_cpu = statistics.median(cold[0].seconds), statistics.median(cold[0].cpu)
            rows += [m.row(parse_floor, parse_floor_cpu) for m in cold]
        print(table(rows))
        print()
        print(targets(rows, args.n))
        result = {
            "when": time.strftime("%Y-%m-%d %H:%M:%S"),
            "machine": {
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
                "typer": version("typer"),
                "rich": version("rich"),
                "filmguide": version("filmguide"),
            },
            "n": args.n,
            "repeat": args.repeat,
            "cold_repeat": args.cold_repeat,
            "average_dossier_kib": round(avg_kib, 1),
            "floor_ms": round(floor * 1000, 1),
            "results": rows,
        }
        out = args.json or HERE / "results" / time.strftime("%Y%m%d-%H%M%S.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
