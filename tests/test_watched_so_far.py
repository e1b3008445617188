"""--upto, the timeline, seen films, settings and export modes (the whole spoiler promise)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from .test_spoilers import MARKERS, RANK

# --- --upto -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("position", "visible", "hidden"),
    [
        ("49", ["zqnonebeat"], ["zqminorbeat", "zqmajorbeat"]),
        ("50", ["zqnonebeat", "zqminorbeat"], ["zqmajorbeat"]),
        ("50m", ["zqminorbeat"], ["zqmajorbeat"]),
        ("0:50", ["zqminorbeat"], ["zqmajorbeat"]),
        ("0:49:59", ["zqnonebeat"], ["zqminorbeat"]),
        ("50%", ["zqminorbeat"], ["zqmajorbeat", "zqendingwhat"]),
        ("80", ["zqmajorbeat"], ["zqendingwhat"]),
        ("1:40", ["zqmajorbeat", "zqendingwhat"], []),
        ("100%", ["zqendingwhat"], []),
    ],
)
def test_upto_shows_what_was_watched(run, canary, position, visible, hidden) -> None:
    for args in (["show"], ["timeline"], ["export", "--format", "markdown"], ["show", "--json"]):
        r = run(*args[:1], "canary film", "--upto", position, *args[1:])
        assert r.code == 0, r.err
        low = r.out.lower()
        for word in visible:
            if word == "zqendingwhat" and args[0] == "timeline":
                continue
            assert word in low, (args, position, word)
        for word in hidden:
            assert word not in low, (args, position, word)


def test_upto_leaves_items_without_a_minute_to_their_grade(run, canary) -> None:
    r = run("show", "canary film", "--upto", "90")
    assert "zqminornoat" not in r.out.lower()
    r = run("show", "canary film", "--upto", "90", "--level", "minor")
    assert "zqminornoat" in r.out.lower()


def test_upto_on_quotes(run, canary) -> None:
    assert "zqminorquote" not in run("quotes", "canary film", "--upto", "49").out.lower()
    assert "zqminorquote" in run("quotes", "canary film", "--upto", "50").out.lower()


@pytest.mark.parametrize("bad", ["banana", "-5", "101", "2:00", "150%", "1:75", ""])
def test_bad_positions_are_usage_errors(run, canary, bad) -> None:
    r = run("show", "canary film", "--upto", bad)
    assert r.code == 2
    assert r.out == ""
    assert "--upto" in r.err and "Traceback" not in r.err


# --- the timeline -------------------------------------------------------------


def test_timeline_marks_hidden_beats_without_labels(run, canary) -> None:
    r = run("timeline", "canary film", "--plain")
    assert r.code == 0
    lines = r.out.splitlines()
    bar = next(line for line in lines if "-" in line and set(line.strip()) <= set("-|x+"))
    assert bar.count("|") == 1 and bar.count("x") == 2  # 1 visible, 2 hidden with a minute
    assert "zqnonebeat" in r.out.lower()
    assert "beats hidden" in r.out
    assert all(m not in r.out.lower() for m in ("zqminorbeat", "zqmajorbeat", "zqmajoract"))
    assert "\x1b" not in r.out


@pytest.mark.parametrize("width", ["20", "80", "300"])
def test_timeline_fits_the_width(run, canary, width) -> None:
    r = run("timeline", "canary film", "--upto", "50", env={"COLUMNS": width})
    assert r.code == 0
    picture = r.out.split("\n\n")[1]
    assert all(len(line) <= max(int(width), 20) for line in picture.splitlines())
    assert ("you are here (50 min)" if int(width) >= 80 else "^ 50 min") in r.out


def test_timeline_json_is_the_same_data(run, canary) -> None:
    data = json.loads(run("timeline", "canary film", "--json").out)
    assert data["format"] == "filmguide.timeline/1"
    assert [b["at"] for b in data["beats"]] == [10]
    assert data["hidden_marks"] == [50, 80]
    assert data["acts"] == [{"title": "Zqnoneact", "at": 0}]
    assert "zqmajor" not in json.dumps(data).lower()


def test_timeline_rich(run, canary) -> None:
    r = run("timeline", "canary film", "--color", "always", "--upto", "50")
    assert r.code == 0 and "▲ you are here" in r.out and "◆" in r.out
    assert "zqmajorbeat" not in r.out.lower()


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


# --- export modes -----------------------------------------------------------------


class _Details(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.max_depth = 0
        self.inside: list[str] = []
        self.outside: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "details":
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)
        self.stack.append(tag)

    def handle_endtag(self, tag) -> None:
        if tag == "details":
            self.depth -= 1
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data) -> None:
        (self.inside if self.depth else self.outside).append(data)


def test_html_wrap_hides_spoilers_in_details(run, canary) -> None:
    r = run("export", "canary film", "--format", "html", "--spoilers=wrap")
    assert r.code == 0
    parser = _Details()
    parser.feed(r.out)
    parser.close()
    assert parser.depth == 0 and parser.max_depth == 1
    outside, inside = " ".join(parser.outside).lower(), " ".join(parser.inside).lower()
    for marker, (grade, section) in MARKERS.items():
        if (section == "credits" and marker == "zqmajoralias") or section == "acts":
            continue  # export shows no acts
        if RANK[grade] == 0:
            assert marker in outside, marker
        else:
            assert marker not in outside, marker
            assert marker in inside, marker
    assert "zqsecretword" not in r.out.lower()


def test_markdown_wrap_is_balanced(run, canary) -> None:
    out = run("export", "canary film", "--format", "markdown", "--spoilers=wrap").out
    assert out.count("<details>") == out.count("</details>") > 0
    outside = out
    for block in out.split("<details>")[1:]:
        outside = outside.replace(block.split("</details>")[0], "")
    assert "zqmajorbeat" not in outside.lower() and "zqmajorbeat" in out.lower()


def test_discord_and_reddit_wrap_every_hidden_line(run, canary) -> None:
    discord = run("export", "canary film", "--format", "discord", "--spoilers=wrap").out
    reddit = run("export", "canary film", "--format", "reddit", "--spoilers=wrap").out
    for line in discord.splitlines():
        if any(m in line.lower() for m, (g, _) in MARKERS.items() if g != "none"):
            assert line.startswith("||") and line.endswith("||"), line
    for line in reddit.splitlines():
        if any(m in line.lower() for m, (g, _) in MARKERS.items() if g != "none"):
            assert line.startswith(">!") and line.endswith("!<"), line


@pytest.mark.parametrize("fmt", ["markdown", "html", "discord", "reddit", "text", "json"])
def test_export_modes(run, canary, fmt) -> None:
    omit = run("export", "canary film", "--format", fmt).out.lower()
    show = run("export", "canary film", "--format", fmt, "--spoilers=show").out.lower()
    bare = run("export", "canary film", "--format", fmt, "--spoilers").out.lower()
    assert "zqmajorbeat" not in omit and "zqendingwhat" not in omit
    assert "zqmajorbeat" in show and show == bare
    if fmt in ("text", "json"):
        r = run("export", "canary film", "--format", fmt, "--spoilers=wrap")
        assert r.code == 2 and "no spoiler markup" in r.err


def test_hostile_text_cannot_break_out_of_spoiler_markup(run, films_dir) -> None:
    (films_dir / "hostile-2000.yaml").write_text(
        "schema: 1\nid: hostile-2000\ntitle: Hostile\nyear: 2000\nruntime: 90\ndirectors: [D]\n"
        "premise: 'Closing </details> early, ||pipes||, !< and >! markers'\n"
        "beats:\n  - text: 'zqhostilemajor </details> ||x|| !< [link](http://x)'\n    grade: major\n"
    )
    html_out = run("export", "hostile", "--format", "html", "--spoilers=wrap").out
    parser = _Details()
    parser.feed(html_out)
    assert "zqhostilemajor" not in " ".join(parser.outside)
    md = run("export", "hostile", "--format", "markdown", "--spoilers=wrap").out
    assert md.count("</details>") == md.count("<details>")
    discord = run("export", "hostile", "--format", "discord", "--spoilers=wrap").out
    hidden_line = next(line for line in discord.splitlines() if "zqhostilemajor" in line)
    assert hidden_line.startswith("||") and hidden_line[2:-2].count("||") == 0
    reddit = run("export", "hostile", "--format", "reddit", "--spoilers=wrap").out
    hidden_line = next(line for line in reddit.splitlines() if "zqhostilemajor" in line)
    assert hidden_line[2:-2].count("!<") == 0


# --- completion through the real shell entry point ------------------------------------


SHELLS = {
    "bash": {"COMP_WORDS": "filmguide show {w}", "COMP_CWORD": "2"},
    "zsh": {"_TYPER_COMPLETE_ARGS": "filmguide show {w}"},
    "fish": {"_TYPER_COMPLETE_ARGS": "filmguide show {w}", "_TYPER_COMPLETE_FISH_ACTION": "get-args"},
}


def _complete(shell: str, word: str) -> str:
    env = dict(os.environ, _FILMGUIDE_COMPLETE=f"complete_{shell}")
    env.update({k: v.format(w=word) for k, v in SHELLS[shell].items()})
    done = subprocess.run([sys.executable, "-m", "filmguide"], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    return done.stdout + done.stderr


@pytest.mark.parametrize("shell", list(SHELLS))
def test_shell_completion_offers_titles_without_spoilers(canary, shell) -> None:
    assert "canary-film-2001" in _complete(shell, "can")
    assert "canary-film-2001" in _complete(shell, "")
    for word in ("can", "Zqmajor", ""):
        assert "zqmajoralias" not in _complete(shell, word).lower()


def test_completion_scripts_for_every_shell() -> None:
    for shell in SHELLS:
        env = dict(os.environ, _FILMGUIDE_COMPLETE=f"source_{shell}")
        done = subprocess.run([sys.executable, "-m", "filmguide"], env=env, capture_output=True, text=True, timeout=30)
        assert done.returncode == 0 and "_FILMGUIDE_COMPLETE" in done.stdout, shell
