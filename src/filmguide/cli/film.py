"""Commands about one film's pages: show, ending, theories, quotes, export, timeline."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .. import render
from .options import (
    Color,
    ColorOpt,
    JsonOpt,
    LevelOpt,
    NoInputOpt,
    PlainOpt,
    SpoilersOpt,
    TitleArg,
    UptoOpt,
    complete_title,
    run_context,
)
from .spoilers import allowance, consent_to_ending, export_allowance, note_spoils, request

if TYPE_CHECKING:
    from ..policy import DossierView
    from .context import RunContext


def emit_view(
    run: RunContext, view: DossierView, parts: tuple[str, ...], json_: bool, plain: bool, color: Color
) -> None:
    """Print a view's ``parts`` as JSON, Rich or plain text."""
    if json_:
        from ..render.json_ import dumps, view_data

        run.write(dumps(view_data(view, parts)))
        return
    from ..render.layout import layout

    doc = layout(view, parts)
    if run.wants_rich(plain, color):
        from ..render.rich_ import render_rich

        run.print_rich(render_rich(doc), color)
    else:
        from ..render.plain import render_plain

        run.write(render_plain(doc))


def show(
    ctx: typer.Context,
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
    run = run_context(ctx)
    film = run.film(title)
    view = run.view(film, allowance(run, film, level, spoilers, upto))
    note_spoils(run, film, view)
    emit_view(run, view, render.SHOW, json_, plain, color)


def ending(
    ctx: typer.Context,
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
    from ..policy import EVERYTHING

    run = run_context(ctx)
    film = run.film(title)
    asked = consent_to_ending(run, film, spoilers, no_input)
    view = run.view(film, EVERYTHING)
    if not asked:
        note_spoils(run, film, view)
    emit_view(run, view, render.ENDING, json_, plain, color)


def theories(
    ctx: typer.Context,
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
    run = run_context(ctx)
    film = run.film(title)
    view = run.view(film, allowance(run, film, level, spoilers, upto))
    note_spoils(run, film, view)
    emit_view(run, view, render.THEORIES, json_, plain, color)


def quotes(
    ctx: typer.Context,
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
    run = run_context(ctx)
    film = run.film(title)
    view = run.view(film, allowance(run, film, level, spoilers, upto))
    note_spoils(run, film, view)
    emit_view(run, view, render.QUOTES, json_, plain, color)


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


def export(
    ctx: typer.Context,
    title: Annotated[
        str | None,
        typer.Argument(
            help="Film to export (or --all).", metavar="[TITLE]", autocompletion=complete_title, show_default=False
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
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="discord: write each message (at most 2,000 characters) to its own file in DIR.",
            show_default=False,
        ),
    ] = None,
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
    from ..policy import check_request, spoiler_delta

    show_all = spoilers is SpoilerMode.show
    check_request(request(level, show_all, upto, for_others=True))
    run = run_context(ctx)
    films = run.load_catalog().films if all_ else [run.film(title or "")]
    allowances = [export_allowance(f, level, show_all, upto) for f in films]
    views = [run.view(f, a) for f, a in zip(films, allowances, strict=True)]
    for f, v in zip(films, views, strict=True):
        note_spoils(run, f, v)
    if fmt is ExportFormat.json:
        from ..render.json_ import dumps, view_data

        data = [view_data(v, render.EXPORT) for v in views]
        run.write(dumps(data if all_ else data[0]))
        return
    from ..render.layout import layout

    if fmt is ExportFormat.text:
        from ..render.plain import render_plain

        run.write(("\n" + "=" * 60 + "\n\n").join(render_plain(layout(v, render.EXPORT)) for v in views))
        return
    from ..render.markup import html_page, render_markup

    titles = run.related_titles(films)
    docs = []
    for film, allowed, view in zip(films, allowances, views, strict=True):
        delta = None
        if spoilers is SpoilerMode.wrap:
            delta = layout(spoiler_delta(film, allowed), render.EXPORT, post=True)
        docs.append(render_markup(layout(view, render.EXPORT, post=True, titles=titles), fmt.value, delta))
    if fmt is ExportFormat.html:
        name = f"{films[0].title} ({films[0].year})" if not all_ else "filmguide"
        run.write(html_page(name, docs))
    elif fmt is ExportFormat.discord:
        _post_discord(run, docs, output)
    else:
        text = "\n---\n\n".join(docs)
        if fmt is ExportFormat.reddit:
            from ..render.post import reddit_warning

            warning = reddit_warning(text)
            if warning:
                run.err(f"filmguide: warning: {warning}")
        run.write(text)


def _post_discord(run: RunContext, docs: list[str], folder: Path | None) -> None:
    """Discord messages on stdout, cut apart by a `-- 8< --` line, or one file each in ``folder``."""
    from ..render.post import CUT, discord_messages

    messages = [m for doc in docs for m in discord_messages(doc)]
    if folder is None:
        run.write(f"\n{CUT}\n".join(messages) + "\n")
        return
    from ..atomic import write_atomic

    try:
        folder.mkdir(parents=True, exist_ok=True)
        for n, message in enumerate(messages, 1):
            write_atomic(folder / f"discord-{n:03d}.md", message + "\n")
    except OSError as e:
        from ..errors import FilmguideError

        raise FilmguideError(f"{folder}: cannot write the messages: {e.strerror or type(e).__name__}") from None
    run.err(f"filmguide: wrote {len(messages)} messages to {folder}")


def timeline(
    ctx: typer.Context,
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
    from ..render import timeline as tl

    run = run_context(ctx)
    film = run.film(title)
    view = run.view(film, allowance(run, film, level, spoilers, upto))
    note_spoils(run, film, view)
    if json_:
        from ..render.json_ import dumps

        run.write(dumps(tl.timeline_data(view)))
        return
    width = run.terminal_width()
    if run.wants_rich(plain, color):
        run.print_rich(tl.render_rich_timeline(view, width), color)
    else:
        run.write(tl.render_plain_timeline(view, min(width, 100)))
