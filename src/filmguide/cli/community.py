"""Commands for community catalogs: pack a folder for publishing, update installed catalogs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from .options import JsonOpt, run_context


def pack(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="The folder of dossiers to publish.", show_default=False)],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The archive to write (FILE.zip; FILE.zip.sha256 beside it).")
    ],
    name: Annotated[
        str | None,
        typer.Option("--name", help="The catalog's name (default: the folder's name).", show_default=False),
    ] = None,
) -> None:
    """Pack a folder of dossiers into a catalog archive that others can install with `update`.

    Every dossier is validated and linted first: if any is invalid or leaks a
    spoiler, nothing is written and the problems are listed (exit 6). The same
    folder always gives the same archive, byte for byte.

    \b
    Examples:
      filmguide pack films/ --name noir --output dist/noir.zip
      SOURCE_DATE_EPOCH=1767225600 filmguide pack films/ -o noir.zip
    """
    from ..catalogs.publish import pack as do_pack

    run = run_context(ctx)
    done = do_pack(folder, output, name)
    run.err(f"filmguide: packed {done.count} film{'s' * (done.count != 1)} into {done.archive} (sha256 {done.sha256})")


def update(
    ctx: typer.Context,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="URL", help="Install or update the catalog at this URL and add it to config.toml."
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Download the community catalogs in config.toml (or one --from URL) and say what changed.

    Each archive is checked against its .sha256 file and unpacked atomically
    into your data folder; on any failure the previous catalog stays exactly as
    it was (exit 7). This is the only command that uses the network.

    \b
    Examples:
      filmguide update --from https://example.org/noir.zip
      filmguide update
    """
    from ..catalogs.update import update as do_update
    from ..errors import ExitCode

    run = run_context(ctx)
    bars = _DownloadBars(run.stderr) if run.stderr is not None and run.stderr.isatty() else None
    try:
        outcomes, subscribed = do_update(from_, bars.follow if bars else None)
    finally:
        if bars is not None:
            bars.stop()
    if json_:
        from ..render.json_ import dumps

        run.write(
            dumps(
                [
                    {
                        "name": o.name,
                        "ok": o.error is None,
                        "error": o.error,
                        "added": list(o.change.added) if o.change else [],
                        "changed": list(o.change.changed) if o.change else [],
                        "removed": list(o.change.removed) if o.change else [],
                    }
                    for o in outcomes
                ]
            )
        )
    else:
        lines = []
        for o in outcomes:
            if o.change is None:
                continue
            c = o.change
            kinds = (("added", "+", c.added), ("changed", "~", c.changed), ("removed", "-", c.removed))
            summary = ", ".join(f"{len(ids)} {what}" for what, _, ids in kinds)
            lines.append(f"{o.name}: {c.count} film{'s' * (c.count != 1)} ({summary})\n")
            lines += [f"  {sign} {film}\n" for _, sign, ids in kinds for film in ids]
        run.write("".join(lines))
    if subscribed:
        run.err(f"filmguide: added catalog {outcomes[0].name!r} to config.toml")
    failed = [o for o in outcomes if o.error is not None]
    for o in failed:
        run.err(f"filmguide: {o.name}: {o.error}")
    if failed:
        raise typer.Exit(int(ExitCode.CATALOG))


class _DownloadBars:
    """A Rich progress bar on stderr for each download; only for a person watching a terminal."""

    def __init__(self, stderr: Any) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

        self.bar = Progress(
            TextColumn("{task.description}", markup=False),  # a URL is text, never markup
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            console=Console(file=stderr),
            transient=True,
        )
        self.bar.start()

    def follow(self, name: str) -> Callable[[int, int | None], None]:
        from ..text import clean

        task = self.bar.add_task(f"updating {clean(name)}", total=None)

        def advance(done: int, total: int | None) -> None:
            self.bar.update(task, completed=done, total=total)

        return advance

    def stop(self) -> None:
        self.bar.stop()
