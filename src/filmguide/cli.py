"""The command line: parse, call the core, pick a renderer, map errors to exit codes.

No spoiler decision is made here: every command builds an ``Allowance`` from
its flags and hands the dossier to ``policy.redact``; renderers only ever see
the resulting view.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import __version__, render
from .errors import EXIT_CODE_HELP, ExitCode, FilmguideError, InvalidDossier, Problem, SpoilersRefused
from .output import Color, err, print_rich, wants_rich, write

if TYPE_CHECKING:  # the rest is imported by the commands that need it: every import costs start-up time
    from collections.abc import Callable

    from .catalog import Catalog
    from .index import Index
    from .model import Dossier
    from .patches import PatchInfo
    from .policy import Allowance, DossierView

_CATALOG: Catalog | None = None  # loaded once per run: main() resets it
_INDEX: Index | None = None  # opened once per run: main() closes it
_PATCHES: dict[str, list[PatchInfo]] = {}  # what patches changed in the films found by title


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
    """Completion offers ids with spoiler-free titles only (see Index.complete)."""
    try:
        return _index(full=False, quiet=True).complete(incomplete)
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
    from .model import Grade
    from .policy import Allowance, parse_position

    seconds = parse_position(upto, film.runtime) if upto is not None else None
    if spoilers:
        return Allowance(Grade.MAJOR, seconds)
    if level is not None:
        return Allowance(Grade.parse(level.value), seconds)
    settings = _settings()
    if settings["spoilers"].value == "seen" and film.id in _seen_ids():
        return Allowance(Grade.MAJOR, seconds)
    return Allowance(Grade.parse(settings["level"].value), seconds)


def _allowance_for(level: Level | None, spoilers: bool) -> Callable[[str], Allowance]:
    """The allowance of each film by id, for commands over many films (no --upto): as `_allowance` decides it."""
    from .model import Grade
    from .policy import Allowance

    if spoilers:
        return lambda _: Allowance(Grade.MAJOR)
    if level is not None:
        fixed = Allowance(Grade.parse(level.value))
        return lambda _: fixed
    settings = _settings()
    default = Allowance(Grade.parse(settings["level"].value))
    if settings["spoilers"].value != "seen":
        return lambda _: default
    seen = _seen_ids()
    return lambda film_id: Allowance(Grade.MAJOR) if film_id in seen else default


def _index(full: bool = True, quiet: bool = False) -> Index:
    """The index of the folders in use, opened once per run (see index.py).

    ``full`` checks every file; otherwise only the folders, and the film to
    be shown is checked when it is found. Broken dossiers are warned about
    once, and a rebuild that took over a second is said on stderr.
    """
    global _INDEX
    if _INDEX is None:
        from . import limits
        from .index import open_index
        from .paths import film_folders

        _INDEX = open_index(film_folders(), full=full, progress=_Progress())
        note = _INDEX.note
        if note is not None and note.seconds > limits.seconds("ANNOUNCE"):
            err(f"filmguide: {_note_text(note)}")
        if not quiet:
            _warn(_INDEX.broken())
    elif full:
        _INDEX.refresh_all()
    return _INDEX


def _note_text(note: Any) -> str:
    took = f"read {note.files} dossier{'s' * (note.files != 1)} in {note.seconds:.1f} s"
    return {
        "created": f"built the index ({took}): {note.where}",
        "damaged": f"the index was damaged and has been rebuilt ({took})",
        "version": f"the index was from another version and has been rebuilt ({took})",
        "rebuild": f"rebuilt the index ({took})",
        "memory": f"cannot use the index ({note.detail}); {took}",
    }.get(note.reason, f"updated the index ({took})")


def _warn(broken: list[list[Problem]]) -> None:
    for problems in broken:
        more = f" (and {len(problems) - 1} more; run `filmguide validate`)" if len(problems) > 1 else ""
        err(f"filmguide: warning: skipped {problems[0]}{more}")


class _Progress:
    """A Rich progress bar on stderr while many dossiers are read; only at a terminal."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if done or total <= 200 or not sys.stderr.isatty():
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("reading dossiers"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("index", total=total)
        self.bar.update(self.task, completed=done)
        if done >= total:
            self.bar.stop()


def _catalog(quiet: bool = False) -> Catalog:
    global _CATALOG
    from .catalog import catalog_from_index

    cat = _CATALOG = catalog_from_index(_index(full=True, quiet=True))
    if not quiet:
        _warn(cat.broken)
    return cat


def _view(film: Dossier, allowance: Allowance) -> DossierView:
    """The redacted view, with what the user's patches added marked."""
    from .policy import redact

    patches = _PATCHES.get(film.id) or (_CATALOG.patches.get(film.id, []) if _CATALOG is not None else [])
    return redact(film, allowance, patches)


def _film(title: str) -> Dossier:
    """One film by title, found through the index without reading the others (see catalog.find_film)."""
    from .catalog import find_film

    idx = _index(full=False)
    film, entry = find_film(idx, title)
    _PATCHES[film.id] = idx.patch_infos(entry)
    return film


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


class Sort(StrEnum):
    TITLE = "title"
    YEAR = "year"
    RUNTIME = "runtime"


def _names_opt(flag: str, what: str) -> Any:
    return typer.Option(flag, help=what, show_default=False)


@app.command("list")
def list_(
    genre: Annotated[
        list[str] | None, _names_opt("--genre", "Only films of this genre (repeat: all must match).")
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
        list[str] | None, _names_opt("--director", "Only films directed by someone of this name.")
    ] = None,
    person: Annotated[
        list[str] | None,
        _names_opt("--person", "Only films with this person in the cast or crew (credits you may see)."),
    ] = None,
    tag: Annotated[list[str] | None, _names_opt("--tag", "Only films with this tag.")] = None,
    seen: Annotated[
        bool | None,
        typer.Option("--seen/--unseen", help="Only films you marked seen, or only the others.", show_default=False),
    ] = None,
    sort: Annotated[Sort, typer.Option("--sort", help="Order by title, year or runtime.")] = Sort.TITLE,
    json_: JsonOpt = False,
    plain: PlainOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """List the films in the catalog, or those that pass every filter.

    Names match from the start of a word, in any case and with or without
    accents (--director haigh); genres and tags match whole.

    \b
    Examples:
      filmguide list
      filmguide list | cut -f1        # ids, one per line
      filmguide list --genre drama --year 1990..1999 --sort year
      filmguide list --person "paul mescal" --unseen
      filmguide list --json
    """
    import json

    from .search import Filters, filter_entries, parse_years, sort_entries

    filters = Filters(
        genres=tuple(genre or ()),
        years=parse_years(year) if year is not None else None,
        directors=tuple(director or ()),
        people=tuple(person or ()),
        tags=tuple(tag or ()),
        seen=seen,
    )
    allowance_for = _allowance_for(None, False) if person else None
    entries = filter_entries(_index().entries(), filters, _seen_ids() if seen is not None else None, allowance_for)
    entries = sort_entries(entries, sort.value)
    if json_:
        from .render.json_ import dumps

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
        write(dumps(rows))
    elif wants_rich(plain, color):
        from rich.table import Table
        from rich.text import Text

        from .text import clean

        table = Table(title=f"{len(entries)} films", title_justify="left")
        for col in ("Id", "Title", "Year", "Director"):
            table.add_column(col, overflow="fold")
        for e in entries:
            directors = ", ".join(json.loads(e.info)["directors"])
            table.add_row(Text(e.id), Text(clean(e.title)), Text(str(e.year)), Text(clean(directors)))
        print_rich(table, color)
    else:
        from .text import one_line

        write("".join(f"{e.id}\t{one_line(e.title, 200)}\t{e.year}\n" for e in entries))


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
    from .model import Grade
    from .policy import Allowance

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
        films = {e.id: e for e in _index(quiet=True).entries()}  # titles only: no dossier is decoded
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
                "".join(
                    f"{one_line(i, 200)}\t{one_line(films[i].title) if i in films else '?'}\t{d.isoformat()}\n"
                    for i, d in rows
                )
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
    from .catalog import load_catalog
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
    rows = [(f.folder.origin, str(f.folder.path), f.exists, f.files) for f in _index(quiet=True).folder_rows()]
    if json_:
        from .render.json_ import dumps

        write(dumps([{"origin": o, "path": p, "exists": e, "dossiers": n} for o, p, e, n in rows]))
    elif wants_rich(plain, color):
        from rich.table import Table
        from rich.text import Text

        table = Table(title="Dossier folders, most local first", title_justify="left")
        for col in ("From", "Folder", "Exists", "Dossiers"):
            table.add_column(col, overflow="fold")
        from .text import clean

        for o, p, e, n in rows:
            table.add_row(Text(o), Text(clean(p)), Text("yes" if e else "no"), Text(str(n)))
        print_rich(table, color)
    else:
        from .text import clean

        write("".join(f"{o}\t{clean(p)}\t{'exists' if e else 'missing'}\t{n}\n" for o, p, e, n in rows))


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


@app.command("search")
def search_(
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

    Case and accents are ignored. A match in text your grade hides is only
    counted ("matches in 2 hidden sections (major) — add --spoilers"), never
    shown; a film that matches only there is listed with that line alone.
    With --level or --spoilers those snippets appear, the match highlighted.
    Exits 3 when nothing matches.

    \b
    Examples:
      filmguide search strangers
      filmguide search "fire alarm" --level minor
      filmguide search ghost* --spoilers
      filmguide search haigh --json
    """
    from .search import NoMatch, search

    results = search(_index(), query, _allowance_for(level, spoilers), limit)
    if json_:
        from .render.results import dumps_results

        write(dumps_results(results))
    elif wants_rich(plain, color):
        from .render.results import render_rich_results

        if results.hits:
            print_rich(render_rich_results(results), color)
    else:
        from .render.results import render_plain_results

        write(render_plain_results(results))
        if results.total > len(results.hits):
            err(f"filmguide: {results.total - len(results.hits)} more films match; add --limit {results.total}")
    if not results.hits:
        raise NoMatch(f"no film matches {query!r}")


@app.command("index")
def index_(
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
    global _INDEX
    if rebuild:
        from .index import open_index
        from .paths import film_folders

        _INDEX = open_index(film_folders(), full=True, progress=_Progress(), rebuild=True)
        if _INDEX.note is not None:
            err(f"filmguide: {_note_text(_INDEX.note)}")
    info = _index(full=True, quiet=True).status()
    if json_:
        from .render.json_ import dumps

        write(dumps(info))
    elif status:
        write("".join(f"{k}\t{v}\n" for k, v in _status_lines(info)))
    elif not rebuild:
        err(f"filmguide: the index is up to date: {info['films']} films from {info['files']} files")


def _status_lines(info: dict[str, Any]) -> list[tuple[str, str]]:
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


# --- the error boundary ------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every error ends here as one message and a documented code."""
    from .output import ClosedPipe

    global _CATALOG, _INDEX
    _CATALOG = None
    _PATCHES.clear()
    args = _export_spoilers(list(sys.argv[1:] if argv is None else argv))
    try:
        try:
            if args[:1] == ["--version"]:  # the eager option, answered before any command is built
                write(f"filmguide {__version__}\n")
                rv: Any = 0
            else:
                rv = _app_for(args)(args=args, prog_name="filmguide", standalone_mode=False)
        finally:
            if _INDEX is not None:
                _INDEX.close()
                _INDEX = None
            try:
                if sys.stdout is not None:  # None: started with stdout closed
                    sys.stdout.flush()
            except BrokenPipeError:
                raise ClosedPipe("") from None
    except ClosedPipe:
        return 141
    except SystemExit:
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":  # Click met a closed pipe (`--help | head -1`)
            return 141
        raise
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
        if isinstance(e.__cause__, KeyboardInterrupt):  # Ctrl-C in a class's __set_name__: 3.11 wraps it
            err("filmguide: interrupted")
            return ExitCode.INTERRUPTED
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


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command named in ``args``, when it names one.

    Typer turns every command's signature into Click parameters before it runs
    any of them; building only the one asked for keeps start-up short. Help
    for the whole program, shell completion and unknown names use the full app.
    """
    import copy
    import os

    name = args[0] if args and not args[0].startswith("-") else None
    if name is None or os.environ.get("_FILMGUIDE_COMPLETE"):
        return app
    chosen = [
        c
        for c in app.registered_commands
        if c.callback is not None and (c.name or c.callback.__name__.lower().replace("_", "-")) == name
    ]
    if len(chosen) != 1:
        return app
    one = copy.copy(app)
    one.registered_commands = chosen
    return one


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
