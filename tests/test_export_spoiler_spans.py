"""Discord and Reddit exports, read the way those sites read them.

A real Markdown parser (markdown-it-py, which Rich already depends on) splits
the output into paragraphs; inside each paragraph a small spoiler rule finds
the destination's spans (``||…||`` for Discord, ``>!…!<`` for Reddit),
honouring backslash escapes. A span never crosses a paragraph break, as on
both sites. Every word a hidden text holds must lie inside a span.
"""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from .conftest import write_dossier

DELIMITERS = {"discord": ("||", "||"), "reddit": (">!", "!<")}

# Hidden texts with paragraph breaks, the destinations' own delimiters and mentions inside.
BODY = """\
beats:
  - text: Zqnonebeat opens the film.
    grade: none
    at: 5
  - text: |-
      Zqmajorfirst paragraph of the twist.

      Zqmajorsecond paragraph, after a blank line.
    grade: major
    at: 60
  - text: "Zqmajorpipes || closes a Discord span, !< and >! close and open a Reddit one"
    grade: major
    at: 70
  - text: "Zqmajorping @everyone and @here, then <@123> and Zqmajortail"
    grade: major
    at: 80
ending:
  what: |-
    Zqendingone ends it.

    Zqendingtwo, a paragraph later.
  meaning: Zqendingmeaning.
"""

HIDDEN = re.compile(r"zq(?:major|ending)\w*", re.IGNORECASE)


def paragraphs(text: str, fmt: str) -> list[str]:
    """The inline source of each paragraph (and list item) as a CommonMark parser sees it.

    Reddit reads ``>!`` at the start of a line as a spoiler, not a block quote.
    """
    md = MarkdownIt("commonmark")
    if fmt == "reddit":
        md.disable("blockquote")
    return [t.content for t in md.parse(text) if t.type == "inline"]


def outside_spans(inline: str, opener: str, closer: str) -> str:
    """``inline`` with its spoiler spans removed; an escaped delimiter is text, not a delimiter."""
    out, i, n = [], 0, len(inline)
    while i < n:
        if inline[i] == "\\" and i + 1 < n:
            out.append(inline[i : i + 2])
            i += 2
            continue
        if inline.startswith(opener, i):
            j = i + len(opener)
            while j < n:
                if inline[j] == "\\":
                    j += 2
                    continue
                if inline.startswith(closer, j):
                    break
                j += 1
            if j < n:  # a closed span: hidden from the reader
                i = j + len(closer)
                continue
        out.append(inline[i])
        i += 1
    return "".join(out)


@pytest.fixture
def film(films_dir):
    write_dossier(films_dir, "span-test-2001", body=BODY)
    return "span test"


@pytest.mark.parametrize("fmt", ["discord", "reddit"])
def test_every_hidden_word_is_inside_a_spoiler_span(run, film, fmt) -> None:
    r = run("export", film, "--format", fmt, "--spoilers=wrap")
    assert r.code == 0, r
    opener, closer = DELIMITERS[fmt]
    visible = "\n".join(outside_spans(p, opener, closer) for p in paragraphs(r.out, fmt))
    assert "Zqnonebeat" in visible
    assert HIDDEN.findall(visible) == []
    # …and the hidden words are all there, for a reader who clicks.
    for word in ("Zqmajorfirst", "Zqmajorsecond", "Zqmajorpipes", "Zqmajortail", "Zqendingone", "Zqendingtwo"):
        assert word in r.out


@pytest.mark.parametrize("fmt", ["discord", "reddit"])
def test_the_old_one_span_per_item_would_have_leaked(fmt) -> None:
    """The check above is not vacuous: a span holding a blank line leaks its second paragraph."""
    opener, closer = DELIMITERS[fmt]
    leaky = f"{opener}Zqmajorfirst paragraph.\n\nZqmajorsecond paragraph.{closer}\n"
    visible = "\n".join(outside_spans(p, opener, closer) for p in paragraphs(leaky, fmt))
    assert "Zqmajorsecond" in visible
    assert "Zqmajorfirst" in visible  # unclosed in its paragraph, so not a span at all


def test_discord_mentions_are_neutralised(run, film) -> None:
    out = run("export", film, "--format", "discord", "--spoilers=show").out
    assert "@everyone" not in out and "@here" not in out
    assert "@\u200beveryone" in out and "@\u200bhere" in out
    assert "<@123>" not in out


@pytest.mark.parametrize("fmt", ["discord", "reddit"])
def test_delimiters_inside_text_are_escaped(run, film, fmt) -> None:
    out = run("export", film, "--format", fmt, "--spoilers=show").out
    line = next(x for x in out.splitlines() if "Zqmajorpipes" in x)
    opener, closer = DELIMITERS[fmt]
    assert outside_spans(line, opener, closer) == line  # no span opens or closes inside the text
