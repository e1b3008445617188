"""A broken dossier is one clear line naming file, line and field; the rest still work."""

from __future__ import annotations

import json

import pytest

from .conftest import write_dossier


def _one_problem(run, folder, name: str, text: str | bytes) -> str:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    listing = run("list")
    assert listing.code == 0
    assert "all-of-us-strangers-2023" in listing.out  # the others still listed
    assert "Traceback" not in listing.err
    warnings = [line for line in listing.err.splitlines() if "warning" in line]
    assert len(warnings) == 1, listing.err
    check = run("validate", str(path))
    assert check.code == 6
    assert "Traceback" not in check.err + check.out
    return check.out


VALID = "schema: 1\nid: {id}\ntitle: T\nyear: 2000\nruntime: 90\ndirectors: [D]\npremise: P\n"


def test_broken_yaml(run, films_dir) -> None:
    out = _one_problem(run, films_dir, "bad-2000.yaml", VALID.format(id="bad-2000") + "cast: [unclosed\n")
    assert out.startswith(f"{films_dir / 'bad-2000.yaml'}:8: not valid YAML") or ":9: not valid YAML" in out


def test_wrong_type(run, films_dir) -> None:
    text = VALID.format(id="bad-2000") + "cast:\n  - actor: A\n    role: B\n  - actor: [x, y]\n    role: C\n"
    out = _one_problem(run, films_dir, "bad-2000.yaml", text)
    assert out == f"{films_dir / 'bad-2000.yaml'}:11: cast[1].actor: expected text, got a list\n"


def test_unknown_field_with_hint(run, films_dir) -> None:
    out = _one_problem(run, films_dir, "bad-2000.yaml", VALID.format(id="bad-2000") + "runtme: 90\n")
    assert out == f"{films_dir / 'bad-2000.yaml'}:8: runtme: unknown field; did you mean 'runtime'?\n"


def test_missing_required_field(run, films_dir) -> None:
    text = VALID.format(id="bad-2000").replace("premise: P\n", "")
    out = _one_problem(run, films_dir, "bad-2000.yaml", text)
    assert out == f"{films_dir / 'bad-2000.yaml'}:1: premise: missing required field\n"


def test_missing_grade_on_a_beat(run, films_dir) -> None:
    text = VALID.format(id="bad-2000") + "beats:\n  - text: something\n    at: 3\n"
    out = _one_problem(run, films_dir, "bad-2000.yaml", text)
    assert out == f"{films_dir / 'bad-2000.yaml'}:9: beats[0].grade: missing required field\n"


def test_id_must_match_file_name(run, films_dir) -> None:
    out = _one_problem(run, films_dir, "other-2000.yaml", VALID.format(id="bad-2000"))
    message = "does not match the file name (a dossier's id is its file name without .yaml)"
    assert out == f"{films_dir / 'other-2000.yaml'}:2: id: {message}\n"
    assert "bad-2000" not in out  # the id is a value: named by field, never quoted


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        (b"", "the file is empty"),
        (b"- a\n- b\n", "a dossier must be a mapping of fields, got a list"),
        (b"just words\n", "a dossier must be a mapping of fields"),
        (b"title: \xff\xfe\n", "is not UTF-8 text"),
        (b"schema: 1\n\tid: x\n", "a tab in the indentation"),
        (VALID.format(id="bad-2000").encode() + b"genres: &x [a]\ntags: *x\n", "anchors and aliases"),
        (b"schema: 1\nschema: 1\n", "duplicate field"),
        (b"title: !!python/object:os.system x\n", "not allowed"),
    ],
)
def test_hostile_files(run, films_dir, text, expect) -> None:
    out = _one_problem(run, films_dir, "bad-2000.yaml", text)
    assert expect in out


def test_yaml_booleans_and_numbers_stay_text(run, films_dir) -> None:
    write_dossier(films_dir, "no-2022", title="No", aliases="[1985, yes, null-ish]")
    write_dossier(films_dir, "nineteen-eighty-four-1984", title="1984")
    assert json.loads(run("show", "no", "--json").out)["title"] == "No"
    assert json.loads(run("show", "1984", "--json").out)["title"] == "1984"


def test_many_problems_one_line_each(run, films_dir) -> None:
    text = (
        VALID.format(id="bad-2000").replace("year: 2000", "year: soon")
        + "genre: [x]\nbeats:\n  - text: t\n    grade: huge\n"
    )
    path = films_dir / "bad-2000.yaml"
    path.write_text(text)
    r = run("validate", str(path))
    lines = r.out.splitlines()
    assert r.code == 6
    assert lines == [
        f"{path}:4: year: expected a whole number, got text",
        f"{path}:8: genre: unknown field; did you mean 'genres'?",
        f"{path}:11: beats[0].grade: expected one of none, minor, major, got text",
    ]
    data = json.loads(run("validate", str(path), "--json").out)
    assert [p["line"] for p in data["problems"]] == [4, 8, 11]


def test_show_of_a_good_film_warns_about_a_broken_one(run, films_dir) -> None:
    (films_dir / "bad-2000.yaml").write_text("- not a dossier\n")
    write_dossier(films_dir, "good-2000", title="Good")
    r = run("show", "good")
    assert r.code == 0
    assert r.err.count("warning") == 1 and "bad-2000.yaml:1" in r.err


def test_folders_and_other_files_are_ignored(run, films_dir) -> None:
    (films_dir / "folder.yaml").mkdir()
    (films_dir / "notes.txt").write_text("not a dossier")
    (films_dir / "README.md").write_text("# hi")
    r = run("list")
    assert r.code == 0 and r.err == ""
