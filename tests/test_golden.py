"""Golden files: what `show`, `timeline`, `list`, `theories`, `quotes` and `seen` print at 40, 60, 100 and 200 columns.

The films are the fixed dossiers in tests/fixtures/golden/ (long beats, CJK,
combining marks, an unbreakable word, a long id, hidden parts), never the
built-in films. Each command is run at a terminal (Rich) and in a pipe
(plain). The Rich files hold the text a reader sees without its styles:
`--color never` at a terminal is Rich's layout with no escape codes, and
`--color always` is checked to lay out the same text. Styles are left out
because they are not layout, and so that a new Rich release that writes its
escape codes differently does not change a golden file.

Plain output does not depend on the terminal's width, except the timeline's
bar: one file serves every width, and the test checks that it does.

After a deliberate change of layout, rewrite the files and read the diff:

    FILMGUIDE_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len

from .conftest import FIXTURES, Run

GOLDEN = Path(__file__).parent / "golden"
FILMS = FIXTURES / "golden"
UPDATE = os.environ.get("FILMGUIDE_UPDATE_GOLDEN", "") not in ("", "0")
WIDTHS = (40, 60, 100, 200)
MEASURE = 100  # the widest panels are drawn (pager.MEASURE)

FILM = "the-golden-hour-2001"
LONG_ID = "a-title-so-long-that-its-id-never-fits-a-narrow-table-1999"
COMMANDS: dict[str, tuple[str, ...]] = {
    "show": ("show", FILM),
    "timeline": ("timeline", FILM),
    "list": ("list", "--source", "FILMGUIDE_PATH"),
    "theories": ("theories", FILM, "--level", "minor"),
    "quotes": ("quotes", FILM),
    "seen": ("seen",),
}
PLAIN_BY_WIDTH = {"timeline"}  # the bar is drawn at the terminal's width, even in a pipe

SGR = re.compile(r"\x1b\[[0-9;]*m")
BOX = re.compile(r"[\s│─╭╮╰╯┃━┏┓┗┛┡┩╇┳┻└┘┴┬├┤┼●◆▲]+")


@pytest.fixture(autouse=True)
def golden_films(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FILMGUIDE_PATH", str(FILMS))


SEEN = f"""\
[seen]
"{FILM}" = {{ date = 2024-03-01, rating = 4.5, out_of = 5 }}
"{LONG_ID}" = 2023-11-24
"natsu-no-yoru-no-ijin-2010" = {{ date = 2025-01-03, rating = 9, out_of = 10 }}
"""


def output(faked: Callable[..., Run], name: str, mode: str, width: int, color: str = "never") -> str:
    args = COMMANDS.get(name, (name,))
    if name == "seen":
        from filmguide.state import seen_file

        seen_file().parent.mkdir(parents=True, exist_ok=True)
        seen_file().write_text(SEEN, encoding="utf-8")
    if mode == "rich":
        r = faked(*args, "--color", color, tty=True, width=width)
    else:
        r = faked(*args, tty=False, width=width)
    assert r.code == 0 and r.err == "", r
    return r.out


def golden_path(name: str, mode: str, width: int) -> Path:
    if mode == "plain" and name not in PLAIN_BY_WIDTH:
        return GOLDEN / f"{name}.plain.txt"
    return GOLDEN / f"{name}.{mode}.{width}.txt"


def check_golden(path: Path, actual: str) -> None:
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"{path.name} is missing: run with FILMGUIDE_UPDATE_GOLDEN=1 to write it"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path.name} differs; if the change is meant, run with FILMGUIDE_UPDATE_GOLDEN=1"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("mode", ["rich", "plain"])
@pytest.mark.parametrize("name", COMMANDS)
def test_output_matches_its_golden_file(faked, name: str, mode: str, width: int) -> None:
    check_golden(golden_path(name, mode, width), output(faked, name, mode, width))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", COMMANDS)
def test_colours_do_not_change_the_layout(faked, name: str, width: int) -> None:
    coloured = output(faked, name, "rich", width, color="always")
    assert "\x1b[" in coloured
    assert SGR.sub("", coloured) == output(faked, name, "rich", width)


# --- what the golden files must show, checked on the output itself ---------------------


def lines_of(faked: Callable[..., Run], name: str, width: int) -> list[str]:
    return output(faked, name, "rich", width).splitlines()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["show", "timeline", "theories", "quotes"])
def test_rich_output_fits_the_measure(faked, name: str, width: int) -> None:
    widest = max(cell_len(line) for line in lines_of(faked, name, width))
    assert widest <= min(width, MEASURE)


def squeezed(text: str) -> str:
    return BOX.sub("", text)


def texts_of_the_film() -> list[str]:
    """The fixture's visible beats as a reader would read them, NFC or not, without spaces."""
    import yaml

    data = yaml.safe_load((FILMS / f"{FILM}.yaml").read_text(encoding="utf-8"))
    return [squeezed(b["text"]) for b in data["beats"] if b["grade"] == "none"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["show", "timeline"])
