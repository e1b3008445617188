"""`filmguide import`: Letterboxd and IMDb exports, written here in their real layouts."""

from __future__ import annotations

import csv
import io
import json
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.conftest import write_dossier

LB_WATCHED = ["Date", "Name", "Year", "Letterboxd URI"]
LB_DIARY = ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags", "Watched Date"]
LB_RATINGS = ["Date", "Name", "Year", "Letterboxd URI", "Rating"]
IMDB = [
    "Const",
    "Your Rating",
    "Date Rated",
    "Title",
    "Original Title",
    "URL",
    "Title Type",
    "IMDb Rating",
    "Runtime (mins)",
    "Year",
    "Genres",
    "Num Votes",
    "Release Date",
    "Directors",
]


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")  # Letterboxd and IMDb write CRLF
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.write_text(csv_text(header, rows), encoding="utf-8", newline="")
    return path


def imdb_row(
    const: str, rating: str, date: str, title: str, year: str, kind: str = "Movie", original: str = ""
) -> list:
    return [
        const,
        rating,
        date,
        title,
        original or title,
        f"https://www.imdb.com/title/{const}/",
        kind,
        "7.9",
        "105",
        year,
        "Drama",
        "12345",
        f"{year}-01-01",
        "Some One",
    ]


@pytest.fixture
def letterboxd_zip(tmp_path: Path) -> Path:
    path = tmp_path / "letterboxd-someone-2026-12-01-10-00-utc.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "watched.csv",
            csv_text(
                LB_WATCHED,
                [
                    ["2024-01-05", "All of Us Strangers", "2023", "https://boxd.it/abc1"],
                    ["2023-06-01", "Solaris", "1972", "https://boxd.it/abc2"],
                    ["2023-07-01", "A Film Not Here", "1999", "https://boxd.it/abc3"],
                ],
            ),
        )
        z.writestr(
            "diary.csv",
            csv_text(
                LB_DIARY,
                [
                    [
                        "2024-01-06",
                        "All of Us Strangers",
                        "2023",
                        "https://letterboxd.com/u/film/x/",
                        "4",
                        "",
                        "",
                        "2024-01-04",
                    ],
                    [
                        "2023-06-02",
                        "Solaris",
                        "1972",
                        "https://letterboxd.com/u/film/s/",
                        "4.5",
                        "",
                        "moody",
                        "2023-06-01",
                    ],
                ],
            ),
        )
        z.writestr(
            "ratings.csv",
            csv_text(LB_RATINGS, [["2024-02-01", "All of Us Strangers", "2023", "https://boxd.it/abc1", "4.5"]]),
        )
        z.writestr("watchlist.csv", csv_text(LB_WATCHED, [["2024-03-03", "Vertigo", "1958", "https://boxd.it/v"]]))
        z.writestr("reviews.csv", csv_text(LB_DIARY, []))
        z.writestr("deleted/watched.csv", csv_text(LB_WATCHED, [["2020-01-01", "Inception", "2010", "x"]]))
    return path


def state(isolated: Path) -> dict:
    """seen.toml, with unmatched.toml's [unmatched] table beside its own."""
    data = tomllib.loads((isolated / "state" / "seen.toml").read_text(encoding="utf-8"))
    other = isolated / "state" / "unmatched.toml"
    if other.exists():
        data["unmatched"] = tomllib.loads(other.read_text(encoding="utf-8")).get("unmatched", {})
    return data


# --- Letterboxd ---------------------------------------------------------------------


def test_letterboxd_zip_records_dates_ratings_and_the_watchlist(run, isolated, letterboxd_zip) -> None:
    r = run("import", str(letterboxd_zip))
    assert r.code == 0, r.err
    assert r.err.splitlines()[-1] == "filmguide: 3 films matched, 1 kept unmatched, 0 rows skipped"
    data = state(isolated)
    # The earliest watch (the diary's Watched Date), the rating from ratings.csv on Letterboxd's scale.
    assert data["seen"]["all-of-us-strangers-2023"] == {"date": dt(2024, 1, 4), "rating": 4.5, "out_of": 5}
    assert data["seen"]["solaris-1972"] == {"date": dt(2023, 6, 1), "rating": 4.5, "out_of": 5}
    assert "vertigo-1958" in data["watchlist"] and "vertigo-1958" not in data["seen"]
    assert "inception-2010" not in data["seen"]  # deleted/watched.csv is not a list of films seen
    (kept,) = data["unmatched"].values()
    assert kept == {
        "title": "A Film Not Here",
        "year": 1999,
        "date": dt(2023, 7, 1),
        "source": "letterboxd",
        "source_id": "https://boxd.it/abc3",
    }
    listing = run("seen").out.splitlines()
    assert "all-of-us-strangers-2023\tAll of Us Strangers\t2024-01-04\t4.5/5" in listing
    assert "\tA Film Not Here (1999)\t2023-07-01\t" in listing


def test_reimporting_changes_nothing(run, isolated, letterboxd_zip) -> None:
    assert run("import", str(letterboxd_zip)).code == 0
    path = isolated / "state" / "seen.toml"
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    r = run("import", str(letterboxd_zip))
    assert r.code == 0 and "nothing changed" in r.err
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime


