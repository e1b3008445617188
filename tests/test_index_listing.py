"""The list ``list`` keeps in the index: read in one pass next time, yet never out of date.

The winner of each film, chosen once, is kept per set of folders in use. Any
update of the files forgets it; another set of folders keeps its own; a busy
or damaged index only costs the choice again.
"""

from __future__ import annotations

import json
import os
import sqlite3

import pytest

from .conftest import write_dossier
from .test_index import age, db, listing


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """No 'modified too recently to trust' window: what is checked is the signature alone."""
    from filmguide.index import scan

    monkeypatch.setattr(scan, "RACY_NS", 0)


def kept(home) -> int:
    """How many sets of folders have their list kept."""
    with sqlite3.connect(db(home)) as conn:
        return int(conn.execute("SELECT count(*) FROM listings").fetchone()[0])


def test_a_kept_list_follows_changes_added_and_removed_files(run, films_dir, isolated, trusting) -> None:
    path = write_dossier(films_dir, "one-2000", title="Before")
    age(path)
    age(films_dir)
    first = listing(run)
    assert kept(isolated) == 1
    assert listing(run) == first  # read from the kept list
    path.write_text(path.read_text().replace("Before", "Afterwards"))
    age(path, 1800)  # in place: the folder's mtime did not change
    age(films_dir)
    lines = listing(run)
    assert "one-2000\tAfterwards\t2000" in lines and "one-2000\tBefore\t2000" not in lines
    write_dossier(films_dir, "two-2001")
    assert "two-2001\tTwo\t2001" in listing(run)
    assert "two-2001\tTwo\t2001" in listing(run)
    path.unlink()
    assert not any(line.startswith("one-2000\t") for line in listing(run))
    assert not any(line.startswith("one-2000\t") for line in listing(run))


def test_a_patch_shows_in_the_list_after_it_was_kept(run, films_dir) -> None:
    write_dossier(films_dir, "one-1902", title="One", year=1902)
    assert "one-1902\tOne\t1902" in listing(run)
    assert "one-1902\tOne\t1902" in listing(run)
    (films_dir / "one-1902.patch.yaml").write_text("year: 1901\n")
    assert "one-1902\tOne\t1901" in listing(run)
    assert "one-1902\tOne\t1901" in listing(run)


def test_each_set_of_folders_keeps_its_own_list(run, films_dir, tmp_path, monkeypatch, isolated, trusting) -> None:
    more = tmp_path / "more"
    more.mkdir()
    age(write_dossier(more, "extra-2010"))
    age(write_dossier(films_dir, "one-2000"))
    alone = os.pathsep.join([str(films_dir)])
    both = os.pathsep.join([str(more), str(films_dir)])
    for _ in range(3):
        monkeypatch.setenv("FILMGUIDE_PATH", alone)
        lines = listing(run)
        assert "one-2000\tOne\t2000" in lines and not any(x.startswith("extra-2010") for x in lines)
        monkeypatch.setenv("FILMGUIDE_PATH", both)
        lines = listing(run)
        assert "one-2000\tOne\t2000" in lines and "extra-2010\tExtra\t2010" in lines
    assert kept(isolated) == 2


def test_filters_and_json_read_the_credits_of_a_kept_list(run, films_dir) -> None:
    write_dossier(films_dir, "one-2000", directors="[Ann Director]", genres="[drama]")
    listing(run)
    listing(run)
    rows = json.loads(run("list", "--json").out)
    assert {"id": "one-2000", "title": "One", "year": 2000, "runtime": 90, "directors": ["Ann Director"]} in rows
    assert run("list", "--director", "ann").out == "one-2000\tOne\t2000\n"
    assert "one-2000\tOne\t2000" in run("list", "--genre", "drama").out


def test_a_busy_index_lists_without_waiting_or_keeping(run, films_dir, isolated, trusting) -> None:
    age(write_dossier(films_dir, "one-2000"))
    expected = listing(run)
    with sqlite3.connect(db(isolated)) as conn:
        conn.execute("DELETE FROM listings")
        conn.execute("DELETE FROM listing")
    holder = sqlite3.connect(db(isolated), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another filmguide writing: the list is not kept, and not waited for
        r = run("list")
        assert (r.code, r.err, r.out.splitlines()) == (0, "", expected)
        assert holder.execute("SELECT count(*) FROM listings").fetchone()[0] == 0
    finally:
        holder.close()
    assert listing(run) == expected
    assert kept(isolated) == 1


def test_a_damaged_kept_list_is_rebuilt(run, films_dir, isolated) -> None:
    write_dossier(films_dir, "one-2000")
    expected = listing(run)
    with sqlite3.connect(db(isolated)) as conn:
        conn.execute("DROP TABLE listing")
    r = run("list")
    assert r.code == 0 and r.out.splitlines() == expected
    assert listing(run) == expected


def test_show_does_not_check_every_broken_file_yet_finds_one_mended(run, films_dir, monkeypatch, trusting) -> None:
    """A command about one film costs the same with 3 broken files or 30,000: they are checked again by
    the commands that list films, and a title not found is looked up after every file is checked."""
    from filmguide.index import refresh

    for i in range(30):
        (films_dir / f"bad-{i:02d}-2000.yaml").write_text("- not a dossier\n")
        age(films_dir / f"bad-{i:02d}-2000.yaml")
    age(films_dir)
    listing(run)
    checked = []
    real = refresh.file_sig

    def counting(path):
        checked.append(path)
        return real(path)

    monkeypatch.setattr(refresh, "file_sig", counting)
    assert run("show", "all-of-us-strangers-2023", "--plain").code == 0
    assert len(checked) <= 2, checked
    checked.clear()
    listing(run)
    assert len(checked) >= 30
    mended = films_dir / "bad-07-2000.yaml"
    write_dossier(films_dir, "bad-07-2000", title="Mended In Place")
    age(mended, 1800)
    age(films_dir)
    r = run("show", "mended in place", "--json")
    assert r.code == 0 and json.loads(r.out)["id"] == "bad-07-2000"
