"""`filmguide search` and `list`'s filters: spoiler-safe in every format.

The canary dossier holds a marker word in every graded text. Searching for a
marker must show it exactly when its grade is allowed; otherwise the film is
listed with a count of hidden matches and nothing of the hidden text.
"""

from __future__ import annotations

import json
import re

import pytest

from .conftest import write_dossier
from .test_spoilers import LEVELS, MARKERS, NEVER, RANK

CANARY_LINE = "canary-film-2001\tCanary Film\t2001"
FORMATS = {"plain": ["--plain"], "json": ["--json"], "rich": ["--color", "always"]}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _shown(out: str, fmt: str) -> str:
    """What the user reads: for JSON, every value but the query they typed themselves."""
    if fmt == "json":
        data = json.loads(out)
        assert data["format"] == "filmguide.search/1"
        return json.dumps(data["results"], ensure_ascii=False)
    return ANSI.sub("", out)


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("level", list(LEVELS))
def test_search_finds_only_what_the_level_shows(run, canary, level, fmt) -> None:
    allowed = 2 if level == "spoilers" else RANK[level]
    for marker, (grade, section) in MARKERS.items():
        r = run("search", marker, *LEVELS[level], *FORMATS[fmt])
        visible = RANK[grade] <= allowed and (section != "ending" or level == "spoilers")
        if visible:
            assert r.code == 0, (marker, r.err)
            shown = _shown(r.out, fmt).lower()
            assert "canary" in shown and marker in shown, f"{marker} ({grade}) should be found at {level}"
        else:  # hidden text is not matched: the same answer as for a word in no dossier at all
            nowhere = run("search", "zqnowhere", *LEVELS[level], *FORMATS[fmt])
            assert r.code == nowhere.code == 3, f"{marker} ({grade}) found at {level}"
            assert r.out.replace(marker, "X") == nowhere.out.replace("zqnowhere", "X")
            assert r.err.replace(marker, "X") == nowhere.err.replace("zqnowhere", "X")
        for never in NEVER:
            assert never not in r.out.lower()


def test_hidden_matches_are_not_counted_or_hinted_at(run, canary) -> None:
    footer = (
        "filmguide: searched what spoiler level none shows; add --level minor or major, or --spoilers to search more"
    )
    r = run("search", "zqendingwhat")
    assert (r.code, r.out) == (3, "")
    assert r.err == f"{footer}\nfilmguide: no film matches 'zqendingwhat'\n"
    r = run("search", "happens")  # only in the minor beat ("happens midway") and the ending ("is what happens")
    assert (r.code, r.out) == (3, "")
    r = run("search", "zqnonebeat")
    assert r.out == f"{CANARY_LINE}\n  plot, 10 min: Zqnonebeat opens the film.\n"
    assert r.err == footer + "\n"
    assert "hidden" not in json.dumps(json.loads(run("search", "zqnonebeat", "--json").out)["results"])


def test_the_footer_reads_the_same_whatever_is_hidden(run, canary, films_dir) -> None:
    path = films_dir / "canary-film-2001.yaml"
    before = [run("search", q, *flags) for q in ("zqnonebeat", "zqmajorbeat") for flags in ([], ["--level", "minor"])]
    path.write_text(path.read_text().replace("Zqmajorbeat gives the twist away.", "Zqmajorbeat " + "more " * 500))
    after = [run("search", q, *flags) for q in ("zqnonebeat", "zqmajorbeat") for flags in ([], ["--level", "minor"])]
    assert [(r.code, r.out, r.err) for r in before] == [(r.code, r.out, r.err) for r in after]
    assert run("search", "zqnonebeat", "--spoilers").err == ""  # everything searched: no footer
    assert "use --level major, or --spoilers in place of --level" in run("search", "x", "--level", "minor").err


