"""`filmguide config set|unset|edit`: one setting changed, the rest of the file kept."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

COMMENTED = """\
# My filmguide settings.
spoilers = "ask"   # ask | never | seen
# level stays at none until I have watched more
"""


@pytest.fixture
def config_file(isolated: Path) -> Path:
    path = isolated / "config" / "config.toml"
    path.parent.mkdir(parents=True)
    return path


def test_set_changes_one_value_and_keeps_comments(run, config_file) -> None:
    config_file.write_text(COMMENTED)
    r = run("config", "set", "spoilers", "seen")
    assert r.code == 0 and r.out == ""
    assert config_file.read_text() == COMMENTED.replace('"ask"', '"seen"')
    assert run("config", "set", "level", "minor").code == 0
    text = config_file.read_text()
    assert text.startswith("# My filmguide settings.\n") and "# level stays at none" in text
    assert 'level = "minor"' in text
    assert "level = 'minor'\t# from " in run("config").out
    assert "was already set" in run("config", "set", "level", "minor").err


def test_set_creates_the_file(run, config_file) -> None:
    assert run("config", "set", "spoilers", "never").code == 0
    assert 'spoilers = "never"\n' in config_file.read_text()
    assert "spoilers = 'never'\t# from " in run("config").out


def test_a_bad_value_is_refused_with_the_allowed_ones(run, config_file) -> None:
    config_file.write_text(COMMENTED)
    r = run("config", "set", "spoilers", "sometimes")
    assert r.code == 2 and r.out == ""
    assert "choose one of ask, never, seen" in r.err
    r = run("config", "set", "spoiler", "seen")
    assert r.code == 2 and "did you mean 'spoilers'" in r.err
    r = run("config", "set", "level")
    assert r.code == 2 and "config set KEY VALUE" in r.err
    assert run("config", "frobnicate").code == 2
    assert config_file.read_text() == COMMENTED


def test_unset_removes_the_line_only(run, config_file) -> None:
    config_file.write_text(COMMENTED)
    r = run("config", "unset", "spoilers")
    assert r.code == 0
    assert config_file.read_text() == COMMENTED.replace('spoilers = "ask"   # ask | never | seen\n', "")
    assert "was not set" in run("config", "unset", "spoilers").err
    assert "spoilers = 'ask'\t# from default" in run("config").out


def test_a_huge_value_is_not_quoted_whole(run, config_file) -> None:
    r = run("config", "set", "level", "x" * 100_000)
    assert r.code == 2 and len(r.err) < 300


def test_edit_opens_the_editor_and_checks_the_result(run, config_file, tmp_path, monkeypatch) -> None:
    script = tmp_path / "editor.py"
    script.write_text("import sys\nopen(sys.argv[1], 'a').write('level = \"major\"\\n')\n")
    monkeypatch.setenv("VISUAL", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
    r = run("config", "edit")
    assert r.code == 0 and "is valid" in r.err
    text = config_file.read_text()
    assert text.startswith("# filmguide settings.") and text.endswith('level = "major"\n')
    script.write_text("import sys\nopen(sys.argv[1], 'a').write('level = \"loud\"\\n')\n")
    config_file.write_text("")
    r = run("config", "edit")
    assert r.code == 1 and "config.toml:1: level: expected one of none, minor, major" in r.err
    assert config_file.read_text() == 'level = "loud"\n'  # kept as written, to fix


def test_set_says_when_the_environment_wins(run, config_file) -> None:
    r = run("config", "set", "level", "minor", env={"FILMGUIDE_LEVEL": "major"})
    assert r.code == 0 and "FILMGUIDE_LEVEL is set in the environment, and wins over the file" in r.err


def test_a_symlinked_config_is_written_through_its_link(run, config_file, tmp_path) -> None:
    real = tmp_path / "dotfiles" / "filmguide.toml"
    real.parent.mkdir()
    real.write_text(COMMENTED)
    config_file.symlink_to(real)
    assert run("config", "set", "level", "major").code == 0
    assert config_file.is_symlink()
    assert real.read_text() == COMMENTED.replace("seen\n", 'seen\nlevel = "major"\n')  # after the last setting
