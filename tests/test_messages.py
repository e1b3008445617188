"""Messages about broken dossiers quote no dossier content.

A broken dossier is warned about by every command, so what a message says
about it reaches people who have never opened the file, and any key, value or
tag in it may be a spoiler. A message names the file (escaped), the line and a
field path made of the format's own names and list indices; values and tags
are described by kind. The fixtures in tests/fixtures/broken-canary/ carry
marker words (``qxm…``) in keys, values, tags, complex keys and directives;
the file-name cases are made here, since their names hold a newline and an
escape character.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, write_dossier

BROKEN = FIXTURES / "broken-canary"
MARKER = re.compile("qxm", re.IGNORECASE)  # every canary word starts with it; nothing else in filmguide does
# Names holding a marker, a newline and an escape character, and content that is broken in its own ways.
NAMED = {
    "qxmfilename\nsecond line-2001.yaml": "- qxmnamedlist\n",
    "qxmescape\x1b[31mname-2001.yaml": (BROKEN / "values-2001.yaml").read_text(),
}

COMMANDS: list[list[str]] = [
    ["list"],
    ["list", "--json"],
    ["search", "strangers"],
    ["search", "strangers", "--json"],
    ["search", "nothing matches this"],
    ["show", "strangers"],
    ["show", "strangers", "--json"],
    ["show", "canary"],  # no film: the suggestions come from valid films only
    ["ending", "strangers", "--spoilers"],
    ["theories", "strangers"],
    ["quotes", "strangers"],
    *(["export", "strangers", "--format", f] for f in ("text", "markdown", "html", "discord", "reddit", "json")),
    ["export", "--all", "--format", "json"],
    ["timeline", "strangers"],
    ["validate"],
    ["validate", "--json"],
    ["lint"],
    ["lint", "--format", "json"],
    ["paths"],
    ["paths", "--json"],
    ["index", "--status"],
    ["index", "--status", "--json"],
]


@pytest.fixture
def broken(films_dir: Path) -> Path:
    for path in BROKEN.glob("*.yaml"):
        shutil.copy(path, films_dir)
    for name, text in NAMED.items():
        (films_dir / name).write_text(text, encoding="utf-8")
    return films_dir


def _names_shown(films_dir: Path) -> list[str]:
    """The ways a file's own path may appear: escaped in a message, or escaped by JSON."""
    shown = []
    for name in NAMED:
        path = str(films_dir / name)
        shown += [path.replace("\n", "\\n").replace("\x1b", "\\x1b"), json.dumps(path)[1:-1]]
    return sorted(shown, key=len, reverse=True)


def _leaks(text: str, films_dir: Path) -> list[str]:
    for shown in _names_shown(films_dir):
        text = text.replace(shown, "<file>")
    return [text[max(0, m.start() - 60) : m.end() + 30] for m in MARKER.finditer(text)]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_command_quotes_a_broken_dossier(run, broken, args) -> None:
    r = run(*args)
    assert "Traceback" not in r.err and "internal error" not in r.err, r.err
    assert _leaks(r.out, broken) == [], r.out
    assert _leaks(r.err, broken) == [], r.err
    for name in NAMED:  # a file name's newline or escape never reaches the output raw
        assert name not in r.out + r.err
    for line in r.err.splitlines():  # each message is one line of its own
        assert line.startswith("filmguide: "), line
    if args[0] in ("list", "show", "search", "timeline"):
        # A few warnings, then a count of the rest (broken files are reported in proportion).
        shown = r.err.count("filmguide: warning: skipped")
        more = re.search(r"and (\d+) more broken files", r.err)
        assert shown + (int(more[1]) if more else 0) == len(list(BROKEN.glob("*.yaml"))) + len(NAMED), r.err


