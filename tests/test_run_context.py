"""Commands read their surroundings from the run context main() is given, and from nothing else.

Each test hands main() a context of its own (``tests/conftest.py``'s ``faked``):
streams that are or are not terminals, a width, settings and a seen list that
exist nowhere on disk. What a user would see is then checked on those streams.
"""

from __future__ import annotations

import datetime as dt
import re

from filmguide.config import Setting


def settings(spoilers: str = "ask", level: str = "none") -> dict[str, Setting]:
    return {
        "spoilers": Setting("spoilers", spoilers, "the test"),
        "level": Setting("level", level, "the test"),
    }


def test_the_ending_is_asked_for_on_the_contexts_terminal(faked, canary) -> None:
    yes = faked("ending", "canary film", stdin="y\n", tty=True)
    assert yes.code == 0, yes.err
    assert "zqendingwhat" in yes.out.lower()
    assert yes.err == "Reveal the ending (major spoilers) of Canary Film (2001)? [y/N] "
    no = faked("ending", "canary film", stdin="\n", tty=True)
    assert no.code == 5 and no.out == ""
    assert no.err.endswith("[y/N] filmguide: not revealed\n")
    assert "zqending" not in no.both.lower()


def test_without_a_terminal_nothing_is_asked(faked, canary) -> None:
    r = faked("ending", "canary film", stdin="y\n", tty=False)
    assert r.code == 5 and r.out == ""
    assert "there is no terminal to ask on" in r.err and "[y/N]" not in r.err


def test_settings_come_from_the_context(faked, canary) -> None:
    r = faked("ending", "canary film", tty=True, settings=settings(spoilers="never"))
    assert r.code == 5 and "spoilers = never (the test)" in r.err
    shown = faked("show", "canary film", settings=settings(level="minor"))
    assert shown.code == 0 and "zqminorbeat" in shown.out.lower() and "zqmajorbeat" not in shown.out.lower()


def test_the_seen_list_comes_from_the_context(faked, canary) -> None:
    seen = {"canary-film-2001": dt.date(2024, 1, 2)}
    r = faked("show", "canary film", settings=settings(spoilers="seen"), seen=seen)
    assert r.code == 0 and "zqmajorbeat" in r.out.lower()
    unseen = faked("show", "canary film", settings=settings(spoilers="seen"), seen={})
    assert "zqmajorbeat" not in unseen.out.lower()


def test_the_width_comes_from_the_context(faked, canary) -> None:
    drawn = {}
    for width in (40, 72):
        r = faked("timeline", "canary film", width=width)
        assert r.code == 0, r.err
        picture = r.out.split("\n\n")[1].splitlines()
        assert max(len(line) for line in picture) <= width
        drawn[width] = max(len(line) for line in picture)
    assert drawn[40] < drawn[72]  # COLUMNS (100 in every test) was not asked


def test_a_terminal_gets_panels_and_a_pipe_plain_text(faked, canary) -> None:
    at_terminal = faked("show", "canary film", tty=True, width=60)
    drawn = re.sub(r"\x1b\[[0-9;]*m", "", at_terminal.out)
    assert "╭" in drawn and max(len(line) for line in drawn.splitlines()) <= 60
    piped = faked("show", "canary film", tty=False)
    assert "╭" not in piped.out and "\x1b" not in piped.out


def test_errors_go_to_the_contexts_stderr(faked, canary) -> None:
    r = faked("show", "no such film at all")
    assert r.code == 3 and r.out == "" and r.err.startswith("filmguide: ")