def test_dry_run_says_what_would_change_and_writes_nothing(run, isolated, letterboxd_zip) -> None:
    r = run("import", str(letterboxd_zip), "--dry-run")
    assert r.code == 0
    assert "add seen: All of Us Strangers (2023) as all-of-us-strangers-2023, 2024-01-04, rated 4.5/5" in r.out
    assert "keep unmatched: A Film Not Here (1999), 2023-07-01" in r.out
    assert "add watchlist: Vertigo (1958) as vertigo-1958, 2024-03-03" in r.out
    assert "dry run" in r.err
    assert not (isolated / "state" / "seen.toml").exists()


def test_single_letterboxd_csvs(run, isolated, tmp_path) -> None:
    watched = write_csv(tmp_path / "watched.csv", LB_WATCHED, [["2022-02-02", "chinatown", "1974", "u"]])
    watchlist = write_csv(tmp_path / "watchlist.csv", LB_WATCHED, [["2022-02-03", "CHINATOWN", "1974", "u"]])
    ratings = write_csv(tmp_path / "ratings.csv", LB_RATINGS, [["2022-03-01", "Chinatown", "1974", "u", "3.5"]])
    assert run("import", str(watched)).code == 0
    assert run("import", str(ratings)).code == 0
    assert state(isolated)["seen"]["chinatown-1974"] == {"date": dt(2022, 2, 2), "rating": 3.5, "out_of": 5}
    assert run("import", str(watchlist)).code == 0
    assert "chinatown-1974" in state(isolated)["watchlist"]


def test_a_renamed_list_that_could_be_either_is_refused(run, isolated, tmp_path) -> None:
    odd = write_csv(tmp_path / "export.csv", LB_WATCHED, [["2022-02-02", "Chinatown", "1974", "u"]])
    r = run("import", str(odd))
    assert r.code == 2 and "watched.csv or watchlist.csv" in r.err
    assert not (isolated / "state" / "seen.toml").exists()


def test_bad_rows_are_named_and_the_rest_taken(run, isolated, tmp_path) -> None:
    rows = [
        ["2024-01-01", "Inception", "2010", "u1", "4", "", "", "2024-01-01"],
        ["2024-01-02", "Vertigo", "nineteen", "u2", "4", "", "", ""],
        ["2024-01-03", "Chinatown", "1974", "u3", "11", "", "", "2024-01-03"],
        ["not a date", "Oldboy", "2003", "u4", "", "", "", ""],
        ["2024-01-05", "Solaris", "1972", "u5", "", "Yes", "", "2024-01-05"],
    ]
    path = write_csv(tmp_path / "diary.csv", LB_DIARY, rows)
    r = run("import", str(path))
    assert r.code == 0
    assert f"{path}:3: Year: not a year" in r.err
    assert f"{path}:4: Rating: not a Letterboxd rating (0.5 to 5 in half stars)" in r.err
    assert f"{path}:5: Date: not a date such as 2024-03-01" in r.err
    assert "nineteen" not in r.err and "not a date such" in r.err  # described, never quoted
    assert r.err.splitlines()[-1] == "filmguide: 2 films matched, 0 kept unmatched, 3 rows skipped"
    assert sorted(state(isolated)["seen"]) == ["inception-2010", "solaris-1972"]


def test_a_quoted_newline_keeps_line_numbers_right(run, tmp_path) -> None:
    rows = [["2024-01-01", "Two\nLines", "2010", "u1"], ["2024-01-02", "Vertigo", "", "u2"]]
    path = write_csv(tmp_path / "watched.csv", LB_WATCHED, rows)
    assert f"{path}:4: Year: missing" in run("import", str(path)).err


# --- IMDb ------------------------------------------------------------------------------


def test_imdb_ratings(run, isolated, tmp_path) -> None:
    rows = [
        imdb_row("tt0045152", "10", "2021-05-05", "Rashomon", "1950", original="Rashômon"),
        imdb_row("tt0364569", "8", "2021-05-06", "Oldboy", "2003"),
        imdb_row("tt0903747", "9", "2021-05-07", "Breaking Bad", "2008", kind="TV Series"),
        imdb_row("tt0118799", "9", "2021-05-08", "Life Is Beautiful", "1997", original="La vita è bella"),
    ]
    path = write_csv(tmp_path / "ratings.csv", IMDB, rows)
    r = run("import", str(path))
    assert r.code == 0
    assert r.err.splitlines()[-1] == "filmguide: 2 films matched, 1 kept unmatched, 1 row skipped (1 not a film)"
    data = state(isolated)
    assert data["seen"]["rashomon-1950"] == {"date": dt(2021, 5, 5), "rating": 10, "out_of": 10}
    assert data["seen"]["oldboy-2003"]["rating"] == 8
    assert data["unmatched"]["imdb:tt0118799"]["title"] == "Life Is Beautiful"
    out = json.loads(run("seen", "--json").out)
    assert {
        "id": "oldboy-2003",
        "title": "Oldboy",
        "year": 2003,
        "seen": "2021-05-06",
        "rating": 8,
        "out_of": 10,
    } in out


