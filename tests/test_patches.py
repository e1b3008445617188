"""<id>.patch.yaml: add to a built-in dossier without copying it."""

from __future__ import annotations

import json

SEED = "all-of-us-strangers-2023"


def _patch(isolated, text: str, film: str = SEED):
    folder = isolated / "data" / "films"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{film}.patch.yaml"
    path.write_text(text)
    return path


THEORY = """\
theories:
  - title: My own reading
    text: zqpatchtheory is what I think.
    grade: none
    held_by: me
quotes:
  - text: zqpatchquote
    speaker: A friend
    source: a conversation
    grade: major
watch:
  - service: My Library
    region: GB
    as_of: "2026"
"""


def test_a_patch_appends_and_is_marked(run, isolated) -> None:
    path = _patch(isolated, THEORY)
    base = json.loads(run("export", SEED, "--format", "json", "--spoilers").out)
    theories = run("theories", SEED)
    assert theories.code == 0
    assert "zqpatchtheory" in theories.out and "Added by: your patch" in theories.out
    shown = run("show", SEED)
    assert f"Your patch: {path}" in shown.out and "My Library" in shown.out and "from your patch" in shown.out
    # The patch's quote is graded major: hidden like any other.
    assert "zqpatchquote" not in run("quotes", SEED).out
    assert "zqpatchquote" in run("quotes", SEED, "--spoilers").out
    assert [t["title"] for t in base["theories"]][-1] == "My own reading"
    assert len(base["quotes"]) >= 2 and base["quotes"][-1]["text"] == "zqpatchquote"


def test_a_patch_replaces_scalars(run, isolated) -> None:
    _patch(isolated, "premise: zqpatchpremise, in my words.\nruntime: 106\n")
    data = json.loads(run("show", SEED, "--json").out)
    assert data["premise"] == "zqpatchpremise, in my words." and data["runtime"] == 106


def test_validate_checks_patches_against_their_base(run, isolated) -> None:
    path = _patch(isolated, "id: other\ntheories:\n  - title: t\n    text: x\n    grade: huge\n    held_by: me\n")
    r = run("validate", str(path))
    assert r.code == 6
    assert f"{path}:1: id: a patch cannot change" in r.out
    assert f"{path}:5: theories[0].grade: expected one of none, minor, major" in r.out
    assert run("validate").code == 6
    path.write_text("beats:\n  - text: late\n    grade: none\n    at: 500\n")
    r = run("validate", str(path))
    assert r.code == 6 and "beats[14].at: the minute is past the film's runtime" in r.out


def test_a_broken_patch_leaves_the_film_as_it_was(run, isolated) -> None:
    _patch(isolated, "premise: [not, text]\n")
    r = run("show", SEED, "--json")
    assert r.code == 0
    assert json.loads(r.out)["premise"].startswith("Adam")
    assert r.err.count("warning") == 1 and "premise: expected text, got a list" in r.err


def test_a_patch_for_a_missing_film_is_reported(run, isolated) -> None:
    path = _patch(isolated, "premise: x\n", film="no-such-film-1999")
    r = run("list")
    assert r.code == 0 and f"{path}: patches 'no-such-film-1999', which is not in the catalog" in r.err
