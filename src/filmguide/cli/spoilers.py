"""The two spoiler decisions a command asks for: the allowance, and whether the ending may be shown.

Commands call ``allowance`` (one film), ``allowance_for`` (many films) and
``consent_to_ending``, and nothing else decides what a grade means here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import SpoilersRefused

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..model import Dossier
    from ..policy import Allowance
    from .context import RunContext
    from .options import Level


def allowance(run: RunContext, film: Dossier, level: Level | None, spoilers: bool, upto: str | None) -> Allowance:
    """Flags first; then the configured level, and `spoilers = "seen"` for films marked seen."""
    from ..model import Grade
    from ..policy import Allowance, parse_position

    seconds = parse_position(upto, film.runtime) if upto is not None else None
    if spoilers:
        return Allowance(Grade.MAJOR, seconds)
    if level is not None:
        return Allowance(Grade.parse(level.value), seconds)
    settings = run.load_settings()
    if settings["spoilers"].value == "seen" and film.id in run.seen_ids():
        return Allowance(Grade.MAJOR, seconds)
    return Allowance(Grade.parse(settings["level"].value), seconds)


def allowance_for(run: RunContext, level: Level | None, spoilers: bool) -> Callable[[str], Allowance]:
    """The allowance of each film by id, for commands over many films (no --upto): as `allowance` decides it."""
    from ..model import Grade
    from ..policy import Allowance

    if spoilers:
        return lambda _: Allowance(Grade.MAJOR)
    if level is not None:
        fixed = Allowance(Grade.parse(level.value))
        return lambda _: fixed
    settings = run.load_settings()
    default = Allowance(Grade.parse(settings["level"].value))
    if settings["spoilers"].value != "seen":
        return lambda _: default
    seen = run.seen_ids()
    return lambda film_id: Allowance(Grade.MAJOR) if film_id in seen else default


def consent_to_ending(run: RunContext, film: Dossier, spoilers: bool, no_input: bool) -> None:
    """Return if the ending of ``film`` may be shown; ask first where that is allowed; else SpoilersRefused."""
    from ..text import one_line

    if spoilers:
        return
    name = f"{one_line(film.title, 200)} ({film.year})"
    setting = run.load_settings()["spoilers"]
    if setting.value == "seen" and film.id in run.seen_ids():
        return  # the user marked it seen and asked not to be asked
    if setting.value == "never":
        raise SpoilersRefused(
            f"not revealing the ending of {name}: spoilers = never ({setting.origin}); add --spoilers to reveal it"
        )
    if no_input or not run.interactive():
        why = "--no-input forbids asking" if no_input else "there is no terminal to ask on"
        raise SpoilersRefused(f"not revealing the ending of {name}: {why}; add --spoilers to reveal it")
    answer = run.ask(f"Reveal the ending (major spoilers) of {name}? [y/N] ")
    if answer.strip().lower() not in ("y", "yes"):
        raise SpoilersRefused("not revealed")
