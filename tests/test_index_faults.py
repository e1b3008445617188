"""The index heals itself: flipped bytes, hostile blobs, a full disk, a truncated WAL, a lock never let go.

Whatever happens to the cache file, every command succeeds, says at most one
line about it on stderr, and gives what reading the files gives. Waits are
set to zero through the environment, so no test here depends on the clock.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest

from filmguide.index import FILE_NAME, store

from .conftest import KEEP_ENV, write_dossier

SEED = "all-of-us-strangers-2023"
COMMANDS = (["list"], ["show", SEED, "--json"], ["search", "strangers"])
BAD = ("Traceback", "internal error", "Error:")


def db(home: Path) -> Path:
    return home / "cache" / FILE_NAME


def outputs(run) -> list[tuple[int, str]]:
    out = []
    for args in COMMANDS:
        r = run(*args)
        out.append((r.code, r.out))
    return out


def assert_healed(run, expected: list[tuple[int, str]], exact: bool = True) -> list[str]:
    """Every command succeeds, with at most one line on stderr beyond what it says when all is well;
    returns those lines. ``exact`` False: a flip SQLite cannot see may also make a title or a word
    not found (exit 3, as for any film not there), never anything worse."""
    said = []
    for args, (code, _) in zip(COMMANDS, expected, strict=True):
        r = run(*args)
        assert r.code == code or (not exact and r.code == 3), (args, r.err)
        assert not any(b in r.err for b in BAD), r.err
        usual = set(run(*args).err.splitlines())  # the same command again, the index healed
        extra = [line for line in r.err.splitlines() if line not in usual]
        assert len(extra) <= 1, r.err
        said += extra
    return said


def checkpointed(path: Path) -> bytes:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path.read_bytes()


def restore(path: Path, data: bytes) -> None:
    for extra in ("-wal", "-shm"):
        path.with_name(path.name + extra).unlink(missing_ok=True)
    path.write_bytes(data)


# --- flipped bytes ------------------------------------------------------------------------------


def _flip_rounds(run, isolated, films_dir, rounds: int, seed: int) -> None:
    write_dossier(films_dir, "one-2000")
    expected = outputs(run)
    path = db(isolated)
    clean = checkpointed(path)
    rng = random.Random(seed)
    exact = 0
    for _ in range(rounds):
        data = bytearray(clean)
        for _ in range(rng.choice((1, 1, 1, 4))):
            at = rng.randrange(len(data))
            data[at] ^= rng.randrange(1, 256)
        restore(path, bytes(data))
        assert_healed(run, expected, exact=False)
        exact += outputs(run) == expected
        restore(path, clean)
    # SQLite keeps no checksums: a flip inside a stored title, a name or the full-text index can change
    # what is shown or found (a stored dossier, zlib-checked, cannot), until the file changes or
    # `index --rebuild`.
    print(f"{rounds} rounds of flipped bytes: all recovered, {exact} with byte-identical output")
    assert run("index", "--rebuild").code == 0
    assert outputs(run) == expected


def test_flipped_bytes_a_few_rounds(run, isolated, films_dir) -> None:
    _flip_rounds(run, isolated, films_dir, 12, seed=11)


@pytest.mark.slow
def test_flipped_bytes_200_rounds(run, isolated, films_dir) -> None:
    _flip_rounds(run, isolated, films_dir, 200, seed=2026)


def test_an_error_message_with_raw_bytes_is_damage_not_a_crash(run, isolated, monkeypatch) -> None:
    """SQLite's messages can carry bytes from the file, which Python cannot decode: a rebuild, not a crash."""
    expected = outputs(run)
    real = store.Store._prepare
    calls = {"n": 0}

    def failing(self: store.Store) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")
        real(self)

    monkeypatch.setattr(store.Store, "_prepare", failing)
    said = assert_healed(run, expected)
    assert said == [] or "rebuilt" in said[0]


def _set_blob(path: Path, data: bytes) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE dossiers SET data = ?", (data,))
    conn.close()


