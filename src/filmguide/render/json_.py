"""JSON output: the view's data, stable and documented (docs/json.md).

Text is kept exactly as the dossier holds it; control characters are escaped
by JSON itself and C1/bidi characters by ``text.json_safe``, so the output
holds the original text yet drives no terminal.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from ..model import Grade
from ..policy import DossierView
from ..text import json_safe

FORMAT = "filmguide.view/1"


def _plain(obj: Any) -> Any:
    if isinstance(obj, Grade):
        return obj.label
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


def view_data(view: DossierView, parts: Sequence[str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": FORMAT,
        "id": view.id,
        "title": view.title,
        "year": view.year,
        "runtime": view.runtime,
    }
    if "credits" in parts:
        data.update(
            aliases=list(view.aliases),
            directors=list(view.directors),
            writers=list(view.writers),
            source=asdict(view.source) if view.source else None,
            cast=[asdict(c) for c in view.cast],
            genres=list(view.genres),
            tags=list(view.tags),
            watch=[asdict(w) for w in view.watch],
            awards=[asdict(a) for a in view.awards],
        )
    if "premise" in parts:
        data["premise"] = view.premise
    if "beats" in parts:
        data["beats"] = [asdict(b) for b in view.beats]
    if "ending" in parts:
        data["ending"] = asdict(view.ending) if view.ending else None
    for key in ("theories", "quotes", "related", "sources"):
        if key in parts:
            data[key] = [asdict(x) for x in getattr(view, key)]
    counted = {"credits": ("aliases", "cast")}
    keys = [k for p in parts for k in counted.get(p, (p,))]
    data["hidden"] = {k: {"minor": h.minor, "major": h.major} for k, h in view.hidden.items() if k in keys}
    data["allowed"] = {
        "level": view.allowance.level.label,
        "upto_seconds": view.allowance.upto_seconds,
    }
    result: dict[str, Any] = _plain(data)
    return result


def dumps(data: Any) -> str:
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"
