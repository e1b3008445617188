"""export --spoilers=omit|wrap|show in every format: hidden parts left out, wrapped or shown."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from .test_spoilers import MARKERS, RANK

# --- export modes -----------------------------------------------------------------


class _Details(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.max_depth = 0
        self.inside: list[str] = []
        self.outside: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "details":
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)
        self.stack.append(tag)

    def handle_endtag(self, tag) -> None:
        if tag == "details":
            self.depth -= 1
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data) -> None:
        (self.inside if self.depth else self.outside).append(data)


def test_html_wrap_hides_spoilers_in_details(run, canary) -> None:
    r = run("export", "canary film", "--format", "html", "--spoilers=wrap")
    assert r.code == 0
    parser = _Details()
    parser.feed(r.out)
    parser.close()
    assert parser.depth == 0 and parser.max_depth == 1
    outside, inside = " ".join(parser.outside).lower(), " ".join(parser.inside).lower()
    for marker, (grade, section) in MARKERS.items():
        if (section == "credits" and marker == "zqmajoralias") or section == "acts":
            continue  # export shows no acts
        if RANK[grade] == 0:
            assert marker in outside, marker
        else:
            assert marker not in outside, marker
            assert marker in inside, marker
    assert "zqsecretword" not in r.out.lower()


def test_markdown_wrap_is_balanced(run, canary) -> None:
    out = run("export", "canary film", "--format", "markdown", "--spoilers=wrap").out
    assert out.count("<details>") == out.count("</details>") > 0
    outside = out
    for block in out.split("<details>")[1:]:
        outside = outside.replace(block.split("</details>")[0], "")
    assert "zqmajorbeat" not in outside.lower() and "zqmajorbeat" in out.lower()


def test_discord_and_reddit_wrap_every_hidden_line(run, canary) -> None:
    discord = run("export", "canary film", "--format", "discord", "--spoilers=wrap").out
    reddit = run("export", "canary film", "--format", "reddit", "--spoilers=wrap").out
    for line in discord.splitlines():
        if any(m in line.lower() for m, (g, _) in MARKERS.items() if g != "none"):
            assert line.startswith("||") and line.endswith("||"), line
    for line in reddit.splitlines():
        if any(m in line.lower() for m, (g, _) in MARKERS.items() if g != "none"):
            assert line.startswith(">!") and line.endswith("!<"), line


@pytest.mark.parametrize("fmt", ["markdown", "html", "discord", "reddit", "text", "json"])
def test_export_modes(run, canary, fmt) -> None:
    omit = run("export", "canary film", "--format", fmt).out.lower()
    show = run("export", "canary film", "--format", fmt, "--spoilers=show").out.lower()
    bare = run("export", "canary film", "--format", fmt, "--spoilers").out.lower()
    assert "zqmajorbeat" not in omit and "zqendingwhat" not in omit
    assert "zqmajorbeat" in show and show == bare
    if fmt in ("text", "json"):
        r = run("export", "canary film", "--format", fmt, "--spoilers=wrap")
        assert r.code == 2 and "no spoiler markup" in r.err


def test_hostile_text_cannot_break_out_of_spoiler_markup(run, films_dir) -> None:
    (films_dir / "hostile-2000.yaml").write_text(
        "schema: 1\nid: hostile-2000\ntitle: Hostile\nyear: 2000\nruntime: 90\ndirectors: [D]\n"
        "premise: 'Closing </details> early, ||pipes||, !< and >! markers'\n"
        "beats:\n  - text: 'zqhostilemajor </details> ||x|| !< [link](http://x)'\n    grade: major\n"
    )
    html_out = run("export", "hostile", "--format", "html", "--spoilers=wrap").out
    parser = _Details()
    parser.feed(html_out)
    assert "zqhostilemajor" not in " ".join(parser.outside)
    md = run("export", "hostile", "--format", "markdown", "--spoilers=wrap").out
    assert md.count("</details>") == md.count("<details>")
    discord = run("export", "hostile", "--format", "discord", "--spoilers=wrap").out
    hidden_line = next(line for line in discord.splitlines() if "zqhostilemajor" in line)
    assert hidden_line.startswith("||") and hidden_line[2:-2].count("||") == 0
    reddit = run("export", "hostile", "--format", "reddit", "--spoilers=wrap").out
    hidden_line = next(line for line in reddit.splitlines() if "zqhostilemajor" in line)
    assert hidden_line[2:-2].count("!<") == 0
