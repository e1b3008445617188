"""The built-in catalog, checked mechanically, and the format fields that describe it.

What a film editor would catch by reading — beats out of order, a link graded
one way and not the other, a tag that announces a twist, a `spoils` id with no
film — is tested here over every built-in dossier, so a new one cannot bring
the defect back.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import write_dossier

VALID = "schema: 1\nid: {id}\ntitle: T\nyear: 2000\nruntime: 90\ndirectors: [D]\npremise: P\n"


# --- countries, languages, spoils: the format ---------------------------------------


def _validate(run, folder: Path, extra: str) -> str:
    path = folder / "t-2000.yaml"
    path.write_text(VALID.format(id="t-2000") + extra, encoding="utf-8")
    r = run("validate", str(path))
    assert "Traceback" not in r.out + r.err
    return r.out.replace(f"{path}:", "")


def test_countries_and_languages_are_codes(run, films_dir) -> None:
    assert _validate(run, films_dir, "countries: [FR, SU]\nlanguages: [fr, ru]\nspoils: [other-1999]\n") == ""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "countries: [fr]\n",
            "8: countries[0]: expected an ISO 3166-1 alpha-2 country code, got text (did you mean 'FR'?)",
        ),
        (
            "countries: [UK]\n",
            "8: countries[0]: expected an ISO 3166-1 alpha-2 country code, got text (did you mean 'GB'?)",
        ),
        (
            "countries: [XX]\n",
            "8: countries[0]: expected an ISO 3166-1 alpha-2 country code, got text; write a code such as 'FR'",
        ),
        (
            "languages: [French]\n",
            "8: languages[0]: expected an ISO 639-1 language code, got text (did you mean 'fr'?)",
        ),
        ("languages: [EN]\n", "8: languages[0]: expected an ISO 639-1 language code, got text (did you mean 'en'?)"),
        ("languages:\n  - en\n  - en\n", "10: languages[1]: given twice"),
        ("spoils: [t-2000]\n", "8: spoils[0]: a film cannot spoil itself"),
        ("spoils: [Not An Id]\n", "8: spoils[0]: expected an id of lower-case letters, digits and hyphens, got text"),
    ],
)
def test_bad_codes_are_one_clear_line(run, films_dir, extra: str, message: str) -> None:
    assert _validate(run, films_dir, extra) == message + "\n"


def test_a_schema_1_file_without_the_new_fields_still_reads(run, films_dir) -> None:
    write_dossier(films_dir, "plain-1990")
    assert run("validate").code == 0
    assert run("show", "plain-1990").code == 0


def test_the_json_schema_knows_the_codes() -> None:
    import jsonschema

    from filmguide.schema import json_schema

    validator = jsonschema.Draft202012Validator(json_schema())
    base = {"schema": 1, "id": "t-2000", "title": "T", "year": 2000, "runtime": 90, "directors": ["D"], "premise": "P"}
    assert (
        list(validator.iter_errors({**base, "countries": ["FR", "SU"], "languages": ["fr"], "spoils": ["a-1"]})) == []
    )
    for bad in ({"countries": ["fr"]}, {"languages": ["xx"]}, {"languages": ["en", "en"]}, {"spoils": ["A b"]}):
        assert list(validator.iter_errors({**base, **bad})), bad


# --- the built-in catalog, checked mechanically ----------------------------------


def _catalog() -> list:
    from filmguide.dossier import load_dossier
    from filmguide.paths import builtin_films

    films = [load_dossier(p) for p in sorted(builtin_films().glob("*.yaml"))]
    assert len(films) >= 13
    return films


def test_every_built_in_film_has_its_beats_in_order_by_minute() -> None:
    for d in _catalog():
        minutes = [b.at for b in d.beats if b.at is not None]
        assert minutes == sorted(minutes), d.id


def test_related_links_between_built_in_films_are_graded_alike_both_ways() -> None:
    films = {d.id: d for d in _catalog()}
    for d in films.values():
        for link in d.related:
            back = [r for r in films[link.id].related if r.id == d.id] if link.id in films else []
            for r in back:
                assert r.grade == link.grade, f"{d.id} -> {link.id}: {link.grade.label}, back: {r.grade.label}"


def test_no_built_in_tag_or_genre_announces_a_twist_or_an_ending() -> None:
    from filmguide.lint_catalog import announcing_tags

    for d in _catalog():
        assert announcing_tags(d) == [], d.id


def test_spoils_names_films_in_the_catalog() -> None:
    films = {d.id: d for d in _catalog()}
    for d in films.values():
        for other in d.spoils:
            assert other in films, f"{d.id} spoils {other}, which is not a built-in film"


def test_films_of_one_novel_say_that_they_spoil_each_other() -> None:
    films = {d.id: d for d in _catalog()}
    assert "all-of-us-strangers-2023" in films["the-discarnates-1988"].spoils
    assert "the-discarnates-1988" in films["all-of-us-strangers-2023"].spoils


def test_validate_lint_and_the_json_schema_are_clean_over_the_catalog(run) -> None:
    import jsonschema
    import yaml

    from filmguide.paths import builtin_films
    from filmguide.schema import json_schema

    checked = run("validate")
    assert (checked.code, checked.out) == (0, ""), checked.out
    linted = run("lint")
    assert (linted.code, linted.out) == (0, ""), linted.out
    validator = jsonschema.Draft202012Validator(json_schema())
    for f in sorted(builtin_films().glob("*.yaml")):
        assert [e.message for e in validator.iter_errors(yaml.safe_load(f.read_text(encoding="utf-8")))] == [], f.name


# --- the two lint rules ----------------------------------------------------------


def test_fg108_a_link_graded_differently_each_way(run, films_dir) -> None:
    hush = "secrets: [twin]\n"  # major links need a secrets list (FG107)
    write_dossier(films_dir, "first-2000", "related:\n  - id: second-2001\n    why: Its double.\n" + hush)
    write_dossier(
        films_dir, "second-2001", "related:\n  - id: first-2000\n    why: Its double.\n    grade: major\n" + hush
    )
    write_dossier(films_dir, "third-2002", "related:\n  - first-2000\n")  # one way only: nothing to compare
    r = run("lint", str(films_dir))
    assert r.code == 6
    assert r.out.splitlines() == [
        f"{films_dir / 'first-2000.yaml'}:9: FG108 related[0]: the link to second-2001 is graded none, "
        "but second-2001 grades its link back major; grade both alike (the higher of the two)",
        f"{films_dir / 'second-2001.yaml'}:11: FG108 related[0].grade: the link to first-2000 is graded major, "
        "but first-2000 grades its link back none; grade both alike (the higher of the two)",
    ]
    (films_dir / "first-2000.yaml").write_text(
        (films_dir / "first-2000.yaml")
        .read_text()
        .replace("why: Its double.\n", "why: Its double.\n    grade: major\n")
    )
    again = run("lint", str(films_dir))
    assert (again.code, again.out) == (0, "")


@pytest.mark.parametrize(
    ("tag", "word"),
    [
        ("twist ending", "twist"),
        ("Twisty", "twist"),
        ("shock finale", "finale"),
        ("surprise-ending", "ending"),
        ("the big reveal", "reveal"),
        ("unreliable narrator", "unreliable narrator"),
    ],
)
def test_fg109_a_tag_that_announces_a_twist(run, films_dir, tag: str, word: str) -> None:
    write_dossier(films_dir, "tagged-2000", f"tags:\n  - grief\n  - {tag}\n")
    r = run("lint", str(films_dir))
    assert r.code == 6
    assert r.out == (
        f"{films_dir / 'tagged-2000.yaml'}:10: FG109 tags[1]: announces a twist or an ending "
        f'("{word}"); tags are shown to everyone, so leave it out\n'
    )


@pytest.mark.parametrize("tag", ["twisted metal", "endive", "dead end", "revealing costumes", "grief"])
def test_fg109_leaves_other_tags_alone(run, films_dir, tag: str) -> None:
    write_dossier(films_dir, "tagged-2000", f"tags: [{tag}]\n")
    r = run("lint", str(films_dir))
    assert (r.code, r.out) == (0, "")


# --- README's list of the built-in films -------------------------------------------

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- catalog:start -->\n", "<!-- catalog:end -->\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def catalog_markdown() -> str:
    """The README's film list and counts, made from the built-in dossiers."""
    from filmguide import codes

    films = sorted(_catalog(), key=lambda d: (d.year, d.title.casefold(), d.id))
    countries, languages = codes.countries(), codes.languages()
    older = sum(d.year < 1970 for d in films)
    other = sum(bool(d.languages) and d.languages[0] != "en" for d in films)
    animated = sum(any(g.casefold() in ("animation", "animated") for g in d.genres) for d in films)
    places = {c for d in films for c in d.countries}
    lines = [
        f"{len(films)} films from {films[0].year} to {films[-1].year}: {older} made before 1970, "
        f"{other} mainly in a language other than English, {animated} animated; "
        f"made in {len(places)} countries.",
        "",
        "| film | year | directed by | made in | language |",
        "|---|---|---|---|---|",
    ]
    for d in films:
        made = ", ".join(countries.get(c, c) for c in d.countries) or "—"
        spoken = ", ".join(languages.get(x, x) for x in d.languages) or "—"
        lines.append(f"| {_cell(d.title)} | {d.year} | {_cell(', '.join(d.directors))} | {made} | {spoken} |")
    return "\n".join(lines) + "\n"


