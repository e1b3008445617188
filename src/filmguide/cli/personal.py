"""Commands about your own data: the films you have seen and want to see, your history, your settings."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .options import Color, ColorOpt, JsonOpt, PlainOpt, TitleArg, complete_title, run_context

if TYPE_CHECKING:
    from ..state import Entry
    from .context import RunContext


def seen_(
    ctx: typer.Context,
    title: Annotated[
        str | None,
        typer.Argument(help="Film to mark as seen; leave out to list.", autocompletion=complete_title),
    ] = None,
    json_: JsonOpt = False,
    plain: PlainOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """Mark a film as seen, or list the films you have seen with dates and ratings.

    With `spoilers = "seen"` in the config, films you have seen show
    everything without asking. Imported films not in your catalog are listed
    with no id. The list is a table at a terminal, `id⇥title⇥date⇥rating`
    lines in a pipe.

    \b
    Examples:
      filmguide seen strangers
      filmguide seen
      filmguide seen --json
    """
    from ..state import load_state, mark_seen

    run = run_context(ctx)
    if title is None:
        state = load_state()
        entries = sorted([*state.seen.values(), *(e for e in state.unmatched.values() if e.list == "seen")], key=_when)
        _show_list(run, entries, json_, plain, color, "Films you have seen", rating=True)
        return
    film = run.film(title)
    changed, unlisted = mark_seen(film.id, True)
    run.forget_seen()
    note = " (and took it off your watchlist)" if unlisted else ""
    run.err(f"filmguide: {'marked' if changed else 'already marked'} {film.title} ({film.year}) as seen{note}")


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


def watchlist(
    ctx: typer.Context,
    title: Annotated[
        str | None,
        typer.Argument(
            help="Film to add (or remove); leave out to list.", metavar="[TITLE]", autocompletion=complete_title
        ),
    ] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Take the film off the watchlist.")] = False,
    json_: JsonOpt = False,
    plain: PlainOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """List the films you want to see, or add one (or take it off with --remove).

    A film on the watchlist is not seen: it unlocks no spoilers. Marking it
    seen takes it off.

    \b
    Examples:
      filmguide watchlist "solaris 1972"
      filmguide watchlist
      filmguide watchlist "solaris 1972" --remove
    """
    from ..errors import UsageProblem
    from ..state import load_state, watch

    run = run_context(ctx)
    if title is None:
        if remove:
            raise UsageProblem("--remove needs a TITLE: the film to take off the watchlist")
        state = load_state()
        entries = [*state.watchlist.values(), *(e for e in state.unmatched.values() if e.list == "watchlist")]
        _show_list(run, sorted(entries, key=_when), json_, plain, color, "Your watchlist", rating=False)
        return
    film = run.film(title)
    changed = watch(film.id, not remove)
    name = f"{film.title} ({film.year})"
    if remove:
        said = f"removed {name} from" if changed else f"{name} was not on"
    else:
        said = f"added {name} to" if changed else f"{name} is already on"
    run.err(f"filmguide: {said} your watchlist")


def _when(e: Entry) -> tuple[str, str]:
    return (e.date.isoformat() if e.date else "", e.id or e.key)


def _show_list(
    run: RunContext, entries: list[Entry], json_: bool, plain: bool, color: Color, caption: str, rating: bool
) -> None:
    """Entries as JSON, a table at a terminal, or tab-separated lines."""
    from ..text import one_line

    known = {e.id: e for e in run.open_index(quiet=True).entries()}  # titles only: no dossier is decoded

    def title_year(e: Entry) -> tuple[str | None, int | None]:
        if e.id is None:
            return e.title, e.year
        found = known.get(e.id)
        return (found.title, found.year) if found else (None, None)

    if json_:
        from ..render.json_ import dumps

        rows: list[dict[str, Any]] = []
        for e in entries:
            t, y = title_year(e)
            row: dict[str, Any] = {"id": e.id, "title": t, "year": y, "seen" if rating else "added": _iso(e)}
            if rating:
                row.update(rating=e.rating, out_of=e.out_of)
            rows.append(row)
        run.write(dumps(rows))
        return
    lines = []
    for e in entries:
        t, y = title_year(e)
        shown = one_line(t, 200) if t is not None else "?"
        if e.id is None:
            shown = f"{shown} ({y})"
        cells = [one_line(e.id, 200) if e.id else "", shown] + ([] if rating else [str(y or "")]) + [_iso(e) or ""]
        if rating:
            cells.append(f"{_num(e.rating)}/{e.out_of}" if e.rating is not None else "")
        lines.append(cells)
    if run.wants_rich(plain, color):
        from rich.table import Table
        from rich.text import Text

        if not lines:
            return
        table = Table(title=f"{caption} ({len(lines)})", title_justify="left")
        table.add_column("Id", overflow="fold")
        table.add_column("Title", overflow="fold")
        # dates, years and ratings are short: kept whole, so every row's columns line up at any width
        for col in ("Seen", "Rating") if rating else ("Year", "Added"):
            table.add_column(col, no_wrap=True, justify="right" if col in ("Rating", "Year") else "left")
        for cells in lines:
            table.add_row(*(Text(c) for c in cells))
        run.print_rich(table, color)
    else:
        run.write("".join("\t".join(cells) + "\n" for cells in lines))


def _iso(e: Entry) -> str | None:
    return e.date.isoformat() if e.date else None


def _num(value: float | int | None) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def import_(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            help="A Letterboxd export (.zip or one of its CSVs) or IMDb's ratings CSV.",
            metavar="PATH",
            show_default=False,
        ),
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would change; write nothing.")] = False,
) -> None:
    """Import the films you have seen, your ratings and your watchlist from Letterboxd or IMDb.

    Films are matched to the catalog by title and year, ignoring case and
    accents; one that is not in it is kept with its title, year and source id
    and matched by a later import once it is. Importing the same file again
    changes nothing. A row that cannot be read is named by file and line, and
    the other rows are still taken.

    \b
    Examples:
      filmguide import ~/Downloads/letterboxd-me-2026-12-01-10-00-utc.zip
      filmguide import diary.csv --dry-run
      filmguide import imdb-ratings.csv
    """
    from ..importer_plan import catalog_names, import_file
    from ..text import one_line

    run = run_context(ctx)
    export, plan = import_file(path, catalog_names(run.open_index()), dry_run)
    for skip in export.skips:
        if skip.bad:
            run.err(f"filmguide: {skip}")
    if dry_run:
        run.write("".join(one_line(line, 400) + "\n" for line in plan.changes))
    if plan.rematched:
        run.err(f"filmguide: {_count(plan.rematched, 'film')} kept unmatched before matched now")
    if dry_run:
        run.err(f"filmguide: dry run: {_count(len(plan.ops), 'change')} not written")
    elif not plan.ops:
        run.err("filmguide: nothing changed")
    run.forget_seen()
    bad = sum(s.bad for s in export.skips)
    skipped = f"{_count(len(export.skips), 'row')} skipped"
    if len(export.skips) > bad:
        skipped += f" ({len(export.skips) - bad} not a film)" if len(export.skips) - bad == 1 else ""
        skipped += f" ({len(export.skips) - bad} not films)" if len(export.skips) - bad > 1 else ""
    run.err(f"filmguide: {_count(plan.matched, 'film')} matched, {plan.unmatched} kept unmatched, {skipped}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def config(
    ctx: typer.Context,
    action: Annotated[
        str | None,
        typer.Argument(help="set KEY VALUE, unset KEY, or edit; leave out to print the settings.", metavar="[ACTION]"),
    ] = None,
    key: Annotated[str | None, typer.Argument(help="The setting, for set and unset.", metavar="[KEY]")] = None,
    value: Annotated[str | None, typer.Argument(help="The new value, for set.", metavar="[VALUE]")] = None,
    json_: JsonOpt = False,
) -> None:
    """Print the effective settings and where each comes from, or change one.

    Flags beat the environment (FILMGUIDE_SPOILERS, FILMGUIDE_LEVEL), which
    beats the config file, which beats the defaults. `set` and `unset`
    change one line of the file and keep everything else in it, comments
    included; a value that is not allowed is refused with the allowed ones.

    \b
    Examples:
      filmguide config
      filmguide config set spoilers seen
      filmguide config unset level
      filmguide config edit
      FILMGUIDE_SPOILERS=never filmguide config --json
    """
    from ..config import SPECS, config_file

    run = run_context(ctx)
    if action is not None:
        _change_config(run, action, key, value)
        return
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


def _change_config(run: RunContext, action: str, key: str | None, value: str | None) -> None:
    from .. import config as cfg
    from ..errors import UsageProblem

    wanted = {"set": 2, "unset": 1, "edit": 0}
    if action not in wanted:
        raise UsageProblem("config: the action is set, unset or edit (or none, to print the settings)")
    given = [a for a in (key, value) if a is not None]
    if len(given) != wanted[action]:
        usage = {"set": "config set KEY VALUE", "unset": "config unset KEY", "edit": "config edit"}[action]
        raise UsageProblem(f"usage: filmguide {usage}")
    if action == "set":
        assert key is not None and value is not None
        changed = cfg.set_value(key, value)
        run.err(f"filmguide: {key} = {value!r} {'set' if changed else 'was already set'} in {cfg.config_file()}")
        env = cfg.SPECS[key].env
        if os.environ.get(env):
            run.err(f"filmguide: {env} is set in the environment, and wins over the file")
    elif action == "unset":
        assert key is not None
        changed = cfg.unset(key)
        run.err(f"filmguide: {key} {'removed from' if changed else 'was not set in'} {cfg.config_file()}")
    else:
        _edit_config(run)


def _edit_config(run: RunContext) -> None:
    import subprocess

    from .. import config as cfg
    from ..editor import editor_command

    path = cfg.ensure_file()
    command = [*editor_command(), str(path)]
    try:
        subprocess.run(command, check=False)
    except OSError as e:
        raise cfg.ConfigError(
            f"editor {command[0]!r} cannot be run ({e.strerror or e}); set VISUAL or EDITOR (the file is {path})"
        ) from None
    cfg.load_settings()  # a setting the edit broke is reported now, naming its line; the file is kept as written
    run.err(f"filmguide: {path} is valid")
