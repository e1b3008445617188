"""The timeline: the film as a bar at the terminal's width.

Visible beats are numbered marks, listed below the bar with their minute;
withheld beats are unlabelled marks (the minute, never what happens); the
``--upto`` position is a cursor. Built from a redacted view only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..policy import DossierView, Hidden, hidden_phrase, reveal_hint
from ..text import clean

FORMAT = "filmguide.timeline/1"


@dataclass(frozen=True, slots=True)
class Glyphs:
    bar: str
    shown: str
    hidden: str
    act: str
    cursor: str


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
            p = pos(a.at)
            label = g.act + clean(a.title)
            for i, ch in enumerate(label[: bar_w - p]):
                acts[p + i] = ch
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


def timeline_list(view: DossierView) -> list[str]:
    out = []
    for n, b in enumerate(view.beats, 1):
        minute = f"{b.at:>3} min" if b.at is not None else "   —   "
        out.append(f"{n:>2}. {minute}  {clean(b.text)}")
    hidden: Hidden = view.hidden_in("beats")
    if hidden.total:
        out.append(f"▒▒▒▒ {hidden_phrase(hidden, 'beat')} — {reveal_hint(hidden, view.allowance)}")
    return out


def render_plain_timeline(view: DossierView, width: int) -> str:
    head = f"{clean(view.title)} ({view.year}) · {view.runtime} min"
    rows = [text for text, _ in timeline_rows(view, width, ASCII)]
    legend = f" {ASCII.shown} beat you may see   {ASCII.hidden} hidden beat   (minutes)"
    return "\n".join([head, "", *rows, "", legend, "", *timeline_list(view)]) + "\n"


def render_rich_timeline(view: DossierView, width: int) -> Any:
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    styles = {"acts": "bold blue", "bar": "", "labels": "bold cyan", "scale": "dim", "cursor": "bold yellow"}
    lines = []
    for text, role in timeline_rows(view, width - 4, UNICODE):
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
    listing = [Text(line) for line in timeline_list(view)]
    title = Text(f"{clean(view.title)} ({view.year}) · {view.runtime} min", style="bold")
    return Group(Panel(Group(*lines, Text(""), legend), title=title, title_align="left"), *listing)
