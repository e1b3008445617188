"""The program: which commands exist, where each lives, and the one error boundary (``main``).

Commands are a table of names to modules, imported only when run: a run of
``show`` builds a Typer app holding ``show`` alone, so Typer neither imports
nor inspects the other commands. Help for the whole program, shell completion
and unknown names (for Typer's "did you mean") build the full app.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .. import __version__
from ..errors import EXIT_CODE_HELP, ExitCode, FilmguideError, InvalidDossier, OutputFailed
from ..output import ClosedPipe

if TYPE_CHECKING:
    from .context import RunContext

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

# Every command, in the order `--help` lists them: name -> (module in this package, function).
COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("catalog", "list_"),
    "show": ("film", "show"),
    "ending": ("film", "ending"),
    "theories": ("film", "theories"),
    "quotes": ("film", "quotes"),
    "export": ("film", "export"),
    "timeline": ("film", "timeline"),
    "seen": ("personal", "seen_"),
    "unseen": ("personal", "unseen"),
    "watchlist": ("personal", "watchlist"),
    "import": ("personal", "import_"),
    "config": ("personal", "config"),
    "validate": ("authoring", "validate"),
    "lint": ("authoring", "lint"),
    "paths": ("catalog", "paths"),
    "new": ("authoring", "new"),
    "schema": ("authoring", "schema"),
    "search": ("catalog", "search_"),
    "index": ("catalog", "index_"),
    "pack": ("community", "pack"),
    "update": ("community", "update"),
}


def _version(ctx: typer.Context, value: bool) -> None:
    if value:
        from .options import run_context

        run_context(ctx).write(f"filmguide {__version__}\n")
        raise typer.Exit()


def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    no_pager: Annotated[
        bool,
        typer.Option("--no-pager", help="Never page long output (also after the command: show X --no-pager)."),
    ] = False,
) -> None:
    pass


def build_app(only: str | None = None) -> typer.Typer:
    """The Typer app with every command, or with the command ``only`` alone."""
    from .completion import use_our_scripts

    use_our_scripts()  # completion by any word of a title, in bash, zsh and fish
    app = typer.Typer(
        help=HELP,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        add_completion=True,
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_root)
    for name, (module, function) in COMMANDS.items():
        if only is None or name == only:
            app.command(name)(getattr(import_module(f".{module}", __package__), function))
    return app


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command named in ``args``, when it names one.

    Typer turns every command's signature into Click parameters before it runs
    any of them; building only the one asked for keeps start-up short.
    """
    import os

    name = args[0] if args and not args[0].startswith("-") else None
    if name not in COMMANDS or os.environ.get("_FILMGUIDE_COMPLETE"):
        return build_app()
    return build_app(only=name)


# --- the error boundary ------------------------------------------------------


def main(argv: list[str] | None = None, run: RunContext | None = None) -> int:
    """Run the CLI; every error ends here as one message and a documented code.

    ``run`` is the run context handed to the commands; by default one of this
    process (its streams, terminal, settings and folders).
    """
    from .context import RunContext

    if run is None:
        run = RunContext()
    args = _export_spoilers(list(sys.argv[1:] if argv is None else argv))
    if "--no-pager" in args[: args.index("--") if "--" in args else len(args)]:
        # Taken anywhere on the line, so it can follow the command like its own options.
        run.paging = False
        args = [a for i, a in enumerate(args) if a != "--no-pager" or ("--" in args and i > args.index("--"))]
    try:
        try:
            if args[:1] == ["--version"]:  # the eager option, answered before any command is built
                run.write(f"filmguide {__version__}\n")
                rv: Any = 0
            else:
                rv = _app_for(args)(args=args, prog_name="filmguide", standalone_mode=False, obj=run)
        finally:
            run.close()
            try:
                if run.stdout is not None:  # None: started with stdout closed
                    run.stdout.flush()
            except BrokenPipeError:
                raise ClosedPipe("") from None
            except OSError as e:  # Click's own output (`--help > /dev/full`) meets a full disk here
                raise OutputFailed(e) from None
    except ClosedPipe:
        return 141
    except SystemExit:
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":  # Click met a closed pipe (`--help | head -1`)
            return 141
        raise
    except FilmguideError as e:
        for line in e.lines():
            run.err(line if isinstance(e, InvalidDossier) else f"filmguide: {line}")
        return int(e.exit_code)
    except typer.Abort:
        run.err("filmguide: interrupted")
        return ExitCode.INTERRUPTED
    except KeyboardInterrupt:
        run.err("filmguide: interrupted")
        return ExitCode.INTERRUPTED
    except Exception as e:  # the one place where a bug becomes a message
        if isinstance(e.__cause__, KeyboardInterrupt):  # Ctrl-C in a class's __set_name__: 3.11 wraps it
            run.err("filmguide: interrupted")
            return ExitCode.INTERRUPTED
        show, code = getattr(e, "show", None), getattr(e, "exit_code", None)
        if callable(show) and isinstance(code, int):  # Click's usage errors, shown Click's way
            show()
            return code
        if _debug():
            raise
        run.err(f"filmguide: internal error: {type(e).__name__}: {e} (set FILMGUIDE_DEBUG=1 for details)")
        return ExitCode.ERROR
    if rv == ExitCode.INTERRUPTED:
        run.err("filmguide: interrupted")
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
