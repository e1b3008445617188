"""Where output goes and how it looks: the CLI's writer, never the core's.

The mode is chosen from flags and the environment: ``--json`` and
``--plain`` win; otherwise Rich decorates only a terminal (or when
``--color always`` / ``FORCE_COLOR`` ask for it), and ``NO_COLOR``,
``TERM=dumb`` and ``--color never`` turn every style off.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from typing import Any

from .errors import FilmguideError, OutputFailed


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


class ClosedPipe(FilmguideError):
    """stdout was closed by the reader (``filmguide list | head -1``): stop quietly."""

    exit_code = 141  # type: ignore[assignment]  # 128 + SIGPIPE, as the shell reports it


def _env_set(name: str) -> bool:
    return bool(os.environ.get(name))


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def wants_rich(plain: bool, color: Color, stdout: Any = None) -> bool:
    """Rich decoration for ``stdout`` (default ``sys.stdout``): see the module's docstring."""
    tty = _isatty(sys.stdout if stdout is None else stdout)
    if plain or (color is Color.never and not tty):
        return False
    if color is Color.always or (_env_set("FORCE_COLOR") and color is Color.auto):
        return True
    return tty and os.environ.get("TERM") != "dumb"


def _color_system(color: Color) -> str | None:
    if color is Color.never or os.environ.get("TERM") == "dumb":
        return None
    if color is Color.always:
        return "auto"
    return None if _env_set("NO_COLOR") else "auto"


def _fd_of(stream: Any) -> int | None:
    try:
        return int(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return None


def write(text: str, stdout: Any = None) -> None:
    """Write to ``stdout`` (default ``sys.stdout``); a closed pipe ends the program quietly (Python's SIGPIPE recipe).

    Where stdout is a real file descriptor the bytes go out with ``os.write``
    in a loop: a pipe closed mid-write gives the writer a short count, which
    Python's buffered stdout drops without an error, so the loop is what
    notices the closed pipe.
    """
    out = sys.stdout if stdout is None else stdout
    if out is None:  # started with stdout closed (`filmguide list >&-`): as good as a closed pipe
        raise ClosedPipe("")
    try:
        fd = _fd_of(out)
        if fd is None:
            out.write(text)
            out.flush()
            return
        out.flush()
        # "replace": a terminal that cannot show a character (an emoji on a Latin-1
        # terminal) gets a "?", never an exception; clean() already made text safe.
        data = memoryview(text.encode(out.encoding or "utf-8", "replace"))
        while data:
            data = data[os.write(fd, data) :]
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
        raise ClosedPipe("") from None
    except OSError as e:  # a full disk (`list > /dev/full`), a quota, an I/O error: one line, exit 1
        raise OutputFailed(e) from None


def print_rich(
    renderable: Any, color: Color, stdout: Any = None, width: int | None = None, pager: list[str] | None = None
) -> None:
    """Render once to a string, then write it: one write, one place for pipe errors.

    With ``pager``, text taller than the terminal is shown through it instead.
    """
    from rich.console import Console

    out = sys.stdout if stdout is None else stdout
    console = Console(
        file=out,
        width=render_width() if width is None else width,
        force_terminal=True,
        color_system=_color_system(color),  # type: ignore[arg-type]
        highlight=False,
        emoji=False,
        markup=False,
        record=False,
    )
    try:
        with console.capture() as capture:
            # crop=False: a line Rich is told never to wrap (an id in `list`) is written whole, and the
            # terminal wraps it; cropped at the width, a narrow terminal would show half an id.
            console.print(renderable, crop=False)
    except OSError as e:  # Rich flushes the real stdout on the way out of a capture
        raise OutputFailed(e) from None
    text = capture.get()
    if console.color_system is None:
        text = _strip_ansi(text)
    if pager is not None and _taller_than_screen(text):
        from .pager import page

        if page(text, pager, getattr(out, "encoding", None) or "utf-8"):
            return
    write(text, out)


def _taller_than_screen(text: str) -> bool:
    import shutil

    return text.count("\n") >= shutil.get_terminal_size((80, 24)).lines


MIN_WIDTH = 20  # narrower than this, nothing is readable; the terminal wraps instead


def render_width() -> int:
    """The terminal's width (``COLUMNS`` first), at least ``MIN_WIDTH``; 80 when unknown or ``COLUMNS=0``."""
    import shutil

    return max(MIN_WIDTH, shutil.get_terminal_size((80, 24)).columns)


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def err(message: str, stderr: Any = None) -> None:
    """One line on ``stderr`` (default ``sys.stderr``). Messages can quote dossier text (a title), so they
    are cleaned too."""
    from .text import clean

    out = sys.stderr if stderr is None else stderr
    try:
        out.write(clean(message).rstrip("\n") + "\n")
        out.flush()
    except (OSError, ValueError, AttributeError):  # stderr closed or gone: nowhere to say it
        pass
