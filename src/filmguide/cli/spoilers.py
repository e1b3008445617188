"""The CLI's side of the spoiler policy: flags in, the policy's decisions out.

Nothing here decides what a grade means: ``policy.resolve_allowance`` turns
the flags, the settings and the seen list into an allowance, and
``policy.decide_ending`` says whether the ending may be shown. These
functions only gather what the run context holds and ask the question at a
terminal when the policy says "ask".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import SpoilersRefused

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..model import Dossier
    from ..policy import Allowance, Request
    from .context import RunContext
    from .options import Level


def request(level: Level | None, spoilers: bool, upto: str | None = None, for_others: bool = False) -> Request:
    """A command's spoiler flags; ``for_others``: an export, where only the flags count."""
    from ..model import Grade
    from ..policy import Request

    grade = Grade.parse(level.value) if level is not None else None
    return Request(grade, spoilers, upto, for_others, "--spoilers=show" if for_others else "--spoilers")


def allowance(run: RunContext, film: Dossier, level: Level | None, spoilers: bool, upto: str | None) -> Allowance:
    """The allowance for one film, as the policy resolves it (docs/spoilers.md)."""
    from ..policy import resolve_allowance

    return resolve_allowance(request(level, spoilers, upto), film.id, film.runtime, run.load_settings(), run.seen_ids())


def export_allowance(film: Dossier, level: Level | None, show: bool, upto: str | None) -> Allowance:
    """An export is for other people: the flags alone, never the seen list or the configured level."""
    from ..policy import resolve_allowance

    return resolve_allowance(request(level, show, upto, for_others=True), film.id, film.runtime)


def allowance_for(run: RunContext, level: Level | None, spoilers: bool) -> Callable[[str], Allowance]:
    """The allowance of each film by id, for commands over many films (no --upto)."""
    from ..policy import check_request, resolve_allowance

    flags = request(level, spoilers)
    check_request(flags)
    settings = run.load_settings()
    seen = run.seen_ids() if settings["spoilers"].value == "seen" else set()
    return lambda film_id: resolve_allowance(flags, film_id, 1, settings, seen)


def base_allowance(run: RunContext, level: Level | None, spoilers: bool) -> Allowance:
    """The allowance from flags and settings alone, without the seen list: what a search footer speaks of."""
    from ..policy import resolve_allowance

    return resolve_allowance(request(level, spoilers), "", 1, run.load_settings())


def consent_to_ending(run: RunContext, film: Dossier, spoilers: bool, no_input: bool) -> None:
    """Return if the ending of ``film`` may be shown; ask where the policy says to; else SpoilersRefused."""
    from ..policy import decide_ending, resolve_allowance
    from ..text import one_line

    settings = run.load_settings()
    allowed = resolve_allowance(request(None, spoilers), film.id, film.runtime, settings, run.seen_ids())
    decision = decide_ending(allowed, settings, interactive=run.interactive(), no_input=no_input)
    if decision.verdict == "allow":
        return
    name = f"{one_line(film.title, 200)} ({film.year})"
    if decision.verdict == "refuse":
        raise SpoilersRefused(f"not revealing the ending of {name}: {decision.reason}; add --spoilers to reveal it")
    answer = run.ask(f"Reveal the ending (major spoilers) of {name}? [y/N] ")
    if answer.strip().lower() not in ("y", "yes"):
        raise SpoilersRefused("not revealed")
