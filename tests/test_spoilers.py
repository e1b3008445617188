"""The promise: nothing above the allowed grade reaches any output.

The canary dossier (tests/fixtures/canary) holds a unique marker word in every
graded text. Each command runs in every output format at every grade; a
marker must appear exactly when its grade is allowed and its section is part
of the command, and never otherwise.
"""

from __future__ import annotations

import json
import re

import pytest

MARKERS = {
    # marker: (grade, section)
    "zqnonebeat": ("none", "beats"),
    "zqminorbeat": ("minor", "beats"),
    "zqminornoat": ("minor", "beats"),
    "zqnoneact": ("none", "acts"),
    "zqmajoract": ("major", "acts"),
    "zqmajorbeat": ("major", "beats"),
    "zqendingwhat": ("major", "ending"),
    "zqendingmeaning": ("major", "ending"),
    "zqminortheory": ("minor", "theories"),
    "zqminortheorytitle": ("minor", "theories"),
    "zqminorholder": ("minor", "theories"),
    "zqmajortheory": ("major", "theories"),
    "zqmajortheorytitle": ("major", "theories"),
    "zqmajorholder": ("major", "theories"),
    "zqmajorfilmmakers": ("major", "theories"),
    "zqnonequote": ("none", "quotes"),
    "zqminorquote": ("minor", "quotes"),
    "zqmajorquote": ("major", "quotes"),
    "zqmajorspeaker": ("major", "quotes"),
    "zqmajorsource": ("major", "quotes"),
    "zqnonerole": ("none", "credits"),
    "zqmajorrole": ("major", "credits"),
    "zqmajoralias": ("major", "credits"),
    "zqnonepremise": ("none", "premise"),
    "zqmajorrelated": ("major", "related"),
}
NEVER = ["zqsecretword"]  # secrets are for the linter only
RANK = {"none": 0, "minor": 1, "major": 2}

SECTIONS = {
    "show": {"credits", "premise", "beats", "ending"},
    "theories": {"theories"},
    "quotes": {"quotes"},
    "export": {"credits", "premise", "beats", "ending", "theories", "quotes", "related"},
    "timeline": {"beats", "acts"},
}
LEVELS = {
    "none": [],
    "minor": ["--level", "minor"],
    "major": ["--level", "major"],
    "spoilers": ["--spoilers"],
}
FORMATS = {
    "show": [["--plain"], ["--json"], ["--color", "always"], []],
    "theories": [["--plain"], ["--json"], ["--color", "always"]],
    "quotes": [["--plain"], ["--json"], ["--color", "always"]],
    "export": [["--format", f] for f in ("text", "markdown", "html", "discord", "reddit", "json")],
    "timeline": [["--plain"], ["--json"], ["--color", "always"]],
}


def _check(out: str, command: str, allowed: int, ending: bool = False) -> None:
    """``ending``: the ending may be shown (only --spoilers allows it; --level major does not)."""
    low = out.lower()
    for marker, (grade, section) in MARKERS.items():
        visible = RANK[grade] <= allowed and section in SECTIONS[command] and (section != "ending" or ending)
        if visible:
            assert marker in low, f"{marker} ({grade}) should be shown by {command}"
        else:
            assert marker not in low, f"{marker} ({grade}) leaked from {command}"
    for marker in NEVER:
        assert marker not in low


@pytest.mark.parametrize("command", list(SECTIONS))
@pytest.mark.parametrize("level", list(LEVELS))
def test_every_command_every_format_every_grade(run, canary, command, level) -> None:
    allowed = 2 if level == "spoilers" else RANK[level]
    for fmt in FORMATS[command]:
        r = run(command, "canary film", *LEVELS[level], *fmt)
        assert r.code == 0, r.err
        _check(r.out, command, allowed, ending=level == "spoilers")
        _check(r.err, command, -1)  # stderr never holds dossier text
        if "--json" in fmt or "json" in fmt:
            json.loads(r.out)


def test_export_all_is_as_safe_as_export_one(run, canary) -> None:
    for fmt in ("text", "markdown", "json"):
        r = run("export", "--all", "--format", fmt)
        assert r.code == 0, r.err
        _check(r.out, "export", 0)


def test_ending_reveals_only_with_consent(run, canary) -> None:
    for fmt in (["--plain"], ["--json"], ["--color", "always"]):
        refused = run("ending", "canary film", *fmt)
        assert refused.code == 5
        assert refused.out == ""
        assert "--spoilers" in refused.err
        _check(refused.err, "show", -1)
        shown = run("ending", "canary film", "--spoilers", *fmt)
        assert shown.code == 0
        assert "zqendingwhat" in shown.out.lower() and "zqendingmeaning" in shown.out.lower()
        assert "zqmajorbeat" not in shown.out.lower()  # the ending command shows the ending only


def test_a_piped_yes_is_not_consent(run, canary) -> None:
    r = run("ending", "canary film", input="y\n")
    assert r.code == 5
    assert r.out == ""
    assert "zqending" not in r.err.lower()


