"""Shell completion: titles by any word, filter values, never a spoiler, in real bash, zsh and fish.

Each shell sources the script filmguide prints and is asked for completions
as a user's TAB would ask it: bash through its completion function and
COMPREPLY, zsh interactively in a terminal (TAB, then the line is printed),
fish with ``complete -C``. zsh and fish are skipped, saying so, where they are
not installed (.ci/run installs them).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import write_dossier

# --- completion through the program's own protocol -------------------------------------


SHELLS = {
    "bash": {"COMP_WORDS": "filmguide show {w}", "COMP_CWORD": "2"},
    "zsh": {"_TYPER_COMPLETE_ARGS": "filmguide show {w}"},
    "fish": {"_TYPER_COMPLETE_ARGS": "filmguide show {w}", "_TYPER_COMPLETE_FISH_ACTION": "get-args"},
}


def _complete(shell: str, word: str) -> str:
    env = dict(os.environ, _FILMGUIDE_COMPLETE=f"complete_{shell}")
    env.update({k: v.format(w=word) for k, v in SHELLS[shell].items()})
    done = subprocess.run([sys.executable, "-m", "filmguide"], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    return done.stdout + done.stderr


def _answer(words: str, env: dict[str, str] | None = None) -> str:
    """What filmguide answers zsh for the words typed (the last one being completed)."""
    full = dict(os.environ, _FILMGUIDE_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS=words, **(env or {}))
    done = subprocess.run([sys.executable, "-m", "filmguide"], env=full, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout


@pytest.mark.parametrize("shell", list(SHELLS))
def test_shell_completion_offers_titles_without_spoilers(canary, shell) -> None:
    assert "canary-film-2001" in _complete(shell, "can")
    assert "canary-film-2001" in _complete(shell, "")
    for word in ("can", "Zqmajor", ""):
        assert "zqmajoralias" not in _complete(shell, word).lower()


def test_completion_scripts_for_every_shell() -> None:
    for shell in SHELLS:
        env = dict(os.environ, _FILMGUIDE_COMPLETE=f"source_{shell}")
        done = subprocess.run([sys.executable, "-m", "filmguide"], env=env, capture_output=True, text=True, timeout=30)
        assert done.returncode == 0 and "_FILMGUIDE_COMPLETE" in done.stdout, shell


def test_show_completion_prints_the_same_scripts() -> None:
    for shell in SHELLS:
        env = dict(os.environ, _FILMGUIDE_COMPLETE=f"source_{shell}")
        sourced = subprocess.run([sys.executable, "-m", "filmguide"], env=env, capture_output=True, text=True)
        env = dict(os.environ, _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")  # the shell named, not guessed
        shown = subprocess.run(
            [sys.executable, "-m", "filmguide", "--show-completion", shell], env=env, capture_output=True, text=True
        )
        assert shown.returncode == 0 and shown.stderr == ""
        assert shown.stdout.strip() == sourced.stdout.strip(), shell


def test_filter_values_come_only_from_spoiler_free_items(canary) -> None:
    # The canary's major cast credit is Bob Actor's; its none credit, Ann Actor's.
    people = _answer("filmguide list --person ").splitlines()
    assert "Ann Actor" in people and "Zqnone Director" in people and "Zqnone Writer" in people
    assert "Bob Actor" not in people
    assert _answer("filmguide list --person bob").split() == []
    assert _answer("filmguide list --person act").splitlines() == ["Ann Actor"]
    assert "zqnonetag" in _answer("filmguide list --tag zq").splitlines()
    assert "drama" in _answer("filmguide list --genre DRA").splitlines()
    assert _answer("filmguide list --director zqnone").splitlines() == ["Zqnone Director"]
    for words in ("filmguide list --person ", "filmguide list --tag ", "filmguide show ", "filmguide show zq"):
        out = _answer(words).lower()
        assert not re.search(r"zq(minor|major)", out), words
        assert "zqnonerole" not in out  # a role is never a filter value


def test_completion_reads_no_hidden_text(films_dir) -> None:
    """Twins that differ only in hidden text complete byte for byte alike."""
    answers = []
    for secret in ("Hidden One", "Somebody Else Entirely"):
        write_dossier(
            films_dir,
            "twin-film-2001",
            "aliases:\n  - Twin Alias\n  - title: " + secret + "\n    grade: minor\n"
            "cast:\n  - actor: Shown Actor\n    role: R\n  - actor: " + secret + "\n    role: R\n    grade: major\n",
            tags="[twins]",
        )
        words = ("list --person ", "list --person h", "list --person s", "show ", "show h", "show s", "show twin")
        answers.append([_answer(f"filmguide {w}") for w in words])
    assert answers[0] == answers[1]
    assert "Shown Actor" in answers[0][0] and "twin-film-2001" in answers[0][3]


def test_a_title_is_found_by_any_word_and_alias(films_dir) -> None:
    _amelie(films_dir)
    for word in ("amelie", "AMÉLIE", "amél", "destin", "fabul", "sixth", "strangers"):
        assert _answer(f"filmguide show {word}").strip() != "", word
    assert _answer("filmguide show destin") == "fabuleux-destin-2001\tAmélie (2001), aka Le Fabuleux Destin\n"
    assert _answer("filmguide show zqmajor").split() == []


def test_descriptions_are_plain_text(films_dir) -> None:
    write_dossier(films_dir, "markup-film-2001", title='"Closing [/] and [bold]x[/bold] :smile: here"')
    assert _answer("filmguide show closing") == "markup-film-2001\tClosing [/] and [bold]x[/bold] :smile: here (2001)\n"


# --- completion in the real shells ------------------------------------------------------------


def _amelie(folder: Path) -> None:
    """A film whose id holds no word of its accented title, with hidden names beside visible ones."""
    write_dossier(
        folder,
        "fabuleux-destin-2001",
        "aliases:\n  - Le Fabuleux Destin\n  - title: Zqmajor Hidden Name\n    grade: major\n"
        "cast:\n  - actor: Audrey Tautou\n    role: Amélie Poulain\n"
        "  - actor: Zqminor Performer\n    role: Someone\n    grade: minor\n"
        "  - actor: Zqmajor Performer\n    role: Someone else\n    grade: major\n",
        title="Amélie",
        directors="[Jean-Pierre Jeunet]",
        genres="[comedy]",
        tags="[paris, zqnonetag]",
    )


@pytest.fixture
def shell_env(films_dir: Path, tmp_path: Path) -> dict[str, str]:
    """The test catalog, and a ``filmguide`` on PATH that runs this Python's filmguide."""
    _amelie(films_dir)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "filmguide"
    program.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m filmguide "$@"\n')
    program.chmod(0o755)
    home = tmp_path / "shellhome"
    home.mkdir()
    return dict(
        os.environ,
        PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        HOME=str(home),
        ZDOTDIR=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
    )


