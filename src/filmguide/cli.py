"""The command line: parse, call the core, pick a renderer, map errors to exit codes.

No spoiler decision is made here: every command builds an ``Allowance`` from
its flags and hands the dossier to ``policy.redact``; renderers only ever see
the resulting view.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__, render
from .catalog import Catalog, complete, load_catalog, resolve
from .errors import EXIT_CODE_HELP, ExitCode, FilmguideError, InvalidDossier, Problem, SpoilersRefused
from .model import Dossier, Grade
from .output import Color, err, print_rich, wants_rich, write
from .policy import Allowance, DossierView, parse_position, redact


class Level(StrEnum):
    none = "none"
    minor = "minor"
    major = "major"


class Format(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


HELP = f"""A spoiler-safe film guide: credits, premise, the plot in graded beats, the ending explained.

\b
Examples:
  filmguide list
  filmguide show "all of us strangers"
  filmguide show strangers --level minor
  filmguide ending strangers --spoilers
  filmguide export strangers --format markdown > strangers.md

Nothing above grade `none` is shown unless asked for: --level minor|major raises
the grade, --spoilers shows everything. {EXIT_CODE_HELP}
"""

app = typer.Typer(
    help=HELP,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=True,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# --- shared options ----------------------------------------------------------


def _complete_title(incomplete: str) -> list[tuple[str, str]]:
    """Completion offers ids with spoiler-free titles only (see catalog.complete)."""
    try:
        return complete(load_catalog().films, incomplete)
    except Exception:  # completion must never print a traceback into the shell
        return []


TitleArg = Annotated[
    str,
    typer.Argument(
        help="Film id, title or alias; add the year to pick a remake ('solaris 1972').",
        autocompletion=_complete_title,
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print stable JSON (see docs/json.md).")]
PlainOpt = Annotated[bool, typer.Option("--plain", help="Plain text even at a terminal.")]
ColorOpt = Annotated[Color, typer.Option("--color", help="Decorate output: auto (only at a terminal), always, never.")]
LevelOpt = Annotated[
    Level | None,
    typer.Option("--level", help="Show spoilers up to this grade: none, minor or major.", show_default=False),
]
SpoilersOpt = Annotated[bool, typer.Option("--spoilers", help="Show everything, the ending included.")]
UptoOpt = Annotated[
    str | None,
    typer.Option(
        "--upto",
        metavar="POSITION",
        help="Show what you have seen so far: 45, 45m, 1:12, 1:12:00 or 40%.",
        show_default=False,
    ),
]
NoInputOpt = Annotated[bool, typer.Option("--no-input", help="Never prompt; refuse instead.")]


def _allowance(film: Dossier, level: Level | None, spoilers: bool, upto: str | None) -> Allowance:
    grade = Grade.MAJOR if spoilers else Grade.parse(level.value) if level else Grade.NONE
    seconds = parse_position(upto, film.runtime) if upto is not None else None
    return Allowance(grade, seconds)


def _catalog(quiet: bool = False) -> Catalog:
    cat = load_catalog()
    if not quiet:
        for problems in cat.broken:
            more = f" (and {len(problems) - 1} more; run `filmguide validate`)" if len(problems) > 1 else ""
            err(f"filmguide: warning: skipped {problems[0]}{more}")
    return cat


def _film(title: str) -> Dossier:
    return resolve(_catalog().films, title)


def _emit_view(view: DossierView, parts: tuple[str, ...], json_: bool, plain: bool, color: Color) -> None:
    if json_:
        from .render.json_ import dumps, view_data

        write(dumps(view_data(view, parts)))
        return
    from .render.layout import layout

    doc = layout(view, parts)
    if wants_rich(plain, color):
        from .render.rich_ import render_rich

        print_rich(render_rich(doc), color)
    else:
        from .render.plain import render_plain

        write(render_plain(doc))


# --- commands ----------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        write(f"filmguide {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    pass


@app.command("list")
def list_(json_: JsonOpt = False, plain: PlainOpt = False, color: ColorOpt = Color.auto) -> None:
    """List the films in the catalog.

    \b
    Examples:
      filmguide list
      filmguide list | cut -f1        # ids, one per line
      filmguide list --json
    """
    films = _catalog().films
    if json_:
        from .render.json_ import dumps

        rows = [
            {"id": d.id, "title": d.title, "year": d.year, "runtime": d.runtime, "directors": list(d.directors)}
            for d in films
        ]
        write(dumps(rows))
    elif wants_rich(plain, color):
        from rich.table import Table
        from rich.text import Text

        from .text import clean

        table = Table(title=f"{len(films)} films", title_justify="left")
        for col in ("Id", "Title", "Year", "Director"):
            table.add_column(col, overflow="fold")
        for d in films:
            table.add_row(Text(d.id), Text(clean(d.title)), Text(str(d.year)), Text(clean(", ".join(d.directors))))
        print_rich(table, color)
    else:
        from .text import one_line

        write("".join(f"{d.id}\t{one_line(d.title, 200)}\t{d.year}\n" for d in films))


@app.command()
def show(
    title: TitleArg,
    level: LevelOpt = None,
    spoilers: SpoilersOpt = False,
    upto: UptoOpt = None,
    json_: JsonOpt = False,
    plain: PlainOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """Show a film: credits, premise and the plot beats you may see.

    By default only what a trailer shows (grade `none`). Hidden beats are
    counted, never shown.

    \b
    Examples:
      filmguide show "all of us strangers"
      filmguide show strangers --level minor
      filmguide show strangers --upto 45
      filmguide show strangers --spoilers --json
    """
    film = _film(title)
    _emit_view(redact(film, _allowance(film, level, spoilers, upto)), render.SHOW, json_, plain, color)


@app.command()
def ending(
    title: TitleArg,
    spoilers: SpoilersOpt = False,
    no_input: NoInputOpt = False,
    json_: JsonOpt = False,
    plain: PlainOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """Explain the ending: what happens and what it means. Major spoilers.

    Without --spoilers, asks first when run at a terminal (default No); in a
    script it refuses with exit code 5. A `y` piped into stdin never counts.

    \b
    Examples:
      filmguide ending strangers              # asks first
      filmguide ending strangers --spoilers   # no question
    """
    film = _film(title)
    if not spoilers:
        _confirm_ending(film, no_input)
    _emit_view(redact(film, Allowance(Grade.MAJOR)), render.ENDING, json_, plain, color)


def _confirm_ending(film: Dossier, no_input: bool) -> None:
    name = f"{film.title} ({film.year})"
    if no_input or not (sys.stdin.isatty() and sys.stdout.isatty()):
        why = "--no-input forbids asking" if no_input else "there is no terminal to ask on"
        raise SpoilersRefused(f"not revealing the ending of {name}: {why}; add --spoilers to reveal it")
    sys.stderr.write(f"Reveal the ending (major spoilers) of {name}? [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer:
        sys.stderr.write("\n")
    if answer.strip().lower() not in ("y", "yes"):
        raise SpoilersRefused("not revealed")


@app.command()
def theories(
    title: TitleArg,
    level: LevelOpt = None,
    spoilers: SpoilersOpt = False,
    upto: UptoOpt = None,
    json_: JsonOpt = False,
    plain: PlainOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """List the theories about a film that your spoiler grade allows.

    \b
    Examples:
      filmguide theories strangers
      filmguide theories strangers --spoilers
    """
    film = _film(title)
    _emit_view(redact(film, _allowance(film, level, spoilers, upto)), render.THEORIES, json_, plain, color)


@app.command()
def quotes(
    title: TitleArg,
    level: LevelOpt = None,
    spoilers: SpoilersOpt = False,
    upto: UptoOpt = None,
    json_: JsonOpt = False,
    plain: PlainOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """List quotes from and about a film, with their sources.

    \b
    Examples:
      filmguide quotes strangers
      filmguide quotes strangers --level minor
    """
    film = _film(title)
    _emit_view(redact(film, _allowance(film, level, spoilers, upto)), render.QUOTES, json_, plain, color)


@app.command()
def export(
    title: Annotated[
        str | None,
        typer.Argument(help="Film to export (or --all).", autocompletion=_complete_title, show_default=False),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Export every film in the catalog.")] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text, markdown or json.")] = Format.text,
    level: LevelOpt = None,
    spoilers: SpoilersOpt = False,
    upto: UptoOpt = None,
) -> None:
    """Export a whole guide for scripts and documents: spoiler-safe by default.

    Text and Markdown hold the same sections as `show` plus theories, quotes,
    related films and sources; JSON holds the same data (docs/json.md).
    With --all, JSON is a list and text/Markdown separate films with a rule.

    \b
    Examples:
      filmguide export strangers --format markdown > strangers.md
      filmguide export --all --format json | jq '.[].title'
    """
    if all_ == (title is not None):
        raise typer.BadParameter("give one TITLE or --all", param_hint="TITLE")
    films = _catalog().films if all_ else [_film(title or "")]
    views = [redact(f, _allowance(f, level, spoilers, upto)) for f in films]
    if fmt is Format.json:
        from .render.json_ import dumps, view_data

        data = [view_data(v, render.EXPORT) for v in views]
        write(dumps(data if all_ else data[0]))
        return
    from .render.layout import layout

    if fmt is Format.markdown:
        from .render.markdown import render_markdown as fn

        sep = "\n---\n\n"
    else:
        from .render.plain import render_plain as fn

        sep = "\n" + "=" * 60 + "\n\n"
    write(sep.join(fn(layout(v, render.EXPORT)) for v in views))


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Dossier files or folders (default: every folder in use).", show_default=False),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Check dossiers; print one line per problem and exit 6 if there is any.

    \b
    Examples:
      filmguide validate
      filmguide validate my-film-2024.yaml
      filmguide validate ~/films --json
    """
    from .catalog import dossier_files
    from .dossier import load_dossier
    from .paths import film_folders

    files: list[Path] = []
    problems: list[Problem] = []
    targets = paths if paths else [f.path for f in film_folders()]
    for target in targets:
        if target.is_dir() or not paths:
            found, listing = dossier_files(target)
            files += found
            problems += listing
        else:
            files.append(target)
    for file in files:
        try:
            load_dossier(file, label=str(file))
        except InvalidDossier as e:
            problems += e.problems
    if json_:
        from dataclasses import asdict

        from .render.json_ import dumps

        write(dumps({"files": len(files), "problems": [asdict(p) for p in problems]}))
    else:
        from .text import one_line

        write("".join(one_line(str(p), 400) + "\n" for p in problems))
        bad = len({p.file for p in problems})
        err(
            f"filmguide: checked {len(files)} file{'s' * (len(files) != 1)}: "
            + (f"{bad} with problems" if bad else "all valid")
        )
    if problems:
        raise typer.Exit(ExitCode.INVALID_DOSSIER)