def test_order_depends_only_on_visible_text(run, films_dir) -> None:
    """FTS5's rank counts hidden rows; a long hidden beat must not reorder the visible results."""

    def catalogue(hidden_words: int) -> list[str]:
        for i, name in enumerate(("alpha", "beta", "gamma")):
            body = "beats:\n  - text: " + ("lantern " * (hidden_words if i == 1 else 3)) + "\n    grade: major\n"
            write_dossier(films_dir, f"{name}-film-2001", body, premise=f"A {name} story with a lantern in it.")
        r = run("search", "lantern")
        assert r.code == 0
        return [line.split("\t")[0] for line in r.out.splitlines() if "\t" in line]

    short, long = catalogue(3), catalogue(3000)
    assert short == long == ["alpha-film-2001", "beta-film-2001", "gamma-film-2001"]


def test_spoilers_show_the_snippet_with_the_match_highlighted(run, canary) -> None:
    r = run("search", "zqmajorbeat", "--spoilers")
    assert r.out == f"{CANARY_LINE}\n  plot, 80 min: Zqmajorbeat gives the twist away.\n"
    data = json.loads(run("search", "zqmajorbeat", "--spoilers", "--json").out)
    match = data["results"][0]["matches"][0]
    assert match["section"] == "beats" and match["grade"] == "major" and match["at"] == 80
    start, end = match["highlights"][0]
    assert match["text"][start:end] == "Zqmajorbeat"
    rich = run("search", "zqmajorbeat", "--spoilers", "--color", "always").out
    assert "\x1b[" in rich and re.search(r"\x1b\[[0-9;]*m\s*Zqmajorbeat\x1b\[0m", rich)


def test_level_minor_finds_minor_and_not_major(run, canary) -> None:
    r = run("search", "zqminortheory", "--level", "minor")
    assert "zqminortheory" in r.out.lower()
    r = run("search", "zqmajortheory", "--level", "minor")
    assert (r.code, r.out) == (3, "")


def test_secrets_are_never_indexed(run, canary) -> None:
    r = run("search", "zqsecretword", "--spoilers")
    assert r.code == 3 and r.out == "" and "no film matches" in r.err


def test_seen_films_follow_the_setting(run, canary, isolated) -> None:
    (isolated / "config").mkdir()
    (isolated / "config" / "config.toml").write_text('spoilers = "seen"\n')
    assert "zqmajorbeat" not in run("search", "zqmajorbeat").out.lower()
    assert run("seen", "canary film").code == 0
    assert "zqmajorbeat" in run("search", "zqmajorbeat").out.lower()


def test_accents_case_prefixes_and_phrases(run, films_dir) -> None:
    write_dossier(films_dir, "amelie-2001", title="Amélie", premise="A shy waitress in Montmartre.")
    for query in ("amelie", "AMÉLIE", "amél*", "montmartre", '"shy waitress"', "waitr*"):
        r = run("search", query)
        assert r.code == 0 and "amelie-2001\tAmélie\t2001" in r.out, query
    assert run("search", '"waitress shy"').code == 3
    assert run("search", "stran*").out.startswith("all-of-us-strangers-2023\tAll of Us Strangers\t2023\n  title:")


def test_ranked_best_first(run, films_dir) -> None:
    write_dossier(films_dir, "lighthouse-2019", title="Lighthouse", premise="Two keepers on a rock.")
    write_dossier(films_dir, "storm-2019", title="Storm", premise="A ship, a storm and, far away, a lighthouse.")
    ids = [line.split("\t")[0] for line in run("search", "lighthouse").out.splitlines() if "\t" in line]
    ours = [i for i in ids if i in ("lighthouse-2019", "storm-2019")]  # built-in films may match too
    assert ours == ["lighthouse-2019", "storm-2019"]


def test_hostile_queries_are_words(run, canary) -> None:
    for query in ['"', "*", "NEAR(zqnonebeat opens)", "zqnonebeat -opens", "text:zqnonebeat", "^zqnonebeat", "()"]:
        r = run("search", query)
        assert r.code in (0, 2, 3), (query, r.err)
        assert "internal error" not in r.err and "Traceback" not in r.err
    assert run("search", "").code == 2
    assert run("search", "x" * 600).code == 2


