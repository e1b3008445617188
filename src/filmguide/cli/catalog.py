"""Commands about the catalog as a whole: list, search, paths, index."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from .options import Color, ColorOpt, JsonOpt, LevelOpt, PlainOpt, SpoilersOpt, names_opt, run_context
from .spoilers import allowance_for, base_allowance


class Sort(StrEnum):
    TITLE = "title"
    YEAR = "year"
    RUNTIME = "runtime"


def list_(
    ctx: typer.Context,
    genre: Annotated[
        list[str] | None, names_opt("--genre", "Only films of this genre (repeat: all must match).")
    ] = None,
    year: Annotated[
        str | None,
        typer.Option(
            "--year",
            metavar="YEARS",
            help="Only films of a year or range: 1999, 1990..1999, 1990.., ..1999.",
            show_default=False,
        ),
    ] = None,
    director: Annotated[
        list[str] | None, names_opt("--director", "Only films directed by someone of this name.")
    ] = None,
    person: Annotated[
        list[str] | None,
        names_opt("--person", "Only films with this person in the cast or crew (credits you may see)."),
    ] = None,
    tag: Annotated[list[str] | None, names_opt("--tag", "Only films with this tag.")] = None,
    country: Annotated[
        list[str] | None, names_opt("--country", "Only films made in this country: a code or a name (FR, France).")
    ] = None,
    language: Annotated[
        list[str] | None, names_opt("--language", "Only films in this language: a code or a name (ko, Korean).")
    ] = None,
    seen: Annotated[
        bool | None,
        typer.Option("--seen/--unseen", help="Only films you marked seen, or only the others.", show_default=False),
    ] = None,
    sort: Annotated[Sort, typer.Option("--sort", help="Order by title, year or runtime.")] = Sort.TITLE,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            metavar="NAME",
            help="Only films shown from one source: a catalog's name, user, built-in or FILMGUIDE_PATH.",
            show_default=False,
        ),
    ] = None,
    json_: JsonOpt = False,
    plain: PlainOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """List the films in the catalog, or those that pass every filter.

    Names match from the start of a word, in any case and with or without
    accents (--director haigh); genres and tags match whole; countries and
    languages are ISO codes, given as a code or an English name.

    \b
    Examples:
      filmguide list
      filmguide list | cut -f1        # ids, one per line
      filmguide list --genre drama --year 1990..1999 --sort year
      filmguide list --person "paul mescal" --unseen
      filmguide list --country JP --language japanese
      filmguide list --json
    """
    import json

    from ..search import Filters, filter_entries, parse_country, parse_language, parse_years, sort_entries

    run = run_context(ctx)
    filters = Filters(
        genres=tuple(genre or ()),
        years=parse_years(year) if year is not None else None,
        directors=tuple(director or ()),
        people=tuple(person or ()),
        tags=tuple(tag or ()),
        seen=seen,
        countries=tuple(parse_country(c) for c in country or ()),
        languages=tuple(parse_language(x) for x in language or ()),
    )
    allowed = allowance_for(run, None, False) if person else None
    # Credits, genres and the like: for the filters on them, a table or JSON; plain lines need none.
    info = json_ or run.wants_rich(plain, color) or filters._replace(years=None, seen=None).active
    idx = run.open_index(full=False)
    for _ in range(3):  # the films listed are checked against their files; one that changed is read again
        found = idx.entries(filters.years, info=info)  # the years chosen by the index; the other filters below
        entries = filter_entries(found, filters, run.seen_ids() if seen is not None else None, allowed)
        if idx.fresh_entries(entries):
            break
    if source is not None:
        entries = _from_source(entries, source)
    entries = sort_entries(entries, sort.value)
    if not entries and not json_:
        run.err(f"filmguide: no film matches {_filters_used(ctx)}")
        return
    if json_:
        from ..render.json_ import dumps

        rows = [
            {
                "id": e.id,
                "title": e.title,
                "year": e.year,
                "runtime": e.runtime,
                "directors": json.loads(e.info)["directors"],
            }
            for e in entries
        ]
        run.write(dumps(rows))
    elif run.wants_rich(plain, color):
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        from ..text import clean

        count = f"{len(entries)} film{'s' * (len(entries) != 1)}"
        longest = max(len(e.id) for e in entries)
        if run.render_width() < longest + 36:  # too narrow for a table that keeps every id whole
            lines = [Text(count, style="italic")]
            for e in entries:
                lines.append(Text.assemble((clean(e.title), "bold"), f" ({e.year})", overflow="fold"))
                lines.append(Text.assemble("  ", (e.id, "dim"), no_wrap=True, overflow="ignore"))
            run.print_rich(Group(*lines), color)
            return
        table = Table(title=count, title_justify="left")
        table.add_column("Title", overflow="fold", ratio=3)
        table.add_column("Year", no_wrap=True)
        table.add_column("Director", overflow="fold", ratio=2)
        table.add_column("Id", no_wrap=True, style="dim", min_width=longest)  # copied whole, never broken
        for e in entries:
            directors = ", ".join(json.loads(e.info)["directors"])
            table.add_row(Text(clean(e.title)), Text(str(e.year)), Text(clean(directors)), Text(e.id))
        run.print_rich(table, color)
    else:
        from ..text import one_line

        run.write("".join(f"{e.id}\t{one_line(e.title, 200)}\t{e.year}\n" for e in entries))


def search_(
    ctx: typer.Context,
    query: Annotated[
        str,
        typer.Argument(help='Words (all must match), "a phrase", or the start of a word with *.', show_default=False),
    ],
    level: LevelOpt = None,
    spoilers: SpoilersOpt = False,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Show at most this many films; 0 shows all.")] = 20,
    json_: JsonOpt = False,
    plain: PlainOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """Search titles, aliases, people, tags, premises and every text, spoiler-safe.

    Case and accents are ignored. Only what your grade shows is searched:
    text it hides is not matched, counted or ranked, and a line on stderr
    says how to search more. With --level or --spoilers graded text is
    searched too, the match highlighted. Exits 3 when nothing matches.

    \b
    Examples:
      filmguide search strangers
      filmguide search "fire alarm" --level minor
      filmguide search ghost* --spoilers
      filmguide search haigh --json
    """
    from ..search import NoMatch, search

    run = run_context(ctx)
    allowed = allowance_for(run, level, spoilers)
    idx = run.open_index(full=False)
    for _ in range(3):  # the films found are checked against their files; one that changed is read again
        results = search(idx, query, allowed, limit, base=base_allowance(run, level, spoilers))
        if idx.fresh([w.eid for w in idx.effective([h.id for h in results.hits]).values()]):
            break
    if json_:
        from ..render.results import dumps_results

        run.write(dumps_results(results))
    elif run.wants_rich(plain, color):
        from ..render.results import render_rich_results

        if results.hits:
            run.print_rich(render_rich_results(results), color)
    else:
        from ..render.results import render_plain_results

        run.write(render_plain_results(results))
        if results.total > len(results.hits):
            run.err(f"filmguide: {results.total - len(results.hits)} more films match; add --limit {results.total}")
    if results.footer and not json_:
        run.err(f"filmguide: {results.footer}")
    if not results.hits:
        raise NoMatch(f"no film matches {query!r}")


def paths(ctx: typer.Context, json_: JsonOpt = False, plain: PlainOpt = False, color: ColorOpt = Color.auto) -> None:
    """Print every folder filmguide reads dossiers from, most local first.

    \b
    Examples:
      filmguide paths
      FILMGUIDE_PATH=~/my-films filmguide paths
    """
    from ..text import clean

    run = run_context(ctx)
    rows = [(f.folder.origin, str(f.folder.path), f.exists, f.files) for f in run.open_index(quiet=True).folder_rows()]
    ages = _catalog_ages()
    if json_:
        from ..render.json_ import dumps

        data = [{"origin": o, "path": p, "exists": e, "dossiers": n} for o, p, e, n in rows]
        for row in data:
            if row["origin"] in ages:
                row["installed"] = ages[str(row["origin"])][0]
        run.write(dumps(data))
        return
    rows = [(f"{o}, updated {ages[o][1]}" if o in ages else o, p, e, n) for o, p, e, n in rows]
    if run.wants_rich(plain, color):
        from rich.table import Table
        from rich.text import Text

        table = Table(title="Dossier folders, most local first", title_justify="left")
        table.add_column("From", overflow="fold")
        table.add_column("Folder", overflow="fold")
        table.add_column("Exists", no_wrap=True)  # short: kept whole at any width
        table.add_column("Dossiers", no_wrap=True, justify="right")
        for o, p, e, n in rows:
            table.add_row(Text(o), Text(clean(p)), Text("yes" if e else "no"), Text(str(n)))
        run.print_rich(table, color)
    else:
        run.write("".join(f"{o}\t{clean(p)}\t{'exists' if e else 'missing'}\t{n}\n" for o, p, e, n in rows))


def _filters_used(ctx: typer.Context) -> str:
    """The filters given on the command line, as a user typed them: `--genre drama --year 1950..1959`."""
    used: list[str] = []
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if param.name in ("sort", "json_", "plain", "color") or value in (None, [], ()):
            continue
        flag = param.opts[0] if param.opts else str(param.name)
        if isinstance(value, bool):
            used.append(flag if value else (param.secondary_opts[0] if param.secondary_opts else flag))
        else:
            used += [f"{flag} {v}" for v in (value if isinstance(value, list | tuple) else [value])]
    return " ".join(used) if used else "(no filters)"


def _from_source(entries: list[Any], source: str) -> list[Any]:
    """The entries whose dossier comes from ``source``'s folders; a usage error naming the choices if none match."""
    import os

    from ..paths import film_folders

    folders = film_folders()
    names = {f.origin.removeprefix("catalog "): f.origin for f in folders}
    origin = names.get(source) or names.get(source.lower())
    if origin is None:
        choices = ", ".join(sorted(names))
        raise typer.BadParameter(f"no source named {source!r}; sources: {choices}", param_hint="--source")
    paths = {os.fsencode(f.path) for f in folders if f.origin == origin}
    return [e for e in entries if e.folder in paths]


