"""The timeline: the film as a bar at the terminal's width.

Visible beats are numbered marks, listed below the bar with their minute;
withheld beats are unlabelled marks (the minute, never what happens); the
``--upto`` position is a cursor. Built from a redacted view only.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from ..policy import DossierView, Hidden, hidden_phrase, reveal_hint
from ..records import Frozen
from ..text import clean

FORMAT = "filmguide.timeline/1"


@dataclass(init=False, repr=False, eq=False, slots=True)
class Glyphs(Frozen):
    bar: str
    shown: str
    hidden: str
    act: str
    cursor: str

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, bar: str, shown: str, hidden: str, act: str, cursor: str) -> None:
        object.__setattr__(self, "bar", bar)
        object.__setattr__(self, "shown", shown)
        object.__setattr__(self, "hidden", hidden)
        object.__setattr__(self, "act", act)
        object.__setattr__(self, "cursor", cursor)
    # --- end of the written __init__ ---
    # fmt: on


ASCII = Glyphs(bar="-", shown="|", hidden="x", act="+", cursor="^")
UNICODE = Glyphs(bar="━", shown="●", hidden="◆", act="┃", cursor="▲")


def timeline_data(view: DossierView) -> dict[str, Any]:
    beats = [{"n": n, "at": b.at, "grade": b.grade.label, "text": b.text} for n, b in enumerate(view.beats, 1)]
    hidden = view.hidden_in("beats")
    return {
        "format": FORMAT,
        "id": view.id,
        "title": view.title,
        "year": view.year,
        "runtime": view.runtime,
        "acts": [{"title": a.title, "at": a.at} for a in view.acts],
        "beats": beats,
        "hidden_marks": sorted(view.hidden_beat_minutes),
        "hidden": {"minor": hidden.minor, "major": hidden.major},
        "upto_seconds": view.allowance.upto_seconds,
    }


def _tick_step(runtime: int, width: int) -> int:
    for step in (5, 10, 15, 20, 30, 60, 120):
        if width * step / max(runtime, 1) >= 8:
            return step
    return 240


def _cells(ch: str) -> int:
    """The terminal columns ``ch`` takes: 2 for a wide (CJK) character, 0 for a combining mark."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _put(row: list[str], start: int, text: str) -> None:
    """Write ``text`` into ``row`` (one string per terminal column) from column ``start``.

    A wide character fills two columns (the second holds ""), a combining mark
    joins the character before it, and what would pass the end is left out:
    the row keeps its width in columns, so marks below it stay under their minute.
    """
    col, last = start, -1
    for ch in text:
        w = _cells(ch)
        if w == 0:
            if last >= 0:
                row[last] += ch
            continue
        if col + w > len(row):
            break
        for c in range(col, col + w):  # overwrite whole characters only
            if row[c] == "" and c > 0:
                row[c - 1] = " "
            elif c + 1 < len(row) and row[c + 1] == "":
                row[c + 1] = " "
        row[col : col + w] = [ch] + [""] * (w - 1)
        last, col = col, col + w


def timeline_rows(view: DossierView, width: int, g: Glyphs) -> list[tuple[str, str]]:
    """Rows of the picture as (text, role); roles let a renderer style them."""
    width = max(width, 20)
    bar_w = width - 2
    runtime = max(view.runtime, 1)

    def pos(minute: float) -> int:
        return min(bar_w - 1, max(0, round(minute / runtime * (bar_w - 1))))

    rows: list[tuple[str, str]] = []
    if view.acts:
        acts = [" "] * bar_w
        for a in view.acts:
            _put(acts, pos(a.at), g.act + " ".join(clean(a.title).split()))
        rows.append((" " + "".join(acts).rstrip(), "acts"))

    bar = [g.bar] * bar_w
    labels = [" "] * bar_w
    for m in view.hidden_beat_minutes:
        bar[pos(m)] = g.hidden
    for n, b in enumerate(view.beats, 1):
        if b.at is None:
            continue
        p = pos(b.at)
        bar[p] = g.shown
        tag = str(n)
        if all(c == " " for c in labels[max(0, p - 1) : p + len(tag) + 1]) and p + len(tag) <= bar_w:
            labels[p : p + len(tag)] = list(tag)
    rows.append((" " + "".join(bar), "bar"))
    if any(c != " " for c in labels):
        rows.append((" " + "".join(labels).rstrip(), "labels"))

    scale = [" "] * bar_w
    step = _tick_step(runtime, bar_w)
    end = str(runtime)
    scale[bar_w - len(end) :] = list(end)
    last = -1
    for minute in range(0, runtime, step):
        text = str(minute)
        start = pos(minute)
        if start <= last or start + len(text) >= bar_w - len(end):
            continue
        scale[start : start + len(text)] = list(text)
        last = start + len(text)
    rows.append((" " + "".join(scale), "scale"))

    if view.allowance.upto_seconds is not None:
        seconds = view.allowance.upto_seconds
        p = pos(seconds / 60)
        mm, ss = divmod(seconds, 60)
        when = f"{mm} min{f' {ss} s' if ss else ''}"
        for label in (f"{g.cursor} you are here ({when})", f"{g.cursor} {when}", g.cursor):
            if p + len(label) <= bar_w:
                break
            flipped = label[2:] + " " + g.cursor if len(label) > 1 else label
            if len(flipped) <= p + 1:
                label, p = flipped, p - len(flipped) + 1
                break
        rows.append((" " + " " * p + label, "cursor"))
    return rows


