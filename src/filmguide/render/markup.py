"""Export to markup: Markdown, HTML, Discord and Reddit, one walk over the document.

Each destination escapes untrusted text its own way (a ``</details>`` or a
``||`` in a dossier stays text). With a *delta* document (what the user's
grade hides, see ``policy.spoiler_delta``), hidden items are written inside
the destination's own spoiler markup, so readers choose for themselves:
``<details>`` for Markdown and HTML, ``||…||`` for Discord, ``>!…!<`` for
Reddit. Without one, hidden items are only counted, as everywhere else.
"""

from __future__ import annotations

import html
import re

from ..text import clean
from .layout import Document, Item, Section


class Markup:
    name = "markdown"

    def esc(self, text: str) -> str:
        return re.sub(r"([\\`*_\[\]#|<>])", r"\\\1", clean(text))

    def begin(self, doc: Document) -> list[str]:
        return [f"# {self.esc(doc.title)}", "", f"*{self.esc(doc.subtitle)}*"]

    def end(self) -> list[str]:
        return []

    def heading(self, text: str) -> list[str]:
        return ["", f"## {self.esc(text)}", ""]

    def field(self, label: str, value: str) -> str:
        return f"- **{label}:** {self.esc(value)}"

    def fields(self, fields: list[tuple[str, str]]) -> list[str]:
        return [self.field(label, value) for label, value in fields]

    def list_open(self, numbered: bool, first: int) -> list[str]:
        return []

    def list_close(self, numbered: bool) -> list[str]:
        return []

    def paragraph(self, text: str) -> list[str]:
        return [self.esc(text), ""]

    def item(self, n: int, item: Item, numbered: bool) -> list[str]:
        bullet = f"{n}." if numbered else "-"
        head = f"**{self.esc(item.heading)}** " if item.heading else ""
        meta = f" *({self.esc(item.meta)})*" if item.meta else ""
        out = [f"{bullet} {head}{self.esc(item.text)}{meta}".replace("\n", "\n   ")]
        out += [f"   - *{label}:* {self.esc(value)}" for label, value in item.details]
        return out

    def note(self, text: str) -> list[str]:
        return ["", f"> {self.esc(text)}"]

    def footer(self, text: str) -> list[str]:
        return ["", f"*{self.esc(text)}*"]

    def wrap(self, summary: str, body: list[str]) -> list[str]:
        return ["", f"<details><summary>{html.escape(summary)}</summary>", "", *body, "", "</details>"]


class Html(Markup):
    """One ``<article>`` per film; ``html_page`` puts articles into one standalone document."""

    name = "html"

    def esc(self, text: str) -> str:
        return html.escape(clean(text), quote=True).replace("\n", "<br>")

    def begin(self, doc: Document) -> list[str]:
        return ["<article>", f"<h1>{self.esc(doc.title)}</h1>", f'<p class="sub">{self.esc(doc.subtitle)}</p>']

    def end(self) -> list[str]:
        return ["</article>"]

    def heading(self, text: str) -> list[str]:
        return [f"<h2>{self.esc(text)}</h2>"]

    def fields(self, fields: list[tuple[str, str]]) -> list[str]:
        if not fields:
            return []
        rows = [f"<dt>{html.escape(k)}</dt><dd>{self.esc(v)}</dd>" for k, v in fields]
        return ["<dl>", *rows, "</dl>"]

    def paragraph(self, text: str) -> list[str]:
        return [f"<p>{self.esc(text)}</p>"]

    def list_open(self, numbered: bool, first: int) -> list[str]:
        if not numbered:
            return ["<ul>"]
        return ["<ol>" if first == 1 else f'<ol start="{first}">']

    def list_close(self, numbered: bool) -> list[str]:
        return ["</ol>" if numbered else "</ul>"]

    def item(self, n: int, item: Item, numbered: bool) -> list[str]:
        head = f"<strong>{self.esc(item.heading)}</strong> " if item.heading else ""
        meta = f' <span class="meta">({self.esc(item.meta)})</span>' if item.meta else ""
        out = [f"<li>{head}{self.esc(item.text)}{meta}"]
        if item.details:
            out.append("<ul>")
            out += [f"<li><em>{html.escape(k)}:</em> {self.esc(v)}</li>" for k, v in item.details]
            out.append("</ul>")
        out.append("</li>")
        return out

    def note(self, text: str) -> list[str]:
        return [f'<p class="note">{self.esc(text)}</p>']

    footer = note

    def wrap(self, summary: str, body: list[str]) -> list[str]:
        return [f"<details><summary>{html.escape(summary)}</summary>", *body, "</details>"]


