"""seen.toml keeps what the user wrote: comments, notes, exact times, key order, a symlink."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

HAND_EDITED = """\
# Films you have seen, for filmguide. Edit freely; one line per film.
# (kept in my dotfiles)

[seen]
# the late show, with Sam
"all-of-us-strangers-2023" = 2026-11-24T21:30:00+01:00  # wept
"solaris-1972" = { date = 2019-05-01, note = "the long version" }
rashomon-1950 = 2020-02-29

[seen."vertigo-1958"]
date = 2018-10-31 # Halloween double bill
where = "Prince Charles Cinema"

[notes]
"all-of-us-strangers-2023" = "Watch again with Mum."
mood = ["quiet", "rainy"]

[my-own-table]
anything = 1979-05-27T07:32:00.999999-07:00
"""


@pytest.fixture
def seen_file(isolated: Path) -> Path:
    path = isolated / "state" / "seen.toml"
    path.parent.mkdir(parents=True)
    path.write_text(HAND_EDITED, encoding="utf-8")
    return path


def test_hand_edits_survive_marking_and_unmarking(run, seen_file) -> None:
    assert run("seen", "inception").code == 0
    assert run("unseen", "rashomon").code == 0
    text = seen_file.read_text(encoding="utf-8")
    # Every line the user wrote is still there, byte for byte, but the one entry forgotten.
    kept = [line for line in HAND_EDITED.splitlines() if not line.startswith("rashomon-1950")]
    assert [line for line in text.splitlines() if line in kept] == kept
    assert "rashomon-1950" not in text
    data = tomllib.loads(text)
    assert "inception-2010" in data["seen"]
    assert str(data["seen"]["all-of-us-strangers-2023"]) == "2026-11-24 21:30:00+01:00"
    assert data["notes"]["mood"] == ["quiet", "rainy"]


def test_the_seen_list_reads_every_form_a_hand_can_write(run, seen_file) -> None:
    lines = run("seen").out.splitlines()
    ids = [line.split("\t")[0] for line in lines]
    assert sorted(ids) == ["all-of-us-strangers-2023", "rashomon-1950", "solaris-1972", "vertigo-1958"]
    assert "2026-11-24" in next(line for line in lines if line.startswith("all-of-us"))


def test_a_symlinked_file_is_written_through_its_link(run, isolated, tmp_path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "seen.toml"
    real.write_text(HAND_EDITED, encoding="utf-8")
    link = isolated / "state" / "seen.toml"
    link.parent.mkdir(parents=True)
    link.symlink_to(real)
    assert run("seen", "inception").code == 0
    assert run("watchlist", "chinatown").code == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    text = real.read_text(encoding="utf-8")
    assert text.startswith(HAND_EDITED.split("[notes]")[0].rstrip("\n").rsplit("\n", 3)[0])
    data = tomllib.loads(text)
    assert "inception-2010" in data["seen"] and "chinatown-1974" in data["watchlist"]
    assert data["notes"]["all-of-us-strangers-2023"] == "Watch again with Mum."
    assert [p.name for p in dotfiles.iterdir()] == ["seen.toml"]  # no temporary file left beside it


def test_an_import_keeps_hand_edits_too(run, seen_file, tmp_path) -> None:
    from tests.test_import import IMDB, imdb_row, write_csv

    export = write_csv(tmp_path / "ratings.csv", IMDB, [imdb_row("tt0056172", "9", "2019-04-01", "Solaris", "1972")])
    r = run("import", str(export))
    assert r.code == 0, r.err
    text = seen_file.read_text(encoding="utf-8")
    assert '"solaris-1972" = { date = 2019-04-01, note = "the long version", rating = 9, out_of = 10 }' in text
    assert "2026-11-24T21:30:00+01:00  # wept" in text and "[my-own-table]" in text


def test_a_deeply_nested_file_is_named_not_a_crash(run, isolated) -> None:
    for name, folder, command in (("seen.toml", "state", "seen"), ("config.toml", "config", "config")):
        path = isolated / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
        r = run(command)
        assert r.code == 1 and "internal error" not in r.err and "Traceback" not in r.err
        assert str(path) in r.err and "nested too deeply" in r.err
        path.unlink()


def test_watchlist_is_not_seen(run, canary, isolated) -> None:
    (isolated / "config").mkdir()
    (isolated / "config" / "config.toml").write_text('spoilers = "seen"\n')
    assert run("watchlist", "canary film").code == 0
    assert run("ending", "canary film").code == 5  # on the watchlist: still refused
    assert "zqmajorbeat" not in run("show", "canary film").out.lower()
    assert run("list", "--seen").out == ""
    assert run("watchlist").out.startswith("canary-film-2001\tCanary Film\t2001\t")
    assert run("seen", "canary film").code == 0
    assert run("watchlist").out == ""  # seen: off the watchlist
    assert run("ending", "canary film").code == 0


def test_watchlist_add_and_remove(run, canary) -> None:
    r = run("watchlist", "canary film")
    assert r.code == 0 and r.out == "" and "added Canary Film (2001) to your watchlist" in r.err
    assert "already on your watchlist" in run("watchlist", "canary film").err
    r = run("watchlist", "canary film", "--remove")
    assert r.code == 0 and "removed Canary Film (2001)" in r.err
    assert "was not on your watchlist" in run("watchlist", "canary film", "--remove").err
    assert run("watchlist", "--remove").code == 2


@pytest.mark.parametrize("seed", range(6))
def test_any_sequence_of_changes_keeps_every_other_line(isolated, seed) -> None:
    """Random marks, ratings, watchlist changes and removals on the hand-edited file:
    the file always reads as the changes say, and every line not changed is still there."""
    import datetime
    import random

    from filmguide.state import StateError
    from filmguide.tomlfile import Op, update

    path = isolated / "state" / "seen.toml"
    path.parent.mkdir(parents=True)
    path.write_text(HAND_EDITED, encoding="utf-8")
    rng = random.Random(seed)
    ids = ["all-of-us-strangers-2023", "solaris-1972", "rashomon-1950", "vertigo-1958", "new-2000", 'odd "id"']
    touched: set[str] = set()
    for _ in range(25):
        film_id, table = rng.choice(ids), rng.choice(["seen", "watchlist", "extra"])
        roll = rng.random()
        if roll < 0.2:
            op = Op(table, film_id, None)
        elif roll < 0.6:
            op = Op(table, film_id, {"date": datetime.date(2000 + rng.randrange(20), 1, 1)})
        else:
            op = Op(table, film_id, {"rating": rng.choice([3, 4.5, 9]), "out_of": rng.choice([5, 10])})
        before = tomllib.loads(path.read_text(encoding="utf-8"))
        update(path, StateError, lambda _data, op=op: [op])
        after = tomllib.loads(path.read_text(encoding="utf-8"))
        touched.add(film_id)
        want = before.get(table, {}).copy()
        if op.deletes:
            want.pop(film_id, None)
        else:
            old = want.get(film_id)
            merged = dict(old) if isinstance(old, dict) else ({} if old is None else {"date": old})
            merged.update(op.fields or {})
            want[film_id] = merged if isinstance(old, dict) or list(merged) != ["date"] else merged["date"]
        assert after.get(table, {}) == want
        assert {k: v for k, v in after.items() if k != table} == {k: v for k, v in before.items() if k != table}
    text = path.read_text(encoding="utf-8")
    untouched = [
        line
        for line in HAND_EDITED.splitlines()
        if line.strip() and not any(i in line for i in touched) and not line.startswith(("date =", "where ="))
    ]
    lines = iter(text.splitlines())
    assert all(any(line == mine for line in lines) for mine in untouched), "in their order"
