"""What a user sees from each command: stdout, stderr and exit codes."""

from __future__ import annotations

import json
import re

import pytest

from filmguide import __version__

from .conftest import write_dossier

SEED = "all-of-us-strangers-2023"
ESC = "\x1b"


def test_version(run) -> None:
    r = run("--version")
    assert r.code == 0
    assert r.out == f"filmguide {__version__}\n"


def test_help_lists_exit_codes_and_examples(run) -> None:
    r = run("--help")
    assert r.code == 0
    assert "Examples:" in r.out
    assert "5 spoilers refused" in r.out and "3 film not found" in r.out


@pytest.mark.parametrize(
    "command",
    [
        "list",
        "show",
        "ending",
        "theories",
        "quotes",
        "export",
        "validate",
        "paths",
        "schema",
        "timeline",
        "seen",
        "unseen",
        "config",
        "lint",
        "new",
        "search",
        "index",
    ],
)
def test_every_command_has_help_with_an_example(run, command) -> None:
    r = run(command, "--help")
    assert r.code == 0
    assert "Examples:" in r.out
    assert "filmguide " + command in r.out


def test_list_in_a_pipe_is_one_film_per_line(run) -> None:
    r = run("list")
    assert r.code == 0
    lines = r.out.splitlines()
    assert f"{SEED}\tAll of Us Strangers\t2023" in lines
    assert all(len(line.split("\t")) == 3 for line in lines)
    assert ESC not in r.out


def test_list_json(run) -> None:
    rows = json.loads(run("list", "--json").out)
    seed = next(r for r in rows if r["id"] == SEED)
    assert seed == {
        "id": SEED,
        "title": "All of Us Strangers",
        "year": 2023,
        "runtime": 105,
        "directors": ["Andrew Haigh"],
    }


def test_list_at_a_terminal_is_a_table(run) -> None:
    r = run("list", "--color", "always")
    assert "All of Us Strangers" in r.out
    assert "┃" in r.out or "│" in r.out


def test_show_seed_is_spoiler_free_by_default(run) -> None:
    r = run("show", "all of us strangers")
    assert r.code == 0
    assert "Andrew Haigh" in r.out and "Paul Mescal" in r.out
    assert "hidden" in r.out and "--spoilers" in r.out
    assert ESC not in r.out
    for word in ("corpse", "overdose", "ghost", "died"):
        assert not re.search(rf"\b{word}", r.out, re.I), word


def test_show_spoilers_includes_the_ending(run) -> None:
    r = run("show", "strangers", "--spoilers")
    assert "The ending" in r.out
    assert "▒▒▒▒" not in r.out


