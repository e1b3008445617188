"""Hostile input, one case per test: dossiers are files people download and share.

Each file in tests/fixtures/hostile/ is one case (its README lists them); the
folder cases (symlink loops, FIFOs, unreadable files...) are built in a tmp
folder, and the argument and environment cases run filmguide as a child
process where the case needs a real process (argv bytes, HOME unset).

The rule for every case: a clear ``file:line: field: problem`` line or what a
person would expect, never a traceback, a hang, a crash, or a byte that
drives the terminal.
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
import yaml

from .conftest import FIXTURES, KEEP_ENV, write_dossier

HOSTILE = FIXTURES / "hostile"
TIMEOUT = 30

SGR = re.compile(r"\x1b\[[0-9;]*m")
# C0 but newline and tab, DEL, C1, bidi embeddings/overrides/isolates, lone surrogates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def assert_inert(text: str, rich: bool = False) -> None:
    """Nothing in ``text`` can drive a terminal; with ``rich``, Rich's own SGR styling is allowed."""
    if rich:
        text = SGR.sub("", text)
    bad = UNSAFE.search(text)
    assert bad is None, f"{bad.group()!r} at {bad.start()}: {text[max(0, bad.start() - 40) : bad.start() + 40]!r}"


def copy_case(name: str, folder: Path) -> Path:
    path = folder / name
    shutil.copy(HOSTILE / name, path)
    return path


# --- 1. YAML and files that must be refused, each with its one clear line ---------------

