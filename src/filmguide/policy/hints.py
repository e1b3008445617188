"""The words shown in place of hidden items: counts, grades and what would reveal more.

Built from counts and the flags given, never from text, so they read the
same whatever the hidden items say or how long they are. A hint suggests
only what would reveal more, and never a flag already given, nor one that
would contradict a flag given (docs/spoilers.md).
"""

from __future__ import annotations

from ..model import Grade
from .allowance import Allowance
from .view import Hidden


def reveal_hint(hidden: Hidden, allowance: Allowance) -> str:
    """Which flags would show what is hidden."""
    given = allowance.flags
    options: list[str] = []
    if hidden.later_minor or hidden.later_major:
        options.append("watch further and raise --upto")
    by_grade_minor = hidden.minor - hidden.later_minor
    by_grade_major = hidden.major - hidden.later_major
    verb = "use" if "--level" in given else "add"
    if by_grade_minor and allowance.level < Grade.MINOR:
        options.append(f"{verb} --level minor")
    if by_grade_major:
        if "--upto" in given:  # --spoilers would contradict --upto
            if allowance.level < Grade.MAJOR:
                options.append(f"{verb} --level major")
        elif "--level" in given:
            options.append("--spoilers in place of --level for everything")
        else:
            options.append("--spoilers for everything" if options else "add --spoilers")
    if not options:  # only reached for counts that nothing but the film's end would reveal
        return "watch further and raise --upto"
    if len(options) == 1:
        return options[0]
    return ", ".join(options[:-1]) + ", or " + options[-1]


def search_footer(allowance: Allowance) -> str | None:
    """What a search covered, in the same words whatever the hidden text holds; None when it covered everything."""
    if allowance.everything:
        return None
    level = "--level" in allowance.flags
    verb = "use" if level else "add"
    higher = {Grade.NONE: f"{verb} --level minor or major, or ", Grade.MINOR: f"{verb} --level major, or "}
    spoilers = "--spoilers in place of --level" if level else "--spoilers"
    wider = higher.get(allowance.level, verb + " " if not level else "use ") + spoilers
    return f"searched what spoiler level {allowance.level.label} shows; {wider} to search more"


_PLURALS = {"theory": "theories"}


def hidden_phrase(hidden: Hidden, noun: str = "item") -> str:
    """``2 beats hidden (1 minor, 1 major)``: a fixed-form placeholder."""
    n = hidden.total
    parts = [f"{c} {g}" for c, g in ((hidden.minor, "minor"), (hidden.major, "major")) if c]
    nouns = noun if n == 1 else _PLURALS.get(noun, noun + "s")
    return f"{n} {nouns} hidden ({', '.join(parts)})"
