"""The built-in catalog, checked mechanically, and the format fields that describe it.

What a film editor would catch by reading — beats out of order, a link graded
one way and not the other, a tag that announces a twist, a `spoils` id with no
film — is tested here over every built-in dossier, so a new one cannot bring
the defect back.
"""

from __future__ import annotations

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
            "8: countries[0]: expected an ISO 3166-1 alpha-2 country code, got 'fr' (did you mean 'FR'?)",
        ),
        (
            "countries: [UK]\n",
            "8: countries[0]: expected an ISO 3166-1 alpha-2 country code, got 'UK' (did you mean 'GB'?)",
        ),
        (
            "countries: [XX]\n",
            "8: countries[0]: expected an ISO 3166-1 alpha-2 country code, got 'XX'; write a code such as 'FR'",
        ),
        (
            "languages: [French]\n",
            "8: languages[0]: expected an ISO 639-1 language code, got 'French' (did you mean 'fr'?)",
        ),
        ("languages: [EN]\n", "8: languages[0]: expected an ISO 639-1 language code, got 'EN' (did you mean 'en'?)"),
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