TAGGED = "expected a plain value, got a tagged value (YAML tags such as !!set are not allowed)"
REFUSED = {
    "python-tag": "{p}:8: tags: " + TAGGED,
    "python-tag-scalar": "{p}:3: title: " + TAGGED,
    "top-tag": "{p}:1: " + TAGGED,
    "set-tag": "{p}:8: genres: " + TAGGED,
    "billion-laughs": "{p}:8: anchors and aliases (& and *) are not allowed in a dossier",
    "anchor": "{p}:8: anchors and aliases (& and *) are not allowed in a dossier",
    "merge-key": "{p}:9: source: field names must be plain words (no tags, merge keys or complex keys)",
    "duplicate-key": "{p}:8: title: duplicate field (first given on line 3)",
    "not-utf8": "{p}:3: is not UTF-8 text (byte 0xe9)",
    "tab-indent": "{p}:9: not valid YAML: a tab in the indentation; YAML is indented with spaces",
    "empty": "{p}: the file is empty; a dossier is a mapping of fields",
    "comments-only": "{p}: the file is empty; a dossier is a mapping of fields",
    "top-list": "{p}:1: a dossier must be a mapping of fields, got a list",
    "top-scalar": "{p}:1: a dossier must be a mapping of fields, got text",
    "null-title": "{p}:3: title: expected text, got nothing",
    "list-title": "{p}:3: title: expected text, got a list",
    "bad-date": "{p}:9: watch[0].as_of: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, "
    "got a day that is not in the calendar",
    "huge-number": "{p}:5: runtime: expected a whole number of at most 12 digits",
    "deep-nesting": "{p}:1: nested more than 32 levels deep; a dossier needs three",
    "deep-block": "{p}:1: nested more than 32 levels deep; a dossier needs three",
    "raw-escape": "{p}:3: not valid YAML: the character U+001B is not allowed in YAML; "
    "write it as an escape in double quotes",
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_file_is_one_clear_line(run, films_dir, case) -> None:
    path = copy_case(f"{case}.yaml", films_dir)
    check = run("validate", str(path))
    assert check.code == 6, check
    assert check.out == REFUSED[case].format(p=path) + "\n"
    assert "Traceback" not in check.err and "internal error" not in check.err
    # Every other command carries on: one warning for the file, the other films listed.
    listing = run("list")
    assert listing.code == 0, listing.err
    assert "all-of-us-strangers-2023" in listing.out
    warnings = [line for line in listing.err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and str(path) in warnings[0], listing.err
    assert_inert(listing.err)


def test_python_tags_never_run_anything(run, films_dir, tmp_path) -> None:
    copy_case("python-tag.yaml", films_dir)
    run("list")
    run("validate")
    run("lint", str(films_dir))
    assert not Path("/tmp/filmguide-pwned").exists()


def test_oversized_dossier_is_refused_before_parsing(run, films_dir) -> None:
    path = write_dossier(films_dir, "oversize-2020", premise="x" * (1024 * 1024))
    check = run("validate", str(path))
    assert check.code == 6
    assert check.out == f"{path}: is larger than 1024 KiB; a dossier is a few KiB\n"


def test_billion_laughs_is_refused_in_bounded_memory(films_dir) -> None:
    """Refused from the event stream, before any tree is built: well under a second and a few MiB."""
    import time
    import tracemalloc

    from filmguide.dossier import parse_dossier
    from filmguide.errors import InvalidDossier

    text = (HOSTILE / "billion-laughs.yaml").read_text()
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(InvalidDossier):
        parse_dossier(text, "billion-laughs.yaml")
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 1 and peak < 8 * 1024 * 1024, (elapsed, peak)


@pytest.mark.parametrize("case", ["deep-nesting", "deep-block"])
def test_deep_nesting_is_an_error_not_a_crash_in_a_real_process(case, tmp_path) -> None:
    """Before the fix, PyYAML's C composer overflowed the C stack: the process died of SIGSEGV."""
    p = subprocess.run(
        [sys.executable, "-m", "filmguide", "validate", str(HOSTILE / f"{case}.yaml")],
        capture_output=True,
        env={**os.environ, "FILMGUIDE_HOME": str(tmp_path)},
        timeout=TIMEOUT,
    )
    assert p.returncode == 6, p
    assert b"nested more than 32 levels deep" in p.stdout


def test_a_deeply_nested_patch_is_an_error_not_a_crash(films_dir, tmp_path) -> None:
    """`<id>.patch.yaml` had its own yaml.compose: `[[[[…` in a patch crashed every command."""
    shutil.copy(FIXTURES / "canary" / "canary-film-2001.yaml", films_dir)
    shutil.copy(HOSTILE / "deep-nesting.yaml", films_dir / "canary-film-2001.patch.yaml")
    shutil.copy(HOSTILE / "billion-laughs.yaml", films_dir / "all-of-us-strangers-2023.patch.yaml")
    p = subprocess.run(
        [sys.executable, "-m", "filmguide", "list"],
        capture_output=True,
        env={**os.environ, "FILMGUIDE_HOME": str(tmp_path / "home"), "FILMGUIDE_PATH": str(films_dir)},
        timeout=TIMEOUT,
    )
    assert p.returncode == 0, p
    assert b"canary-film-2001" in p.stdout
    err = p.stderr.decode()
    assert f"{films_dir / 'canary-film-2001.patch.yaml'}:1: nested more than 32 levels deep" in err
    assert f"{films_dir / 'all-of-us-strangers-2023.patch.yaml'}:8: anchors and aliases" in err


# --- 2. YAML a person means as text -------------------------------------------------------


def _show_json(run, query: str) -> dict:
    r = run("show", query, "--json")
    assert r.code == 0, r.err
    return json.loads(r.out)


def test_numbers_where_text_is_expected_stay_text(run, films_dir) -> None:
    copy_case("nineteen-eighty-four-1984.yaml", films_dir)
    assert _show_json(run, "1984")["title"] == "1984"


def test_yaml_booleans_and_nulls_as_words_stay_text(run, films_dir) -> None:
    copy_case("no-2012.yaml", films_dir)
    data = _show_json(run, "no")
    assert data["title"] == "No"
    assert data["aliases"] == ["yes", "on", "off", "null", "1.5e3"]
    assert data["genres"] == ["drama", "no"]


def test_dates_are_kept_as_written(run, films_dir) -> None:
    copy_case("dates-2020.yaml", films_dir)
    data = _show_json(run, "dates-2020")
    assert data["title"] == "2046-01-01"
    assert data["watch"][0]["as_of"] == "2024-03-01"


def test_a_utf8_byte_order_mark_is_fine(run, films_dir) -> None:
    copy_case("bom-2020.yaml", films_dir)
    assert _show_json(run, "byte order mark")["id"] == "bom-2020"


# --- 3. Text that must not drive the terminal --------------------------------------------------

HOSTILE_ID = "hostile-text-2020"
OUTPUTS = [
    (["show", HOSTILE_ID, "--plain"], False),
    (["show", HOSTILE_ID, "--color", "always"], True),
    (["show", HOSTILE_ID], False),
    (["theories", HOSTILE_ID, "--color", "always"], True),
    (["quotes", HOSTILE_ID, "--plain"], False),
    (["quotes", HOSTILE_ID, "--color", "always"], True),
    (["timeline", HOSTILE_ID, "--plain"], False),
    (["timeline", HOSTILE_ID, "--color", "always"], True),
    (["ending", HOSTILE_ID, "--spoilers", "--plain"], False),
    (["ending", HOSTILE_ID, "--spoilers", "--color", "always"], True),
    (["list"], False),
    (["list", "--color", "always"], True),
    *((["export", HOSTILE_ID, "--format", f], False) for f in ("text", "markdown", "html", "discord", "reddit")),
    *((["export", HOSTILE_ID, "--format", f, "--spoilers=wrap"], False) for f in ("markdown", "html", "reddit")),
]


@pytest.mark.parametrize(("args", "rich"), OUTPUTS, ids=[" ".join(a[:1] + a[2:]) for a, _ in OUTPUTS])
def test_hostile_text_is_inert_and_markup_prints_literally(run, films_dir, args, rich) -> None:
    copy_case(f"{HOSTILE_ID}.yaml", films_dir)
    r = run(*args)
    assert r.code == 0, r.err
    assert_inert(r.out, rich)
    assert_inert(r.err)
    seen = SGR.sub("", r.out)
    assert "52;c;" not in seen and "osc8.example" not in seen  # the clipboard write and the OSC 8 link went whole
    if args[0] in ("show", "list") and "--format" not in args:
        assert "[bold red]Zqhostile[/]" in seen  # Rich markup in a title is text
    if args[0] == "show":
        assert "[bold]not bold[/bold]" in seen and ":smile:" in seen
    if "--spoilers" not in args and "--spoilers=wrap" not in args:
        assert "zqhidden" not in seen.lower()


def test_rich_markup_in_dossier_text_changes_no_style(run, films_dir) -> None:
    """`[bold red]…[/]` in a title: the title is drawn in its usual style, the brackets as text."""
    copy_case(f"{HOSTILE_ID}.yaml", films_dir)
    out = run("show", HOSTILE_ID, "--color", "always").out
    line = next(line for line in out.splitlines() if "Zqhostile" in line)
    assert line.startswith("\x1b[1;35m[bold red]Zqhostile[/]"), repr(line)  # the title's own bold magenta
    assert "\x1b[31m" not in out  # no red from the dossier's markup or its escape codes


def test_json_keeps_the_original_text_escaped(run, films_dir) -> None:
    copy_case(f"{HOSTILE_ID}.yaml", films_dir)
    original = yaml.safe_load((HOSTILE / f"{HOSTILE_ID}.yaml").read_text())
    for args in (["show", HOSTILE_ID, "--json"], ["export", HOSTILE_ID, "--format", "json"]):
        r = run(*args)
        assert r.code == 0, r.err
        assert_inert(r.out)  # \u001b, \u009b and \u202e as escapes: no raw byte reaches the screen
        data = json.loads(r.out)
        assert data["title"] == original["title"]
        assert data["premise"] == original["premise"]
        assert data["directors"] == original["directors"]
        assert data["beats"][0]["text"] == original["beats"][0]["text"]


def test_the_ending_prompt_and_errors_name_the_title_cleanly(run, films_dir) -> None:
    copy_case(f"{HOSTILE_ID}.yaml", films_dir)
    refused = run("ending", HOSTILE_ID)
    assert refused.code == 5
    assert "Zqhostile" in refused.err
    assert_inert(refused.err)
    seen = run("seen", HOSTILE_ID)
    assert seen.code == 0 and "Zqhostile" in seen.err
    assert_inert(seen.err)


@pytest.mark.parametrize("columns", ["20", "80", "300", "5", "0"])
@pytest.mark.parametrize(
    "args",
    [
        ["show", "long-text-2020", "--color", "always"],
        ["show", "long-text-2020", "--plain"],
        ["quotes", "long-text-2020", "--color", "always"],
        ["timeline", "long-text-2020", "--color", "always"],
        ["timeline", "long-text-2020", "--plain"],
        ["list", "--color", "always"],
        ["export", "long-text-2020", "--format", "html"],
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) else a,
)
def test_long_words_emoji_and_right_to_left_text_fit_any_width(run, films_dir, args, columns) -> None:
    """10,000-character paragraphs, a 3,000-letter word, emoji, combining marks and a Hebrew title."""
    from rich.cells import cell_len

    copy_case("long-text-2020.yaml", films_dir)
    r = run(*args, env={"COLUMNS": columns})
    assert r.code == 0, r.err
    assert r.out.strip()
    if "always" in args:
        width = {"0": 80, "5": 20}.get(columns, int(columns))  # COLUMNS=0 is unknown; narrower than 20 is drawn at 20
        lines = [SGR.sub("", line) for line in r.out.splitlines()]
        if args[0] == "list":  # an id is written whole even past the edge, and the terminal wraps it
            lines = [line for line in lines if not re.fullmatch(r"\s*[a-z0-9-]+-\d{4}", line)]
        widest = max(cell_len(line) for line in lines)
        assert widest <= width, (widest, width)
        assert_inert(r.out, rich=True)
    else:
        assert_inert(r.out)


def test_empty_strings_render_without_crashing() -> None:
    """The validator refuses empty text, but the renderers must not depend on that."""
    from filmguide import render
    from filmguide.model import Beat, Dossier, Ending, Grade, Quote, Theory
    from filmguide.policy import Allowance, redact
    from filmguide.render.json_ import dumps, view_data
    from filmguide.render.layout import layout
    from filmguide.render.markup import MARKUPS, render_markup
    from filmguide.render.plain import render_plain
    from filmguide.render.rich_ import render_rich
    from filmguide.render.timeline import render_plain_timeline, render_rich_timeline

    d = Dossier(
        schema=1,
        id="e-2000",
        title="",
        year=2000,
        runtime=1,
        directors=("",),
        premise="",
        beats=(Beat("", Grade.NONE, 0), Beat("", Grade.MAJOR, 1)),
        ending=Ending("", ""),
        theories=(Theory("", "", Grade.NONE, ""),),
        quotes=(Quote("", "", "", Grade.NONE),),
    )
    from rich.console import Console

    for level in (Grade.NONE, Grade.MAJOR):
        view = redact(d, Allowance(level))
        doc = layout(view, render.EXPORT)
        render_plain(doc)
        for name in MARKUPS:
            render_markup(doc, name)
        json.loads(dumps(view_data(view, render.EXPORT)))
        for width in (20, 80, 300):
            console = Console(width=width, file=open(os.devnull, "w"), force_terminal=True)  # noqa: SIM115
            console.print(render_rich(doc))
            console.print(render_rich_timeline(view, width))
            render_plain_timeline(view, width)
            console.file.close()


# --- 4. Folders ------------------------------------------------------------------------


def _listing(run) -> tuple[list[str], list[str]]:
    r = run("list")
    assert r.code == 0, r.err
    assert "Traceback" not in r.err
    return [line.split("\t")[0] for line in r.out.splitlines()], [
        line for line in r.err.splitlines() if "warning" in line
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file; see the simulated test below")
def test_unreadable_file(run, films_dir) -> None:
    path = write_dossier(films_dir, "locked-2020")
    path.chmod(0)
    try:
        ids, warnings = _listing(run)
        assert "locked-2020" not in ids and "all-of-us-strangers-2023" in ids
        assert warnings == [f"filmguide: warning: skipped {path}: cannot be read: permission denied"]
    finally:
        path.chmod(0o644)


def test_unreadable_file_simulated(run, films_dir, monkeypatch) -> None:
    import filmguide.yamlread

    path = write_dossier(films_dir, "locked-2020")
    real_open = os.open

    def deny(p, *args, **kwargs):
        if str(p) == str(path):
            raise PermissionError(13, "Permission denied", str(p))
        return real_open(p, *args, **kwargs)

    monkeypatch.setattr(filmguide.yamlread.os, "open", deny)
    ids, warnings = _listing(run)
    assert "locked-2020" not in ids and "all-of-us-strangers-2023" in ids
    assert warnings == [f"filmguide: warning: skipped {path}: cannot be read: permission denied"]


def test_symlink_loop(run, films_dir) -> None:
    (films_dir / "loop-a-2020.yaml").symlink_to("loop-b-2020.yaml")
    (films_dir / "loop-b-2020.yaml").symlink_to("loop-a-2020.yaml")
    write_dossier(films_dir, "fine-2020")
    ids, warnings = _listing(run)
    assert "fine-2020" in ids
    assert len(warnings) == 2 and all("cannot be read: it is a loop of symbolic links" in w for w in warnings)


def test_a_folder_loop_on_the_path(run, tmp_path, monkeypatch) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    monkeypatch.setenv("FILMGUIDE_PATH", str(tmp_path / "loop"))
    ids, warnings = _listing(run)
    assert "all-of-us-strangers-2023" in ids
    assert len(warnings) == 1 and "cannot be listed" in warnings[0]


def test_a_folder_named_yaml_and_other_files_are_ignored(run, films_dir) -> None:
    (films_dir / "folder-2020.yaml").mkdir()
    (films_dir / "notes.txt").write_text("not a dossier")
    (films_dir / "film.yml").write_text("- not read: only .yaml is")
    (films_dir / ".hidden-2020.yaml").write_text("- not read either")
    (films_dir / "README.md").write_text("# hi")
    write_dossier(films_dir, "fine-2020")
    ids, warnings = _listing(run)
    assert "fine-2020" in ids and warnings == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_yaml_does_not_hang(films_dir, tmp_path) -> None:
    """Before the fix, opening the FIFO blocked every command forever."""
    os.mkfifo(films_dir / "pipe-2020.yaml")
    (films_dir / "zero-2020.yaml").symlink_to(os.devnull)
    write_dossier(films_dir, "fine-2020")
    p = subprocess.run(
        [sys.executable, "-m", "filmguide", "list"],
        capture_output=True,
        env={**os.environ, "FILMGUIDE_HOME": str(tmp_path / "home"), "FILMGUIDE_PATH": str(films_dir)},
        timeout=TIMEOUT,
    )
    assert p.returncode == 0
    assert b"fine-2020" in p.stdout
    err = p.stderr.decode()
    assert f"skipped {films_dir / 'pipe-2020.yaml'}: is not a regular file" in err
    assert f"skipped {films_dir / 'zero-2020.yaml'}: is not a regular file" in err


def test_a_dossier_that_disappears_between_listing_and_reading(run, films_dir, monkeypatch) -> None:
    import filmguide.dossier

    gone = write_dossier(films_dir, "gone-2020")
    write_dossier(films_dir, "fine-2020")
    real = filmguide.dossier.read_text

    def vanish_then_read(path, label=None):
        if Path(path).name == gone.name:
            gone.unlink(missing_ok=True)
        return real(path, label)

    monkeypatch.setattr(filmguide.dossier, "read_text", vanish_then_read)
    ids, warnings = _listing(run)
    assert "fine-2020" in ids and "gone-2020" not in ids
    assert warnings == [f"filmguide: warning: skipped {gone}: no such file"]
    monkeypatch.setattr(filmguide.dossier, "read_text", real)  # not undo(): that would undo FILMGUIDE_HOME too
    ids, warnings = _listing(run)  # and the next command has forgotten it
    assert "gone-2020" not in ids and warnings == []


def test_validate_a_file_that_does_not_exist(run, tmp_path) -> None:
    r = run("validate", str(tmp_path / "nope-2020.yaml"))
    assert r.code == 6
    assert r.out == f"{tmp_path / 'nope-2020.yaml'}: no such file\n"


def test_a_symlink_under_another_name_is_reported_not_doubled(run, films_dir) -> None:
    """Decision: ids equal file names, so `alias-2020.yaml -> real-2020.yaml` is the same dossier under a
    wrong name. The real one is listed once; the link is one warning saying why; `validate` fails."""
    write_dossier(films_dir, "real-2020")
    link = films_dir / "alias-2020.yaml"
    link.symlink_to("real-2020.yaml")
    ids, warnings = _listing(run)
    assert ids.count("real-2020") == 1 and "alias-2020" not in ids
    assert warnings == [
        f"filmguide: warning: skipped {link}:2: id: does not match the file name "
        "(a dossier's id is its file name without .yaml)"
    ]
    assert run("validate").code == 6


def test_a_symlink_with_the_right_name_is_a_dossier_kept_elsewhere(run, films_dir, tmp_path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = write_dossier(elsewhere, "kept-2020")
    (films_dir / "kept-2020.yaml").symlink_to(target)
    ids, warnings = _listing(run)
    assert "kept-2020" in ids and warnings == []


def test_the_same_folder_twice_on_the_path_counts_once(run, films_dir, monkeypatch) -> None:
    write_dossier(films_dir, "once-2020")
    link = films_dir.parent / "films-link"
    link.symlink_to(films_dir)
    monkeypatch.setenv("FILMGUIDE_PATH", os.pathsep.join([str(films_dir), str(link), str(films_dir)]))
    ids, warnings = _listing(run)
    assert ids.count("once-2020") == 1 and warnings == []


def test_a_read_only_data_folder(run, isolated, monkeypatch) -> None:
    """`new` into a folder it cannot write: one clear line, exit 1, nothing half-written."""
    import filmguide.atomic

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(filmguide.atomic.tempfile, "mkstemp", refuse)
    r = run("new", "Read Only", "--year", "2020")
    assert r.code == 1
    folder = isolated / "data" / "films"
    assert r.err == f"filmguide: {folder / 'read-only-2020.yaml'}: cannot be written: Permission denied\n"
    assert not (folder / "read-only-2020.yaml").exists()
    listing = run("list")  # reading still works
    assert listing.code == 0 and "all-of-us-strangers-2023" in listing.out


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_data_folder_for_real(run, isolated) -> None:
    folder = isolated / "data" / "films"
    folder.mkdir(parents=True)
    folder.chmod(0o555)
    try:
        r = run("new", "Read Only", "--year", "2020")
        assert r.code == 1 and "cannot be written" in r.err
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


# --- 5. Arguments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "../../../etc/passwd",
        "/etc/passwd",
        "~/.ssh/id_rsa",
        str(HOSTILE / f"{HOSTILE_ID}.yaml"),
        f"tests/fixtures/hostile/{HOSTILE_ID}.yaml",
        "file:///etc/passwd",
    ],
)
def test_a_title_that_looks_like_a_path_is_never_read(run, title) -> None:
    r = run("show", title)
    assert r.code == 3, r
    assert "zqhostile" not in (r.out + r.err).lower()  # the dossier at that path was not read
    assert "root:" not in r.out + r.err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["show", "--", "--spoilers"], 3, "no film matches '--spoilers'"),
        (["show", "strangers", "--", "--spoilers"], 2, "Got unexpected extra argument(s) (--spoilers)"),
        (["export", "--", "--spoilers"], 3, "no film matches '--spoilers'"),
        (["show", ""], 2, "the title is empty"),
        (["show", "   "], 2, "the title is empty"),
        (["show", "x" * 10_240], 2, "the title is 10240 characters long"),
        (["ending", "x" * 10_240], 2, "the title is 10240 characters long"),
        (["show", "\x1b[2J\x1b]52;c;eA==\x07"], 3, "no film matches"),
    ],
)
def test_odd_arguments_get_a_clear_message(run, args, code, message) -> None:
    r = run(*args)
    assert r.code == code, r
    assert message in r.err
    assert "Traceback" not in r.err and "internal error" not in r.err
    assert "major spoilers" not in r.out  # `-- --spoilers` is a title, never the flag
    assert_inert(r.err)


