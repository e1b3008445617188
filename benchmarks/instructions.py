"""Instructions executed by each command, counted by valgrind: the same on a busy machine as on a quiet one.

Wall and CPU times (``run.py``) move with whatever else the machine is doing;
the number of instructions a process executes does not. This counts them with
``valgrind --tool=callgrind`` for the floor (``floor.py``) and for filmguide's
commands, after one untimed run of each (bytecode cached, index warm), and
prints each as a multiple of the floor. Instructions are not time: a command
that waits on the disk or misses the cache costs more time than its count
says. They are the steady measure of the work done, for comparing one change
with another.

    python benchmarks/instructions.py                      # built-in films
    python benchmarks/instructions.py --catalog /tmp/fg10k # plus a generated catalog (generate.py), warm
    python benchmarks/instructions.py --classes 33         # what 33 dataclasses cost, against 33 records

Needs valgrind (Debian's ``valgrind`` package); each count takes some seconds.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import SEED, child_env, filmguide_cmd  # noqa: E402


def count(cmd: list[str], env: dict[str, str]) -> int:
    """Instructions executed by ``cmd``, its start and exit included."""
    subprocess.run(cmd, env=env, capture_output=True, check=False)  # untimed: bytecode written, index warm
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"valgrind printed no count for {' '.join(cmd)}:\n{done.stderr[-2000:]}")
    return int(found[1])


# 33 classes of five fields, as filmguide declared them before records.py, and as records.
CLASSES = """
import sys
from dataclasses import dataclass
from filmguide.records import Frozen
for _ in range(int(sys.argv[1])):
    @dataclass({decorator})
    class C{base}:
        a: int
        b: str
        c: str | None = None
        d: int = 0
        e: tuple = ()
{init}
"""
RECORD_INIT = """
        def __init__(self, a: int, b: str, c: str | None = None, d: int = 0, e: tuple = ()) -> None:
            object.__setattr__(self, "a", a)
            object.__setattr__(self, "b", b)
            object.__setattr__(self, "c", c)
            object.__setattr__(self, "d", d)
            object.__setattr__(self, "e", e)
"""


def class_rows(n: int, env: dict[str, str], tmp: Path) -> list[tuple[str, list[str], dict[str, str]]]:
    """Creating ``n`` frozen dataclasses, ``n`` records, and neither (the same script with n = 0)."""
    dataclasses = tmp / "dataclasses_.py"
    dataclasses.write_text(CLASSES.format(decorator="frozen=True, slots=True", base="", init=""))
    made = tmp / "records_.py"
    made.write_text(
        CLASSES.format(decorator="init=False, repr=False, eq=False, slots=True", base="(Frozen)", init=RECORD_INIT)
    )
    return [
        ("python, filmguide.records imported, no class made", [sys.executable, str(dataclasses), "0"], env),
        (f"{n} @dataclass(frozen=True, slots=True) classes", [sys.executable, str(dataclasses), str(n)], env),
        (f"{n} records (Frozen, __init__ written)", [sys.executable, str(made), str(n)], env),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description="Count the instructions of filmguide's commands against the floor.")
    parser.add_argument("--catalog", type=Path, help="a folder of dossiers written by generate.py, also measured")
    parser.add_argument("--classes", type=int, help="count making this many dataclasses and records instead")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 1
    fg = filmguide_cmd()
    tmp = Path(tempfile.mkdtemp(prefix="filmguide-instructions-"))
    try:
        small = child_env(tmp / "home-small", None)
        if args.classes is not None:
            rows = class_rows(args.classes, small, tmp)
            print(f"{'measurement':<58} {'instructions':>14}")
            print("-" * 73)
            for label, cmd, env in rows:
                print(f"{label:<58} {count(cmd, env) / 1e6:>12.1f} M", flush=True)
            return 0
        rows = [
            ("floor: Typer app printing one Rich panel", [sys.executable, str(HERE / "floor.py")], small),
            ("show seed, Rich (--color always), built-in films", [*fg, "show", SEED, "--color", "always"], small),
            ("show seed --plain, built-in films", [*fg, "show", SEED, "--plain"], small),
            ("filmguide --version", [*fg, "--version"], small),
            ("list, built-in films", [*fg, "list"], small),
            ("search ghost, built-in films", [*fg, "search", "ghost"], small),
        ]
        if args.catalog is not None:
            big = child_env(tmp / "home-big", args.catalog.resolve())
            n = len(list(args.catalog.glob("*.yaml")))
            rows += [
                (f"show seed --plain, N={n} (warm)", [*fg, "show", SEED, "--plain"], big),
                (f"list, N={n} (warm)", [*fg, "list"], big),
                (f"list --year 1958..1958, N={n}", [*fg, "list", "--year", "1958..1958"], big),
                (f"search harbour, N={n} (warm)", [*fg, "search", "harbour"], big),
            ]
        print(f"{'measurement':<58} {'instructions':>14} {'× floor':>8}")
        print("-" * 82)
        floor = None
        for label, cmd, env in rows:
            n_instr = count(cmd, env)
            floor = floor or n_instr
            print(f"{label:<58} {n_instr / 1e6:>12.1f} M {n_instr / floor:>8.2f}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