def timeline_entries(view: DossierView) -> list[tuple[str, str, str]]:
    """The visible beats below the bar, as (number, minute, text)."""
    return [(f"{n}.", f"{b.at} min" if b.at is not None else "—", clean(b.text)) for n, b in enumerate(view.beats, 1)]


def _hidden_line(view: DossierView) -> str | None:
    hidden: Hidden = view.hidden_in("beats")
    if not hidden.total:
        return None
    return f"▒▒▒▒ {hidden_phrase(hidden, 'beat')} — {reveal_hint(hidden, view.allowance)}"


def timeline_list(view: DossierView) -> list[str]:
    out = [f"{n:>3} {minute:{'^7' if minute == '—' else '>7'}}  {text}" for n, minute, text in timeline_entries(view)]
    hidden = _hidden_line(view)
    return [*out, hidden] if hidden else out


def render_plain_timeline(view: DossierView, width: int) -> str:
    head = f"{clean(view.title)} ({view.year}) · {view.runtime} min"
    rows = [text for text, _ in timeline_rows(view, width, ASCII)]
    legend = f" {ASCII.shown} beat you may see   {ASCII.hidden} hidden beat   (minutes)"
    return "\n".join([head, "", *rows, "", legend, "", *timeline_list(view)]) + "\n"


def render_rich_timeline(view: DossierView, width: int) -> Any:
    """The timeline for Rich, drawn at ``width`` or the width Rich is given, whichever is narrower."""
    return _RichTimeline(view, width)


class _RichTimeline:
    """A Rich renderable: the bar is laid out when Rich says how wide it may be (the readable measure)."""

    def __init__(self, view: DossierView, width: int) -> None:
        self.view, self.width = view, width

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.console import Group
        from rich.panel import Panel
        from rich.table import Table
        from rich.text import Text

        view = self.view
        styles = {"acts": "bold blue", "bar": "", "labels": "bold cyan", "scale": "dim", "cursor": "bold yellow"}
        lines = []
        for text, role in timeline_rows(view, min(self.width, options.max_width) - 4, UNICODE):
            line = Text(text, style=styles[role])
            if role == "bar":
                line = Text()
                for ch in text:
                    style = {UNICODE.shown: "bold cyan", UNICODE.hidden: "red", UNICODE.bar: "dim"}.get(ch, "")
                    line.append(ch, style=style)
            lines.append(line)
        legend = Text.assemble(
            (f" {UNICODE.shown}", "bold cyan"), " beat you may see   ", (UNICODE.hidden, "red"), " hidden beat"
        )
        title = Text(f"{clean(view.title)} ({view.year}) · {view.runtime} min", style="bold")
        yield Panel(Group(*lines, Text(""), legend), title=title, title_align="left")
        entries = timeline_entries(view)
        if entries:  # a grid, so that a long beat wraps under its own text, not under its number
            grid = Table.grid(padding=(0, 1))
            grid.add_column(justify="right", no_wrap=True)
            grid.add_column(justify="right", no_wrap=True)
            grid.add_column(overflow="fold")
            for n, minute, text in entries:
                grid.add_row(n, Text(minute, style="dim"), Text(text, overflow="fold"))
            yield grid
        hidden = _hidden_line(view)
        if hidden:
            yield Text(hidden)