def _child(args: list[bytes | str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "filmguide", *args],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=TIMEOUT,
    )


def _env(tmp_path: Path, **extra: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FILMGUIDE_", "XDG_")) or k in KEEP_ENV}
    env.update(FILMGUIDE_HOME=str(tmp_path / "home"), PYTHONDONTWRITEBYTECODE="1")
    for k, v in extra.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def test_invalid_utf8_in_a_title(tmp_path) -> None:
    show = _child([b"show", b"caf\xff\x9b2J"], _env(tmp_path), tmp_path)
    assert show.returncode == 3, show
    assert show.stderr.count(b"\n") == 1 and b"Traceback" not in show.stderr
    assert b"\x9b" not in show.stderr


def _weird_name(tmp_path: Path) -> tuple[dict[str, str], bytes]:
    films = tmp_path / "films"
    films.mkdir()
    weird = os.fsencode(films) + b"/caf\xff\x9b2J-2020.yaml"
    Path(os.fsdecode(weird)).write_text("schema: 1\n", encoding="utf-8")
    return _env(tmp_path, FILMGUIDE_PATH=str(films)), weird


def test_invalid_utf8_in_a_file_name(tmp_path) -> None:
    """Bytes that are not UTF-8 reach Python as lone surrogates; they are shown as U+FFFD, never written raw."""
    env, weird = _weird_name(tmp_path)
    for args in ([b"validate", weird], [b"lint", weird], [b"validate", os.path.dirname(weird)]):
        p = _child(args, env, tmp_path)
        assert p.returncode in (0, 6), p
        assert b"Traceback" not in p.stderr and b"internal error" not in p.stderr
        for stream in (p.stdout, p.stderr):
            assert b"\x9b" not in stream and b"\xff" not in stream  # no raw 8-bit CSI from the file name
            assert_inert(stream.decode("utf-8"))
    as_json = _child([b"validate", b"--json", weird], env, tmp_path)
    data = json.loads(as_json.stdout)  # valid UTF-8 JSON; the name is escaped, not lost
    assert data["problems"][0]["file"] == os.fsdecode(weird)


def test_invalid_utf8_file_name_in_a_catalog_folder(tmp_path) -> None:
    env, _ = _weird_name(tmp_path)
    for args in ([b"list"], [b"show", b"strangers"], [b"validate"]):
        p = _child(args, env, tmp_path)
        assert p.returncode in (0, 6), p
        assert b"internal error" not in p.stderr and b"Traceback" not in p.stderr
        assert b"\x9b" not in p.stdout + p.stderr and b"\xff" not in p.stdout + p.stderr


# --- 6. Environment --------------------------------------------------------------------------


def test_filmguide_path_with_empty_missing_and_relative_entries(run, tmp_path, monkeypatch) -> None:
    films = tmp_path / "films"
    films.mkdir()
    write_dossier(films, "relative-2020")
    monkeypatch.chdir(tmp_path)
    sep = os.pathsep
    monkeypatch.setenv("FILMGUIDE_PATH", f"{sep}{sep}films{sep}{tmp_path / 'missing'}{sep} {sep}")
    paths = run("paths")
    assert paths.code == 0
    rows = [line.split("\t") for line in paths.out.splitlines()]
    assert rows[0] == ["FILMGUIDE_PATH", str(films), "exists", "1"]
    assert rows[1] == ["FILMGUIDE_PATH", str(tmp_path / "missing"), "missing", "0"]
    assert [r[0] for r in rows[2:]] == ["user", "built-in"]
    ids, warnings = _listing(run)
    assert "relative-2020" in ids and warnings == []


def test_filmguide_path_with_escape_codes_is_shown_cleanly(run, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FILMGUIDE_PATH", str(tmp_path / "x\x1b[2Jy"))
    for args in (["paths"], ["paths", "--color", "always"]):
        r = run(*args)
        assert r.code == 0
        assert_inert(r.out, rich="always" in args)
    assert json.loads(run("paths", "--json").out)[0]["path"] == str(tmp_path / "x\x1b[2Jy")  # JSON keeps it


def test_home_unset(tmp_path) -> None:
    env = _env(tmp_path, HOME=None, FILMGUIDE_HOME=None, FILMGUIDE_PATH="~/films")
    for kind in ("DATA", "CONFIG", "STATE", "CACHE"):  # keep the real home's folders out of it
        env[f"XDG_{kind}_HOME"] = str(tmp_path / kind.lower())
    for args in (["paths"], ["list"], ["show", "strangers"], ["config"]):
        p = _child(args, env, tmp_path)
        assert p.returncode == 0, p
        assert p.stderr == b"", p.stderr


def test_xdg_folders_that_are_files(tmp_path) -> None:
    """Reading carries on (the folder cannot hold anything); writing says exactly what is wrong."""
    afile = tmp_path / "afile"
    afile.write_text("")
    env = _env(tmp_path, FILMGUIDE_HOME=None)
    for kind in ("DATA", "CONFIG", "STATE", "CACHE"):
        env[f"XDG_{kind}_HOME"] = str(afile)
    films = afile / "filmguide" / "films"
    for args in (["show", "strangers"], ["list"], ["config"]):
        p = _child(args, env, tmp_path)
        assert p.returncode == 0, p
        assert p.stderr.decode() in ("", f"filmguide: warning: skipped {films}: is not a folder\n")
    seen = _child(["seen", "strangers"], env, tmp_path)
    assert seen.returncode == 1
    last = seen.stderr.decode().splitlines()[-1]
    assert last == f"filmguide: {afile / 'filmguide' / 'seen.toml'}: cannot be written: Not a directory"


@pytest.mark.parametrize(
    "env",
    [
        {"TERM": "dumb"},
        {"NO_COLOR": "1"},
        {"TERM": "dumb", "FORCE_COLOR": "1"},
        {"COLUMNS": "5"},
        {"COLUMNS": "0"},
        {"COLUMNS": "-3"},
        {"COLUMNS": "wide"},
        {"LANG": "C", "LC_ALL": "C"},
    ],
    ids=lambda e: " ".join(f"{k}={v}" for k, v in e.items()),
)
def test_odd_terminals(tmp_path, env) -> None:
    films = tmp_path / "films"
    films.mkdir()
    copy_case(f"{HOSTILE_ID}.yaml", films)
    copy_case("long-text-2020.yaml", films)
    child_env = _env(tmp_path, FILMGUIDE_PATH=str(films), **env)
    for args in (["show", HOSTILE_ID], ["show", "long-text-2020", "--color", "always"], ["list"], ["timeline", "long"]):
        p = _child(args, child_env, tmp_path)
        assert p.returncode == 0, p
        assert p.stderr == b""
        out = p.stdout.decode("utf-8")
        assert_inert(out, rich="always" in args)
        if "always" not in args and "FORCE_COLOR" not in env:
            assert "\x1b" not in out


def test_a_latin1_terminal_gets_question_marks_not_an_error(tmp_path) -> None:
    films = tmp_path / "films"
    films.mkdir()
    copy_case("long-text-2020.yaml", films)
    env = _env(tmp_path, FILMGUIDE_PATH=str(films), PYTHONIOENCODING="latin-1")
    p = _child(["show", "long-text-2020"], env, tmp_path)
    assert p.returncode == 0, p
    assert b"Emoji ? and" in p.stdout or b"Emoji" in p.stdout
    assert p.stderr == b""


# --- 7. Clean failures: one line and a documented code, never "internal error" -------------------

NO_USER = "~nosuchuser-filmguide-test"


def _one_clean_line(r, code: int) -> str:
    assert r.code == code, r
    assert "internal error" not in r.err and "Traceback" not in r.err
    lines = r.err.splitlines()  # the first run may say it built the index; the error is the last line
    assert all(line.startswith("filmguide: ") for line in lines), r.err
    return lines[-1]


def test_an_upto_of_5000_digits_is_a_usage_error(run) -> None:
    for command in ("show", "timeline", "theories"):
        line = _one_clean_line(run(command, "strangers", "--upto", "9" * 5000), 2)
        assert line.startswith("filmguide: --upto takes a position of at most 16 characters: ") and len(line) < 200


@pytest.mark.parametrize("var", ["FILMGUIDE_PATH", "FILMGUIDE_HOME"])
def test_a_tilde_user_that_does_not_exist(run, monkeypatch, var) -> None:
    monkeypatch.setenv(var, f"{NO_USER}/films")
    for args in (["list"], ["paths"], ["show", "strangers"]):
        line = _one_clean_line(run(*args), 1)
        assert line == (
            f"filmguide: {var}: '{NO_USER}/films' starts with {NO_USER}, "
            f"but there is no user named '{NO_USER[1:]}'; give the folder in full"
        )


@pytest.mark.parametrize(
    ("editor", "says"),
    [
        ('vim "x', "filmguide: EDITOR has an unclosed quote, so it cannot be run; fix EDITOR"),
        ("{noexec}", "filmguide: editor '{noexec}' cannot be run: it is not an executable program; fix EDITOR"),
        ("{folder}", "filmguide: editor '{folder}' cannot be run: it is not an executable program; fix EDITOR"),
        ("{notprogram}", "filmguide: editor '{notprogram}' cannot be run: it is not a program this system can start"),
        ("no-such-editor-filmguide", "filmguide: editor 'no-such-editor-filmguide' not found; fix EDITOR"),
    ],
)
def test_an_editor_that_cannot_run_keeps_the_new_file(run, tmp_path, editor, says) -> None:
    names = {"noexec": tmp_path / "noexec", "folder": tmp_path, "notprogram": tmp_path / "notprogram"}
    names["noexec"].write_text("#!/bin/sh\n")  # not executable
    names["notprogram"].write_text("neither a script nor a program\n")
    names["notprogram"].chmod(0o755)
    films = tmp_path / "films"
    r = run(
        "new",
        "Paris, Texas",
        "--year",
        "1984",
        "--dir",
        str(films),
        "--edit",
        env={"VISUAL": None, "EDITOR": editor.format(**names)},
    )
    line = _one_clean_line(r, 1)
    kept = films / "paris-texas-1984.yaml"
    assert line.startswith(says.format(**names)) and line.endswith(f"(your file is kept: {kept})"), line
    assert kept.is_file()


def test_a_file_name_longer_than_the_system_allows(run, tmp_path) -> None:
    path = tmp_path / ("a" * 300 + ".yaml")
    for args in (["validate", str(path)], ["lint", str(path)]):
        r = run(*args)
        assert r.code == 6, r
        assert "internal error" not in r.err
        (line,) = r.out.splitlines()
        assert line.startswith(str(tmp_path)) and "\u2026" in line and len(line) < 400, line
        assert line.endswith(
            "aaa.yaml: cannot be read: its name is longer than the file system allows"
        ) or line.endswith("aaa.yaml: FG001 cannot be read: its name is longer than the file system allows"), line


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["show", "strangers"],
        ["show", "strangers", "--color", "always"],
        ["export", "--all", "--format", "json"],
    ],
    ids=" ".join,
)
def test_output_to_a_full_disk(tmp_path, args) -> None:
    with open("/dev/full", "wb") as full:
        p = subprocess.run(
            [sys.executable, "-m", "filmguide", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            env=_env(tmp_path),
            timeout=TIMEOUT,
        )
    assert p.returncode == 1, p
    assert p.stderr.decode().splitlines()[-1] == "filmguide: no space was left for the output"
    assert b"internal error" not in p.stderr


@pytest.mark.parametrize("line", ['level = "{big}"', '{big} = "major"', 'level = "{big}\\n{big}"'])
def test_a_2mb_config_value_or_key_is_not_echoed_whole(run, isolated, line) -> None:
    config = isolated / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text(line.format(big="x" * 2_000_000) + "\n", encoding="utf-8")
    r = run("show", "strangers")
    assert r.code != 0 and "internal error" not in r.err
    assert len(r.err) < 1000 and len(r.err.splitlines()) == 1, len(r.err)