def test_readme_lists_the_built_in_films() -> None:
    text = README.read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1, "README.md lost its catalog markers"
    start, end = text.index(START) + len(START), text.index(END)
    wanted = catalog_markdown()
    if os.environ.get("FILMGUIDE_UPDATE_DOCS"):
        README.write_text(text[:start] + wanted + text[end:], encoding="utf-8")
        return
    assert text[start:end] == wanted, (
        "README.md's film list is out of date: FILMGUIDE_UPDATE_DOCS=1 python -m pytest tests/test_catalog_content.py"
    )


# --- list --country and --language ------------------------------------------------


def test_list_by_country_and_language(run, films_dir) -> None:
    write_dossier(films_dir, "atoll-2000", countries="[TV]", languages="[en, kl]")
    write_dossier(films_dir, "fjord-2001", countries="[TV, GL]", languages="[kl]")
    ids = lambda *args: [line.split("\t")[0] for line in run("list", *args).out.splitlines()]  # noqa: E731
    assert ids("--country", "TV") == ["atoll-2000", "fjord-2001"]
    assert ids("--country", "tuvalu", "--country", "Greenland") == ["fjord-2001"]  # each must match
    assert ids("--country", "tv", "--language", "EN") == ["atoll-2000"]
    assert ids("--language", "kl", "--sort", "year") == ["atoll-2000", "fjord-2001"]
    assert "solaris-1972" in ids("--country", "Soviet Union")  # a country that no longer exists keeps its code


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--country", "Atlantis", "filmguide: --country 'Atlantis': not a country; give an ISO 3166-1 code or a name"),
        ("--language", "zz", "filmguide: --language 'zz': not a language; give an ISO 639-1 code or a name"),
    ],
)
def test_list_refuses_an_unknown_country_or_language(run, flag: str, value: str, message: str) -> None:
    r = run("list", flag, value)
    assert r.code == 2 and r.out == ""
    assert r.err.startswith(message)


