"""Exports made to be posted: Discord's 2,000-character messages, Reddit's limit, standalone HTML."""

from __future__ import annotations

import html.parser

import pytest

from filmguide.render.post import CUT, DISCORD_LIMIT, discord_messages, reddit_warning


def spans_closed(message: str) -> bool:
    """Every ``||`` in a message opens or closes a span on its own line (escaped ``\\|`` aside)."""
    for line in message.split("\n"):
        unescaped = line.replace("\\\\", "").replace("\\|", "")
        if unescaped.count("||") % 2:
            return False
    return True


def test_short_posts_are_one_message() -> None:
    assert discord_messages("**Title**\n\n||hidden||\n") == ["**Title**\n\n||hidden||"]


def test_long_posts_are_cut_at_lines_and_keep_every_line() -> None:
    lines = [f"||{n:04d} " + "word " * 30 + "||" for n in range(200)]
    messages = discord_messages("\n".join(lines))
    assert len(messages) > 1
    assert all(len(m) <= DISCORD_LIMIT for m in messages)
    assert all(spans_closed(m) for m in messages)
    assert "\n".join(messages).split("\n") == lines


def test_a_line_longer_than_a_message_is_cut_between_words_each_piece_a_span() -> None:
    hidden = "||" + " ".join(f"w{n}" for n in range(2000)) + "||"
    messages = discord_messages(f"head\n{hidden}\ntail")
    assert all(len(m) <= DISCORD_LIMIT for m in messages)
    assert all(spans_closed(m) for m in messages)
    words = [w.strip("|") for m in messages for line in m.split("\n") for w in line.split()]
    assert words == ["head", *(f"w{n}" for n in range(2000)), "tail"]


def test_an_escape_is_never_cut_from_what_it_escapes() -> None:
    text = "||" + "\\|" * 3000 + "||"
    for m in discord_messages(text):
        assert len(m) <= DISCORD_LIMIT
        inner = m[2:-2]
        assert inner.replace("\\|", "") == "", m[:40]


def test_reddit_warns_only_above_its_limit() -> None:
    assert reddit_warning("x" * 10_000) is None
    assert "10,001 characters" in (reddit_warning("x" * 10_001) or "")


# --- through the command -------------------------------------------------------------------------


@pytest.fixture
def long_film(films_dir):
    from .conftest import write_dossier

    beats = "".join(
        f"  - text: Beat {n} {'is a long sentence about what happens next in the film ' * 6}\n"
        f"    grade: {'none' if n < 5 else 'major'}\n    at: {n}\n"
        for n in range(60)
    )
    write_dossier(films_dir, "long-film-2001", runtime=100, body="beats:\n" + beats)
    return "long film"


def test_discord_export_is_cut_into_messages(run, long_film) -> None:
    r = run("export", long_film, "--format", "discord", "--spoilers=wrap")
    assert r.code == 0, r
    messages = r.out.rstrip("\n").split(f"\n{CUT}\n")
    assert len(messages) > 1
    for m in messages:
        assert 0 < len(m) <= DISCORD_LIMIT
        assert spans_closed(m)


def test_discord_export_into_a_folder_writes_one_file_per_message(run, long_film, tmp_path) -> None:
    out = tmp_path / "posts"
    r = run("export", long_film, "--format", "discord", "--spoilers=wrap", "--output", str(out))
    assert r.code == 0, r
    files = sorted(out.iterdir())
    assert len(files) > 1
    assert all(len(f.read_text(encoding="utf-8")) <= DISCORD_LIMIT for f in files)
    assert r.out == ""
    assert f"{len(files)} messages" in r.err


def test_reddit_export_warns_when_too_long(run, long_film) -> None:
    r = run("export", long_film, "--format", "reddit", "--spoilers=show")
    assert r.code == 0
    assert "characters; a comment holds at most 10,000" in r.err
    short = run("export", "long film", "--format", "reddit")
    assert short.err == ""


class Outline(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_posts_carry_no_terminal_hints_or_grade_tags(run, canary, fmt) -> None:
    out = run("export", "canary film", "--format", fmt).out
    for hint in ("--level", "--spoilers", "▒", "(none)", "· none", "(spoilers) (spoilers)", "major spoilers)"):
        assert hint not in out, hint


def test_html_all_is_one_standalone_document_with_lists(run) -> None:
    out = run("export", "--all", "--format", "html").out
    assert out.count("<!DOCTYPE html>") == 1
    assert out.count("<html") == 1 and out.count("</html>") == 1
    assert "<style>" in out and "prefers-color-scheme: dark" in out
    p = Outline()
    p.feed(out)
    assert p.tags.count("article") >= 13
    assert "ol" in p.tags and "li" in p.tags
