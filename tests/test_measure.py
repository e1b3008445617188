"""A readable measure at any terminal width: panels at most 100 columns, hanging indents, nothing dropped."""

from __future__ import annotations

import re

import pytest

from .conftest import write_dossier

ANSI = re.compile(r"\x1b\[[0-9;]*m")
BOX = re.compile(r"[\s│─╭╮╰╯┃━┏┓┗┛┡┩┣┫╇╈┳┻╋┠┨┯┷┼├┤┬┴┌┐└┘]+")
WIDTHS = [40, 60, 100, 200]

CJK = "異人たちとの夏は山田太一の小説で、東京の夏の夜を描く。"
COMBINING = "Ame\u0301lie cafe\u0301 n\u0303o e\u0300"


def screen(run, width: int, *args: str) -> str:
    r = run(*args, "--color", "always", env={"COLUMNS": str(width)})
    assert r.code == 0, r
    return ANSI.sub("", r.out)


def squeezed(text: str) -> str:
    return BOX.sub("", text)


@pytest.mark.parametrize("width", WIDTHS)
def test_panels_are_at_most_100_columns_and_fit_the_terminal(run, width) -> None:
    out = screen(run, width, "show", "strangers", "--spoilers")
    longest = max(len(line) for line in out.splitlines())
    assert longest <= min(width, 100)


def test_the_measure_is_a_setting(run, isolated) -> None:
    (isolated / "config").mkdir(exist_ok=True)
    (isolated / "config" / "config.toml").write_text("width = 72\n", encoding="utf-8")
    out = screen(run, 200, "show", "strangers")
    assert max(len(line) for line in out.splitlines()) == 72


@pytest.mark.parametrize("width", WIDTHS)
def test_wrapping_never_drops_a_character(run, films_dir, width) -> None:
    body = f"beats:\n  - text: '{CJK} {COMBINING} {'Taichi Yamada ' * 8}'\n    grade: none\n    at: 3\n"
    write_dossier(films_dir, "wrap-test-2001", premise=f"'{CJK} {COMBINING}'", body=body)
    out = squeezed(screen(run, width, "show", "wrap test"))
    assert squeezed(CJK) in out and squeezed(COMBINING) in out
    assert out.count("TaichiYamada") == 8
    built_in = squeezed(screen(run, width, "show", "strangers"))
    assert "novelbyTaichiYamada,1987" in built_in


@pytest.mark.parametrize("width", [40, 60])
def test_beats_hang_under_their_number(run, width) -> None:
    lines = screen(run, width, "show", "strangers").splitlines()
    first = next(i for i, line in enumerate(lines) if "1. A fire alarm" in line)
    text_column = lines[first].index("A fire alarm")
    continuation = lines[first + 1]
    assert continuation[text_column - 1] == " " and continuation[text_column] != " "


@pytest.mark.parametrize("width", WIDTHS)
def test_list_never_breaks_an_id(run, width) -> None:
    out = screen(run, width, "list")
    ids = [line.split("\t")[0] for line in run("list").out.splitlines()]
    for film_id in ids:
        assert film_id in out, film_id


def test_list_counts_in_words_and_says_when_nothing_matches(run) -> None:
    assert screen(run, 100, "list", "--year", "1958").startswith("1 film ")
    r = run("list", "--genre", "nosuch", "--year", "1950..1960", "--unseen")
    assert r.code == 0 and r.out == ""
    assert r.err == "filmguide: no film matches --genre nosuch --year 1950..1960 --unseen\n"