def test_hidden_placeholder_does_not_betray_length(run, canary, films_dir) -> None:
    short = run("show", "canary film").out
    text = (films_dir / "canary-film-2001.yaml").read_text()
    (films_dir / "canary-film-2001.yaml").write_text(
        text.replace("Zqmajorbeat gives the twist away.", "Zqmajorbeat " + "and much more " * 200)
    )
    long = run("show", "canary film").out
    assert short == long


@pytest.mark.parametrize("query", ["canary film zqmajoralia", "canary flim", "kanarienfim", "zqmajoralias"])
def test_suggestions_never_show_a_major_alias(run, canary, query) -> None:
    r = run("show", query)
    assert "zqmajoralias" not in r.err.lower().replace(query.lower(), "")
    assert "zqmajoralias" not in r.out.lower()


def test_a_major_alias_does_not_find_the_film(run, canary) -> None:
    r = run("show", "Canary Film Zqmajoralias")
    # The title's start still matches; the alias itself is never used or echoed back as a name.
    assert "zqmajoralias" not in r.out.lower()


def test_completion_offers_no_major_alias(canary) -> None:
    """Through the real shell entry point: a major alias is neither offered nor a way to find the film."""
    from .test_completion import _complete

    for word in ("can", "", "zqmajor"):
        offered = _complete("zsh", word).lower()
        assert "zqmajoralias" not in offered
        assert ("canary-film-2001" in offered) == (word != "zqmajor"), word


def test_level_major_shows_every_major_item_but_not_the_ending(run, canary) -> None:
    r = run("show", "canary film", "--level", "major")
    assert "zqmajorbeat" in r.out.lower() and "zqending" not in r.out.lower()
    assert "1 ending hidden (1 major) — --spoilers in place of --level for everything" in r.out


@pytest.mark.parametrize(
    "args",
    [
        ["show", "canary film", "--upto", "40", "--spoilers"],
        ["theories", "canary film", "--level", "minor", "--spoilers"],
        ["timeline", "canary film", "--spoilers", "--upto", "10"],
        ["search", "zqnonebeat", "--level", "minor", "--spoilers"],
        ["export", "canary film", "--spoilers=show", "--level", "minor"],
        ["export", "canary film", "--spoilers", "--upto", "40"],
    ],
)
def test_contradictory_flags_are_a_usage_error_naming_both(run, canary, args) -> None:
    r = run(*args)
    assert r.code == 2 and r.out == ""
    spoilers = "--spoilers=show" if args[0] == "export" else "--spoilers"
    other = "--upto" if "--upto" in args else "--level"
    assert f"{spoilers} and {other} contradict each other" in r.err
    assert "zq" not in r.err.lower()


def test_wrap_and_omit_combine_with_level_and_upto(run, canary) -> None:
    for mode in ("wrap", "omit"):
        r = run("export", "canary film", "--format", "markdown", f"--spoilers={mode}", "--level", "minor")
        assert r.code == 0, r.err
        assert "zqminorbeat" in r.out.lower()


def test_upto_at_the_end_shows_everything(run, canary) -> None:
    runtime = json.loads(run("show", "canary film", "--json").out)["runtime"]
    for at in (str(runtime), "100%"):
        for command in ("show", "theories", "quotes", "timeline", "export"):
            r = run(command, "canary film", "--upto", at)
            assert r.code == 0, r.err
            low = r.out.lower()
            assert not re.search(r"\d+ [a-z ]+ hidden \(", low), command
            assert "raise --upto" not in low and "--spoilers" not in low
        _check(run("export", "canary film", "--upto", at).out, "export", 2, ending=True)


def test_hints_suggest_only_what_reveals_more_and_never_a_flag_given(run, canary) -> None:
    minor = run("show", "canary film", "--level", "minor").out
    assert "add --level" not in minor and "add --spoilers" not in minor
    assert "--spoilers in place of --level" in minor
    upto = run("timeline", "canary film", "--upto", "30").out
    assert "watch further and raise --upto" in upto and "--spoilers" not in upto
    theories = run("theories", "canary film", "--upto", "30").out  # theories have no minute: --upto cannot help
    assert "raise --upto" not in theories and "--spoilers" not in theories
    assert "add --level minor" in theories
    plain = run("show", "canary film").out
    assert "add --level minor, or --spoilers for everything" in plain


@pytest.mark.parametrize("command", ["show", "theories", "quotes", "timeline", "export", "search"])
def test_never_and_level_major_hide_the_ending_everywhere(run, canary, command) -> None:
    env = {"FILMGUIDE_LEVEL": "major", "FILMGUIDE_SPOILERS": "never"}
    args = ["zqendingwhat"] if command == "search" else ["canary film"]
    r = run(command, *args, env=env)
    assert "zqendingwhat" not in r.out.lower() and "zqendingmeaning" not in r.out.lower()
    refused = run("ending", "canary film", env=env)
    assert refused.code == 5 and "spoilers = never (environment" in refused.err


