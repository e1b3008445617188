"""The HTML export in a real browser: headless Chromium loads it, and the DOM it built is checked.

Needs Chromium (Debian's `chromium` package; CI installs it). Where it is
absent the test is skipped with that reason.
"""

from __future__ import annotations

import html.parser
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser")) if p), None)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (apt-get install chromium)"),
]

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    cmd = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


class Dom(html.parser.HTMLParser):
    """The tags of the DOM Chromium serialised, with the text each open <details> holds."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.outside_details: list[str] = []
        self.inside_details: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        if tag not in ("br", "meta", "link"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        (self.inside_details if "details" in self.stack else self.outside_details).append(data)


def test_the_html_export_renders_in_a_browser(run, canary, tmp_path) -> None:
    page = tmp_path / "canary.html"
    r = run("export", "canary film", "--format", "html", "--spoilers=wrap")
    assert r.code == 0, r
    page.write_text(r.out, encoding="utf-8")

    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    parsed = Dom()
    parsed.feed(dom.stdout)
    assert parsed.tags.count("article") == 1
    assert "ol" in parsed.tags and "details" in parsed.tags and "style" in parsed.tags
    outside = " ".join(parsed.outside_details).lower()
    inside = " ".join(parsed.inside_details).lower()
    assert "zqnonebeat" in outside
    assert "zqmajorbeat" in inside and "zqmajorbeat" not in outside
    assert "zqendingwhat" in inside and "zqendingwhat" not in outside

    shot = tmp_path / "canary.png"
    done = chromium(tmp_path, f"--screenshot={shot}", "--window-size=900,1400", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_all_films_are_one_page_in_a_browser(run, tmp_path) -> None:
    page = tmp_path / "all.html"
    page.write_text(run("export", "--all", "--format", "html").out, encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    parsed = Dom()
    parsed.feed(dom.stdout)
    assert parsed.tags.count("html") == 1
    assert parsed.tags.count("article") >= 13
