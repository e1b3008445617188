"""--upto and the timeline: what someone part-way through a film may see."""

from __future__ import annotations

import json

import pytest

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
