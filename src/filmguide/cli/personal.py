"""Commands about your own data: the films you have seen, and your settings."""

from __future__ import annotations

from typing import Annotated

import typer

from .options import JsonOpt, TitleArg, complete_title, run_context


def seen_(
    ctx: typer.Context,
    title: Annotated[
        str | None,
        typer.Argument(help="Film to mark as seen; leave out to list.", autocompletion=complete_title),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Mark a film as seen, or list the films you have seen.

    With `spoilers = "seen"` in the config, films you have seen show
    everything without asking.

    \b
    Examples:
      filmguide seen strangers
      filmguide seen
    """
    from ..state import mark

    run = run_context(ctx)
    if title is None:
        films = {e.id: e for e in run.open_index(quiet=True).entries()}  # titles only: no dossier is decoded
        rows = sorted(run.seen_films().items(), key=lambda kv: kv[1])
        if json_:
            from ..render.json_ import dumps

            run.write(
                dumps(
                    [{"id": i, "title": films[i].title if i in films else None, "seen": d.isoformat()} for i, d in rows]
                )
            )
        else:
            from ..text import one_line

            run.write(
                "".join(
                    f"{one_line(i, 200)}\t{one_line(films[i].title) if i in films else '?'}\t{d.isoformat()}\n"
                    for i, d in rows
                )
            )
        return
    film = run.film(title)
    changed = mark(film.id, True)
    run.forget_seen()
    run.err(f"filmguide: {'marked' if changed else 'already marked'} {film.title} ({film.year}) as seen")


def unseen(ctx: typer.Context, title: TitleArg) -> None:
    """Forget that you have seen a film.

    \b
    Examples:
      filmguide unseen strangers
    """
    from ..state import mark

    run = run_context(ctx)
    film = run.film(title)
    changed = mark(film.id, False)
    run.forget_seen()
    run.err(f"filmguide: {film.title} ({film.year}) {'is no longer marked seen' if changed else 'was not marked seen'}")


def config(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Print the effective settings and where each comes from.

    Flags beat the environment (FILMGUIDE_SPOILERS, FILMGUIDE_LEVEL), which
    beats the config file, which beats the defaults.

    \b
    Examples:
      filmguide config
      FILMGUIDE_SPOILERS=never filmguide config --json
    """
    from ..config import SPECS, config_file

    run = run_context(ctx)
    settings = run.load_settings()
    if json_:
        from ..render.json_ import dumps

        run.write(
            dumps(
                {
                    "file": str(config_file()),
                    "settings": {
                        k: {"value": v.value, "from": v.origin, "choices": list(SPECS[k].choices)}
                        for k, v in settings.items()
                    },
                }
            )
        )
        return
    lines = [f"# config file: {config_file()}"]
    lines += [f"{k} = {v.value!r}\t# from {v.origin}; {SPECS[k].doc}" for k, v in settings.items()]
    run.write("\n".join(lines) + "\n")