def test_wrapping_never_drops_a_character(faked, name: str, width: int) -> None:
    seen = squeezed(output(faked, name, "rich", width))
    for text in texts_of_the_film():
        assert text in seen, text


@pytest.mark.parametrize("width", [40, 60, 100])
@pytest.mark.parametrize("name", ["show", "timeline", "theories", "quotes"])
def test_items_wrap_under_their_text(faked, name: str, width: int) -> None:
    """Every line after an item's first starts at its text's column (or further in, for details)."""
    lines = [line.strip("│").rstrip() for line in lines_of(faked, name, width)]
    minute = r"(\d+ min\s+|—\s+)" if name == "timeline" else ""  # the timeline's list: number, minute, text
    item = re.compile(rf"^\s*(\d+\.|•)\s+{minute}")
    after = re.compile(r"^\s*[▒╰╭]")  # a hidden-count line or a panel's edge ends the list
    starts = [i for i, line in enumerate(lines) if item.match(line)]
    assert starts
    wrapped = 0
    for first in starts:
        column = item.match(lines[first]).end()  # type: ignore[union-attr]
        for line in lines[first + 1 :]:
            if item.match(line) or after.match(line) or not line.strip():
                break
            assert line[:column].strip() == "", (lines[first], line)
            wrapped += 1
    assert wrapped, "nothing wrapped: the fixture no longer tests hanging indents"


@pytest.mark.parametrize("width", WIDTHS)
def test_list_keeps_every_id_whole_and_shows_the_title_first(faked, width: int) -> None:
    lines = lines_of(faked, "list", width)
    ids = [line.split("\t")[0] for line in output(faked, "list", "plain", width).splitlines()]
    assert LONG_ID in ids
    for film_id in ids:
        assert any(film_id in line for line in lines), film_id
    # only a line holding an id may pass the terminal's edge (the terminal wraps it, nothing breaks it)
    assert all(cell_len(line) <= min(width, MEASURE) for line in lines if not any(i in line for i in ids))
    at = next(i for i, line in enumerate(lines) if LONG_ID in line)
    title = next(i for i, line in enumerate(lines) if "A Title So" in line)
    assert title < at or lines[at].index("A Title So") < lines[at].index(LONG_ID)


@pytest.mark.parametrize("width", WIDTHS)
def test_hidden_parts_are_counted(faked, width: int) -> None:
    out = squeezed(output(faked, "show", "rich", width))
    assert squeezed("2 beats hidden (1 minor, 1 major)") in out
    assert squeezed("2 credits hidden (2 major)") in out
    assert "twin" not in out.lower()  # the hidden alias, role and beat


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("mode", "act", "bar"), [("rich", "┃", "━"), ("plain", "+", "-")])
def test_timeline_marks_stand_under_their_minute(faked, mode: str, act: str, bar: str, width: int) -> None:
    """The bar is one line at any width, and an act's mark stands over its minute even after a CJK title."""
    lines = [line.strip("│") for line in output(faked, "timeline", mode, width).splitlines()]
    bars = [line for line in lines if line.strip().startswith(bar)]
    assert len(bars) == 1
    acts = next(line for line in lines if act in line)
    scale = next(line for line in lines if re.match(r"\s+0\s+\d", line))
    marks = [cell_len(acts[:i]) for i, ch in enumerate(acts) if ch == act]
    assert len(marks) == 2
    # the second act is at minute 30: its mark is where the bar's minute 30 is
    bar_start, bar_end = cell_len(scale[: scale.index("0")]), cell_len(bars[0].rstrip())
    assert marks[1] == bar_start + round(30 / 96 * (bar_end - bar_start - 1))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("name", "columns"), [("seen", 4), ("paths", 4)])
def test_tables_line_up_at_a_terminal_and_are_tab_separated_in_a_pipe(faked, name, columns, width) -> None:
    rows = [line for line in lines_of(faked, name, width) if line[:1] in ("┃", "│")]
    assert len(rows) >= 3
    edges = {tuple(cell_len(line[:i]) for i, ch in enumerate(line) if ch in "┃│") for line in rows}
    assert len(edges) == 1 and len(edges.pop()) == columns + 1  # every row's column edges at the same places
    assert all(cell_len(line) <= min(width, MEASURE) for line in rows)
    piped = output(faked, name, "plain", width).splitlines()
    assert piped and all(line.count("\t") == columns - 1 for line in piped)


@pytest.mark.parametrize("width", WIDTHS)
def test_seen_keeps_dates_and_ratings_whole(faked, width) -> None:
    rows = lines_of(faked, "seen", width)
    for whole in ("2024-03-01", "2023-11-24", "2025-01-03", "4.5/5", "9/10"):
        assert any(whole in row for row in rows), whole