def _script(shell: str, env: dict[str, str], folder: Path) -> Path:
    done = subprocess.run(
        ["filmguide"], env={**env, "_FILMGUIDE_COMPLETE": f"source_{shell}"}, capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stderr == ""
    path = folder / f"filmguide.{shell}"
    path.write_text(done.stdout)
    return path


def _bash(env: dict[str, str], script: Path, *words: str) -> list[str]:
    """COMPREPLY after bash's completion function ran for ``filmguide <words>`` (the last being typed)."""
    line = " ".join(shlex.quote(w) for w in ("filmguide", *words))
    code = (
        f"source {shlex.quote(str(script))}\n"
        f"COMP_WORDS=({line}); COMP_CWORD={len(words)}\n"
        "_filmguide_completion filmguide\n"
        'for reply in "${COMPREPLY[@]}"; do printf "<%s>\\n" "$reply"; done\n'
    )
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return re.findall(r"<(.*)>", done.stdout)


def test_bash_completes_titles_by_any_word(shell_env, tmp_path) -> None:
    script = _script("bash", shell_env, tmp_path)
    assert "complete -o default -F _filmguide_completion filmguide" in script.read_text()
    assert _bash(shell_env, script, "show", "sixth") == ["the-sixth-sense-1999"]
    assert _bash(shell_env, script, "show", "strangers") == ["all-of-us-strangers-2023"]
    for word in ("amelie", "amélie", "Amélie", "destin"):
        assert _bash(shell_env, script, "show", word) == ["fabuleux-destin-2001"], word
    assert _bash(shell_env, script, "show", "zqmajor") == []
    assert _bash(shell_env, script, "sh") == ["show"]


def test_bash_completes_filter_values_one_word_each(shell_env, tmp_path) -> None:
    script = _script("bash", shell_env, tmp_path)
    assert _bash(shell_env, script, "list", "--person", "tau") == ["Audrey\\ Tautou"]  # one word on the line
    assert _bash(shell_env, script, "list", "--person", "Audrey\\ T") == ["Audrey\\ Tautou"]
    assert _bash(shell_env, script, "list", "--director", "jeu") == ["Jean-Pierre\\ Jeunet"]
    assert _bash(shell_env, script, "list", "--genre", "anim") == ["animation"]
    assert "comedy" in _bash(shell_env, script, "list", "--genre", "com")
    assert _bash(shell_env, script, "list", "--tag", "zq") == ["zqnonetag"]
    assert _bash(shell_env, script, "list", "--person", "perf") == []
    everyone = _bash(shell_env, script, "list", "--person", "")
    assert "Audrey\\ Tautou" in everyone and not [p for p in everyone if "Zq" in p]


def test_bash_offers_every_film_a_word_finds(shell_env, films_dir, tmp_path) -> None:
    write_dossier(films_dir, "strangers-on-a-train-1951", title="Strangers on a Train")
    script = _script("bash", shell_env, tmp_path)
    assert _bash(shell_env, script, "show", "strangers") == ["all-of-us-strangers-2023", "strangers-on-a-train-1951"]


needs_zsh = pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed (.ci/run installs it)")
needs_fish = pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed (.ci/run installs it)")
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\x07\x08]")


