"""How long and how wide output is drawn at a terminal: the pager, and the readable measure.

Long output at a terminal goes through a pager, as git and man do.

Only at a terminal, and only when the output is taller than the screen:
``less -FRX`` by default (``-F`` quits at once when the text fits anyway,
``-R`` keeps colours, ``-X`` leaves the text on screen). ``$PAGER`` names
another; ``FILMGUIDE_PAGER`` wins over it, and set to ``""`` or ``cat`` turns
paging off, as do ``pager = false`` in config.toml and ``--no-pager``.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Mapping

DEFAULT = "less -FRX"


MEASURE = 100  # columns: the widest panels are drawn, however wide the terminal


def _config() -> dict[str, object]:
    from .config import config_file

    try:
        text = config_file().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    import tomllib  # only when there is a config file: it costs more to import than to parse a short file

    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return {}  # a broken file is reported where settings are read


def _config_allows() -> bool:
    return _config().get("pager", True) is not False


def measure() -> int:
    """The widest Rich output is drawn: ``width`` in config.toml (a whole number of columns, 20 or more), else 100."""
    value = _config().get("width", MEASURE)
    return value if type(value) is int and value >= 20 else MEASURE


def command(env: Mapping[str, str] | None = None) -> list[str] | None:
    """The pager to run, or ``None`` when paging is off."""
    env = os.environ if env is None else env
    chosen = env.get("FILMGUIDE_PAGER")
    if chosen is None:
        chosen = env.get("PAGER") or DEFAULT
    try:
        argv = shlex.split(chosen)
    except ValueError:
        return None
    if not argv or argv == ["cat"] or not _config_allows():
        return None
    return argv


def page(text: str, argv: list[str], encoding: str = "utf-8") -> bool:
    """Show ``text`` in the pager ``argv``; ``False`` (and nothing shown) if it cannot be started."""
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LESSCHARSET", "utf-8")
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert proc.stdin is not None
    try:
        proc.stdin.write(text.encode(encoding, "replace"))
        proc.stdin.close()
    except BrokenPipeError:  # the reader quit the pager before the end: that is fine
        pass
    try:
        proc.wait()
    except KeyboardInterrupt:  # Ctrl-C inside less is the pager's business; wait for it to finish
        proc.wait()
    return True
