"""Shell completion through the real entry point: titles offered, never a spoiler."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# --- completion through the real shell entry point ------------------------------------


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
