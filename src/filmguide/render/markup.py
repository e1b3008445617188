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
    name = "html"

    def esc(self, text: str) -> str:
        return html.escape(clean(text), quote=True).replace("\n", "<br>")

    def begin(self, doc: Document) -> list[str]:
        t = self.esc(doc.title)
        return [
            "<!DOCTYPE html>",
            '<html lang="en">',
            f'<head><meta charset="utf-8"><title>{t}</title></head>',
            "<body>",
            f"<h1>{t}</h1>",
            f"<p><em>{self.esc(doc.subtitle)}</em></p>",
        ]

    def end(self) -> list[str]:
        return ["</body>", "</html>"]

    def heading(self, text: str) -> list[str]:
        return [f"<h2>{self.esc(text)}</h2>"]

    def field(self, label: str, value: str) -> str:
        return f"<p><strong>{html.escape(label)}:</strong> {self.esc(value)}</p>"

    def paragraph(self, text: str) -> list[str]:
        return [f"<p>{self.esc(text)}</p>"]

    def item(self, n: int, item: Item, numbered: bool) -> list[str]:
        head = f"<strong>{self.esc(item.heading)}</strong> " if item.heading else ""
        num = f"{n}. " if numbered else ""
        meta = f" <em>({self.esc(item.meta)})</em>" if item.meta else ""
        out = [f"<p>{num}{head}{self.esc(item.text)}{meta}</p>"]
        if item.details:
            out.append("<ul>")
            out += [f"<li><em>{html.escape(k)}:</em> {self.esc(v)}</li>" for k, v in item.details]
            out.append("</ul>")
        return out

    def note(self, text: str) -> list[str]:
        return [f"<p><em>{self.esc(text)}</em></p>"]

    footer = note

    def wrap(self, summary: str, body: list[str]) -> list[str]:
        return [f"<details><summary>{html.escape(summary)}</summary>", *body, "</details>"]


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
    out = [m.field(label, value) for label, value in s.fields]
    for p in s.paragraphs:
        out += m.paragraph(p)
    for n, item in enumerate(s.items, first):
        out += m.item(n, item, s.numbered)
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
            summary = (
                f"{title}: {count} more (spoilers)"
                if s is not None and (s.items or s.fields)
                else f"{title} (spoilers)"
            )
            first = len(s.items) + 1 if s is not None else 1
            out += m.wrap(summary, _section_body(m, hidden, first))
    if doc.footer and delta is None:
        out += m.footer(doc.footer)
    out += m.end()
    return "\n".join(out).strip() + "\n"