STYLE = """\
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fdfdfc; --dim: #6b6b70; --line: #d8d8dc; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8ea; --bg: #161618; --dim: #9a9aa2; --line: #3a3a40; } }
body { font: 1rem/1.55 system-ui, sans-serif; color: var(--fg); background: var(--bg);
  max-width: 42rem; margin: 2rem auto; padding: 0 1rem; }
article + article { border-top: 1px solid var(--line); margin-top: 3rem; padding-top: 1rem; }
h1 { margin-bottom: 0; } .sub, .meta, .note { color: var(--dim); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { font-weight: 600; } dd { margin: 0; }
li { margin: 0.3rem 0; }
details { border: 1px solid var(--line); border-radius: 6px; padding: 0.4rem 0.8rem; margin: 0.8rem 0; }
summary { cursor: pointer; color: var(--dim); }"""


def html_page(title: str, articles: list[str]) -> str:
    """A standalone HTML5 document holding ``articles`` (each from ``render_markup(…, "html")``)."""
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(clean(title))}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
    ]
    return "\n".join([*head, *(a.rstrip("\n") for a in articles), "</body>", "</html>"]) + "\n"


def _spoiler_lines(body: list[str]) -> list[str]:
    """Every non-blank line of ``body``, split at its own line breaks too.

    Discord and Reddit end a spoiler at a paragraph break, so a span must
    never hold one: an item whose text has a blank line inside would
    otherwise show its second paragraph in the clear.
    """
    return [line.strip() for chunk in body for line in chunk.split("\n") if line.strip()]


class Discord(Markup):
    name = "discord"

    def esc(self, text: str) -> str:
        escaped = re.sub(r"([\\`*_|~>#\[\]<])", r"\\\1", clean(text))
        # Mentions in a post would ping a whole server: break them with a zero-width space.
        return re.sub(r"@(everyone|here)\b", "@\u200b\\1", escaped, flags=re.IGNORECASE)

    def begin(self, doc: Document) -> list[str]:
        return [f"**{self.esc(doc.title)}**", f"*{self.esc(doc.subtitle)}*"]

    def heading(self, text: str) -> list[str]:
        return ["", f"**{self.esc(text)}**"]

    def wrap(self, summary: str, body: list[str]) -> list[str]:
        # Discord spoilers cannot span a blank line or a code block; wrap each line.
        return [f"*{summary}*", *(f"||{line}||" for line in _spoiler_lines(body))]


class Reddit(Markup):
    name = "reddit"

    def esc(self, text: str) -> str:
        escaped = re.sub(r"([\\`*_|~^\[\]#<>])", r"\\\1", clean(text))
        return escaped.replace("!", "\\!")

    def wrap(self, summary: str, body: list[str]) -> list[str]:
        # Reddit spoilers end at a paragraph break; wrap each line, each its own paragraph.
        return ["", f"*{summary}*", "", *(f">!{line}!<\n" for line in _spoiler_lines(body))]


MARKUPS: dict[str, type[Markup]] = {"markdown": Markup, "html": Html, "discord": Discord, "reddit": Reddit}


def _section_body(m: Markup, s: Section, first: int = 1, with_note: bool = True) -> list[str]:
    out = m.fields(s.fields)
    for p in s.paragraphs:
        out += m.paragraph(p)
    if s.items:
        out += m.list_open(s.numbered, first)
        for n, item in enumerate(s.items, first):
            out += m.item(n, item, s.numbered)
        out += m.list_close(s.numbered)
    if s.hidden and with_note:
        out += m.note(s.hidden)
    return out


def render_markup(doc: Document, markup: str, delta: Document | None = None) -> str:
    m = MARKUPS[markup]()
    out = m.begin(doc)
    wrapped = {s.key: s for s in delta.sections} if delta else {}
    keys = [s.key for s in doc.sections] + [k for k in wrapped if k not in {s.key for s in doc.sections}]
    by_key = {s.key: s for s in doc.sections}
    for key in keys:
        s, hidden = by_key.get(key), wrapped.get(key)
        title = (s or hidden).title  # type: ignore[union-attr]
        out += m.heading(title)
        if s is not None:
            out += _section_body(m, s, with_note=hidden is None)
        if hidden is not None:
            count = len(hidden.items) + len(hidden.fields)
            if s is not None and (s.items or s.fields):
                summary = f"{title}: {count} more (spoilers)"
            else:
                summary = title if "spoiler" in title.lower() else f"{title} (spoilers)"
            first = len(s.items) + 1 if s is not None else 1
            out += m.wrap(summary, _section_body(m, hidden, first))
    if doc.footer and delta is None:
        out += m.footer(doc.footer)
    out += m.end()
    return "\n".join(out).strip() + "\n"
