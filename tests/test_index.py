"""The index: a cache in the cache folder, never needed for correctness.

Deleted, damaged or from another version, it is rebuilt by the next command;
it follows changed, added and removed files and new folders; two processes
building it at once neither fail nor damage it; a warm command reads no YAML.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from filmguide import index
from filmguide.catalog import load_catalog
from filmguide.paths import Folder, builtin_films

from .conftest import CANARY, KEEP_ENV, write_dossier
from .oracle import load_catalog_from_files

SEED = "all-of-us-strangers-2023"
BUILT_IN = len(list(builtin_films().glob("*.yaml")))


def db(home: Path) -> Path:
    return home / "cache" / index.FILE_NAME


def listing(run) -> list[str]:
    r = run("list")
    assert r.code == 0, r.err
    return r.out.splitlines()


def age(path: Path, seconds: float = 3600) -> None:
    """Set a file's mtime back (its ctime stays: only the file system sets it)."""
    past = time.time_ns() - int(seconds * 1e9)
    os.utime(path, ns=(past, past))


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """No 'modified too recently to trust' window: what is checked is the signature alone."""
    from filmguide.index import scan

    monkeypatch.setattr(scan, "RACY_NS", 0)


# --- rebuilt whatever happened to it --------------------------------------------------------------


def test_the_first_command_builds_it_in_the_cache_folder(run, isolated, films_dir) -> None:
    write_dossier(films_dir, "one-2000")
    assert not db(isolated).exists()
    assert "one-2000\tOne\t2000" in listing(run)
    assert db(isolated).exists()
    with sqlite3.connect(db(isolated)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == index.INDEX_VERSION


def test_rebuilt_after_deletion(run, isolated, films_dir) -> None:
    write_dossier(films_dir, "one-2000")
    before = listing(run)
    for f in db(isolated).parent.iterdir():
        f.unlink()
    assert listing(run) == before
    assert db(isolated).exists()


@pytest.mark.parametrize("where", ["start", "middle", "all"])
def test_rebuilt_after_corruption(run, isolated, films_dir, where) -> None:
    write_dossier(films_dir, "one-2000")
    before = listing(run)
    shown = run("show", SEED, "--json").out
    path = db(isolated)
    size = path.stat().st_size
    garbage = os.urandom(4096)
    with path.open("r+b") as fh:
        if where == "start":
            fh.write(garbage)
        elif where == "middle":
            fh.seek(size // 2)
            fh.write(garbage * 4)
        else:
            fh.truncate(0)
            fh.write(b"this is not a database, it is garbage " * 100)
    assert listing(run) == before
    assert run("show", SEED, "--json").out == shown
    assert run("search", "strangers").code == 0
    # Damage on pages no command read may still be there (see docs/performance.md, known limits);
    # `index --rebuild` always leaves a sound file.
    assert run("index", "--rebuild").code == 0
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_rebuilt_when_the_schema_version_changes(run, isolated, films_dir) -> None:
    write_dossier(films_dir, "one-2000")
    before = listing(run)
    with sqlite3.connect(db(isolated)) as conn:
        conn.execute("PRAGMA user_version = 999")
        conn.execute("DELETE FROM films")  # what an old version left must not be trusted
    assert listing(run) == before
    with sqlite3.connect(db(isolated)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == index.INDEX_VERSION


def test_rebuilt_when_the_tables_are_not_what_this_version_made(run, isolated) -> None:
    before = listing(run)
    with sqlite3.connect(db(isolated)) as conn:
        conn.execute("DROP TABLE names")
    assert listing(run) == before
    assert run("show", "strangers").code == 0


def test_a_slow_rebuild_is_said_on_stderr(run, isolated, monkeypatch) -> None:
    class Clock:
        """Each reading of the clock is a second later: any build takes over a second."""

        now = 0.0

        def perf_counter(self) -> float:
            self.now += 2.0
            return self.now

        time_ns = staticmethod(time.time_ns)
        monotonic = staticmethod(time.monotonic)

    from filmguide.index import store

    monkeypatch.setattr(store, "time", Clock())
    monkeypatch.setenv("FILMGUIDE_ANNOUNCE_SECONDS", "1")
    r = run("list")
    assert r.code == 0
    built_in = len(list(builtin_films().glob("*.yaml")))
    assert r.err.startswith(f"filmguide: built the index (read {built_in} dossiers in"), r.err
    r = run("list")
    assert r.err == ""  # nothing to read, nothing said


def test_the_index_is_never_needed(run, isolated, films_dir) -> None:
    """A cache folder that cannot be written: the same answers, from memory."""
    write_dossier(films_dir, "one-2000")
    expected = (listing(run), run("show", "one", "--json").out, run("search", "somebody").out)
    for f in db(isolated).parent.iterdir():
        f.unlink()
    db(isolated).parent.rmdir()
    db(isolated).parent.write_text("a file where the cache folder should be")
    got = (listing(run), run("show", "one", "--json").out, run("search", "somebody").out)
    assert got == expected
    status = json.loads(run("index", "--status", "--json").out)
    assert status["path"] is None and status["films"] == BUILT_IN + 1


# --- kept up to date ---------------------------------------------------------------------------


def test_a_changed_file_is_read_again(run, films_dir) -> None:
    path = write_dossier(films_dir, "one-2000", title="First")
    assert "one-2000\tFirst\t2000" in listing(run)
    write_dossier(films_dir, "one-2000", title="Second Title")
    assert "one-2000\tSecond Title\t2000" in listing(run)
    assert json.loads(run("show", "one-2000", "--json").out)["title"] == "Second Title"
    age(path)
    assert "one-2000\tSecond Title\t2000" in listing(run)


def test_a_change_that_keeps_size_and_mtime_is_still_seen(run, films_dir) -> None:
    """Same size, mtime set back: the ctime (and, for a replaced file, the inode) still tells."""
    path = write_dossier(films_dir, "one-2000", title="Aaaa")
    age(path)
    assert "one-2000\tAaaa\t2000" in listing(run)
    before = path.stat()
    path.write_text(path.read_text().replace("Aaaa", "Bbbb"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert "one-2000\tBbbb\t2000" in listing(run)


def test_show_sees_a_change_to_the_film_it_shows(run, films_dir, trusting) -> None:
    """``show`` trusts a folder whose listing did not change, but never the file it shows."""
    path = write_dossier(films_dir, "one-2000", premise="Old premise.")
    age(path)
    age(films_dir)
    run("list")
    path.write_text(path.read_text().replace("Old premise.", "New premise."))
    age(path, 1800)  # in place: the folder's listing, and so its mtime, did not change
    assert json.loads(run("show", "one-2000", "--json").out)["premise"] == "New premise."


def test_show_finds_a_title_changed_in_place(run, films_dir, trusting) -> None:
    """A title not found (or ambiguous) is looked up again after every file is checked."""
    path = write_dossier(films_dir, "one-2000", title="Before")
    age(path)
    age(films_dir)
    run("list")
    path.write_text(path.read_text().replace("Before", "Afterwards"))
    age(path, 1800)
    age(films_dir)
    r = run("show", "afterwards", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["id"] == "one-2000"


def test_added_and_removed_files(run, films_dir) -> None:
    write_dossier(films_dir, "one-2000")
    assert "one-2000\tOne\t2000" in listing(run)
    write_dossier(films_dir, "two-2001")
    assert "two-2001\tTwo\t2001" in listing(run)
    assert run("show", "two", "--json").code == 0
    (films_dir / "one-2000.yaml").unlink()
    lines = listing(run)
    assert "one-2000\tOne\t2000" not in lines and "two-2001\tTwo\t2001" in lines
    assert run("show", "one-2000").code == 3


def test_a_broken_file_is_warned_about_once_until_it_changes(run, films_dir) -> None:
    path = films_dir / "bad-2000.yaml"
    path.write_text("- not a dossier\n")
    assert run("list").err.count("warning") == 1
    assert run("show", "strangers").err == ""  # unchanged since it was warned about: not again
    assert run("list").err == ""
    path.write_text("- still not a dossier\n")
    assert run("list").err.count("warning") == 1  # changed, and still broken
    assert "bad-2000.yaml" in run("validate").out  # validate lists every broken file, always
    write_dossier(films_dir, "bad-2000", title="Fixed")
    r = run("show", "fixed", "--json")
    assert r.code == 0 and r.err == ""


def test_many_broken_files_are_counted_not_listed(run, films_dir) -> None:
    for i in range(40):
        (films_dir / f"bad-{i:02d}-2000.yaml").write_text("- not a dossier\n")
    r = run("list")
    assert r.code == 0
    lines = r.err.splitlines()
    assert len(lines) == 4 and all("warning: skipped" in line for line in lines[:3]), r.err
    assert lines[3] == "filmguide: warning: and 37 more broken files; run `filmguide validate`"
    assert "warning" not in run("search", "strangers").err  # told once: not again
    validate = run("validate")
    assert validate.code != 0 and sum("bad-" in line for line in validate.out.splitlines()) >= 40


def test_a_new_folder_on_the_path_is_picked_up(run, films_dir, tmp_path, monkeypatch) -> None:
    write_dossier(films_dir, "one-2000")
    assert "one-2000\tOne\t2000" in listing(run)
    more = tmp_path / "more"
    more.mkdir()
    write_dossier(more, "extra-2010")
    monkeypatch.setenv("FILMGUIDE_PATH", os.pathsep.join([str(more), str(films_dir)]))
    lines = listing(run)
    assert "extra-2010\tExtra\t2010" in lines and "one-2000\tOne\t2000" in lines
    assert json.loads(run("show", "extra", "--json").out)["id"] == "extra-2010"
    # The folder order decides the override, whatever order the index saw them in.
    write_dossier(films_dir, "extra-2010", title="Farther")
    assert json.loads(run("show", "extra-2010", "--json").out)["title"] == "Extra"
    monkeypatch.setenv("FILMGUIDE_PATH", os.pathsep.join([str(films_dir), str(more)]))
    assert json.loads(run("show", "extra-2010", "--json").out)["title"] == "Farther"


def test_the_index_gives_what_reading_every_file_gives(run, films_dir, isolated) -> None:
    """Overrides, broken files, patches: the catalog through the index equals the catalog from the files."""
    import shutil

    shutil.copy(CANARY / "canary-film-2001.yaml", films_dir)
    write_dossier(films_dir, SEED, title='"All of Us Strangers (local)"', year=2023, runtime=105)
    (films_dir / "bad-2000.yaml").write_text("title: [\n")
    (films_dir / "broken-override-1972.yaml").write_text("schema: 1\n")
    user = isolated / "data" / "films"
    user.mkdir(parents=True)
    write_dossier(user, "mine-1999", title="Mine")
    (user / "canary-film-2001.patch.yaml").write_text(
        "theories:\n  - title: Mine\n    text: zqpatched\n    grade: none\n    held_by: me\n"
    )
    (user / "nobody-1900.patch.yaml").write_text("premise: x\n")
    for patches in (True, False):
        via_index = load_catalog(patches=patches)
        from_files = load_catalog_from_files(patches=patches)
        assert via_index.films == from_files.films
        assert via_index.origins == from_files.origins
        assert via_index.broken == from_files.broken
        assert via_index.folders == from_files.folders
        assert via_index.patches == from_files.patches
    assert [p[0].file for p in load_catalog().broken][:2] == [str(films_dir / "bad-2000.yaml")] * 1 + [
        str(films_dir / "broken-override-1972.yaml")
    ]


def test_validated_once(run, films_dir, monkeypatch, trusting) -> None:
    """A command over an up-to-date index reads no dossier file."""
    write_dossier(films_dir, "one-2000")
    assert run("list").code == 0
    import filmguide.dossier

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a dossier was read again")

    monkeypatch.setattr(filmguide.dossier, "load_dossier", refuse)
    monkeypatch.setattr(filmguide.dossier, "parse_dossier", refuse)
    for args in (["list"], ["show", "strangers"], ["show", "one", "--spoilers"], ["search", "somebody"]):
        r = run(*args)
        assert r.code == 0, (args, r.err)


def _imports(tmp_path: Path, *args: str) -> set[str]:
    code = (
        "import sys\nfrom filmguide.cli import main\nmain(sys.argv[1:])\n"
        "sys.stderr.write(' '.join(sorted(m for m in sys.modules)))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("FILMGUIDE_") or k in KEEP_ENV}
    env.update(FILMGUIDE_HOME=str(tmp_path / "home"), NO_COLOR="", TERM="xterm")
    subprocess.run([sys.executable, "-c", code, "list"], env=env, capture_output=True, check=True)  # warm it
    p = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, check=True)
    return set(p.stderr.decode().split())


def test_start_up_imports_only_what_the_command_needs(tmp_path) -> None:
    plain = _imports(tmp_path, "show", "strangers", "--plain")
    assert "yaml" not in plain and "filmguide.dossier" not in plain  # the validated form comes from the index
    assert not any(m == "rich" or m.startswith("rich.") for m in plain)
    # Only the module of the command being run is imported (filmguide/cli/app.py, COMMANDS).
    assert {"filmguide.cli.film"} <= plain
    assert not {"filmguide.cli.catalog", "filmguide.cli.authoring", "filmguide.cli.personal"} & plain
    listed = _imports(tmp_path, "list")
    assert not {"yaml", "rich", "filmguide.model", "filmguide.policy"} & listed
    assert "filmguide.cli.catalog" in listed and "filmguide.cli.film" not in listed
    version = _imports(tmp_path, "--version")
    assert not {"sqlite3", "yaml", "rich", "filmguide.model", "filmguide.index"} & version
    rich = _imports(tmp_path, "show", "strangers", "--color", "always")
    assert "rich.console" in rich and "yaml" not in rich


# --- two processes at once ------------------------------------------------------------------------


def _many(folder: Path, n: int) -> None:
    text = CANARY.joinpath("canary-film-2001.yaml").read_text()
    for i in range(n):
        film_id = f"concurrent-{i:04d}-2001"
        (folder / f"{film_id}.yaml").write_text(
            text.replace("canary-film-2001", film_id).replace("title: Canary Film", f"title: Concurrent {i}")
        )


@pytest.mark.parametrize("start", ["missing", "damaged"])
def test_two_processes_building_at_once(tmp_path, start) -> None:
    films = tmp_path / "films"
    films.mkdir()
    _many(films, 240)  # over PARALLEL_MIN: each process reads with its own workers
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FILMGUIDE_") or k in KEEP_ENV}
    env.update(FILMGUIDE_HOME=str(home), FILMGUIDE_PATH=str(films))
    cmd = [sys.executable, "-m", "filmguide", "list"]
    expected = None
    for _ in range(3):
        path = db(home)
        if start == "damaged" and path.exists():
            path.write_bytes(b"garbage" * 1000)
        elif path.parent.exists():
            for f in path.parent.iterdir():
                f.unlink()
        procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        outs = [p.communicate(timeout=120) for p in procs]
        for p, (_, err) in zip(procs, outs, strict=True):
            assert p.returncode == 0, err.decode()
            assert b"Traceback" not in err and b"internal error" not in err
        assert outs[0][0] == outs[1][0]
        lines = outs[0][0].decode().splitlines()
        assert sum(line.startswith("concurrent-") for line in lines) == 240
        expected = expected or lines
        assert lines == expected
    with sqlite3.connect(db(home)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM files").fetchone()[0] == 240 + len(
            list(builtin_films().glob("*.yaml"))
        )
        assert (
            conn.execute("SELECT count(*) FROM films").fetchone()[0]
            == conn.execute("SELECT count(DISTINCT fid) FROM films").fetchone()[0]
        )


def test_one_process_reads_while_another_rebuilds(tmp_path) -> None:
    films = tmp_path / "films"
    films.mkdir()
    _many(films, 120)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FILMGUIDE_") or k in KEEP_ENV}
    env.update(FILMGUIDE_HOME=str(tmp_path / "home"), FILMGUIDE_PATH=str(films))
    fg = [sys.executable, "-m", "filmguide"]
    subprocess.run([*fg, "list"], env=env, capture_output=True, check=True)
    rebuild = subprocess.Popen([*fg, "index", "--rebuild"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    shows = [
        subprocess.run([*fg, "show", f"concurrent {i}", "--json"], env=env, capture_output=True) for i in (1, 50, 119)
    ]
    assert rebuild.wait(timeout=120) == 0
    for i, p in zip((1, 50, 119), shows, strict=True):
        assert p.returncode == 0, p.stderr.decode()
        assert json.loads(p.stdout)["title"] == f"Concurrent {i}"


# --- the index command ------------------------------------------------------------------------------


def test_index_status_and_rebuild(run, isolated, films_dir) -> None:
    write_dossier(films_dir, "one-2000")
    (films_dir / "bad-2000.yaml").write_text("nope: [\n")
    r = run("index", "--status")
    assert r.code == 0
    status = dict(line.split("\t", 1) for line in r.out.splitlines())
    assert status["where"] == str(db(isolated))
    assert status["films"] == str(BUILT_IN + 1)
    assert status["files"].startswith(f"{BUILT_IN + 2} dossiers, 1 broken")
    assert set(status) == {"where", "files", "films", "size", "built", "updated"}
    data = json.loads(run("index", "--status", "--json").out)
    assert data["films"] == BUILT_IN + 1 and data["files"] == BUILT_IN + 2 and data["broken"] == 1 and data["bytes"] > 0
    r = run("index", "--rebuild")
    assert r.code == 0 and r.out == ""
    assert json.loads(run("index", "--status", "--json").out)["built"] >= data["built"]
    r = run("index")
    assert r.code == 0 and f"up to date: {BUILT_IN + 1} films from {BUILT_IN + 2} files" in r.err


def test_the_stored_form_round_trips(run) -> None:
    films = load_catalog_from_files([Folder(builtin_films(), "built-in")]).films
    from filmguide.index import dossier_from_blob, dossier_to_blob

    for d in films:
        assert dossier_from_blob(dossier_to_blob(d)) == d
    with pytest.raises(index.IndexDamaged):
        dossier_from_blob(b"not zlib")


def test_a_progress_bar_at_a_terminal_and_nothing_in_a_pipe(tmp_path) -> None:
    pexpect = pytest.importorskip("pexpect")
    films = tmp_path / "films"
    films.mkdir()
    _many(films, 260)  # over the 200 files that are worth a bar
    env = {k: v for k, v in os.environ.items() if not k.startswith("FILMGUIDE_") or k in KEEP_ENV}
    env.update(FILMGUIDE_HOME=str(tmp_path / "tty"), FILMGUIDE_PATH=str(films), TERM="xterm-256color")
    child = pexpect.spawn(sys.executable, ["-m", "filmguide", "index"], env=env, encoding="utf-8", timeout=120)
    child.expect(pexpect.EOF)
    assert "reading dossiers" in child.before
    env["FILMGUIDE_HOME"] = str(tmp_path / "pipe")
    p = subprocess.run([sys.executable, "-m", "filmguide", "index"], env=env, capture_output=True, text=True)
    assert p.returncode == 0 and "reading dossiers" not in p.stderr and "\x1b" not in p.stderr


# --- what a command shows is checked, the rest is trusted ---------------------------------------


def test_list_checks_the_films_it_lists(run, films_dir, trusting) -> None:
    """``list`` trusts a folder whose listing did not change, but never a file it lists."""
    path = write_dossier(films_dir, "one-2000", title="Before")
    age(path)
    age(films_dir)
    assert "one-2000\tBefore\t2000" in listing(run)
    path.write_text(path.read_text().replace("Before", "Afterwards"))
    age(path, 1800)  # in place: the folder's mtime did not change
    age(films_dir)
    assert "one-2000\tAfterwards\t2000" in listing(run)
    assert "one-2000\tAfterwards" in run("search", "afterwards").out


def test_a_year_filter_applies_to_the_film_that_wins(run, films_dir, tmp_path, monkeypatch) -> None:
    local = tmp_path / "local"
    local.mkdir()
    write_dossier(local, "one-1902", title="Local", year=1902)  # no built-in film is that old
    write_dossier(films_dir, "one-1902", title="Farther", year=1901)
    monkeypatch.setenv("FILMGUIDE_PATH", os.pathsep.join([str(local), str(films_dir)]))
    assert run("list", "--year", "1901..1901").out == ""
    assert run("list", "--year", "1902..1902").out == "one-1902\tLocal\t1902\n"
    (local / "one-1902.patch.yaml").write_text("year: 1901\n")
    assert run("list", "--year", "1901..1901").out == "one-1902\tLocal\t1901\n"
    assert run("list", "--year", "1902..1902").out == ""
