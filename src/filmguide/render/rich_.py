"""Rich output for a terminal: one panel per section, built once and printed once.

Dossier text only ever enters Rich as ``Text`` objects after ``clean``: never
as markup, so ``[bold]`` or ``[link=…]`` in a dossier prints literally, and no
escape sequence from a dossier reaches the terminal.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..text import clean
from .layout import Document, Section

_GRADE_STYLE = {"none": "green", "minor": "yellow", "major": "red"}


def _t(text: str, style: str = "") -> Text:
    return Text(clean(text), style=style)


def _section(s: Section) -> Panel:
    parts: list[RenderableType] = []
    if s.fields:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        for label, value in s.fields:
            grid.add_row(_t(label), Text(clean(value), overflow="fold"))
        parts.append(grid)
    parts += [_t(p) for p in s.paragraphs]
    items = Table.grid(padding=(0, 1))  # a number column, so wrapped lines hang under the text
    items.add_column(no_wrap=True, style="bold cyan", justify="right")
    items.add_column(overflow="fold")
    for n, item in enumerate(s.items, 1):
        line = Text(overflow="fold")
        if item.heading:
            line.append(clean(item.heading), style="bold")
            line.append("\n" if s.key in ("theories", "ending", "quotes") else " ")
        line.append(clean(item.text))
        if item.meta:
            grade = item.meta.rsplit(" · ", 1)[-1]
            line.append(f"  [{clean(item.meta)}]", style=_GRADE_STYLE.get(grade, "dim"))
        block: list[RenderableType] = [line]
        for label, value in item.details:
            block.append(Padding(Text.assemble((f"{label}: ", "italic"), clean(value)), (0, 0, 0, 2)))
        items.add_row(f"{n}." if s.numbered else "•", Group(*block))
    if s.items:
        parts.append(items)
    if s.hidden:
        parts.append(_t(s.hidden, "dim"))
    return Panel(Group(*parts), title=_t(s.title, "bold"), title_align="left", border_style="blue")


def render_rich(doc: Document) -> RenderableType:
    head = Text.assemble((clean(doc.title), "bold magenta"), "\n", (clean(doc.subtitle), "dim"))
    parts: list[RenderableType] = [head, *(_section(s) for s in doc.sections)]
    if doc.footer:
        parts.append(_t(doc.footer, "yellow"))
    return Group(*parts)
