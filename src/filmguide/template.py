"""A commented dossier template for ``filmguide new``.

The template is deliberately not valid until its required fields are filled
in, so an unfinished dossier is reported by ``validate`` instead of showing
placeholder text as if it were fact.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import FilmguideError, UsageProblem
from .text import clean, fold

TEMPLATE = """\
# yaml-language-server: $schema=./{schema_file}
# A filmguide dossier (the format: docs/dossier-format.md in filmguide).
# Check it with:  filmguide validate {file}   and   filmguide lint {file}
schema: 1
id: {id}
title: {title}
year: {year}
runtime:            # minutes, required
directors: []       # required: [Name, Other Name]
writers: []
genres: []
countries: []       # where it was made, ISO 3166-1 codes: [FR, BE]
languages: []       # spoken in it, main one first, ISO 639-1 codes: [fr, en]
# aliases:          # other titles; grade: major hides one that spoils
#   - Original Title
# source: {{title: ..., author: ..., kind: novel, year: ...}}
cast: []            # - {{actor: ..., role: ...}}   (add grade: major if the role spoils)
tags: []            # spoiler-free keywords
premise: >-         # required: the set-up only, what a trailer shows
beats: []
#  - text: What happens, in your own words.
#    grade: none    # none | minor | major: every beat needs one
#    at: 10         # the minute a viewer learns it
# ending:
#   what: What happens at the end.
#   meaning: What it means.
# theories:
#   - {{title: ..., text: ..., grade: major, held_by: ..., status: open}}
# quotes:              # exact words only, with a source that names where (a URL, or a publication and date)
#   - {{text: ..., speaker: ..., source: the film, grade: none}}
# related:
#   - {{id: other-film-1999, why: ..., grade: none}}   # grade it as the other film grades its link back
# spoils: []            # ids of films whose ending this film's spoilers give away (a remake, the same novel)
secrets: []         # words that give the ending away; filmguide lint checks they stay hidden
sources: []         # - {{publication: ..., title: ..., date: "2024"}}
"""

SCHEMA_FILE = "dossier.schema.json"  # written beside the dossier, for editors


def film_id(title: str, year: int) -> str:
    """``All of Us Strangers``, 2023 -> ``all-of-us-strangers-2023`` (ASCII letters and digits only)."""
    words = re.findall(r"[a-z0-9]+", fold(title))
    return "-".join([*words, str(year)]) if words else f"film-{year}"


def _yaml_text(value: str) -> str:
    """A title as a YAML scalar that stays text: quoted, with quotes escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_template(folder: Path, title: str, year: int, film: str | None = None) -> Path:
    """Create ``<id>.yaml`` in ``folder``; never overwrite an existing file."""
    if not title.strip() or "\n" in title or "\t" in title or clean(title) != title:
        raise UsageProblem("the title must be one line of text, without control characters")
    if not 1870 <= year <= 2100:
        raise UsageProblem(f"--year {year} is not a film year (1870 to 2100)")
    fid = film or film_id(title, year)
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", fid):
        raise UsageProblem(f"--id {fid!r}: use lower-case letters, digits and hyphens")
    path = folder / f"{fid}.yaml"
    text = TEMPLATE.format(id=fid, title=_yaml_text(title.strip()), year=year, file=path.name, schema_file=SCHEMA_FILE)
    try:
        from .atomic import write_atomic, write_new

        write_new(path, text)  # Ctrl-C mid-write leaves no half-written dossier behind
        schema = folder / SCHEMA_FILE
        if not schema.exists():
            import json

            from .schema import json_schema

            write_atomic(schema, json.dumps(json_schema(), indent=2) + "\n")
    except FileExistsError:
        raise FilmguideError(f"{path} already exists; edit it, or choose another --id") from None
    except OSError as e:
        raise FilmguideError(f"{path}: cannot be written: {e.strerror or e}") from None
    return path
