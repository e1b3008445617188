"""Click's usage errors, shown the way Click shows them, with exit code 2."""

from __future__ import annotations

from typer import _click


def handle(e: BaseException) -> int | None:
    if isinstance(e, _click.exceptions.ClickException):
        e.show()
        return e.exit_code
    return None
