"""Search results for a pipe, a terminal and JSON.

They receive ``search.Results``, which holds only what the user may see:
snippets of visible items, and a footer worded from the allowance alone. Text is cleaned before
it reaches a terminal and enters Rich only as ``Text``, never as markup.
"""

from __future__ import annotations

from typing import Any

from ..search import FORMAT, Results
from ..text import clean, json_safe, one_line


def results_data(results: Results) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "query": results.query,
        "total": results.total,
        "results": [
            {
                "id": h.id,
                "title": h.title,
                "year": h.year,
                "matches": [
                    {
                        "section": s.section,
                        "label": s.label,
                        "grade": s.grade.label,
                        "at": s.at,
                        "text": s.text,
                        "highlights": [list(x) for x in s.highlights],
                    }
                    for s in h.snippets
                ],
                "more": h.more,
                "allowed": {"level": h.allowance.level.label, "upto_seconds": h.allowance.upto_seconds},
            }
            for h in results.hits
        ],
    }


def dumps_results(results: Results) -> str:
    import json

    return json_safe(json.dumps(results_data(results), ensure_ascii=False, indent=2)) + "\n"


def render_plain_results(results: Results) -> str:
    """``id<TAB>title<TAB>year`` per film, as ``list`` prints it, then its matches indented."""
    out = []
    for h in results.hits:
        out.append(f"{h.id}\t{one_line(h.title, 200)}\t{h.year}")
        for s in h.snippets:
            out.append(f"  {s.label}: {clean(s.text)}")
        if h.more:
            out.append(f"  and {h.more} more match{'es' * (h.more != 1)}")
    return "".join(line + "\n" for line in out)


def render_rich_results(results: Results) -> Any:
    from rich.console import Group
    from rich.text import Text

    parts: list[Any] = []
    for h in results.hits:
        head = Text()
        head.append(clean(h.title), style="bold magenta")
        head.append(f" ({h.year})", style="bold")
        head.append(f"  {h.id}", style="dim")
        parts.append(head)
        for s in h.snippets:
            line = Text("  ")
            line.append(s.label, style="cyan")
            line.append(": ")
            for piece, matched in s.parts():
                line.append(clean(piece), style="bold black on yellow" if matched else "")
            parts.append(line)
        if h.more:
            parts.append(Text(f"  and {h.more} more match{'es' * (h.more != 1)}", style="dim"))
    shown = len(results.hits)
    if results.total > shown:
        parts.append(Text(f"{results.total - shown} more films match; add --limit {results.total}", style="yellow"))
    return Group(*parts)
