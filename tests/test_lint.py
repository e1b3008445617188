"""The spoiler-leak linter, through `filmguide lint`: codes, lines, exit codes, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filmguide.lint import RULES, Finding

from .conftest import write_dossier

ROOT = Path(__file__).resolve().parents[1]
# A frozen copy of a built-in dossier: the leaks below are edits of its exact text, which the
# catalog's own dossier may change at its next reading.
SEED = ROOT / "tests" / "fixtures" / "lint-seed.yaml"
LEAKY_ID = "leaky-strangers-2023"


def _replace(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the seed dossier changed: {old!r} is not there exactly once"
    return text.replace(old, new)


def _line_of(text: str, needle: str) -> int:
    assert text.count(needle) == 1, f"{needle!r} is not in the file exactly once"
    return text[: text.index(needle)].count("\n") + 1


MOVED_BEAT = """\
  - at: 87
    grade: major
    text: >-
      Back at the tower, Adam goes to Harry's floor for the first time. Inside
      the flat there is a terrible smell, drink and drugs lie about, and on
      the bed he finds Harry's body, long dead, in the clothes he wore and with
      the bottle he held on the night they met.
"""


def _leaky(folder: Path) -> tuple[Path, str, set[tuple[str, str, int]]]:
    """The seed dossier with one leak of each kind; returns the file and the expected findings."""
    text = SEED.read_text(encoding="utf-8")
    text = _replace(text, "id: all-of-us-strangers-2023\n", f"id: {LEAKY_ID}\n")
    # aliases: a none alias (mapping form), a none alias (shorthand), a minor one
    text = _replace(
        text,
        "title: All of Us Strangers\n",
        "title: All of Us Strangers\n"
        "aliases:\n"
        "  - title: The Corpse Next Door\n"
        "    grade: none\n"
        "  - Harry’s Bodies\n"
        "  - title: Dead Neighbours\n"
        "    grade: minor\n",
    )
    text = _replace(text, "  - memory\n", "  - memory\n  - ghost stories\n")
    text = _replace(text, "a younger neighbour,\n", "a younger neighbour who is long dead,\n")
    text = _replace(text, "people living there.\n", "people living there, a ghost.\n")
    # a major beat moved before a none beat (and given a minute that fits there)
    text = _replace(text, MOVED_BEAT, "")
    text = _replace(text, "  - at: 13\n", MOVED_BEAT.replace("at: 87", "at: 10") + "  - at: 13\n")
    # two beats out of order
    text = _replace(text, "  - at: 36\n", "  - at: SWAP\n")
    text = _replace(text, "  - at: 47\n", "  - at: 36\n")
    text = _replace(text, "  - at: SWAP\n", "  - at: 47\n")
    text = _replace(text, "    speaker: Adam\n", "    speaker: unknown\n")
    text = _replace(
        text,
        "theories:\n",
        "theories:\n"
        "  - title: Harry died before they met\n"
        "    grade: minor\n"
        "    text: Everything after the first night happens in Adam's head.\n"
        "    held_by: some viewers\n"
        "  - title: It was all a dream\n"
        "    grade: major\n"
        "    text: None of it happens.\n"
        '    held_by: "?"\n',
    )
    path = folder / f"{LEAKY_ID}.yaml"
    path.write_text(text, encoding="utf-8")

    expected = {
        ("FG102", "aliases[0].title", _line_of(text, "The Corpse Next Door")),
        ("FG102", "aliases[1]", _line_of(text, "Harry’s Bodies")),
        ("FG101", "aliases[2].title", _line_of(text, "Dead Neighbours")),
        ("FG102", "tags[8]", _line_of(text, "ghost stories")),
        ("FG101", "premise", _line_of(text, "who is long dead")),
        ("FG101", "beats[0].text", _line_of(text, "living there, a ghost")),
        ("FG103", "beats[2]", _line_of(text, "  - at: 10\n")),
        ("FG104", "beats[6].at", _line_of(text, "  - at: 36\n")),
        ("FG101", "theories[0].title", _line_of(text, "Harry died before they met")),
        ("FG106", "theories[1].held_by", _line_of(text, 'held_by: "?"')),
        ("FG105", "quotes[0].speaker", _line_of(text, "speaker: unknown")),
    }
    return path, text, expected


def test_each_leak_is_reported_with_its_code_and_line(run, films_dir) -> None:
    path, _, expected = _leaky(films_dir)
    result = run("lint", str(path))
    assert result.code == 6
    assert "Traceback" not in result.both
    lines = result.out.splitlines()
    assert len(lines) == len(expected)
    found = set()
    for line in lines:
        assert line.startswith(f"{path}:")
        where, code, rest = line[len(f"{path}:") :].split(" ", 2)
        assert where.endswith(":")
        field = rest.split(":", 1)[0]
        found.add((code, field, int(where[:-1])))
    assert found == expected
    # in file order
    numbers = [int(line[len(f"{path}:") :].split(":", 1)[0]) for line in lines]
    assert numbers == sorted(numbers)
    assert result.err.strip() == f"filmguide: linted 1 file: {len(expected)} findings"


def test_with_spoilers_a_finding_names_the_secret_and_the_grade(run, films_dir) -> None:
    path, text, _ = _leaky(films_dir)
    out = run("lint", str(path), "--spoilers").out
    line = _line_of(text, "Harry died before they met")
    assert (
        f'{path}:{line}: FG101 theories[0].title: gives away the secrets "Harry died", "died" in text graded minor\n'
        in out
    )
    assert f'{path}:{_line_of(text, "speaker: unknown")}: FG105 quotes[0].speaker: speaker "unknown"' in out


def test_without_spoilers_a_finding_names_rule_field_and_line_only(run, films_dir) -> None:
    """Someone linting every folder in use, catalogs they have not read included, learns no secret."""
    path, text, expected = _leaky(films_dir)
    plain, spoiled = run("lint", str(path)), run("lint", str(path), "--spoilers")
    assert plain.code == spoiled.code == 6
    line = _line_of(text, "Harry died before they met")
    assert (
        f"{path}:{line}: FG101 theories[0].title: gives away a secret in text graded minor (--spoilers names it)\n"
        in plain.out
    )
    speaker = _line_of(text, "speaker: unknown")
    assert f"{path}:{speaker}: FG105 quotes[0].speaker: speaker is a placeholder" in plain.out
    for secret in ("Harry died", "died", "unknown"):
        assert f'"{secret}"' not in plain.both and f'"{secret}"' in spoiled.out
    data = json.loads(run("lint", str(path), "--format", "json").out)
    assert {(f["code"], f["path"], f["line"]) for f in data["findings"]} == expected
    assert not any("died" in f["message"].lower() for f in data["findings"])


def test_json_lists_the_same_findings(run, films_dir) -> None:
    path, _, expected = _leaky(films_dir)
    result = run("lint", str(path), "--format", "json")
    assert result.code == 6
    data = json.loads(result.out)
    assert data["files"] == 1
    assert data["rules"] == RULES
    assert {(f["code"], f["path"], f["line"]) for f in data["findings"]} == expected
    for f in data["findings"]:
        assert set(f) == {"file", "line", "code", "path", "message", "severity"}
        assert f["file"] == str(path)
        assert f["severity"] == "error"
        assert f["code"] in RULES


def test_a_folder_is_searched_for_dossiers(run, films_dir) -> None:
    _leaky(films_dir)
    write_dossier(films_dir, "clean-film-2000")
    (films_dir / "notes.txt").write_text("not a dossier, ignored: ghost", encoding="utf-8")
    result = run("lint", str(films_dir))
    assert result.code == 6
    assert "linted 2 files" in result.err
    assert "clean-film-2000" not in result.out


@pytest.mark.parametrize(
    ("secret", "text", "leaks"),
    [
        ("ghost", "Two ghosts walk in.", True),
        ("ghost", "The ghost's coat hangs there.", True),
        ("ghost", "The ghost’s coat hangs there.", True),
        ("ghost", "The ghosts' coats hang there.", True),
        ("Ghost", "A GHOST appears.", True),
        ("body", "Two bodies lie there.", True),
        ("dead", "A deadline looms.", False),
        ("dead", "The undead rise.", False),
        ("dead", "He is dead-eyed.", True),
        ("ghost", "A ghostly light.", False),
        ("Harry died", "We learn that Harry  died early.", True),
        ("Harry died", "Harry, who died, is here.", False),
        ("Harry's death", "Harry’s death comes early.", True),
        ("Harry’s death", "Harry's death comes early.", True),
        ("Amélie", "Amelie smiles.", True),
        ("Amelie", "AMÉLIE smiles.", True),
    ],
)
def test_secret_matching(run, films_dir, secret: str, text: str, leaks: bool) -> None:
    path = write_dossier(films_dir, "match-film-2000", premise=json.dumps(text), secrets=json.dumps([secret]))
    result = run("lint", str(path), "--format", "json")
    codes = [(f["code"], f["path"]) for f in json.loads(result.out)["findings"]]
    assert codes == ([("FG101", "premise")] if leaks else [])
    assert result.code == (6 if leaks else 0)


def test_a_secret_in_a_major_item_or_the_ending_is_fine(run, films_dir) -> None:
    body = (
        "beats:\n  - text: He is dead.\n    grade: major\n"
        "ending:\n  what: He was dead all along.\n  meaning: Grief.\n"
        "cast:\n  - actor: A\n    role: The dead man\n    grade: major\n"
        "secrets: [dead]\n"
    )
    path = write_dossier(films_dir, "fine-film-2000", body)
    result = run("lint", str(path))
    assert (result.code, result.out) == (0, "")
    assert result.err.strip() == "filmguide: linted 1 file: no findings"


def test_ungraded_and_minor_fields_are_checked(run, films_dir) -> None:
    body = (
        "cast:\n  - actor: A\n    role: The dead man\n    grade: minor\n"
        "source:\n  title: The Dead Man\n  author: B\n  kind: novel\n"
        "awards:\n  - name: Best Corpse Award\n    year: 2001\n    result: won\n"
        "watch:\n  - service: Corpse TV\n    region: US\n    as_of: '2024'\n"
        "genres: [corpse comedy]\n"
        "related:\n  - id: other-film-2001\n    why: Both have a corpse.\n    grade: minor\n"
        "sources:\n  - publication: P\n    title: The corpse explained\n    date: '2024'\n"
        "secrets: [dead, corpse]\n"
    )
    path = write_dossier(films_dir, "many-film-2000", body)
    result = run("lint", str(path), "--format", "json")
    found = {(f["code"], f["path"], f["line"]) for f in json.loads(result.out)["findings"]}
    text = path.read_text()
    assert found == {
        ("FG101", "cast[0].role", _line_of(text, "role: The dead man")),
        ("FG101", "source.title", _line_of(text, "The Dead Man")),
        ("FG101", "awards[0].name", _line_of(text, "Best Corpse Award")),
        ("FG101", "watch[0].service", _line_of(text, "Corpse TV")),
        ("FG102", "genres[0]", _line_of(text, "corpse comedy")),
        ("FG101", "related[0].why", _line_of(text, "Both have a corpse")),
        ("FG101", "sources[0].title", _line_of(text, "The corpse explained")),
    }


def test_a_title_with_a_secret(run, films_dir) -> None:
    path = write_dossier(films_dir, "the-ghost-2000", secrets="[ghost]")
    result = run("lint", str(path))
    assert result.code == 6
    assert f"{path}:3: FG102 title:" in result.out
    assert f"{path}:2: FG102 id:" in result.out


def test_beats_without_minutes_use_list_order(run, films_dir) -> None:
    body = "beats:\n  - text: A twist.\n    grade: major\n  - text: A set-up.\n    grade: none\n"
    path = write_dossier(films_dir, "order-film-2000", body, secrets="[twist]")
    result = run("lint", str(path))
    assert result.code == 6
    assert result.out.startswith(f"{path}:{_line_of(path.read_text(), 'A twist.')}: FG103 beats[0]: a major beat")


@pytest.mark.parametrize("value", ["unknown", "Unknown", "?", "n/a", "TBD", "anonymous", "'?'"])
def test_placeholder_speakers_and_holders(run, films_dir, value: str) -> None:
    body = (
        f"quotes:\n  - text: Hello.\n    speaker: A\n    source: {json.dumps(value)}\n    grade: none\n"
        f"theories:\n  - title: T\n    text: X.\n    grade: none\n    held_by: {json.dumps(value)}\n"
    )
    path = write_dossier(films_dir, "holder-film-2000", body)
    result = run("lint", str(path), "--format", "json")
    assert result.code == 6
    found = {(f["code"], f["path"]) for f in json.loads(result.out)["findings"]}
    assert found == {("FG105", "quotes[0].source"), ("FG106", "theories[0].held_by")}


def test_no_secrets_list_is_a_warning(run, films_dir) -> None:
    body = "ending:\n  what: He was dead all along.\n  meaning: Grief.\n"
    path = write_dossier(films_dir, "secretless-film-2000", body)
    result = run("lint", str(path), "--format", "json")
    assert result.code == 0
    [finding] = json.loads(result.out)["findings"]
    assert (finding["code"], finding["path"], finding["severity"]) == ("FG107", "ending", "warning")
    assert finding["line"] == _line_of(path.read_text(), "ending:")


def test_an_invalid_dossier_gives_fg001_lines(run, films_dir) -> None:
    path = write_dossier(films_dir, "broken-film-2000", runtime="long", body="beats:\n  - text: x\n    at: 3\n")
    result = run("lint", str(path))
    assert result.code == 6
    assert "Traceback" not in result.both
    text = path.read_text()
    assert result.out.splitlines() == [
        f"{path}:{_line_of(text, 'runtime:')}: FG001 runtime: expected a whole number, got text",
        f"{path}:{_line_of(text, '- text: x')}: FG001 beats[0].grade: missing required field",
    ]


def test_bad_yaml_and_missing_files(run, films_dir) -> None:
    bad = films_dir / "tabs-2000.yaml"
    bad.write_text("schema: 1\n\tid: tabs-2000\n", encoding="utf-8")
    missing = films_dir / "nowhere-2000.yaml"
    result = run("lint", str(bad), str(missing))
    assert result.code == 6
    assert "Traceback" not in result.both
    lines = result.out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{missing}: FG001 no such file or folder")
    assert lines[1].startswith(f"{bad}:") and " FG001 not valid YAML" in lines[1]


def test_finding_str() -> None:
    assert str(Finding("f.yaml", 3, "FG101", "premise", "m", "error")) == "f.yaml:3: FG101 premise: m"
    assert str(Finding("f.yaml", None, "FG001", "", "m", "error")) == "f.yaml: FG001 m"


def test_built_in_dossiers_are_clean(run) -> None:
    result = run("lint", "--format", "json")
    data = json.loads(result.out)
    assert data["files"] >= 1
    errors = [f"{f['file']}:{f['line']}: {f['code']} {f['path']}: {f['message']}" for f in data["findings"]]
    errors = [e for e, f in zip(errors, data["findings"], strict=True) if f["severity"] == "error"]
    assert errors == []
    assert result.code == 0
