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

_CATALOG: Catalog | None = None  # loaded once per run: main() resets it


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
        metavar="TITLE",
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


def _settings() -> dict[str, Any]:
    from .config import load_settings

    return load_settings()


def _seen_ids() -> set[str]:
    from .state import load_seen

    return set(load_seen())


def _allowance(film: Dossier, level: Level | None, spoilers: bool, upto: str | None) -> Allowance:
    """Flags first; then the configured level, and `spoilers = "seen"` for films marked seen."""
    seconds = parse_position(upto, film.runtime) if upto is not None else None
    if spoilers:
        return Allowance(Grade.MAJOR, seconds)
    if level is not None:
        return Allowance(Grade.parse(level.value), seconds)
    settings = _settings()
    if settings["spoilers"].value == "seen" and film.id in _seen_ids():
        return Allowance(Grade.MAJOR, seconds)
    return Allowance(Grade.parse(settings["level"].value), seconds)


def _catalog(quiet: bool = False) -> Catalog:
    global _CATALOG
    cat = _CATALOG = load_catalog()
    if not quiet:
        for problems in cat.broken:
            more = f" (and {len(problems) - 1} more; run `filmguide validate`)" if len(problems) > 1 else ""
            err(f"filmguide: warning: skipped {problems[0]}{more}")
    return cat


def _view(film: Dossier, allowance: Allowance) -> DossierView:
    """The redacted view, with what the user's patches added marked."""
    patches = _CATALOG.patches.get(film.id, []) if _CATALOG is not None else []
    return redact(film, allowance, patches)


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
    _emit_view(_view(film, _allowance(film, level, spoilers, upto)), render.SHOW, json_, plain, color)


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
    _emit_view(_view(film, Allowance(Grade.MAJOR)), render.ENDING, json_, plain, color)


def _confirm_ending(film: Dossier, no_input: bool) -> None:
    from .text import one_line

    name = f"{one_line(film.title, 200)} ({film.year})"
    policy = _settings()["spoilers"]
    if policy.value == "seen" and film.id in _seen_ids():
        return  # the user marked it seen and asked not to be asked
    if policy.value == "never":
        raise SpoilersRefused(
            f"not revealing the ending of {name}: spoilers = never ({policy.origin}); add --spoilers to reveal it"
        )
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
    _emit_view(_view(film, _allowance(film, level, spoilers, upto)), render.THEORIES, json_, plain, color)


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
    _emit_view(_view(film, _allowance(film, level, spoilers, upto)), render.QUOTES, json_, plain, color)


class ExportFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    html = "html"
    discord = "discord"
    reddit = "reddit"
    json = "json"


class SpoilerMode(StrEnum):
    omit = "omit"
    wrap = "wrap"
    show = "show"


@app.command()
def export(
    title: Annotated[
        str | None,
        typer.Argument(
            help="Film to export (or --all).", metavar="[TITLE]", autocompletion=_complete_title, show_default=False
        ),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Export every film in the catalog.")] = False,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="text, markdown, html, discord, reddit or json.")
    ] = ExportFormat.text,
    spoilers: Annotated[
        SpoilerMode,
        typer.Option(
            "--spoilers",
            help="omit hidden parts (default); wrap them in the format's spoiler markup; "
            "or show everything. A bare --spoilers means show.",
        ),
    ] = SpoilerMode.omit,
    level: LevelOpt = None,
    upto: UptoOpt = None,
) -> None:
    """Export a whole guide for scripts, documents and posts: spoiler-safe by default.

    Holds what `show` shows plus theories, quotes, related films and sources.
    --spoilers=wrap puts what your grade hides inside the destination's own
    spoiler markup (<details> in Markdown and HTML, ||…|| for Discord,
    >!…!< for Reddit), so readers choose for themselves.

    \b
    Examples:
      filmguide export strangers --format markdown > strangers.md
      filmguide export strangers --format reddit --spoilers=wrap
      filmguide export --all --format json | jq '.[].title'
    """
    if all_ == (title is not None):
        raise typer.BadParameter("give one TITLE or --all", param_hint="TITLE")
    if spoilers is SpoilerMode.wrap and fmt in (ExportFormat.text, ExportFormat.json):
        raise typer.BadParameter(
            f"{fmt.value} has no spoiler markup; use --format markdown, html, discord or reddit",
            param_hint="--spoilers=wrap",
        )
    from .policy import spoiler_delta

    films = _catalog().films if all_ else [_film(title or "")]
    show_all = spoilers is SpoilerMode.show
    allowances = [_allowance(f, level, show_all, upto) for f in films]
    views = [_view(f, a) for f, a in zip(films, allowances, strict=True)]
    if fmt is ExportFormat.json:
        from .render.json_ import dumps, view_data

        data = [view_data(v, render.EXPORT) for v in views]
        write(dumps(data if all_ else data[0]))
        return
    from .render.layout import layout

    if fmt is ExportFormat.text:
        from .render.plain import render_plain

        write(("\n" + "=" * 60 + "\n\n").join(render_plain(layout(v, render.EXPORT)) for v in views))
        return
    from .render.markup import render_markup

    docs = []
    for film, allowance, view in zip(films, allowances, views, strict=True):
        delta = None
        if spoilers is SpoilerMode.wrap:
            delta = layout(spoiler_delta(film, allowance), render.EXPORT)
        docs.append(render_markup(layout(view, render.EXPORT), fmt.value, delta))
    write(("\n---\n\n" if fmt is not ExportFormat.html else "\n").join(docs))