# --- spoils: naming the films a reveal gives away -----------------------------------

NOTE = "filmguide: note: this also gives away All of Us Strangers (2023), which you have not marked seen\n"


def test_major_spoilers_of_a_film_name_the_unseen_films_they_give_away(run) -> None:
    assert run("show", "the discarnates").err == ""  # nothing major shown: nothing said
    assert run("show", "the discarnates", "--level", "minor").err == ""
    for args in (
        ["show", "--spoilers"],
        ["show", "--level", "major"],
        ["ending", "--spoilers"],
        ["quotes", "--spoilers"],
    ):
        r = run(args[0], "the discarnates", *args[1:])
        assert (r.code, r.err) == (0, NOTE), args
        assert "All of Us Strangers" not in r.out  # a note on stderr, never in the output
    assert run("seen", "all of us strangers").code == 0
    assert run("show", "the discarnates", "--spoilers").err == ""  # seen: nothing to warn of


def test_the_ending_question_names_the_unseen_films_it_gives_away() -> None:
    import io

    from filmguide.cli import main
    from filmguide.cli.context import RunContext

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    run = RunContext(stdin=Terminal("n\n"), stdout=Terminal(), stderr=io.StringIO())
    assert main(["ending", "the discarnates"], run) == 5
    assert run.stderr.getvalue().startswith(
        "Reveal the ending (major spoilers) of The Discarnates (1988)? It also gives away "
        "All of Us Strangers (2023), which you have not marked seen. [y/N] "
    )
    assert run.stdout.getvalue() == ""
