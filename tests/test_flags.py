"""Short flags, and FILMGUIDE_NO_INPUT for every prompt."""

from __future__ import annotations

from .test_pager import terminal


def test_short_flags_mean_the_long_ones(run) -> None:
    long = run("show", "strangers", "--level", "minor", "--upto", "40", "--json")
    short = run("show", "strangers", "-l", "minor", "-u", "40", "-j")
    assert long.code == short.code == 0
    assert long.out == short.out


def test_no_input_from_the_environment_refuses_without_asking(tmp_path) -> None:
    code, screen = terminal(["ending", "strangers"], tmp_path, FILMGUIDE_NO_INPUT="1")
    assert code == 5
    assert "[y/N]" not in screen
    assert "--spoilers" in screen


def test_without_it_a_terminal_is_asked(tmp_path) -> None:
    import os
    import sys

    import pexpect

    env = {k: v for k, v in os.environ.items() if not k.startswith("FILMGUIDE_")}
    env.update(FILMGUIDE_HOME=str(tmp_path / "home"), TERM="xterm-256color", FILMGUIDE_PAGER="")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "filmguide", "ending", "strangers"],
        env=env,
        timeout=30,
        encoding="utf-8",
        dimensions=(50, 100),
    )
    child.expect_exact("[y/N]")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 5