def test_export_is_for_other_people_only_the_flags_count(run, canary, isolated) -> None:
    (isolated / "config").mkdir()
    (isolated / "config" / "config.toml").write_text('spoilers = "seen"\nlevel = "major"\n')
    assert run("seen", "canary film").code == 0
    assert "zqendingwhat" in run("show", "canary film").out.lower()  # the user's own view: everything
    for fmt in ("text", "markdown", "html", "discord", "reddit", "json"):
        r = run("export", "canary film", "--format", fmt, "--spoilers=omit")
        assert r.code == 0, r.err
        _check(r.out, "export", 0)
    r = run("export", "canary film", "--format", "reddit", "--level", "minor")
    _check(r.out, "export", 1)


def test_json_hidden_counts_match(run, canary) -> None:
    data = json.loads(run("show", "canary film", "--json").out)
    assert data["hidden"]["beats"] == {"minor": 2, "major": 1}
    assert data["hidden"]["ending"] == {"minor": 0, "major": 1}
    assert data["hidden"]["cast"] == {"minor": 0, "major": 1}
    assert [b["text"] for b in data["beats"]] == ["Zqnonebeat opens the film."]
    assert data["ending"] is None


def test_validation_messages_do_not_quote_dossier_prose(run, films_dir) -> None:
    (films_dir / "leaky-2000.yaml").write_text(
        "schema: 1\nid: leaky-2000\ntitle: Leaky\nyear: 2000\nruntime: 90\ndirectors: [D]\npremise: P\n"
        "beats:\n  - text: t\n    grade: major\n    at: zqprose the hero was dead all along\n"
    )
    for args in (["list"], ["validate"], ["show", "leaky"]):
        r = run(*args)
        assert "beats[0].at: expected a whole number, got text" in r.both
        assert "zqprose" not in r.both


COMPLETE_SHELLS = {
    "zsh": {"_FILMGUIDE_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "filmguide show "},
    "fish": {
        "_FILMGUIDE_COMPLETE": "complete_fish",
        "_TYPER_COMPLETE_ARGS": "filmguide show ",
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
    },
}


def _complete(env: dict[str, str]) -> tuple[str, str]:
    """Shell completion through the real entry point, which ends in SystemExit as Click's does."""
    import sys

    from typer.testing import CliRunner

    from filmguide.cli import main

    with CliRunner().isolation(env=env) as (out, err, _):
        try:
            main([])
        except SystemExit as e:
            assert e.code in (0, None)
        sys.stdout.flush()
        return out.getvalue().decode(), err.getvalue().decode()


@pytest.mark.parametrize("shell", list(COMPLETE_SHELLS))
def test_completion_is_plain_text_never_markup(films_dir, shell) -> None:
    from .conftest import write_dossier

    write_dossier(films_dir, "markup-film-2001", title='"Closing [/] and [bold]bold[/bold] :smile: here"')
    write_dossier(films_dir, "plain-film-2001", title="Plain Film")
    out, err = _complete(COMPLETE_SHELLS[shell])
    assert err == ""
    assert "markup-film-2001" in out and "plain-film-2001" in out
    assert "Closing [/] and [bold]bold[/bold] :smile: here (2001)" in out.replace("\\\\:", ":")
    assert "😄" not in out


@pytest.mark.parametrize("spoilers_setting", ["ask", "seen", "never"])
@pytest.mark.parametrize("level_setting", ["none", "minor", "major"])
def test_allowances_for_many_films_resolve_as_each_film_alone(spoilers_setting, level_setting) -> None:
    """``Allowances`` resolves once for the films the seen list does not name: the same as film by film."""
    from filmguide.model import Grade
    from filmguide.policy import Allowances, Request, resolve_allowance

    settings = {"spoilers": spoilers_setting, "level": level_setting}
    seen = {"seen-2001"}
    for request in (
        Request(),
        Request(level=Grade.MINOR),
        Request(spoilers=True),
        Request(upto="50%"),
        Request(level=Grade.NONE, for_others=True),
    ):
        of = Allowances(request, settings, seen)
        for film in ("seen-2001", "other-2002", ""):
            assert of(film) == resolve_allowance(request, film, 1, settings, seen), (request, film)


def test_grade_limits_say_what_shows_says() -> None:
    """The two numbers search gives SQLite are ``Allowance.shows``, item by item, for every allowance."""
    import itertools

    from filmguide.model import Grade
    from filmguide.policy import Allowance

    for level, ending, upto, flags in itertools.product(
        Grade, (None, True, False), (None, 0, 600, 10**6), (frozenset(), frozenset({"--level"}))
    ):
        allowance = Allowance(level, upto, ending, flags)
        limits = allowance.grade_limits()
        if limits is None:
            assert upto is not None and not allowance.everything
            continue
        for section, grade, at, runtime in itertools.product(
            ("ending", "beats", "title", "quotes"), Grade, (None, 0, 5, 200), (1, 90, 300)
        ):
            limit = limits[0] if section == "ending" else limits[1]
            assert allowance.shows(section, grade, at, runtime) == (grade <= limit), (allowance, section, grade, at)
