"""Plain text: what a pipe, a script or ``--plain`` gets. No escape codes, ever."""

from __future__ import annotations

from ..text import clean
from .layout import Document


def _indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line if line else line for line in clean(text).split("\n"))


def render_plain(doc: Document) -> str:
    out = [clean(doc.title), clean(doc.subtitle)]
    for s in doc.sections:
        out += ["", clean(s.title)]
        for label, value in s.fields:
            out.append(f"  {label}: {clean(value)}")
        for p in s.paragraphs:
            out.append(_indent(p))
        for n, item in enumerate(s.items, 1):
            head = f"{n}. " if s.numbered else "- "
            title = f"{clean(item.heading)}: " if item.heading else ""
            meta = f" [{clean(item.meta)}]" if item.meta else ""
            if item.heading and (s.key in ("theories", "ending", "quotes")):
                out.append(f"  {head}{clean(item.heading)}{meta}")
                out.append(_indent(item.text, "     "))
            else:
                out.append(_indent(f"{head}{title}{item.text}{meta}"))
            for label, value in item.details:
                out.append(_indent(f"{label}: {value}", "     "))
        if s.hidden:
            out.append(f"  {s.hidden}")
    if doc.footer:
        out += ["", doc.footer]
    return "\n".join(out) + "\n"
