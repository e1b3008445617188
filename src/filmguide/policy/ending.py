"""Whether the ending may be shown: allow, ask or refuse, with the reason.

Every command that can show an ending reads this one decision. ``show``,
``theories``, ``quotes``, ``timeline``, ``export`` and ``search`` never ask:
for them anything but ``allow`` leaves the ending hidden and counted. The
``ending`` command asks when the decision is ``ask`` (stdin and stdout are a
terminal), and refuses with the reason otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..records import Frozen
from .allowance import Allowance

Verdict = Literal["allow", "ask", "refuse"]


@dataclass(init=False, repr=False, eq=False, slots=True)
class EndingDecision(Frozen):
    verdict: Verdict
    reason: str  # fixed words and setting origins: never dossier text

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(self, verdict: Verdict, reason: str) -> None:
        object.__setattr__(self, "verdict", verdict)
        object.__setattr__(self, "reason", reason)
    # --- end of the written __init__ ---
    # fmt: on


def decide_ending(
    allowance: Allowance,
    settings: Mapping[str, Any] | None = None,
    *,
    interactive: bool = False,
    no_input: bool = False,
    for_others: bool = False,
) -> EndingDecision:
    """The one ending decision.

    ``allowance.ending`` comes from ``resolve_allowance``: ``--spoilers``, the
    end of the film reached with ``--upto``, or a film marked seen with
    ``spoilers = "seen"``. Otherwise ``spoilers = "never"`` refuses, an export
    for other people refuses (it shows the ending only with
    ``--spoilers=show``), and a real terminal is asked, default No.
    """
    if allowance.ending:
        if "--spoilers" in allowance.flags:
            return EndingDecision("allow", "--spoilers")
        if allowance.upto_seconds is not None:
            return EndingDecision("allow", "--upto reaches the end of the film")
        return EndingDecision("allow", 'you marked it seen and spoilers = "seen"')
    if for_others:
        return EndingDecision("refuse", "an export shows the ending only with --spoilers=show")
    setting = settings.get("spoilers") if settings is not None else None
    if setting is not None and getattr(setting, "value", setting) == "never":
        origin = getattr(setting, "origin", "")
        return EndingDecision("refuse", f"spoilers = never ({origin})" if origin else "spoilers = never")
    if no_input:
        return EndingDecision("refuse", "--no-input forbids asking")
    if not interactive:
        return EndingDecision("refuse", "there is no terminal to ask on")
    return EndingDecision("ask", "asking first")