def _catalog_ages() -> dict[str, tuple[str | None, str]]:
    """For each installed catalog's origin ("catalog NAME"): when it was installed, and how long ago in words."""
    from ..paths import catalogs_dir

    if not catalogs_dir().is_dir():
        return {}
    from datetime import UTC, datetime

    from ..catalogs.install import age_text, installed

    out: dict[str, tuple[str | None, str]] = {}
    for cat in installed():
        when = None
        if cat.installed is not None:
            when = datetime.fromtimestamp(cat.installed, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        out[f"catalog {cat.name}"] = (when, age_text(cat.installed))
    return out


def index_(
    ctx: typer.Context,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Forget the index and read every dossier again.")] = False,
    status: Annotated[
        bool, typer.Option("--status", help="Print what the index holds: files, films, size, age and where it is.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Bring the index up to date, rebuild it, or say what it holds.

    Every command keeps the index up to date by itself: it is a cache of the
    dossiers, validated, in your cache folder, and deleting it is always
    safe. With --json, the status as JSON (docs/json.md).

    \b
    Examples:
      filmguide index --status
      filmguide index --rebuild
      filmguide index --status --json
    """
    run = run_context(ctx)
    if rebuild:
        run.rebuild_index()
    info = run.open_index(full=True, quiet=True).status()
    if json_:
        from ..render.json_ import dumps

        run.write(dumps(info))
    elif status:
        run.write("".join(f"{k}\t{v}\n" for k, v in status_lines(info)))
    elif not rebuild:
        run.err(f"filmguide: the index is up to date: {info['films']} films from {info['files']} files")


def status_lines(info: dict[str, Any]) -> list[tuple[str, str]]:
    """``index --status`` as (name, value) rows; times are local, with their age."""
    import time

    def when(t: float) -> str:
        if not t:
            return "never"
        age = max(0.0, time.time() - t)
        ago = (
            "just now"
            if age < 5
            else f"{age:.0f} s ago"
            if age < 120
            else f"{age / 60:.0f} min ago"
            if age < 7200
            else f"{age / 3600:.0f} h ago"
            if age < 172800
            else f"{age / 86400:.0f} days ago"
        )
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t)) + f" ({ago})"

    size = info["bytes"]
    return [
        ("where", info["path"] or "in memory (the cache folder cannot be written)"),
        ("files", f"{info['files']} dossiers, {info['broken']} broken, {info['patches']} patches"),
        ("films", str(info["films"])),
        ("size", f"{size / 1048576:.1f} MiB" if size >= 1048576 else f"{size / 1024:.0f} KiB"),
        ("built", when(info["built"])),
        ("updated", when(info["updated"])),
    ]