@app.command()
def timeline(
    title: TitleArg,
    level: LevelOpt = None,
    spoilers: SpoilersOpt = False,
    upto: UptoOpt = None,
    json_: JsonOpt = False,
    plain: PlainOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """Draw the film as a bar: beats you may see are numbered, hidden ones are bare marks.

    With --upto the bar shows a cursor where you are, and every beat up to it.

    \b
    Examples:
      filmguide timeline strangers
      filmguide timeline strangers --upto 45
      filmguide timeline strangers --upto 40% --json
    """
    import shutil

    from .render import timeline as tl

    film = _film(title)
    view = _view(film, _allowance(film, level, spoilers, upto))
    if json_:
        from .render.json_ import dumps

        write(dumps(tl.timeline_data(view)))
        return
    width = shutil.get_terminal_size((80, 24)).columns
    if wants_rich(plain, color):
        print_rich(tl.render_rich_timeline(view, width), color)
    else:
        write(tl.render_plain_timeline(view, min(width, 100)))


@app.command("seen")
def seen_(
    title: Annotated[
        str | None,
        typer.Argument(help="Film to mark as seen; leave out to list.", autocompletion=_complete_title),
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
    from .state import load_seen, mark

    if title is None:
        films: dict[str, Dossier] = {d.id: d for d in _catalog(quiet=True).films}
        rows = sorted(load_seen().items(), key=lambda kv: kv[1])
        if json_:
            from .render.json_ import dumps

            write(
                dumps(
                    [{"id": i, "title": films[i].title if i in films else None, "seen": d.isoformat()} for i, d in rows]
                )
            )
        else:
            from .text import one_line

            write(
                "".join(f"{i}\t{one_line(films[i].title) if i in films else '?'}\t{d.isoformat()}\n" for i, d in rows)
            )
        return
    film = _film(title)
    changed = mark(film.id, True)
    err(f"filmguide: {'marked' if changed else 'already marked'} {film.title} ({film.year}) as seen")


@app.command()
def unseen(title: TitleArg) -> None:
    """Forget that you have seen a film.

    \b
    Examples:
      filmguide unseen strangers
    """
    from .state import mark

    film = _film(title)
    changed = mark(film.id, False)
    err(f"filmguide: {film.title} ({film.year}) {'is no longer marked seen' if changed else 'was not marked seen'}")


@app.command()
def config(json_: JsonOpt = False) -> None:
    """Print the effective settings and where each comes from.

    Flags beat the environment (FILMGUIDE_SPOILERS, FILMGUIDE_LEVEL), which
    beats the config file, which beats the defaults.

    \b
    Examples:
      filmguide config
      FILMGUIDE_SPOILERS=never filmguide config --json
    """
    from .config import SPECS, config_file, load_settings

    settings = load_settings()
    if json_:
        from .render.json_ import dumps

        write(
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
    write("\n".join(lines) + "\n")


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
    from .catalog import PATCH_SUFFIX, dossier_files, patch_files
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
    patch_paths = [f for f in files if f.name.endswith(PATCH_SUFFIX)]
    patch_paths += [p for t in targets if t.is_dir() or not paths for p in patch_files(t)]
    files = [f for f in files if not f.name.endswith(PATCH_SUFFIX)] + patch_paths
    for file in files:
        if file in patch_paths:
            continue
        try:
            load_dossier(file, label=str(file))
        except InvalidDossier as e:
            problems += e.problems
    if patch_paths:
        problems += _check_patches(patch_paths)
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


class LintFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Dossier files or folders (default: every folder in use).", show_default=False),
    ] = None,
    fmt: Annotated[LintFormat, typer.Option("--format", "-f", help="text or json.")] = LintFormat.text,
) -> None:
    """Check dossiers for spoiler leaks: secrets in text below `major`, beats out of order.

    Each finding is one line, `file:line: FGnnn field: message`; the codes are
    stable (docs/lint.md). Exits 6 if any finding is an error.

    \b
    Examples:
      filmguide lint
      filmguide lint my-film-2024.yaml --format json
    """
    from .lint import RULES, lint_paths

    files, findings = lint_paths(list(paths or []))
    if fmt is LintFormat.json:
        from dataclasses import asdict

        from .render.json_ import dumps

        write(dumps({"files": files, "findings": [asdict(f) for f in findings], "rules": RULES}))
    else:
        from .text import one_line

        write("".join(one_line(str(f), 400) + "\n" for f in findings))
        n = len(findings)
        err(f"filmguide: linted {files} file{'s' * (files != 1)}: {n or 'no'} finding{'s' * (n != 1)}")
    if any(f.severity == "error" for f in findings):
        raise typer.Exit(ExitCode.INVALID_DOSSIER)


def _check_patches(patch_paths: list[Path]) -> list[Problem]:
    """Each patch checked against its base dossier from the catalog (without other patches)."""
    from .patches import load_patch, patch_id

    films: dict[str, Dossier] = {d.id: d for d in load_catalog(patches=False).films}
    problems: list[Problem] = []
    for path in patch_paths:
        base = films.get(patch_id(path))
        if base is None:
            problems.append(Problem(str(path), f"patches {patch_id(path)!r}, which is not in the catalog"))
            continue
        try:
            load_patch(base, path)
        except InvalidDossier as e:
            problems += e.problems
    return problems


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
def new(
    title: Annotated[str, typer.Argument(help="The film's title.", show_default=False)],
    year: Annotated[int, typer.Option("--year", help="Year of first release.", show_default=False)],
    folder: Annotated[
        Path | None,
        typer.Option("--dir", help="Where to write it (default: your data folder's films/).", show_default=False),
    ] = None,
    film_id: Annotated[
        str | None, typer.Option("--id", help="The dossier id (default: title slug and year).", show_default=False)
    ] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Open it in $VISUAL or $EDITOR, then validate.")] = False,
) -> None:
    """Start a new dossier from a commented template; never overwrites a file.

    \b
    Examples:
      filmguide new "Paris, Texas" --year 1984
      filmguide new "Paris, Texas" --year 1984 --edit
      filmguide new "Amélie" --year 2001 --dir ./films
    """
    from .paths import user_films
    from .template import write_template

    path = write_template(folder or user_films(), title, year, film_id)
    write(f"{path}\n")
    if edit:
        from .editor import edit_until_valid

        edit_until_valid(path)
    else:
        err(f"filmguide: fill it in, then check it with `filmguide validate {path}`")


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

    global _CATALOG
    _CATALOG = None
    args = _export_spoilers(list(sys.argv[1:] if argv is None else argv))
    try:
        try:
            rv: Any = app(args=args, prog_name="filmguide", standalone_mode=False)
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
    except Exception as e:  # the one place where a bug becomes a message
        show, code = getattr(e, "show", None), getattr(e, "exit_code", None)
        if callable(show) and isinstance(code, int):  # Click's usage errors, shown Click's way
            show()
            return code
        if _debug():
            raise
        err(f"filmguide: internal error: {type(e).__name__}: {e} (set FILMGUIDE_DEBUG=1 for details)")
        return ExitCode.ERROR
    if rv == ExitCode.INTERRUPTED:
        err("filmguide: interrupted")
    return int(rv or 0)


def _export_spoilers(args: list[str]) -> list[str]:
    """`export --spoilers` takes an optional value: a bare flag means `--spoilers=show`."""
    command = next((i for i, a in enumerate(args) if not a.startswith("-")), None)
    if command is None or args[command] != "export":
        return args
    out = []
    rest = args[command:]
    head = args[:command]
    for i, a in enumerate(rest):
        if a == "--":
            out += rest[i:]
            break
        nxt = rest[i + 1] if i + 1 < len(rest) else None
        if a == "--spoilers" and nxt not in ("wrap", "show", "omit"):
            out.append("--spoilers=show")
        else:
            out.append(a)
    return head + out


def _debug() -> bool:
    import os

    return bool(os.environ.get("FILMGUIDE_DEBUG"))