def test_overridden_dossiers_are_not_searched(run, films_dir) -> None:
    write_dossier(films_dir, "all-of-us-strangers-2023", title="Local Strangers", year=2023, premise="Zqlocal text.")
    assert "Local Strangers" in run("search", "zqlocal").out
    # Only in the built-in copy's premise, which the local one overrides.
    assert run("search", '"vacant tower block"').code == 3


def test_patched_text_is_searched_and_graded(run, isolated) -> None:
    folder = isolated / "data" / "films"
    folder.mkdir(parents=True)
    (folder / "all-of-us-strangers-2023.patch.yaml").write_text(
        "theories:\n  - title: Mine\n    text: zqpatchtheory here.\n    grade: none\n    held_by: me\n"
        "quotes:\n  - text: zqpatchquote\n    speaker: A friend\n    source: a talk\n    grade: major\n"
    )
    assert "zqpatchtheory" in run("search", "zqpatchtheory").out
    r = run("search", "zqpatchquote")
    assert (r.code, r.out) == (3, "")
    assert "zqpatchquote" in run("search", "zqpatchquote", "--spoilers").out


def test_dossier_text_is_never_markup_or_escapes(run, films_dir) -> None:
    write_dossier(
        films_dir, "odd-2000", title='"[bold red]Odd[/] \\e[2J"', premise='"[link=x]zqodd[/link] \\e]52;c;eA==\\a"'
    )
    r = run("search", "zqodd", "--color", "always")
    assert "[link=x]" in r.out and "\x1b]52" not in r.out and "\x1b[2J" not in r.out
    assert "[bold red]Odd[/]" in ANSI.sub("", r.out)
    plain = run("search", "zqodd").out
    assert "\x1b" not in plain


def test_search_and_index_have_help_with_examples(run) -> None:
    for command in ("search", "index"):
        r = run(command, "--help")
        assert r.code == 0 and "Examples:" in r.out and f"filmguide {command}" in r.out


# --- list: filters and sorting --------------------------------------------------------------------


@pytest.fixture
def shelf(films_dir):
    write_dossier(
        films_dir,
        "alpha-1991",
        title="Alpha",
        runtime=140,
        genres="[drama, war]",
        tags="[exile]",
        directors="[Anna Kowalski]",
        writers="[Ben Ode]",
        body="cast:\n  - actor: Cid Major\n    role: X\n    grade: major\n",
    )
    write_dossier(
        films_dir,
        "beta-1995",
        title="Beta",
        runtime=80,
        genres="[comedy]",
        tags="[exile, family]",
        directors="[Émile Zola]",
        body="cast:\n  - actor: Dora Dee\n    role: Y\n",
    )
    write_dossier(films_dir, "gamma-2005", title="Gamma", runtime=100, genres="[Drama]", directors="[Anna Bell]")
    return films_dir


def ids(run, *args: str) -> list[str]:
    r = run("list", *args)
    assert r.code == 0, r.err
    return [
        line.split("\t")[0]
        for line in r.out.splitlines()
        if line.split("\t")[0] in ("alpha-1991", "beta-1995", "gamma-2005")
    ]


def test_list_filters(run, shelf) -> None:
    assert ids(run, "--genre", "drama") == ["alpha-1991", "gamma-2005"]
    assert ids(run, "--genre", "drama", "--genre", "war") == ["alpha-1991"]
    assert ids(run, "--year", "1990..1999") == ["alpha-1991", "beta-1995"]
    assert ids(run, "--year", "1995") == ["beta-1995"]
    assert ids(run, "--year", "2000..") == ["gamma-2005"]
    assert ids(run, "--year", "..1991") == ["alpha-1991"]
    assert ids(run, "--director", "anna") == ["alpha-1991", "gamma-2005"]
    assert ids(run, "--director", "emile zola") == ["beta-1995"]
    assert ids(run, "--director", "nna") == []  # names match from the start of a word
    assert ids(run, "--tag", "exile") == ["alpha-1991", "beta-1995"]
    assert ids(run, "--tag", "exile", "--tag", "family") == ["beta-1995"]
    assert ids(run, "--person", "ben ode") == ["alpha-1991"]  # a writer
    assert ids(run, "--person", "dora") == ["beta-1995"]  # in the cast
    assert ids(run, "--genre", "drama", "--year", "2000..2010", "--director", "bell") == ["gamma-2005"]