class Zsh:
    """An interactive zsh in a terminal, with compinit and filmguide's script loaded."""

    def __init__(self, env: dict[str, str], script: Path) -> None:
        import pexpect

        self.z = pexpect.spawn(
            "zsh", ["-f", "-i"], env=env, cwd=env["HOME"], encoding="utf-8", timeout=60, dimensions=(60, 200)
        )
        self.z.sendline(f'PS1="READY> "; autoload -Uz compinit; compinit -u -D; source {shlex.quote(str(script))}')
        self.z.sendline("print -r -- SET''UP")
        self.z.expect("SETUP\r\n")
        self.z.expect("READY> ")

    def tab(self, line: str, tabs: int = 1) -> tuple[list[str], str]:
        """The words of the command line after TAB, as the shell reads them, and what it listed
        below the line (escape codes removed)."""
        self.z.send(line + "\t" * tabs)
        self.z.send("\x01printf '<%s>' BUF \x05; echo\r")  # print each word of the line as it stands
        self.z.expect(r"<BUF>((?:<[^>\r\n]*>)*)\r\n")
        shown = _ESCAPES.sub("", self.z.before)
        words = re.findall(r"<([^>]*)>", self.z.match.group(1))
        self.z.expect("READY> ")
        return words, shown

    def close(self) -> None:
        self.z.close(force=True)


@pytest.fixture
def zsh(shell_env, tmp_path):
    shell = Zsh(shell_env, _script("zsh", shell_env, tmp_path))
    yield shell
    shell.close()


