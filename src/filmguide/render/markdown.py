"""Markdown export. Dossier text is cleaned and HTML-escaped, so it cannot open
or close a tag (a stray ``</details>`` in a dossier stays text)."""

from __future__ import annotations

import html
import re

from ..text import clean
from .layout import Document

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|])")


def md(text: str) -> str:
    """Escape untrusted text for Markdown: no raw HTML, no accidental emphasis or links."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(clean(text), quote=False))


def render_markdown(doc: Document) -> str:
    out = [f"# {md(doc.title)}", "", f"*{md(doc.subtitle)}*"]
    for s in doc.sections:
        out += ["", f"## {md(s.title)}", ""]
        for label, value in s.fields:
            out.append(f"- **{label}:** {md(value)}")
        for p in s.paragraphs:
            out += [md(p), ""]
        for n, item in enumerate(s.items, 1):
            bullet = f"{n}." if s.numbered else "-"
            head = f"**{md(item.heading)}** " if item.heading else ""
            meta = f" *({md(item.meta)})*" if item.meta else ""
            body = md(item.text).replace("\n", "\n   ")
            out.append(f"{bullet} {head}{body}{meta}")
            for label, value in item.details:
                out.append(f"   - *{label}:* {md(value)}")
        if s.hidden:
            out += ["", f"> {md(s.hidden)}"]
    if doc.footer:
        out += ["", f"*{md(doc.footer)}*"]
    return "\n".join(out).rstrip() + "\n"
