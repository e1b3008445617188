"""The options and arguments several commands share, each defined once."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from ..output import Color
from .context import RunContext

__all__ = [
    "Color",
    "ColorOpt",
    "JsonOpt",
    "Level",
    "LevelOpt",
    "NoInputOpt",
    "PlainOpt",
    "SpoilersOpt",
    "TitleArg",
    "UptoOpt",
    "complete_label",
    "complete_title",
    "names_opt",
    "run_context",
]


class Level(StrEnum):
    none = "none"
    minor = "minor"
    major = "major"


def run_context(ctx: typer.Context) -> RunContext:
    """The run context ``main()`` built, handed to every command through Click's ``ctx.obj``."""
    return ctx.ensure_object(RunContext)  # without main() (the app called directly): one of the process


def complete_title(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Completion offers the ids of films with an id, or a spoiler-free title or alias with a word,
    starting with what was typed (see ``catalog.complete_titles``), as plain text."""
    from ..catalog import complete_titles
    from ..text import one_line
    from .completion import Candidate

    try:
        _plain_descriptions()
        offered = complete_titles(run_context(ctx).open_index(full=False, quiet=True), incomplete)
        return [(Candidate(film_id), one_line(described, 100)) for film_id, described in offered]
    except Exception:  # completion must never print a traceback into the shell
        return []


def complete_label(kind: str) -> Any:
    """Completion of a filter of ``list`` (genre, tag, director, person): the spoiler-free values
    the policy gives (``policy.labels``), with a word starting with what was typed."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        from ..text import one_line
        from .completion import Candidate

        try:
            values = run_context(ctx).open_index(full=False, quiet=True).complete_label(kind, incomplete)
            return [Candidate(one_line(v, 1000)) for v in values]  # whitespace folded, as the filter folds it
        except Exception:  # completion must never print a traceback into the shell
            return []

    return complete


def _plain_descriptions() -> None:
    """Completion descriptions are plain text, written as they are.

    Typer (0.28) reads them as Rich markup: a title holding ``[/]`` broke
    completion for every film with a MarkupError, ``[bold]`` and ``:smile:``
    were interpreted, and a long title was wrapped onto a second line. Its
    shell classes call this one function for every description.
    """
    from typer import _completion_classes

    _completion_classes._sanitize_help_text = _as_is


def _as_is(text: str) -> str:
    return text


TitleArg = Annotated[
    str,
    typer.Argument(
        help="Film id, title or alias; add the year to pick a remake ('solaris 1972').",
        metavar="TITLE",
        autocompletion=complete_title,
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", "-j", help="Print stable JSON (see docs/json.md).")]
PlainOpt = Annotated[bool, typer.Option("--plain", help="Plain text even at a terminal.")]
ColorOpt = Annotated[Color, typer.Option("--color", help="Decorate output: auto (only at a terminal), always, never.")]
LevelOpt = Annotated[
    Level | None,
    typer.Option("--level", "-l", help="Show spoilers up to this grade: none, minor or major.", show_default=False),
]
SpoilersOpt = Annotated[bool, typer.Option("--spoilers", help="Show everything, the ending included.")]
UptoOpt = Annotated[
    str | None,
    typer.Option(
        "--upto",
        "-u",
        metavar="POSITION",
        help="Show what you have seen so far: 45, 45m, 1:12, 1:12:00 or 40%.",
        show_default=False,
    ),
]
NoInputOpt = Annotated[
    bool, typer.Option("--no-input", help="Never prompt; refuse instead (also FILMGUIDE_NO_INPUT=1).")
]


COMPLETED = {"--genre": "genre", "--tag": "tag", "--director": "director", "--person": "person"}


def names_opt(flag: str, what: str) -> Any:
    """A repeatable filter option naming people, genres or tags; genres, tags, directors and people
    complete from what the films hold, spoiler-free."""
    kind = COMPLETED.get(flag)
    return typer.Option(
        flag, help=what, show_default=False, autocompletion=complete_label(kind) if kind is not None else None
    )
