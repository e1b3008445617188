"""Films marked seen and the settings file: stored safely, and what they change."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# --- seen films ---------------------------------------------------------------


def test_seen_unseen_and_list(run, canary, isolated) -> None:
    assert run("seen").out == ""
    r = run("seen", "canary film")
    assert r.code == 0 and "marked Canary Film (2001) as seen" in r.err
    assert run("seen", "canary film").err.startswith("filmguide: already marked")
    listing = run("seen").out.splitlines()
    assert len(listing) == 1 and listing[0].startswith("canary-film-2001\tCanary Film\t")
    text = (isolated / "state" / "seen.toml").read_text()
    assert text.startswith("# Films you have seen") and '"canary-film-2001" = ' in text
    assert run("unseen", "canary film").code == 0
    assert run("seen").out == ""


def test_corrupt_seen_file_is_kept_and_named(run, canary, isolated) -> None:
    path = isolated / "state" / "seen.toml"
    path.parent.mkdir(parents=True)
    path.write_text('[seen]\n"x" = \n')
    r = run("seen", "canary film")
    assert r.code == 1
    assert f"{path}:2" in r.err and "Traceback" not in r.err
    assert path.read_text() == '[seen]\n"x" = \n'  # never overwritten


def test_two_processes_marking_at_once_lose_nothing(canary, isolated, tmp_path) -> None:
    ids = [f"film-{i}" for i in range(40)]
    code = "import sys\nfrom filmguide.state import mark\nfor film_id in sys.argv[1:]:\n    mark(film_id, True)\n"
    env = dict(os.environ)
    procs = [subprocess.Popen([sys.executable, "-c", code, *ids[k::2]], env=env) for k in range(2)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    from filmguide.state import load_seen

    assert sorted(load_seen()) == sorted(ids)


# --- settings -------------------------------------------------------------------


def _config(isolated, text: str) -> None:
    path = isolated / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_config_reports_where_values_come_from(run, isolated) -> None:
    r = run("config")
    assert "spoilers = 'ask'\t# from default" in r.out
    _config(isolated, 'spoilers = "never"\nlevel = "minor"\n')
    r = run("config", "--json")
    data = json.loads(r.out)["settings"]
    assert data["spoilers"]["value"] == "never" and data["spoilers"]["from"].endswith("config.toml:1")
    assert data["level"]["from"].endswith("config.toml:2")
    data = json.loads(run("config", "--json", env={"FILMGUIDE_SPOILERS": "seen"}).out)["settings"]
    assert data["spoilers"] == {
        "value": "seen",
        "from": "environment (FILMGUIDE_SPOILERS)",
        "choices": ["ask", "never", "seen"],
    }


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('spoilers = "sometimes"\n', 1, "expected one of ask, never, seen"),
        ('\nspoiler = "ask"\n', 2, "did you mean 'spoilers'"),
        ("spoilers = \n", 1, "not valid TOML"),
    ],
)
def test_a_broken_config_is_an_error_not_a_default(run, canary, isolated, text, line, message) -> None:
    _config(isolated, text)
    r = run("show", "canary film")
    assert r.code == 1 and r.out == ""
    assert f"config.toml:{line}" in r.err and message in r.err


def test_configured_level_and_flags_win(run, canary, isolated) -> None:
    _config(isolated, 'level = "minor"\n')
    assert "zqminorbeat" in run("show", "canary film").out.lower()
    assert "zqminorbeat" not in run("show", "canary film", "--level", "none").out.lower()
    r = run("show", "canary film", env={"FILMGUIDE_LEVEL": "none"})
    assert "zqminorbeat" not in r.out.lower()


def test_spoilers_seen_reveals_seen_films_only(run, canary, isolated) -> None:
    _config(isolated, 'spoilers = "seen"\n')
    assert run("ending", "canary film").code == 5
    run("seen", "canary film")
    r = run("ending", "canary film")
    assert r.code == 0 and "zqendingwhat" in r.out.lower()
    assert "zqmajorbeat" in run("show", "canary film").out.lower()


def test_spoilers_never_refuses_without_asking(run, canary, isolated) -> None:
    _config(isolated, 'spoilers = "never"\n')
    r = run("ending", "canary film")
    assert r.code == 5 and "spoilers = never" in r.err and "--spoilers" in r.err
    assert run("ending", "canary film", "--spoilers").code == 0
