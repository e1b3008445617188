"""Commands for people who write dossiers: new, validate, lint, schema."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import ExitCode, InvalidDossier, Problem
from .options import JsonOpt, run_context

if TYPE_CHECKING:
    from ..model import Dossier

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Dossier files or folders (default: every folder in use).", show_default=False),
]


def validate(ctx: typer.Context, paths: PathsArg = None, json_: JsonOpt = False) -> None:
    """Check dossiers; print one line per problem and exit 6 if there is any.

    \b
    Examples:
      filmguide validate
      filmguide validate my-film-2024.yaml
      filmguide validate ~/films --json
    """
    from ..catalog import PATCH_SUFFIX, dossier_files, patch_files
    from ..dossier import load_dossier
    from ..paths import film_folders, is_folder

    run = run_context(ctx)
    files: list[Path] = []
    problems: list[Problem] = []
    targets = paths if paths else [f.path for f in film_folders()]
    for target in targets:
        if is_folder(target) or not paths:  # a name too long to look up is read, and says why
            found, listing = dossier_files(target)
            files += found
            problems += listing
        else:
            files.append(target)
    patch_paths = [f for f in files if f.name.endswith(PATCH_SUFFIX)]
    patch_paths += [p for t in targets if is_folder(t) or not paths for p in patch_files(t)]
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

        from ..render.json_ import dumps

        run.write(dumps({"files": len(files), "problems": [asdict(p) for p in problems]}))
    else:
        from ..text import one_line

        run.write("".join(one_line(str(p), 400) + "\n" for p in problems))
        bad = len({p.file for p in problems})
        run.err(
            f"filmguide: checked {len(files)} file{'s' * (len(files) != 1)}: "
            + (f"{bad} with problems" if bad else "all valid")
        )
    if problems:
        raise typer.Exit(ExitCode.INVALID_DOSSIER)


def _check_patches(patch_paths: list[Path]) -> list[Problem]:
    """Each patch checked against its base dossier from the catalog (without other patches)."""
    from ..catalog import load_catalog
    from ..patches import load_patch, patch_id

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


class LintFormat(StrEnum):
    text = "text"
    json = "json"


def lint(
    ctx: typer.Context,
    paths: PathsArg = None,
    fmt: Annotated[LintFormat, typer.Option("--format", "-f", help="text or json.")] = LintFormat.text,
    spoilers: Annotated[
        bool, typer.Option("--spoilers", help="Quote the secret or text each finding matched (for authors).")
    ] = False,
) -> None:
    """Check dossiers for spoiler leaks: secrets in text below `major`, beats out of order.

    Each finding is one line, `file:line: FGnnn field: message`; the codes are
    stable (docs/lint.md). The secret a finding matched is named only with
    --spoilers. Exits 6 if any finding is an error.

    \b
    Examples:
      filmguide lint
      filmguide lint my-film-2024.yaml --format json
      filmguide lint my-film-2024.yaml --spoilers
    """
    from ..lint import RULES, lint_paths

    run = run_context(ctx)
    files, findings = lint_paths(list(paths or []), spoilers=spoilers)
    if fmt is LintFormat.json:
        from dataclasses import asdict

        from ..render.json_ import dumps

        run.write(dumps({"files": files, "findings": [asdict(f) for f in findings], "rules": RULES}))
    else:
        from ..text import one_line

        run.write("".join(one_line(str(f), 400) + "\n" for f in findings))
        n = len(findings)
        run.err(f"filmguide: linted {files} file{'s' * (files != 1)}: {n or 'no'} finding{'s' * (n != 1)}")
    if any(f.severity == "error" for f in findings):
        raise typer.Exit(ExitCode.INVALID_DOSSIER)


def new(
    ctx: typer.Context,
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
    from ..paths import user_films
    from ..template import write_template

    run = run_context(ctx)
    path = write_template(folder or user_films(), title, year, film_id)
    run.write(f"{path}\n")
    if edit:
        from ..editor import edit_until_valid

        edit_until_valid(path)
    else:
        run.err(f"filmguide: fill it in, then check it with `filmguide validate {path}`")


def schema(ctx: typer.Context) -> None:
    """Print the JSON Schema of the dossier format, for editors and CI.

    \b
    Examples:
      filmguide schema > dossier.schema.json
    """
    from ..render.json_ import dumps
    from ..schema import json_schema

    run_context(ctx).write(dumps(json_schema()))
