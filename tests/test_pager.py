"""Long output at a real terminal goes through the pager; short output, pipes and --no-pager do not."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pexpect
import pytest

ROWS, COLS = 24, 100


@pytest.fixture
def recorder(tmp_path: Path) -> tuple[Path, Path]:
    """A pager that records what it was given (and its arguments) and exits."""
    got = tmp_path / "paged.txt"
    script = tmp_path / "record-pager"
    script.write_text(f"#!/bin/sh\necho \"$@\" > '{got}.args'\ncat > '{got}'\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, got


def terminal(args: list[str], tmp_path: Path, **env: str | None):
    full = {k: v for k, v in os.environ.items() if not k.startswith(("FILMGUIDE_", "PAGER", "COLUMNS", "LINES"))}
    full.update(FILMGUIDE_HOME=str(tmp_path / "home"), TERM="xterm-256color", LC_ALL="C.UTF-8")
    for k, v in env.items():
        if v is None:
            full.pop(k, None)
        else:
            full[k] = v
    child = pexpect.spawn(
        sys.executable,
        ["-m", "filmguide", *args],
        env=full,
        cwd=str(tmp_path),
        timeout=30,
        encoding="utf-8",
        codec_errors="replace",
        dimensions=(ROWS, COLS),
    )
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before


def test_long_output_at_a_terminal_goes_through_the_pager(tmp_path, recorder) -> None:
    script, got = recorder
    code, screen = terminal(["show", "strangers", "--spoilers"], tmp_path, PAGER=str(script))
    assert code == 0
    paged = got.read_text(encoding="utf-8")
    assert "All of Us Strangers" in paged and paged.count("\n") > ROWS
    assert "Adam" not in screen  # the text went to the pager, not past it


def test_filmguide_pager_wins_over_pager(tmp_path, recorder) -> None:
    script, got = recorder
    code, _ = terminal(["show", "strangers", "--spoilers"], tmp_path, PAGER="false", FILMGUIDE_PAGER=str(script))
    assert code == 0 and "All of Us Strangers" in got.read_text(encoding="utf-8")


def test_short_output_is_not_paged(tmp_path, recorder) -> None:
    script, got = recorder
    code, screen = terminal(["paths"], tmp_path, PAGER=str(script))
    assert code == 0 and not got.exists()
    assert "built-in" in screen


@pytest.mark.parametrize(
    ("args", "env", "config"),
    [
        (["show", "strangers", "--spoilers", "--no-pager"], {}, None),
        (["--no-pager", "show", "strangers", "--spoilers"], {}, None),
        (["show", "strangers", "--spoilers"], {"FILMGUIDE_PAGER": ""}, None),
        (["show", "strangers", "--spoilers"], {"FILMGUIDE_PAGER": "cat"}, None),
        (["show", "strangers", "--spoilers"], {}, "pager = false\n"),
    ],
    ids=["--no-pager after", "--no-pager before", "FILMGUIDE_PAGER empty", "FILMGUIDE_PAGER cat", "config"],
)
def test_paging_can_be_turned_off(tmp_path, recorder, args, env, config) -> None:
    script, got = recorder
    if config is not None:
        (tmp_path / "home" / "config").mkdir(parents=True)
        (tmp_path / "home" / "config" / "config.toml").write_text(config, encoding="utf-8")
    code, screen = terminal(args, tmp_path, PAGER=str(script), **env)
    assert code == 0, screen
    assert not got.exists()
    assert "All of Us Strangers" in screen


def test_never_pages_into_a_pipe(run, tmp_path, recorder, monkeypatch) -> None:
    script, got = recorder
    monkeypatch.setenv("PAGER", str(script))
    monkeypatch.delenv("FILMGUIDE_PAGER")
    r = run("show", "strangers", "--spoilers", "--color", "always")
    assert r.code == 0 and "All of Us Strangers" in r.out
    assert not got.exists()


def test_a_missing_pager_prints_directly(tmp_path) -> None:
    code, screen = terminal(["show", "strangers", "--spoilers"], tmp_path, PAGER="/nonexistent/pager")
    assert code == 0 and "All of Us Strangers" in screen