@app.command()
def paths(json_: JsonOpt = False, plain: PlainOpt = False, color: ColorOpt = Color.auto) -> None:
    """Print every folder filmguide reads dossiers from, most local first.

    \b
    Examples:
      filmguide paths
      FILMGUIDE_PATH=~/my-films filmguide paths
    """
    cat = _catalog(quiet=True)
    rows = [(f.folder.origin, str(f.folder.path), f.exists, f.files) for f in cat.folders]
    if json_:
        from .render.json_ import dumps

        write(dumps([{"origin": o, "path": p, "exists": e, "dossiers": n} for o, p, e, n in rows]))
    elif wants_rich(plain, color):
        from rich.table import Table
        from rich.text import Text

        table = Table(title="Dossier folders, most local first", title_justify="left")
        for col in ("From", "Folder", "Exists", "Dossiers"):
            table.add_column(col, overflow="fold")
        for o, p, e, n in rows:
            table.add_row(Text(o), Text(p), Text("yes" if e else "no"), Text(str(n)))
        print_rich(table, color)
    else:
        write("".join(f"{o}\t{p}\t{'exists' if e else 'missing'}\t{n}\n" for o, p, e, n in rows))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the dossier format, for editors and CI.

    \b
    Examples:
      filmguide schema > dossier.schema.json
    """
    from .render.json_ import dumps
    from .schema import json_schema

    write(dumps(json_schema()))


# --- the error boundary ------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every error ends here as one message and a documented code."""
    from .output import ClosedPipe

    try:
        try:
            rv: Any = app(args=argv, prog_name="filmguide", standalone_mode=False)
        finally:
            try:
                sys.stdout.flush()
            except BrokenPipeError:
                raise ClosedPipe("") from None
    except ClosedPipe:
        return 141
    except FilmguideError as e:
        for line in e.lines():
            err(line if isinstance(e, InvalidDossier) else f"filmguide: {line}")
        return int(e.exit_code)
    except typer.Abort:
        err("filmguide: interrupted")
        return ExitCode.INTERRUPTED
    except KeyboardInterrupt:
        err("filmguide: interrupted")
        return ExitCode.INTERRUPTED
    except Exception as e:
        from . import _click_errors

        code = _click_errors.handle(e)
        if code is not None:
            return code
        if _debug():
            raise
        err(f"filmguide: internal error: {type(e).__name__}: {e} (set FILMGUIDE_DEBUG=1 for details)")
        return ExitCode.ERROR
    if rv == ExitCode.INTERRUPTED:
        err("filmguide: interrupted")
    return int(rv or 0)


def _debug() -> bool:
    import os

    return bool(os.environ.get("FILMGUIDE_DEBUG"))