def test_validate_names_every_broken_file_one_line_each(run, broken) -> None:
    r = run("validate")
    assert r.code == 6
    files = {line.split(".yaml:", 1)[0] for line in r.out.splitlines()}
    assert len(files) == len(list(BROKEN.glob("*.yaml"))) + len(NAMED)
    newline_name = str(broken / "qxmfilename\\nsecond line-2001.yaml")
    assert f"{newline_name}:1: a dossier must be a mapping of fields, got a list\n" in r.out
    escape_name = str(broken / "qxmescape\\x1b[31mname-2001.yaml")
    assert f"{escape_name}:4: year: expected a whole number, got text\n" in r.out


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_quotes_no_broken_dossier(broken, isolated, shell) -> None:
    words = {"bash": {"COMP_WORDS": "filmguide show ", "COMP_CWORD": "2"}}.get(
        shell, {"_TYPER_COMPLETE_ARGS": "filmguide show ", "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    )
    env = dict(os.environ, _FILMGUIDE_COMPLETE=f"complete_{shell}", **words)
    done = subprocess.run([sys.executable, "-m", "filmguide"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "strangers" in done.stdout
    assert _leaks(done.stdout, broken) == [] and _leaks(done.stderr, broken) == []


# --- what each message says ---------------------------------------------------------------

TAGGED = "expected a plain value, got a tagged value (YAML tags such as !!set are not allowed)"
VALID = "schema: 1\nid: bad-2000\ntitle: T\nyear: 2000\nruntime: 90\ndirectors: [D]\npremise: P\n"


def _validate(run, folder: Path, text: str, name: str = "bad-2000.yaml") -> list[str]:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    r = run("validate", str(path))
    assert r.code == 6, r
    prefix = f"{path}:"
    assert all(line.startswith(prefix) for line in r.out.splitlines()), r.out
    return [line.removeprefix(prefix) for line in r.out.splitlines()]


def test_a_list_item_written_as_prose_is_named_by_its_index(run, films_dir) -> None:
    lines = _validate(run, films_dir, VALID + "aliases:\n  - One\n  - The butler did it: major\n")
    assert lines == [
        "10: aliases[1]: unknown field; the fields here are title, grade",
        "10: aliases[1].title: missing required field",
    ]


@pytest.mark.parametrize(
    ("key", "expect"),
    [
        ("runtme", "8: runtme: unknown field; did you mean 'runtime'?"),
        ("Genres", "8: Genres: unknown field; did you mean 'genres'?"),
        ("runtimes_x", "8: unknown field; `filmguide schema` lists the fields of a dossier"),
        ("runtime-rosebud", "8: unknown field; `filmguide schema` lists the fields of a dossier"),
        ("rosebud", "8: unknown field; `filmguide schema` lists the fields of a dossier"),
    ],
)
def test_an_unknown_key_is_named_only_as_a_near_miss(run, films_dir, key, expect) -> None:
    assert _validate(run, films_dir, VALID + f"{key}: 1\n") == [expect]


@pytest.mark.parametrize(
    ("field", "value", "expect"),
    [
        ("year", "Rosebud", "4: year: expected a whole number, got text"),
        ("year", "1.5", "4: year: expected a whole number, got a decimal number"),
        ("year", "yes", "4: year: expected a whole number, got a yes/no word"),
        ("year", "2000-01-01", "4: year: expected a whole number, got a date"),
        ("year", "[1999]", "4: year: expected a whole number, got a list"),
        ("year", "{a: b}", "4: year: expected a whole number, got a mapping"),
        ("year", "!rosebud 2000", "4: year: " + TAGGED),
        ("title", "!<tag:rosebud.example,2000:x%20y> T", "3: title: " + TAGGED),
        ("directors", "Rosebud", "6: directors: expected a list, got text (write it in brackets: [...])"),
        ("premise", "[Rosebud]", "7: premise: expected text, got a list"),
    ],
)
def test_a_value_is_described_by_its_kind_never_quoted(run, films_dir, field, value, expect) -> None:
    text = re.sub(rf"^{field}: .*$", f"{field}: {value}", VALID, flags=re.MULTILINE)
    assert _validate(run, films_dir, text) == [expect]


def test_a_mistyped_grade_gets_a_suggestion_from_the_format_not_the_file(run, films_dir) -> None:
    text = VALID + "beats:\n  - text: t\n    grade: majr\n"
    assert _validate(run, films_dir, text) == [
        "10: beats[0].grade: expected one of none, minor, major, got text (did you mean 'major'?)"
    ]


def test_numbers_past_their_limits_are_not_quoted(run, films_dir) -> None:
    text = VALID.replace("year: 2000", "year: 4242")
    assert _validate(run, films_dir, text) == ["4: year: must be at most 2100"]
    text = VALID + "beats:\n  - text: t\n    grade: none\n    at: 4242\n"
    assert _validate(run, films_dir, text) == ["8: beats[0].at: the minute is past the film's runtime"]


def test_complex_keys_are_never_printed_as_nodes(run, films_dir) -> None:
    lines = _validate(run, films_dir, VALID + "? [a, b]\n: c\n? {d: 1}\n: e\n")
    message = "field names must be plain words (no tags, merge keys or complex keys)"
    assert lines == [f"8: {message}", f"10: {message}"]
    assert not any("Node" in line or "tag:yaml.org" in line for line in lines)


def test_a_200000_character_key_is_not_echoed(run, films_dir) -> None:
    # As a plain key YAML itself refuses it (a key on one line is at most 1,024 characters);
    # as an explicit `? key` it is read, and is one more unknown field.
    plain = _validate(run, films_dir, VALID + "k" * 200_000 + ": 1\n")
    assert plain == ["8: not valid YAML: a line that is neither `field: value` nor a list item `- value`"]
    explicit = _validate(run, films_dir, VALID + "? " + "k" * 200_000 + "\n: 1\n")
    assert explicit == ["8: unknown field; `filmguide schema` lists the fields of a dossier"]
    listing = run("list")
    assert listing.code == 0 and len(listing.err) < 400, len(listing.err)


def test_a_file_name_with_a_newline_stays_one_line_everywhere(run, films_dir) -> None:
    (films_dir / "two\nlines-2000.yaml").write_text("- a list\n")
    shown = str(films_dir / "two\\nlines-2000.yaml")
    r = run("list")
    assert r.err == f"filmguide: warning: skipped {shown}:1: a dossier must be a mapping of fields, got a list\n"
    lint = run("lint")
    assert f"{shown}:1: FG001 a dossier must be a mapping of fields, got a list\n" in lint.out
    data = json.loads(run("validate", "--json").out)  # JSON keeps the real name, escaped by JSON
    assert [p["file"] for p in data["problems"]] == [str(films_dir / "two\nlines-2000.yaml")]


def test_a_very_long_file_name_is_shortened_in_the_middle(run, films_dir) -> None:
    folder = films_dir
    for part in ("a" * 200, "b" * 200):
        folder = folder / part
    folder.mkdir(parents=True)
    path = folder / ("c" * 200 + ".yaml")
    path.write_text("- a list\n")
    r = run("validate", str(path))
    assert r.code == 6
    (line,) = r.out.splitlines()
    assert line.endswith("ccc.yaml:1: a dossier must be a mapping of fields, got a list")
    assert "\u2026" in line and len(line) < 400


# --- PyYAML's errors in our words, whichever parser runs -----------------------------------

SYNTAX = {
    "unclosed list": ("aliases: [a, b\n", "a list in [ ] that is not closed, or holds something out of place"),
    "unclosed mapping": ("aliases: {a: 1\n", "a mapping in { } that is not closed, or holds something out of place"),
    "unclosed quote": ('aliases: ["abc\n', "a quoted text is not closed before the end of the file"),
    "colon in a value": ("aliases:\n  - a: b: c\n", "a ': ' inside a value; put text that holds ': ' in quotes"),
    "tab": ("aliases:\n\t- x\n", "a tab in the indentation; YAML is indented with spaces"),
    "at sign": ("aliases: [@x]\n", "a character that cannot start a value here (such as @, ` or %); put it in quotes"),
    "escape": ('aliases: ["x\\q"]\n', "an unknown escape in double-quoted text (write a backslash as \\\\)"),
    "unicode escape": (
        'aliases: ["x\\uZZZZ"]\n',
        "an unknown escape in double-quoted text (write a backslash as \\\\)",
    ),
    "tag handle": ("aliases: !zz!x [y]\n", "a malformed YAML tag (and tags are not allowed in a dossier)"),
    "two documents": ("---\nb: 2\n", "more than one YAML document (a line of --- after the first)"),
    "dedent": ("aliases:\n  - x\n y: 2\n", "the indentation does not line up with the fields above"),
    "no colon": ("aliases\nb: 2\n", "a line that is neither `field: value` nor a list item `- value`"),
    "undefined alias": ("tags: *x\n", "anchors and aliases (& and *) are not allowed in a dossier"),
    "block scalar": ("premise2: |0\n  x\n", "a malformed | or > block (its text goes on the lines below, indented)"),
    "stray bracket": (
        "aliases: ]\n",
        "a value is missing, or starts with a character that cannot start one; put it in quotes",
    ),
}


def _message(text: str) -> list[str]:
    from filmguide.dossier import parse_dossier
    from filmguide.errors import InvalidDossier

    with pytest.raises(InvalidDossier) as caught:
        parse_dossier(text, "bad-2000.yaml", "bad-2000")
    return [p.message for p in caught.value.problems]


@pytest.mark.parametrize("case", list(SYNTAX))
def test_yaml_errors_are_told_in_our_words_by_either_parser(monkeypatch, case) -> None:
    import yaml

    text, expect = SYNTAX[case]
    with_c = _message(VALID + text)
    assert with_c in ([f"not valid YAML: {expect}"], [expect]), with_c
    monkeypatch.delattr(yaml, "CSafeLoader")  # PyYAML without libyaml: other words, the same message
    assert _message(VALID + text) == with_c


def test_nesting_too_deep_is_our_message_whichever_check_meets_it_first() -> None:
    assert _message("a: " + "[" * 5000) == ["nested more than 32 levels deep; a dossier needs three"]
    assert _message("".join("  " * i + "-\n" for i in range(2000))) == [
        "nested more than 32 levels deep; a dossier needs three"
    ]


def test_a_yaml_error_in_a_library_we_do_not_know_is_still_one_clear_line() -> None:
    import yaml

    from filmguide.messages import yaml_problem

    err = yaml.MarkedYAMLError("while doing something new", None, "found 'qxmsecret' somewhere", None)
    assert (
        str(yaml_problem("f.yaml", err, "x: 1\n", 32)) == "f.yaml: not valid YAML: the text cannot be read as YAML here"
    )


def test_a_broken_patch_quotes_nothing_either(run, films_dir, tmp_path) -> None:
    write_dossier(films_dir, "base-2000", title="Base")
    patch = films_dir / "base-2000.patch.yaml"
    patch.write_text("? [qxmkey]\n: x\nqxmtop: y\ntheories: !qxmtag [a]\n")
    r = run("validate", str(patch))
    assert r.code == 6 and not MARKER.search(r.out + r.err), r.out
    assert r.out.splitlines() == [
        f"{patch}:1: field names must be plain words (no tags, merge keys or complex keys)",
        f"{patch}:3: unknown field; `filmguide schema` lists the fields of a dossier",
        f"{patch}:4: theories: expected a plain value, got a tagged value (YAML tags such as !!set are not allowed)",
    ]