def test_matching_ignores_case_and_accents_but_needs_the_year(run, isolated, tmp_path) -> None:
    rows = [
        imdb_row("tt1", "7", "2020-01-01", "CACHE", "2005"),
        imdb_row("tt2", "7", "2020-01-01", "Solaris", "1971"),  # no Solaris of 1971
        imdb_row("tt3", "7", "2020-01-01", "Солярис", "1972"),  # a none-grade alias
    ]
    run("import", str(write_csv(tmp_path / "ratings.csv", IMDB, rows)))
    data = state(isolated)
    assert sorted(data["seen"]) == ["cache-2005", "solaris-1972"]
    assert [e["year"] for e in data["unmatched"].values()] == [1971]


def test_a_spoiler_alias_never_matches(run, canary, isolated, tmp_path) -> None:
    """The canary's major-grade alias is not a name an import can use: the film is kept unmatched."""
    rows = [imdb_row("tt9", "7", "2020-01-01", "Canary Film Zqmajoralias", "2001")]
    r = run("import", str(write_csv(tmp_path / "ratings.csv", IMDB, rows)), "--dry-run")
    assert "1 kept unmatched" in r.err and "canary-film-2001" not in r.out
    rows = [imdb_row("tt9", "7", "2020-01-01", "Kanarienfilm", "2001")]  # its none-grade alias
    r = run("import", str(write_csv(tmp_path / "ratings.csv", IMDB, rows)), "--dry-run")
    assert "1 film matched" in r.err and "canary-film-2001" in r.out


def test_unmatched_films_match_when_the_catalog_grows(run, isolated, films_dir, tmp_path) -> None:
    rows = [imdb_row("tt0118799", "9", "2021-05-08", "Life Is Beautiful", "1997", original="La vita è bella")]
    export = write_csv(tmp_path / "ratings.csv", IMDB, rows)
    assert "1 kept unmatched" in run("import", str(export)).err
    write_dossier(films_dir, "la-vita-e-bella-1997", title="La vita è bella")
    other = write_csv(tmp_path / "watched.csv", LB_WATCHED, [["2022-02-02", "Chinatown", "1974", "u"]])
    r = run("import", str(other))  # any later import looks again
    assert "1 film kept unmatched before matched now" in r.err
    data = state(isolated)
    assert data["seen"]["la-vita-e-bella-1997"] == {"date": dt(2021, 5, 8), "rating": 9, "out_of": 10}
    assert "unmatched" not in data or not data["unmatched"]


def test_not_an_export(run, tmp_path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("a,b\n1,2\n")
    r = run("import", str(path))
    assert r.code == 1 and "not a Letterboxd or IMDb export" in r.err
    bad_zip = tmp_path / "x.zip"
    bad_zip.write_bytes(b"PK\x03\x04 not really")
    r = run("import", str(bad_zip))
    assert r.code == 1 and "not a readable zip" in r.err and "Traceback" not in r.err
    assert run("import", str(tmp_path / "missing.zip")).code == 2
    latin = tmp_path / "watched.csv"
    latin.write_bytes("Date,Name,Year,Letterboxd URI\n2020-01-01,Caf\xe9,2001,u\n".encode("latin-1"))
    r = run("import", str(latin))
    assert r.code == 1 and "not UTF-8" in r.err


def dt(y: int, m: int, d: int):
    import datetime

    return datetime.date(y, m, d)


def test_seen_is_a_table_at_a_terminal_and_json_in_scripts(run, letterboxd_zip) -> None:
    run("import", str(letterboxd_zip))
    table = run("seen", "--color", "always").out
    assert "Films you have seen (3)" in table and "4.5/5" in table and "│" in table
    rows = json.loads(run("seen", "--json").out)
    assert [r["id"] for r in rows] == ["solaris-1972", None, "all-of-us-strangers-2023"]  # oldest first
    assert rows[1] == {"id": None, "title": "A Film Not Here", "year": 1999, "seen": "2023-07-01"} | {
        "rating": None,
        "out_of": None,
    }
    listed = json.loads(run("watchlist", "--json").out)
    assert listed == [{"id": "vertigo-1958", "title": "Vertigo", "year": 1958, "added": "2024-03-03"}]
    assert run("watchlist").out == "vertigo-1958\tVertigo\t1958\t2024-03-03\n"


def test_a_hostile_title_in_an_export_cannot_drive_the_terminal(run, tmp_path) -> None:
    title = "Evil\x1b]52;c;cGF3bmVk\x07 \x1b[2JFilm\tTab"
    path = write_csv(tmp_path / "watched.csv", LB_WATCHED, [["2022-02-02", title, "2001", "u"]])
    r = run("import", str(path), "--dry-run")
    assert r.code == 0 and "\x1b" not in r.out + r.err and "\x07" not in r.out
    run("import", str(path))
    for args in (["seen"], ["seen", "--color", "always"], ["seen", "--json"]):
        out = run(*args).out
        assert "\x1b]52" not in out and "\x1b[2J" not in out
