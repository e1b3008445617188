"""Opening a dossier in the user's editor and validating it when the editor exits."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from .dossier import load_dossier
from .errors import FilmguideError, InvalidDossier, Problem


def editor_command() -> list[str]:
    for var in ("VISUAL", "EDITOR"):
        value = os.environ.get(var, "").strip()
        if value:
            return shlex.split(value)
    return ["vi"]


def _ask(question: str) -> bool:
    """Yes/no on stderr, default Yes; only when stdin and stdout are terminals."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return False
    sys.stderr.write(f"{question} [Y/n] ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    return bool(answer) and answer.strip().lower() in ("", "y", "yes")


def edit_until_valid(path: Path) -> None:
    """Edit, validate, and offer to reopen on error. The file is always kept as written."""
    while True:
        cmd = [*editor_command(), str(path)]
        try:
            subprocess.run(cmd, check=False)
        except FileNotFoundError:
            raise FilmguideError(
                f"editor {cmd[0]!r} not found; set VISUAL or EDITOR (your file is kept: {path})"
            ) from None
        try:
            load_dossier(path, label=str(path))
        except InvalidDossier as e:
            if not (sys.stdin.isatty() and sys.stdout.isatty()):
                raise  # the error boundary lists the problems; the file stays as written
            for line in e.lines():
                sys.stderr.write(line + "\n")
            if _ask("Reopen the editor to fix it?"):
                continue
            kept = Problem(str(path), "still has the problems above; your edits are kept")
            raise InvalidDossier([kept]) from None
        sys.stderr.write(f"filmguide: {path} is valid\n")
        return
