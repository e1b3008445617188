"""``filmguide update``: download every subscribed catalog, or one given by URL, and say what changed.

Each catalog is updated on its own: one that fails is reported and leaves
its previous version in place, and the others still update.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from .. import limits
from ..records import Frozen
from .archive import CatalogError
from .fetch import Progress
from .install import Change, fetch_pack, install, installed
from .settings import Subscription, auto_update_days, subscribe, subscriptions


@dataclass(init=False, repr=False, eq=False, slots=True)
class Outcome(Frozen):
    name: str
    change: Change | None
    error: str | None

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, name: str, change: Change | None, error: str | None) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "change", change)
        object.__setattr__(self, "error", error)
    # --- end of the written __init__ ---
    # fmt: on


def update(
    from_url: str | None = None, progress: Callable[[str], Progress] | None = None
) -> tuple[list[Outcome], bool]:
    """Update the catalogs; return each outcome and whether config.toml gained a subscription.

    ``progress(name)`` gives the callback that follows that catalog's download."""
    timeout = limits.seconds("NETWORK_TIMEOUT")
    if from_url is not None:
        pack = fetch_pack(from_url, timeout=timeout, progress=progress(from_url) if progress else None)
        change = install(pack, from_url)
        return [Outcome(pack.name, change, None)], subscribe(pack.name, from_url)
    subs = subscriptions()
    if not subs:
        raise CatalogError(
            "no catalogs to update: add one with `filmguide update --from URL`, or [[catalogs]] in config.toml"
        )
    outcomes = []
    for sub in subs:
        outcomes.append(_one(sub, timeout, progress(sub.name) if progress else None))
    return outcomes, False


def _one(sub: Subscription, timeout: float, progress: Progress | None) -> Outcome:
    try:
        pack = fetch_pack(sub.url, timeout=timeout, progress=progress)
        return Outcome(sub.name, install(pack, sub.url, expect=sub.name), None)
    except CatalogError as err:
        return Outcome(sub.name, None, err.message)


def stale(now: Callable[[], float] = time.time) -> list[tuple[str, int]]:
    """Installed catalogs older than ``auto_update_days``, with their age in days; never downloads."""
    days = auto_update_days()
    if days is None:
        return []
    out = []
    for cat in installed():
        if cat.installed is None:
            continue
        age = int((now() - cat.installed) // 86400)
        if age >= days:
            out.append((cat.name, age))
    return out
