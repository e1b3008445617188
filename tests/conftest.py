"""Every test runs with its own user folders and no colour settings from the host."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from filmguide.cli import main
from filmguide.cli.context import RunContext
from filmguide.config import Setting

FIXTURES = Path(__file__).parent / "fixtures"
# The settings that every filmguide a test starts keeps, even one given a clean environment.
KEEP_ENV = frozenset({"FILMGUIDE_ANNOUNCE_SECONDS", "FILMGUIDE_PAGER"})
CANARY = FIXTURES / "canary"


def pytest_configure(config: pytest.Config) -> None:
    """The processes the tests start stand for a command typed at a terminal, where Ctrl-C is heard.
    A harness that starts pytest as a background job hands it SIGINT ignored, which every child
    would inherit (Python keeps an inherited "ignore"): the tests that press Ctrl-C would hang.
    A handled signal is reset to its default in a child, so handling it here is enough."""
    import signal

    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("FILMGUIDE_HOME", str(home))
    for var in ("FILMGUIDE_PATH", "NO_COLOR", "FORCE_COLOR", "FILMGUIDE_SPOILERS", "FILMGUIDE_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    # Whether a build is announced depends on how long it took: never, in tests,
    # unless a test says otherwise (see filmguide.limits).
    monkeypatch.setenv("FILMGUIDE_ANNOUNCE_SECONDS", "1e9")
    # Long output at a terminal would wait in a pager for a key: no pager unless a test asks for one.
    monkeypatch.setenv("FILMGUIDE_PAGER", "")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "xterm-256color")
    return home


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def both(self) -> str:
        return self.out + self.err


@pytest.fixture
def run() -> Callable[..., Run]:
    """Run filmguide through its real entry point (error boundary included)."""

    def _run(*args: str, input: str | None = None, env: dict[str, str | None] | None = None) -> Run:
        runner = CliRunner()
        with runner.isolation(input=input, env=env) as (out, err, _):
            code = main(list(args))
            import sys

            sys.stdout.flush()
            sys.stderr.flush()
            return Run(code, out.getvalue().decode(), err.getvalue().decode())

    return _run


class _Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def faked() -> Callable[..., Run]:
    """Run filmguide through main() with a run context made here, in place of the process's surroundings.

    ``tty`` makes stdin, stdout and stderr terminals; ``width`` the terminal's
    width; ``settings`` and ``seen`` stand for the config file and the seen
    list. Click's own help and usage messages still go to the process's streams.
    """

    def _run(
        *args: str,
        stdin: str = "",
        tty: bool = False,
        width: int | None = None,
        settings: dict[str, Setting] | None = None,
        seen: dict[str, dt.date] | None = None,
    ) -> Run:
        kind = _Terminal if tty else io.StringIO
        out, err = kind(), kind()
        context = RunContext(stdin=kind(stdin), stdout=out, stderr=err, width=width, settings=settings, seen=seen)
        code = main(list(args), context)
        return Run(code, out.getvalue(), err.getvalue())

    return _run


@pytest.fixture
def films_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder on FILMGUIDE_PATH."""
    folder = tmp_path / "films"
    folder.mkdir()
    monkeypatch.setenv("FILMGUIDE_PATH", str(folder))
    return folder


@pytest.fixture
def canary(films_dir: Path) -> Path:
    shutil.copy(CANARY / "canary-film-2001.yaml", films_dir)
    return films_dir


def write_dossier(folder: Path, film_id: str, body: str = "", **fields: object) -> Path:
    """A minimal valid dossier, with ``fields`` overriding or extending it."""
    base: dict[str, object] = {
        "schema": 1,
        "id": film_id,
        "title": film_id.rsplit("-", 1)[0].replace("-", " ").title(),
        "year": int(film_id.rsplit("-", 1)[1]),
        "runtime": 90,
        "directors": "[Some One]",
        "premise": "Somebody wants something.",
    }
    base.update(fields)
    text = "".join(f"{k}: {v}\n" for k, v in base.items()) + body
    path = folder / f"{film_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def clean_env() -> Iterator[None]:
    keep = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(keep)
