"""The console blocks in README.md and docs/ are real output, checked on every run.

A block is a ```console fence whose first line is ``$ filmguide ARGS``; the
rest of the block is what that command prints in a pipe at COLUMNS=100. Set
FILMGUIDE_UPDATE_DOCS=1 to rewrite the blocks after a deliberate change.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```console\n\$ filmguide (?P<args>[^\n]*)\n(?P<out>.*?)```", re.S)


def _blocks() -> list[tuple[Path, str]]:
    return [(doc, m["args"]) for doc in DOCS if doc.exists() for m in BLOCK.finditer(doc.read_text())]


@pytest.mark.parametrize(("doc", "args"), _blocks(), ids=lambda x: str(x)[-40:])
def test_console_blocks_are_real_output(run, doc, args) -> None:
    text = doc.read_text()
    match = next(m for m in BLOCK.finditer(text) if m["args"] == args)
    result = run(*shlex.split(args))
    if os.environ.get("FILMGUIDE_UPDATE_DOCS"):
        start, end = match.span("out")
        doc.write_text(text[:start] + result.out + text[end:])
        return
    assert result.out == match["out"], f"{doc.name}: `filmguide {args}` prints something else now"


def test_readme_starts_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text().split("## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", head, re.S)
    assert len(commands) == 2
    assert "pip install ." in commands[0] and "filmguide show" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "<!-- test-command -->" in ci
    assert "<!-- test-command -->\n```sh\n" in (ROOT / "README.md").read_text()
