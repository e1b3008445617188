"""The spoiler policy: the only place that knows what a grade means.

- ``resolve_allowance`` turns flags, settings and the seen list into an
  ``Allowance`` (allowance.py); the table is in docs/spoilers.md. ``Allowances``
  gives the same for many films at once.
- ``items`` is the catalogue of a dossier's gradeable items (catalogue.py),
  which redact, the index, search, lint, title resolution and completion read.
- ``redact`` returns the ``DossierView`` a renderer may see (view.py).
- ``decide_ending`` says whether the ending may be shown: allow, ask or
  refuse, with the reason (ending.py).
- ``reveal_hint``, ``hidden_phrase`` and ``search_footer`` are the fixed words
  shown in place of what is hidden (hints.py).
"""

from __future__ import annotations

from .allowance import (
    EVERYTHING,
    UPTO_FORMS,
    Allowance,
    Allowances,
    Request,
    check_request,
    parse_position,
    resolve_allowance,
)
from .catalogue import Item, Text, items, labels, names, search_items
from .ending import EndingDecision, decide_ending
from .hints import hidden_phrase, reveal_hint, search_footer
from .view import DossierView, Hidden, redact, reveals_major, spoiled_by, spoiler_delta

__all__ = [
    "EVERYTHING",
    "UPTO_FORMS",
    "Allowance",
    "Allowances",
    "DossierView",
    "EndingDecision",
    "Hidden",
    "Item",
    "Request",
    "Text",
    "check_request",
    "decide_ending",
    "hidden_phrase",
    "items",
    "labels",
    "names",
    "parse_position",
    "redact",
    "resolve_allowance",
    "reveal_hint",
    "reveals_major",
    "search_footer",
    "search_items",
    "spoiled_by",
    "spoiler_delta",
]