@pytest.mark.parametrize(
    "query", [SEED, "All of Us Strangers", "ALL OF US STRANGERS", "all of us", "strangers", "strangers 2023"]
)
def test_title_resolution(run, query) -> None:
    r = run("show", query, "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["id"] == SEED


def test_accents_and_case_are_ignored(run, films_dir) -> None:
    write_dossier(films_dir, "amelie-2001", title="Amélie")
    assert json.loads(run("show", "amelie", "--json").out)["title"] == "Amélie"
    assert json.loads(run("show", "AMÉLIE", "--json").out)["title"] == "Amélie"


def test_remakes_are_ambiguous_until_the_year_is_given(run, films_dir) -> None:
    write_dossier(films_dir, "twins-1972", title="Twins")
    write_dossier(films_dir, "twins-2002", title="Twins")
    r = run("show", "twins")
    assert r.code == 4
    assert r.out == ""
    assert "twins-1972\tTwins\t1972" in r.err and "twins-2002\tTwins\t2002" in r.err
    assert json.loads(run("show", "twins 1972", "--json").out)["id"] == "twins-1972"
    assert json.loads(run("show", "Twins (2002)", "--json").out)["id"] == "twins-2002"
    assert json.loads(run("show", "twins-2002", "--json").out)["id"] == "twins-2002"


def test_unknown_title_suggests(run) -> None:
    r = run("show", "all of us strangrs")
    assert r.code == 3
    assert r.out == ""
    assert "did you mean 'All of Us Strangers (2023)'" in r.err
    assert r.err.count("\n") == 1


def test_a_title_is_never_a_path(run, tmp_path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    write_dossier(tmp_path, "elsewhere-2000")
    for arg in (str(outside), "../../etc/passwd", "data/films/all-of-us-strangers-2023.yaml"):
        r = run("show", arg)
        assert r.code == 3, arg
        assert "Traceback" not in r.err


@pytest.mark.parametrize("arg", ["", "   ", "x" * 10_000])
def test_odd_titles_are_clear_errors(run, arg) -> None:
    r = run("show", arg)
    assert r.code in (2, 3)
    assert r.out == ""
    assert r.err.startswith("filmguide: ")
    assert len(r.err) < 300


def test_theories_and_quotes_count_what_they_hide(run) -> None:
    r = run("theories", "strangers")
    assert r.code == 0
    assert "hidden" in r.out
    r = run("quotes", "strangers", "--spoilers", "--json")
    data = json.loads(r.out)
    assert data["hidden"] == {}
    assert all(q["speaker"] and q["source"] for q in data["quotes"])


def test_export_formats(run) -> None:
    md = run("export", "strangers", "--format", "markdown")
    assert md.code == 0 and md.out.startswith("# All of Us Strangers (2023)")
    text = run("export", "strangers")
    assert text.out.startswith("All of Us Strangers (2023)")
    data = json.loads(run("export", "strangers", "--format", "json").out)
    assert data["format"] == "filmguide.view/1"
    assert data["ending"] is None and data["hidden"]["ending"]["major"] == 1
    everything = json.loads(run("export", "--all", "--format", "json").out)
    assert isinstance(everything, list) and any(d["id"] == SEED for d in everything)


def test_export_needs_a_title_or_all(run) -> None:
    assert run("export").code == 2
    assert run("export", "strangers", "--all").code == 2


def test_usage_errors_exit_2(run) -> None:
    r = run("show")
    assert r.code == 2 and "Missing argument" in r.err
    r = run("shw", "strangers")
    assert r.code == 2 and "No such command" in r.err
    r = run("show", "strangers", "--level", "huge")
    assert r.code == 2


def test_paths_lists_every_folder(run, films_dir) -> None:
    write_dossier(films_dir, "one-2000")
    r = run("paths")
    assert r.code == 0
    rows = [line.split("\t") for line in r.out.splitlines()]
    assert rows[0] == ["FILMGUIDE_PATH", str(films_dir), "exists", "1"]
    assert rows[1][0] == "user" and rows[1][2] == "missing"
    assert rows[2][0] == "built-in" and int(rows[2][3]) >= 1
    data = json.loads(run("paths", "--json").out)
    assert [d["origin"] for d in data] == ["FILMGUIDE_PATH", "user", "built-in"]


def test_a_local_dossier_overrides_the_built_in_one(run, films_dir) -> None:
    write_dossier(films_dir, SEED, title='"All of Us Strangers (local copy)"', year=2023, runtime=105)
    r = run("show", SEED, "--json")
    assert json.loads(r.out)["title"] == "All of Us Strangers (local copy)"
    assert run("list").out.count(SEED) == 1


def test_user_data_folder_is_read(run, isolated) -> None:
    folder = isolated / "data" / "films"
    folder.mkdir(parents=True)
    write_dossier(folder, "mine-1999", title="Mine")
    assert "mine-1999\tMine\t1999" in run("list").out


def test_schema_is_json_schema(run) -> None:
    data = json.loads(run("schema").out)
    assert data["$schema"].startswith("https://json-schema.org/")
    assert "beats" in data["properties"] and "title" in data["required"]


def test_builtin_dossiers_validate(run) -> None:
    r = run("validate")
    assert r.code == 0, r.out
    assert r.out == ""
    assert "all valid" in r.err


def test_builtin_dossiers_match_the_json_schema() -> None:
    import jsonschema
    import yaml

    from filmguide.paths import builtin_films
    from filmguide.schema import json_schema

    validator = jsonschema.Draft202012Validator(json_schema())
    files = sorted(builtin_films().glob("*.yaml"))
    assert files
    for f in files:
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(f.read_text(encoding="utf-8")))]
        assert errors == [], f.name


def test_new_writes_a_template_and_never_overwrites(run, isolated, tmp_path) -> None:
    r = run("new", "Paris, Texas", "--year", "1984")
    path = isolated / "data" / "films" / "paris-texas-1984.yaml"
    assert r.code == 0 and r.out == f"{path}\n"
    text = path.read_text()
    assert 'title: "Paris, Texas"' in text and "year: 1984" in text
    assert text.startswith("# yaml-language-server: $schema=./dossier.schema.json")
    assert json.loads((path.parent / "dossier.schema.json").read_text())["title"].startswith("filmguide dossier")
    path.write_text(text + "# my notes\n")
    again = run("new", "Paris, Texas", "--year", "1984")
    assert again.code == 1 and "already exists" in again.err
    assert path.read_text().endswith("# my notes\n")
    # The unfinished template is reported, not shown as a film.
    check = run("validate", str(path))
    assert check.code == 6 and "runtime: expected a whole number, got nothing" in check.out
    r = run("new", "Amélie", "--year", "2001", "--dir", str(tmp_path / "mine"))
    assert (tmp_path / "mine" / "amelie-2001.yaml").exists()


def test_new_edit_validates_when_the_editor_exits(run, isolated, tmp_path) -> None:
    script = tmp_path / "fill.py"
    script.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "t = p.read_text().replace('runtime:   ', 'runtime: 145')\n"
        "t = t.replace('directors: []', 'directors: [Wim Wenders]')\n"
        "t = t.replace('premise: >-', 'premise: A man walks out of the desert.')\n"
        "p.write_text(t)\n"
    )
    import sys as _sys

    r = run("new", "Paris, Texas", "--year", "1984", "--edit", env={"VISUAL": f"{_sys.executable} {script}"})
    assert r.code == 0, r.err
    assert "is valid" in r.err
    assert "paris-texas-1984\tParis, Texas\t1984" in run("list").out
    broken = run("new", "Other", "--year", "1990", "--edit", env={"VISUAL": "true"})
    assert broken.code == 6 and "premise" in broken.err
    assert (isolated / "data" / "films" / "other-1990.yaml").exists()
