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
    from ..policy import Allowance, DossierView, Request
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
    from ..policy import Allowances

    settings = run.load_settings()
    seen = run.seen_ids() if settings["spoilers"].value == "seen" else set()
    return Allowances(request(level, spoilers), settings, seen)


def base_allowance(run: RunContext, level: Level | None, spoilers: bool) -> Allowance:
    """The allowance from flags and settings alone, without the seen list: what a search footer speaks of."""
    from ..policy import resolve_allowance

    return resolve_allowance(request(level, spoilers), "", 1, run.load_settings())


def spoiled_names(run: RunContext, ids: tuple[str, ...]) -> str:
    """ "A (1999) and B (2001)": the films ``ids`` name, by title and year (a title is spoiler-free)."""
    from ..text import one_line

    if not ids:
        return ""
    known = {e.id: f"{one_line(e.title, 200)} ({e.year})" for e in run.open_index(full=False, quiet=True).entries()}
    names = [known.get(i, i) for i in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def note_spoils(run: RunContext, film: Dossier, view: DossierView) -> None:
    """Name on stderr the unseen films whose ending this view gives away (``spoils``), if it shows major content."""
    from ..policy import spoiled_by

    names = spoiled_names(run, spoiled_by(film, view, run.seen_ids()))
    if names:
        run.err(f"filmguide: note: this also gives away {names}, which you have not marked seen")


def consent_to_ending(run: RunContext, film: Dossier, spoilers: bool, no_input: bool) -> bool:
    """Return if the ending of ``film`` may be shown; ask where the policy says to; else SpoilersRefused.

    True when the user was asked: the question named the unseen films the
    ending also gives away (``spoils``), so they need no second note.
    """
    from ..policy import decide_ending, resolve_allowance
    from ..text import one_line

    settings = run.load_settings()
    allowed = resolve_allowance(request(None, spoilers), film.id, film.runtime, settings, run.seen_ids())
    decision = decide_ending(allowed, settings, interactive=run.interactive(), no_input=no_input)
    if decision.verdict == "allow":
        return False
    name = f"{one_line(film.title, 200)} ({film.year})"
    if decision.verdict == "refuse":
        raise SpoilersRefused(f"not revealing the ending of {name}: {decision.reason}; add --spoilers to reveal it")
    others = spoiled_names(run, tuple(i for i in film.spoils if i not in run.seen_ids()))
    also = f" It also gives away {others}, which you have not marked seen." if others else ""
    answer = run.ask(f"Reveal the ending (major spoilers) of {name}?{also} [y/N] ")
    if answer.strip().lower() not in ("y", "yes"):
        raise SpoilersRefused("not revealed")
    return True
