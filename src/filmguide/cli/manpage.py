"""The man page, filmguide(1), made from the program's own help.

``python -m filmguide.cli.manpage`` prints it; ``man/filmguide.1`` in the
repository is its output, checked against the program by
``tests/test_manpage.py`` (``FILMGUIDE_UPDATE_DOCS=1`` rewrites it) and
installed with the wheel under ``share/man/man1``.
"""

from __future__ import annotations

import re

from .. import __version__
from ..errors import ExitCode

WIDTH = 78
EXIT_CODES = {
    ExitCode.OK: "success",
    ExitCode.ERROR: "an error: an unreadable file, a failed write, an internal error",
    ExitCode.USAGE: "usage: a bad flag or argument",
    ExitCode.NOT_FOUND: "no film matches the title",
    ExitCode.AMBIGUOUS: "several films match; the candidates are listed on stderr",
    ExitCode.SPOILERS_REFUSED: "spoilers refused: no --spoilers and no terminal to ask on, or the answer was No",
    ExitCode.INVALID_DOSSIER: "an invalid (or, for pack, leaky) dossier",
    ExitCode.CATALOG: "a community catalog could not be updated",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C)",
}
ENVIRONMENT = {
    "FILMGUIDE_PATH": "folders of dossiers read before all others, separated by ':'",
    "FILMGUIDE_HOME": "one folder under which every user folder (data, config, state, cache) is kept",
    "FILMGUIDE_SPOILERS": "ask, never or seen: overrides the spoilers setting",
    "FILMGUIDE_LEVEL": "none, minor or major: overrides the level setting",
    "NO_COLOR": "when set and not empty, no colour",
    "FORCE_COLOR": "when set and not empty, colour even in a pipe",
}


def _esc(text: str) -> str:
    """Roff-safe text: backslashes doubled, a leading dot or quote neutralised, dashes as minus."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(("\\&" + line) if line.startswith((".", "'")) else line for line in text.split("\n"))


def _help(args: list[str]) -> str:
    import typer

    from .app import build_app

    command = typer.main.get_command(build_app())
    ctx = typer.Context(command, info_name="filmguide", terminal_width=WIDTH, max_content_width=WIDTH)
    for name in args:
        sub = command.get_command(ctx, name)  # type: ignore[attr-defined]
        ctx = typer.Context(sub, info_name=name, parent=ctx, terminal_width=WIDTH, max_content_width=WIDTH)
        command = sub
    return command.get_help(ctx)


def render() -> str:
    from .app import COMMANDS

    root = _help([])
    body = root.split("\n\n", 1)[1] if "\n\n" in root else root
    description = "\n".join(line.removeprefix("  ") for line in body.split("\nOptions:", 1)[0].strip().split("\n"))
    lines = [
        f'.TH FILMGUIDE 1 "" "filmguide {__version__}" "User Commands"',
        ".SH NAME",
        "filmguide \\- a spoiler\\-safe film guide for the terminal",
        ".SH SYNOPSIS",
        ".B filmguide",
        "[\\fB\\-\\-version\\fR] [\\fB\\-\\-help\\fR]",
        ".I command",
        "[\\fIargs\\fR...]",
        ".SH DESCRIPTION",
        ".nf",
        _esc(description),
        ".fi",
        ".SH COMMANDS",
    ]
    for name in COMMANDS:
        text = re.sub(r"^Usage: ", "usage: ", _help([name]))
        lines += [f".SS {_esc(name)}", ".nf", _esc(text.rstrip()), ".fi"]
    lines += [".SH EXIT STATUS", *(f".TP\n.B {int(c)}\n{_esc(d)}" for c, d in EXIT_CODES.items())]
    lines += [".TP\n.B 141\nstdout was closed by the reader (filmguide list | head \\-1)"]
    lines += [".SH ENVIRONMENT", *(f".TP\n.B {k}\n{_esc(v)}" for k, v in ENVIRONMENT.items())]
    lines += [
        ".SH FILES",
        "Dossiers come from FILMGUIDE_PATH, the user's data folder (films/ under",
        "\\fI~/.local/share/filmguide\\fR on Linux), installed community catalogs",
        "(catalogs/ there), and the films built into filmguide, most local first.",
        "Settings are in config.toml in the user's config folder; the seen list in",
        "the state folder; the index in the cache folder. \\fBfilmguide paths\\fR and",
        "\\fBfilmguide config\\fR print them.",
        ".SH SEE ALSO",
        "The README and docs/ of filmguide: the dossier format, JSON output, the leak",
        "linter, spoilers, and community catalogs.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(render())