@pytest.mark.parametrize(
    "blob",
    [
        zlib.compress(b"[" * 200_000 + b"]" * 200_000),  # nested past any recursion limit
        zlib.compress(b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
        zlib.compress(b"[1,2,3]"),  # the wrong shape
        zlib.compress(json.dumps([1] * 30).encode()),  # the right length, the wrong types
        zlib.compress(b"\xff\xfe not json"),
        zlib.compress(b" " * (64 * 1024 * 1024)),  # inflates far past any dossier
        b"not zlib at all",
    ],
    ids=["deep-list", "deep-object", "short", "wrong-types", "not-utf8", "bomb", "not-zlib"],
)
def test_hostile_stored_dossiers_are_rebuilt(run, isolated, blob) -> None:
    expected = outputs(run)
    _set_blob(db(isolated), blob)
    said = assert_healed(run, expected)
    assert outputs(run) == expected
    assert any("damaged" in line for line in said) or said == []


def test_hostile_stored_json_elsewhere(run, isolated, films_dir) -> None:
    (films_dir / "bad-2000.yaml").write_text("nope: [\n")
    expected = outputs(run)
    with sqlite3.connect(db(isolated)) as conn:
        conn.execute("UPDATE files SET problems = ? WHERE problems IS NOT NULL", ("[" * 100_000,))
        conn.execute("UPDATE films SET patches = ?", ('{"x":' * 10_000,))
    conn.close()
    assert_healed(run, expected)


# --- a full disk ----------------------------------------------------------------------------------


def _limit_pages(monkeypatch: pytest.MonkeyPatch, pages: int | None) -> None:
    """SQLITE_FULL as a full cache folder gives it: no page past ``pages`` can be written."""
    real = store.connect

    def limited(path: Path | None, create: bool, timeout: float) -> sqlite3.Connection:
        conn = real(path, create, timeout)
        if path is not None and pages is not None:
            conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(store, "connect", limited)


@pytest.mark.parametrize("pages", [1, 3, 12, 40, 120])
def test_a_full_disk_while_building(run, isolated, films_dir, monkeypatch, pages) -> None:
    write_dossier(films_dir, "one-2000")
    expected = outputs(run)
    for f in db(isolated).parent.iterdir():
        f.unlink()
    _limit_pages(monkeypatch, pages)
    said = assert_healed(run, expected)
    assert outputs(run) == expected
    assert all("no space" in line for line in said), said


@pytest.mark.parametrize("where", ["new file", "changed file", "rebuild"])
def test_a_full_disk_while_updating(run, isolated, films_dir, monkeypatch, where) -> None:
    write_dossier(films_dir, "one-2000")
    outputs(run)
    with sqlite3.connect(db(isolated)) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    _limit_pages(monkeypatch, pages)  # not one page more
    if where == "new file":
        write_dossier(films_dir, "two-2001", premise="Another one, " + "long " * 3000)
    elif where == "changed file":
        write_dossier(films_dir, "one-2000", premise="Changed, " + "long " * 3000)
    else:
        r = run("index", "--rebuild")
        assert r.code == 0 and len(r.err.splitlines()) <= 1, r.err
    healed = outputs(run)
    said = assert_healed(run, healed)
    assert all("no space" in line for line in said), said
    _limit_pages(monkeypatch, None)
    assert outputs(run) == healed  # what the files give, once the disk has room again


# --- a truncated WAL ----------------------------------------------------------------------------------


@pytest.mark.parametrize("keep", [0, 7, 32, 100, 4096 + 24 + 100, -1])
def test_a_truncated_wal(run, isolated, films_dir, keep) -> None:
    """A crash while the -wal held a write: whatever part of it survived, the index is consistent or rebuilt."""
    write_dossier(films_dir, "one-2000")
    outputs(run)
    path = db(isolated)
    before = checkpointed(path)
    # Write through SQLite with the checkpoint held back, and copy the files as a crash would leave them.
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("BEGIN")
    conn.execute("DELETE FROM names")
    conn.execute("UPDATE films SET title = 'Not What The File Says'")
    conn.execute("COMMIT")
    wal = path.with_name(path.name + "-wal").read_bytes()
    conn.close()
    restore(path, before)
    if keep != -1:
        wal = wal[:keep] if keep < len(wal) else wal[: len(wal) - 5]
    path.with_name(path.name + "-wal").write_bytes(wal)
    write_dossier(films_dir, "one-2000", premise="Changed since, so the index must be written to")
    expected_files = {line.split("\t")[1] for line in run("list").out.splitlines()}
    assert "Not What The File Says" not in expected_files or keep == -1
    r = run("show", "one", "--json")
    assert r.code == 0 and not any(b in r.err for b in BAD), r.err
    assert json.loads(r.out)["premise"] == "Changed since, so the index must be written to"
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()


# --- a lock held by a stopped process --------------------------------------------------------------

HOLD = textwrap.dedent(
    """
    import os, signal, sqlite3, sys, fcntl
    path = sys.argv[1]
    if sys.argv[2] == "sqlite":
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE meta SET value = value WHERE key = 'built'")
    else:
        fh = open(os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".lock"), "a")
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
    print("holding", flush=True)
    os.kill(os.getpid(), signal.SIGSTOP)
    """
)


def _child_env(isolated: Path, films_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FILMGUIDE_") or k in KEEP_ENV}
    env.update(FILMGUIDE_HOME=str(isolated), FILMGUIDE_PATH=str(films_dir), **extra)
    return env


@pytest.mark.slow
@pytest.mark.parametrize("held", ["sqlite", "lock file"])
def test_a_lock_held_by_a_stopped_process(run, isolated, films_dir, held) -> None:
    write_dossier(films_dir, "one-2000")
    assert run("list").code == 0
    if held == "lock file":
        db(isolated).write_bytes(b"damaged " * 1000)  # the repair needs the lock file
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db(isolated)), held], stdout=subprocess.PIPE, env=os.environ.copy()
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"holding\n"
        write_dossier(films_dir, "two-2001")  # the index must be written to
        env = _child_env(isolated, films_dir, FILMGUIDE_LOCK_WAIT_SECONDS="0", FILMGUIDE_LOCK_ANNOUNCE_SECONDS="0")
        p = subprocess.run(
            [sys.executable, "-m", "filmguide", "list"], env=env, capture_output=True, text=True, timeout=120
        )
        assert p.returncode == 0, p.stderr
        assert [line.split("\t")[0] for line in p.stdout.splitlines()][:1] and "two-2001" in p.stdout
        lines = p.stderr.splitlines()
        assert len(lines) == 1 and "another filmguide is updating the index" in lines[0], p.stderr
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    r = run("list")  # the holder gone, the index is written again
    assert r.code == 0 and "two-2001" in r.out


def test_waits_are_settable_and_bounded(monkeypatch) -> None:
    from filmguide.index import timing_from_env

    monkeypatch.delenv("FILMGUIDE_LOCK_WAIT_SECONDS", raising=False)
    monkeypatch.delenv("FILMGUIDE_LOCK_ANNOUNCE_SECONDS", raising=False)
    default = timing_from_env()
    assert default.announce <= 1 and default.wait <= 10
    monkeypatch.setenv("FILMGUIDE_LOCK_WAIT_SECONDS", "0")
    assert timing_from_env() == store.Timing(0.0, 0.0)
    monkeypatch.setenv("FILMGUIDE_LOCK_WAIT_SECONDS", "soon")
    assert timing_from_env() == default