def test_list_person_never_matches_a_hidden_credit(run, shelf) -> None:
    assert ids(run, "--person", "cid major") == []
    assert "alpha-1991" not in run("list", "--person", "cid", "--json").out


def test_list_seen_and_unseen(run, shelf) -> None:
    assert run("seen", "beta").code == 0
    assert ids(run, "--seen") == ["beta-1995"]
    assert ids(run, "--unseen") == ["alpha-1991", "gamma-2005"]


def test_list_sorting(run, shelf) -> None:
    assert ids(run) == ["alpha-1991", "beta-1995", "gamma-2005"]
    assert ids(run, "--sort", "year") == ["alpha-1991", "beta-1995", "gamma-2005"]
    assert ids(run, "--sort", "runtime") == ["beta-1995", "gamma-2005", "alpha-1991"]
    rows = json.loads(run("list", "--sort", "runtime", "--genre", "drama", "--tag", "exile", "--json").out)
    assert [r["id"] for r in rows] == ["alpha-1991"]
    rows = [
        r for r in json.loads(run("list", "--sort", "runtime", "--json").out) if r["id"] in ("alpha-1991", "gamma-2005")
    ]
    assert [r["id"] for r in rows] == ["gamma-2005", "alpha-1991"]
    assert rows[1] == {
        "id": "alpha-1991",
        "title": "Alpha",
        "year": 1991,
        "runtime": 140,
        "directors": ["Anna Kowalski"],
    }


@pytest.mark.parametrize("bad", ["soon", "1999..1990", "..", "19990"])
def test_list_bad_years_are_usage_errors(run, shelf, bad) -> None:
    r = run("list", "--year", bad)
    assert r.code == 2 and r.out == "" and "--year" in r.err
    assert run("list", "--sort", "rating").code == 2


def test_counted_and_ranked_by_sqlite_as_film_by_film(run, canary, films_dir, isolated, monkeypatch) -> None:
    """SQLite counts and ranks the visible matches (``index.ranked``); the results, their order, the
    counts and the exit codes are those of counting every match here, film by film."""
    from filmguide.index import Index

    write_dossier(films_dir, "all-of-us-strangers-2023", title="Local Strangers", year=2023, premise="A zqnonebeat.")
    beats = "beats:\n" + "".join(
        f"  - text: {text}\n    grade: {grade}\n    at: {at}\n"
        for text, grade, at in [("Zqmajorbeat strangers.", "major", 80), ("Zqminorbeat, a house.", "minor", 20)]
    )
    write_dossier(films_dir, "ghost-2001", beats, title="Ghost Zqnonebeat", premise="The strangers in a house.")
    (isolated / "config").mkdir()
    (isolated / "config" / "config.toml").write_text('spoilers = "seen"\n')
    assert run("seen", "ghost").code == 0
    queries = [*MARKERS, "strangers", "the", "ghost*", '"a house"', "zq*", "london", "nothingmatcheszz"]
    flags = [[], *(v for v in LEVELS.values() if v), ["--limit", "0"], ["--limit", "1"], ["--json"]]
    used = []
    ranked = Index.ranked

    def spy(self, *args, **kwargs):
        found = ranked(self, *args, **kwargs)
        used.append(found is not None)
        return found

    monkeypatch.setattr(Index, "ranked", spy)
    here = {}
    there = {}
    for query in queries:
        for flag in flags:
            r = run("search", query, *flag)
            there[(query, *flag)] = (r.code, r.out, r.err)
    assert used and all(used), "every search was counted by SQLite"
    monkeypatch.setattr(Index, "ranked", lambda self, *args, **kwargs: None)
    for query in queries:
        for flag in flags:
            r = run("search", query, *flag)
            here[(query, *flag)] = (r.code, r.out, r.err)
    for key, value in there.items():
        assert value == here[key], key
    assert any(code == 0 for code, _, _ in here.values()) and any(code == 3 for code, _, _ in here.values())