@needs_zsh
def test_zsh_completes_titles_by_any_word(zsh) -> None:
    assert zsh.tab("filmguide show sixth")[0] == ["filmguide", "show", "the-sixth-sense-1999"]
    assert zsh.tab("filmguide show strangers")[0] == ["filmguide", "show", "all-of-us-strangers-2023"]
    for word in ("amelie", "amélie", "Amélie", "destin"):
        assert zsh.tab(f"filmguide show {word}")[0] == ["filmguide", "show", "fabuleux-destin-2001"], word
    assert zsh.tab("filmguide show zqmajor")[0] == ["filmguide", "show", "zqmajor"]
    assert zsh.tab("filmguide sh")[0] == ["filmguide", "show"]


@needs_zsh
def test_zsh_completes_filter_values(zsh) -> None:
    assert zsh.tab("filmguide list --person tau")[0] == ["filmguide", "list", "--person", "Audrey Tautou"]
    assert zsh.tab("filmguide list --director jeu")[0] == ["filmguide", "list", "--director", "Jean-Pierre Jeunet"]
    assert zsh.tab("filmguide list --genre anim")[0] == ["filmguide", "list", "--genre", "animation"]
    assert zsh.tab("filmguide list --person perf")[0] == ["filmguide", "list", "--person", "perf"]
    assert zsh.tab("filmguide list --person zq")[0] == ["filmguide", "list", "--person", "zq"]


@needs_zsh
def test_zsh_goes_through_films_that_share_no_start(zsh, films_dir) -> None:
    write_dossier(films_dir, "strangers-on-a-train-1951", title="Strangers on a Train")
    line, shown = zsh.tab("filmguide show strangers")
    assert line == ["filmguide", "show", "all-of-us-strangers-2023"]  # the first, in a menu; the word is not erased
    assert "all-of-us-strangers-2023  -- All of Us Strangers (2023)" in shown
    assert "strangers-on-a-train-1951  -- Strangers on a Train (1951)" in shown
    assert zsh.tab("filmguide show strangers", tabs=2)[0] == ["filmguide", "show", "strangers-on-a-train-1951"]


def _fish(env: dict[str, str], script: Path, line: str) -> list[list[str]]:
    """What fish offers for the command line, after its own matching: [value, description] rows."""
    code = f"source {shlex.quote(str(script))}; complete -C {shlex.quote(line)}"
    done = subprocess.run(["fish", "--no-config", "-c", code], env=env, cwd=env["HOME"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return [row.split("\t") for row in done.stdout.splitlines()]


@needs_fish
def test_fish_completes_titles_by_any_word(shell_env, tmp_path) -> None:
    script = _script("fish", shell_env, tmp_path)
    ids = lambda line: [row[0] for row in _fish(shell_env, script, line)]  # noqa: E731
    assert ids("filmguide show sixth") == ["the-sixth-sense-1999"]
    assert ids("filmguide show strangers") == ["all-of-us-strangers-2023"]
    for word in ("amelie", "amélie", "Amélie", "destin"):
        assert ids(f"filmguide show {word}") == ["fabuleux-destin-2001"], word
    assert _fish(shell_env, script, "filmguide show destin") == [
        ["fabuleux-destin-2001", "Amélie (2001), aka Le Fabuleux Destin"]
    ]
    assert not [i for i in ids("filmguide show zqmajor") if "-" in i]  # no film (fish offers files instead)
    assert "show" in ids("filmguide sh")


@needs_fish
def test_fish_completes_filter_values(shell_env, tmp_path) -> None:
    script = _script("fish", shell_env, tmp_path)
    values = lambda line: [row[0] for row in _fish(shell_env, script, line)]  # noqa: E731
    assert values("filmguide list --person tau") == ["Audrey Tautou"]
    assert values("filmguide list --director jeunet") == ["Jean-Pierre Jeunet"]
    assert values("filmguide list --tag zq") == ["zqnonetag"]
    everyone = values("filmguide list --person ")
    assert "Audrey Tautou" in everyone and not [p for p in everyone if "Zq" in p]
