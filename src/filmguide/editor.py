"""Opening a dossier in the user's editor and validating it when the editor exits."""

from __future__ import annotations

import errno
import os
import shlex
import subprocess
import sys
from pathlib import Path

from .dossier import load_dossier
from .errors import FilmguideError, InvalidDossier, Problem


def editor_command(kept: Path | None = None) -> list[str]:
    """The editor to run, from VISUAL, then EDITOR, else ``vi``, split as a shell would."""
    for var in ("VISUAL", "EDITOR"):
        value = os.environ.get(var, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError:  # an unclosed quote: `EDITOR='vim "x'`
                raise FilmguideError(f"{var} has an unclosed quote, so it cannot be run{_kept(kept)}") from None
            return words or ["vi"]
    return ["vi"]


def _kept(path: Path | None) -> str:
    if path is None:
        return ""
    var = "VISUAL" if os.environ.get("VISUAL", "").strip() else "EDITOR"
    return f"; fix {var} (your file is kept: {path})"


def _cannot_run(cmd: list[str], err: OSError, path: Path) -> FilmguideError:
    """Our words for an editor that would not start (the errno decides, not the system's wording)."""
    if isinstance(err, FileNotFoundError):
        why = "not found"
    elif isinstance(err, PermissionError):
        why = "cannot be run: it is not an executable program"
    elif err.errno == errno.ENOEXEC:
        why = "cannot be run: it is not a program this system can start"
    else:
        why = f"cannot be run ({errno.errorcode.get(err.errno or 0, 'error')})"
    return FilmguideError(f"editor {cmd[0]!r} {why}{_kept(path)}")


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
        cmd = [*editor_command(path), str(path)]
        try:
            subprocess.run(cmd, check=False)
        except OSError as err:  # not found, not executable, a folder, not a program
            raise _cannot_run(cmd, err, path) from None
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
