"""filmguide(1) is made from the program's own help, and the committed page is what it makes now."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from filmguide.cli.app import COMMANDS
from filmguide.cli.manpage import render

PAGE = Path(__file__).resolve().parents[1] / "man" / "filmguide.1"


def test_the_man_page_is_the_programs_own_help() -> None:
    page = render()
    if os.environ.get("FILMGUIDE_UPDATE_DOCS"):
        PAGE.write_text(page, encoding="utf-8")
    assert PAGE.read_text(encoding="utf-8") == page, "man/filmguide.1 is stale: FILMGUIDE_UPDATE_DOCS=1 rewrites it"
    for name in COMMANDS:
        assert f".SS {name}" in page


@pytest.mark.skipif(shutil.which("man") is None, reason="needs man")
def test_man_formats_it_without_warnings(tmp_path) -> None:
    env = {**os.environ, "MANWIDTH": "80", "LC_ALL": "C.UTF-8"}
    done = subprocess.run(["man", "--warnings", "-l", str(PAGE)], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    text = re.sub(".\x08", "", done.stdout)  # overstrike bold and underline
    assert "filmguide - a spoiler-safe film guide" in text
    assert "EXIT STATUS" in text
