"""filmguide in real processes: real pseudo-terminals, real pipes, a real install.

Every test here starts ``python -m filmguide`` (or an installed ``filmguide``)
as a child process, so what is checked is what a user at a terminal or a shell
script sees: the spoiler question and its answers, Ctrl-C and Ctrl-D at the
question, escape codes only at a terminal, a reader that closes the pipe early,
and a wheel that finds its built-in films once installed elsewhere.

Each child gets its own environment: ``FILMGUIDE_HOME`` in a tmp folder,
``FILMGUIDE_PATH`` unset or a tmp folder, no ``NO_COLOR``/``FORCE_COLOR``,
``COLUMNS=100`` (and ``TERM=xterm-256color`` on a pty). Every wait has a
timeout, so a hang fails the test instead of blocking the run.
"""

from __future__ import annotations

import errno
import fcntl
import os
import pty
import re
import select
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

if sys.platform == "win32":  # pragma: no cover - pseudo-terminals are POSIX
    pytest.skip("pseudo-terminal tests need a POSIX system", allow_module_level=True)

REPO = Path(__file__).resolve().parents[1]
TIMEOUT = 20  # seconds, for every child process and every expect
ROWS, COLS = 50, 100

BUILTIN_ID = "all-of-us-strangers-2023"

# --- the canary: a dossier whose ending holds words found nowhere else -------

CANARY_ID = "zqx-canary-picture-2031"
CANARY_TITLE = "Zqx Canary Picture"
CANARY_YEAR = 2031
CANARY_ENDING_WORD = "zqxmajorcanary"  # in ending.what
CANARY_MEANING_WORD = "zqxmeaningcanary"  # in ending.meaning
CANARY_MAJOR_WORDS = (CANARY_ENDING_WORD, CANARY_MEANING_WORD, "zqxmajorbeat", "zqxmajortheory")

CANARY_YAML = f"""\
schema: 1
id: {CANARY_ID}
title: {CANARY_TITLE}
year: {CANARY_YEAR}
runtime: 100
directors:
  - Zqx Director
writers:
  - Zqx Writer
genres:
  - drama
premise: >-
  A zqxnonepremise set-up that any trailer shows, in a quiet town by the sea.
beats:
  - at: 10
    grade: none
    text: Zqxnonebeat opens the film with a long walk along the shore.
  - at: 50
    grade: minor
    text: Zqxminorbeat happens midway, when the letters start to arrive.
  - at: 90
    grade: major
    text: Zqxmajorbeat gives the whole twist away in the lighthouse.
ending:
  what: >-
    At the very end the keeper reads the final letter aloud and
    {CANARY_ENDING_WORD} the lighthouse goes dark over the bay.
  meaning: >-
    The dark lighthouse is {CANARY_MEANING_WORD} a farewell to the town.
theories:
  - title: Zqxminortheorytitle
    text: Zqxminortheory says the letters are old.
    grade: minor
    held_by: some viewers
  - title: Zqxmajortheorytitle
    text: Zqxmajortheory says the keeper wrote them himself.
    grade: major
    held_by: some critics
quotes:
  - text: Zqxnonequote is said on the pier.
    speaker: The keeper
    source: the film
    grade: none
    at: 5
sources:
  - publication: Zqx Gazette
    date: "2031"
"""

# The canary's ending as a user must see it, whatever the layout wraps.
CANARY_ENDING_FRAGMENT = "the keeper reads the final letter"


# --- helpers -------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")
_SGR = re.compile(r"\x1b\[[0-9;:]*m")
_BOX = re.compile("[\u2500-\u257f]")


def normalize(text: str) -> str:
    """What a reader sees, as one line: no escapes, no box lines, one space between words."""
    return " ".join(_BOX.sub(" ", _ANSI.sub("", text)).split())


def child_env(home: Path, films: Path | None = None, *, tty: bool = False, **extra: str | None) -> dict[str, str]:
    """The host environment minus anything that changes filmguide, plus the test's folders."""
    env = dict(os.environ)
    for name in (
        "NO_COLOR",
        "FORCE_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "FILMGUIDE_PATH",
        "FILMGUIDE_DEBUG",
        "FILMGUIDE_SPOILERS",
        "PYTHONSTARTUP",
        "PYTHONINSPECT",
        "COLUMNS",
        "LINES",
    ):
        env.pop(name, None)
    env["FILMGUIDE_HOME"] = str(home)
    env["COLUMNS"] = str(COLS)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if films is not None:
        env["FILMGUIDE_PATH"] = str(films)
    if tty:
        env["TERM"] = "xterm-256color"
        env["LC_ALL"] = "C.UTF-8"  # a UTF-8 terminal, so Rich may draw its box characters
    for name, value in extra.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def fg(*args: str) -> list[str]:
    return [sys.executable, "-m", "filmguide", *args]


@dataclass
class Done:
    code: int | None
    out: str
    err: str = ""


def run_pipe(args: list[str], env: dict[str, str], cwd: Path, stdin: str | None = None) -> Done:
    """stdin, stdout and stderr all pipes (stdin empty unless given)."""
    p = subprocess.run(
        fg(*args),
        input=(stdin or "").encode(),
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=TIMEOUT,
    )
    return Done(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"))


@dataclass
class Film:
    """A film the tests ask about, and what of its ending must (not) appear."""

    query: str
    title: str
    year: int
    fragment: str  # a few words of ending.what, as a reader sees them
    leaks: tuple[str, ...]  # any of these in the output means the ending leaked
    also: str = ""  # the films it spoils too, as the question names them


def _fragment(text: str, words: int = 5) -> str:
    """A run of plain words from the text: wrapping may break lines only between them."""
    tokens = text.split()
    for i in range(len(tokens) - words + 1):
        run = tokens[i : i + words]
        if all(re.fullmatch(r"[A-Za-z]+", t) for t in run) and sum(map(len, run)) >= 16:
            return " ".join(run)
    raise AssertionError(f"no {words} plain words in a row in the ending: {text!r}")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    h.mkdir()
    return h


@pytest.fixture
def films(tmp_path: Path) -> Path:
    """A FILMGUIDE_PATH folder holding the canary."""
    folder = tmp_path / "films"
    folder.mkdir()
    (folder / f"{CANARY_ID}.yaml").write_text(CANARY_YAML, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def builtin() -> Film:
    from filmguide.catalog import load_catalog
    from filmguide.paths import Folder, builtin_films

    cat = load_catalog([Folder(builtin_films(), "built-in")])
    assert not cat.broken, cat.broken
    film = next(d for d in cat.films if d.id == BUILTIN_ID)
    assert film.ending is not None
    what = film.ending.what
    fragment = _fragment(what)
    # Fragments of both halves of the ending: neither may appear before consent.
    leaks = (fragment, _fragment(film.ending.meaning))
    titles = {d.id: f"{d.title} ({d.year})" for d in cat.films}
    others = [titles[i] for i in film.spoils]
    also = f" It also gives away {' and '.join(others)}, which you have not marked seen." if others else ""
    return Film(BUILTIN_ID, film.title, film.year, fragment, leaks, also)


CANARY = Film(CANARY_ID, CANARY_TITLE, CANARY_YEAR, CANARY_ENDING_FRAGMENT, CANARY_MAJOR_WORDS)


@pytest.fixture(params=["canary", "built-in"])
def film(request: pytest.FixtureRequest) -> Film:
    if request.param == "canary":
        return CANARY
    return request.getfixturevalue("builtin")


def leaked(film: Film, text: str) -> list[str]:
    seen = normalize(text).casefold()
    return [w for w in film.leaks if w.casefold() in seen]


def prompt_of(film: Film) -> str:
    return f"Reveal the ending (major spoilers) of {film.title} ({film.year})?{film.also} [y/N]"


# --- pexpect: the whole terminal (stdin, stdout and stderr on one pty) -----------


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator:
    children = []

    def _spawn(args: list[str], env: dict[str, str]):
        child = pexpect.spawn(
            sys.executable,
            ["-m", "filmguide", *args],
            env=env,
            cwd=str(tmp_path),
            timeout=TIMEOUT,
            encoding="utf-8",
            codec_errors="replace",
            dimensions=(ROWS, COLS),
        )
        children.append(child)
        return child

    yield _spawn
    for child in children:
        if child.isalive():
            child.terminate(force=True)
        child.close()


def finish(child) -> Done:
    """Read to the end of output, wait for the exit and return code plus everything printed."""
    child.expect(pexpect.EOF)
    out = child.before
    child.close()
    assert child.signalstatus is None, f"killed by signal {child.signalstatus}: {out!r}"
    return Done(child.exitstatus, out)


def ask(spawn, film: Film, env: dict[str, str], *args: str):
    child = spawn(["ending", film.query, *args], env)
    child.expect_exact(prompt_of(film))
    before = child.before
    assert not leaked(film, before), before
    return child


# 1. The question at a terminal, and every way of answering it.


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param("n", id="n"),
        pytest.param("no", id="no"),
        pytest.param("", id="enter-default-no"),
        pytest.param("maybe", id="anything-else"),
    ],
)
def test_prompt_answered_no_reveals_nothing(spawn, film: Film, home: Path, films: Path, answer: str) -> None:
    child = ask(spawn, film, child_env(home, films, tty=True))
    child.sendline(answer)
    done = finish(child)
    assert done.code == 5, done.out
    assert not leaked(film, done.out), done.out
    assert "Traceback" not in done.out


@pytest.mark.parametrize("answer", ["y", "Y", "yes"])
def test_prompt_answered_yes_reveals_the_ending(spawn, film: Film, home: Path, films: Path, answer: str) -> None:
    child = ask(spawn, film, child_env(home, films, tty=True))
    child.sendline(answer)
    done = finish(child)
    assert done.code == 0, done.out
    assert film.fragment in normalize(done.out), done.out


def test_prompt_eof_counts_as_no(spawn, film: Film, home: Path, films: Path) -> None:
    child = ask(spawn, film, child_env(home, films, tty=True))
    child.sendeof()
    done = finish(child)
    assert done.code == 5, done.out
    assert not leaked(film, done.out), done.out
    assert "Traceback" not in done.out


def test_prompt_ctrl_c_interrupts_quietly(spawn, film: Film, home: Path, films: Path) -> None:
    child = ask(spawn, film, child_env(home, films, tty=True))
    child.sendintr()
    done = finish(child)
    assert done.code == 130, done.out
    assert not leaked(film, done.out), done.out
    assert "Traceback" not in done.out
    assert "KeyboardInterrupt" not in done.out
    # After the question: the terminal's "^C" echo, then one short line.
    lines = [line for line in _ANSI.sub("", done.out).replace("^C", "").splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "interrupted" in lines[0].lower()
    assert len(lines[0]) <= 80, lines[0]


# 2. --no-input at a terminal: no question, a refusal that names the way out.


def test_no_input_at_a_terminal_refuses_without_asking(spawn, film: Film, home: Path, films: Path) -> None:
    child = spawn(["ending", film.query, "--no-input"], child_env(home, films, tty=True))
    done = finish(child)
    assert done.code == 5, done.out
    assert "[y/N]" not in done.out
    assert "--spoilers" in done.out
    assert not leaked(film, done.out), done.out


# --- the pty module: a terminal on some of the standard streams only -------------


def _open_pty() -> tuple[int, int]:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    return master, slave


def _read_fd(fd: int, deadline: float, until: bytes | None = None, buf: bytearray | None = None) -> bytes:
    """Read from a pty master or a pipe until ``until`` shows up, or to the end."""
    data = buf if buf is not None else bytearray()
    while until is None or until not in data:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"timed out waiting for {until!r}; got {bytes(data)!r}")
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError as e:  # Linux: EIO on the master once the last slave is closed
            if e.errno == errno.EIO:
                break
            raise
        if not chunk:
            break
        data += chunk
    if until is not None and until not in data:
        raise AssertionError(f"output ended before {until!r}; got {bytes(data)!r}")
    return bytes(data)


def test_prompt_goes_to_stderr_and_ending_to_stdout(film: Film, home: Path, films: Path, tmp_path: Path) -> None:
    """stdin and stdout on the pty, stderr a pipe: the question is on stderr only."""
    master, slave = _open_pty()
    p = None
    try:
        p = subprocess.Popen(
            fg("ending", film.query),
            stdin=slave,
            stdout=slave,
            stderr=subprocess.PIPE,
            env=child_env(home, films, tty=True),
            cwd=tmp_path,
        )
        os.close(slave)
        slave = -1
        deadline = time.monotonic() + TIMEOUT
        assert p.stderr is not None
        err = _read_fd(p.stderr.fileno(), deadline, until=b"[y/N] ").decode()
        assert prompt_of(film) in err
        os.write(master, b"y\n")
        out = _read_fd(master, deadline).decode("utf-8", "replace")
        code = p.wait(timeout=TIMEOUT)
        err += p.stderr.read().decode("utf-8", "replace")
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
        if p is not None and p.poll() is None:
            p.kill()
            p.wait()
    assert code == 0, (out, err)
    assert "[y/N]" not in out
    assert film.fragment in normalize(out), out
    assert not leaked(film, err), err


# 3. A `y` piped into stdin never counts.


def test_y_piped_in_and_stdout_a_pipe_is_refused(film: Film, home: Path, films: Path, tmp_path: Path) -> None:
    done = run_pipe(["ending", film.query], child_env(home, films), tmp_path, stdin="y\n")
    assert done.code == 5, done
    assert done.out == ""
    assert "--spoilers" in done.err
    assert "[y/N]" not in done.err
    assert not leaked(film, done.err)


def test_y_piped_in_with_stdout_a_terminal_is_refused(film: Film, home: Path, films: Path, tmp_path: Path) -> None:
    """`echo y | filmguide ending X` typed at a terminal: stdout is a tty, stdin is not."""
    master, slave = _open_pty()
    p = None
    try:
        p = subprocess.Popen(
            fg("ending", film.query),
            stdin=subprocess.PIPE,
            stdout=slave,
            stderr=slave,
            env=child_env(home, films, tty=True),
            cwd=tmp_path,
        )
        os.close(slave)
        slave = -1
        assert p.stdin is not None
        try:
            p.stdin.write(b"y\n")
            p.stdin.close()
        except BrokenPipeError:
            pass  # it refused before reading: just as good
        out = _read_fd(master, time.monotonic() + TIMEOUT).decode("utf-8", "replace")
        code = p.wait(timeout=TIMEOUT)
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
        if p is not None and p.poll() is None:
            p.kill()
            p.wait()
    assert code == 5, out
    assert "[y/N]" not in out
    assert "--spoilers" in out
    assert not leaked(film, out), out


def test_stdin_a_terminal_but_stdout_a_pipe_is_refused(film: Film, home: Path, films: Path, tmp_path: Path) -> None:
    """`filmguide ending X | less`: the keyboard is there, but the screen is not filmguide's to ask on."""
    master, slave = _open_pty()
    p = None
    try:
        p = subprocess.Popen(
            fg("ending", film.query),
            stdin=slave,
            stdout=subprocess.PIPE,
            stderr=slave,
            env=child_env(home, films, tty=True),
            cwd=tmp_path,
        )
        os.close(slave)
        slave = -1
        os.write(master, b"y\n")  # typed ahead: must not count either
        assert p.stdout is not None
        out = p.stdout.read().decode("utf-8", "replace")
        code = p.wait(timeout=TIMEOUT)
        err = _read_fd(master, time.monotonic() + TIMEOUT).decode("utf-8", "replace")
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
        if p is not None and p.poll() is None:
            p.kill()
            p.wait()
    assert code == 5, (out, err)
    assert out == ""
    assert "[y/N]" not in err
    assert "--spoilers" in err
    assert not leaked(film, err), err


# 4. --spoilers in a pipe: the ending, undecorated.


@pytest.mark.parametrize("stdin", [None, "n\n"], ids=["stdin-empty", "stdin-n"])
def test_spoilers_in_a_pipe_prints_the_ending_plainly(
    film: Film, home: Path, films: Path, tmp_path: Path, stdin: str | None
) -> None:
    done = run_pipe(["ending", film.query, "--spoilers"], child_env(home, films), tmp_path, stdin=stdin)
    assert done.code == 0, done
    assert film.fragment in " ".join(done.out.split())
    assert "\x1b" not in done.out
    assert "[y/N]" not in done.err


# 5. Decoration: Rich at a terminal, never in a pipe, and colour only when allowed.


def test_show_at_a_terminal_draws_panels(spawn, film: Film, home: Path, films: Path) -> None:
    done = finish(spawn(["show", film.query], child_env(home, films, tty=True)))
    assert done.code == 0, done.out
    assert "╭" in done.out or "─" in done.out, done.out
    assert film.title in normalize(done.out)
    assert not leaked(film, done.out), done.out


PTY_COMMANDS = [
    pytest.param(["show", "{q}"], id="show"),
    pytest.param(["show", "{q}", "--spoilers"], id="show-spoilers"),
    pytest.param(["list"], id="list"),
    pytest.param(["theories", "{q}", "--spoilers"], id="theories"),
    pytest.param(["quotes", "{q}", "--spoilers"], id="quotes"),
    pytest.param(["ending", "{q}", "--spoilers"], id="ending"),
    pytest.param(["paths"], id="paths"),
]


def _args(template: list[str], query: str) -> list[str]:
    return [a.format(q=query) for a in template]


@pytest.mark.slow
@pytest.mark.parametrize("template", PTY_COMMANDS)
def test_no_color_at_a_terminal_means_no_colour(spawn, film: Film, home: Path, films: Path, template) -> None:
    done = finish(spawn(_args(template, film.query), child_env(home, films, tty=True, NO_COLOR="1")))
    assert done.code == 0, done.out
    assert not _SGR.search(done.out), done.out


@pytest.mark.slow
@pytest.mark.parametrize("template", PTY_COMMANDS)
def test_color_never_at_a_terminal_means_no_escapes(spawn, film: Film, home: Path, films: Path, template) -> None:
    done = finish(spawn([*_args(template, film.query), "--color", "never"], child_env(home, films, tty=True)))
    assert done.code == 0, done.out
    assert "\x1b[" not in done.out, done.out


def test_show_at_a_terminal_is_coloured_by_default(spawn, home: Path, films: Path) -> None:
    """The other side of the two tests above: without NO_COLOR there is colour, so they test something."""
    done = finish(spawn(["show", CANARY_ID], child_env(home, films, tty=True)))
    assert done.code == 0, done.out
    assert _SGR.search(done.out), done.out


PIPE_COMMANDS = [
    pytest.param(["show", "{q}"], id="show"),
    pytest.param(["show", "{q}", "--spoilers"], id="show-spoilers"),
    pytest.param(["list"], id="list"),
    pytest.param(["theories", "{q}", "--spoilers"], id="theories"),
    pytest.param(["quotes", "{q}", "--spoilers"], id="quotes"),
    pytest.param(["export", "{q}", "--spoilers"], id="export-text"),
    pytest.param(["export", "{q}", "--format", "markdown"], id="export-markdown"),
    pytest.param(["export", "--all"], id="export-all"),
]


@pytest.mark.slow
@pytest.mark.parametrize("term", ["xterm-256color", "dumb", None], ids=["xterm-256color", "dumb", "no-TERM"])
@pytest.mark.parametrize("template", PIPE_COMMANDS)
def test_pipe_output_never_has_escapes(home: Path, films: Path, tmp_path: Path, template, term: str | None) -> None:
    for query in (CANARY_ID, BUILTIN_ID):
        done = run_pipe(_args(template, query), child_env(home, films, TERM=term), tmp_path)
        assert done.code == 0, done
        assert done.out.strip(), done
        assert "\x1b" not in done.out, done.out
        assert "\x1b" not in done.err, done.err


# 6. A reader that stops early (`filmguide list | head -1`).

MANY = 500
LONG_ID = "zqx-long-film-2030"


@pytest.fixture(scope="module")
def many_films(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough small dossiers (and one long one) that every command below writes far more than a pipe holds."""
    folder = tmp_path_factory.mktemp("many-films")
    padding = " ".join(["words"] * 30)
    for i in range(MANY):
        film_id = f"zqx-filler-{i:03d}-2001"
        (folder / f"{film_id}.yaml").write_text(
            "schema: 1\n"
            f"id: {film_id}\n"
            f"title: Zqx Filler Number {i:03d} With A Rather Long Title To Fill The Pipe {padding}\n"
            "year: 2001\n"
            "runtime: 90\n"
            "directors: [Some One]\n"
            f"premise: Somebody wants something, number {i}, {padding} {padding}.\n",
            encoding="utf-8",
        )
    beats = "".join(
        f"  - grade: {('none', 'minor', 'major')[i % 3]}\n"
        f"    text: Beat number {i} of a very long film, where {padding} happen.\n"
        for i in range(800)
    )
    (folder / f"{LONG_ID}.yaml").write_text(
        f"schema: 1\nid: {LONG_ID}\ntitle: Zqx Long Film\nyear: 2030\nruntime: 900\n"
        f"directors: [Some One]\npremise: A film with a great many beats.\nbeats:\n{beats}",
        encoding="utf-8",
    )
    return folder


CLOSED_PIPE_COMMANDS = [
    pytest.param(["list"], id="list"),
    pytest.param(["export", "--all", "--format", "text"], id="export-all-text"),
    pytest.param(["export", "--all", "--format", "markdown"], id="export-all-markdown"),
    pytest.param(["export", "--all", "--format", "json"], id="export-all-json"),
    pytest.param(["show", LONG_ID, "--spoilers"], id="show-spoilers"),
    pytest.param(["list", "--json"], id="list-json"),
]


def _assert_quiet(err: str) -> None:
    for bad in ("Traceback", "BrokenPipeError", "Exception ignored", "Error", "error"):
        assert bad not in err, err


def test_the_many_films_really_overflow_a_pipe(many_films: Path, home: Path, tmp_path: Path) -> None:
    """Guard for the tests below: each of their outputs is larger than any pipe buffer."""
    env = child_env(home, many_films)
    for param in CLOSED_PIPE_COMMANDS:
        done = run_pipe(list(param.values[0]), env, tmp_path)
        assert done.code == 0, done.err
        assert done.err == "", done.err
        assert len(done.out.encode()) > 96 * 1024, (param.id, len(done.out))


def _read_one_line_then_close(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """Like `filmguide ... | head -1`: read a line, close the read end while filmguide is still writing."""
    p = subprocess.Popen(
        fg(*args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd
    )
    try:
        assert p.stdout is not None
        first = p.stdout.readline()
        assert first.strip()
        time.sleep(0.2)  # let it fill the pipe again and block in write()
        assert p.poll() is None, "finished before the reader closed: the output is too short for this test"
        p.stdout.close()  # like `head -1` exiting
        _, err_bytes = p.communicate(timeout=TIMEOUT)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    return p.returncode, err_bytes.decode("utf-8", "replace")


@pytest.mark.slow
@pytest.mark.parametrize("args", CLOSED_PIPE_COMMANDS)
def test_reader_closes_after_one_line_quietly(many_films: Path, home: Path, tmp_path: Path, args: list[str]) -> None:
    code, err = _read_one_line_then_close(args, child_env(home, many_films), tmp_path)
    _assert_quiet(err)
    # 141 when the reader closed first; 0 only if everything fit in the pipe before it closed.
    assert code in (0, 141), err


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["list"], id="list"),
        pytest.param(["export", "--all", "--format", "text"], id="export-all-text"),
        pytest.param(["show", LONG_ID, "--spoilers"], id="show-spoilers"),
    ],
)
def test_reader_closes_after_one_line_exit_code_141(
    many_films: Path, home: Path, tmp_path: Path, args: list[str]
) -> None:
    code, err = _read_one_line_then_close(args, child_env(home, many_films), tmp_path)
    assert code == 141, (code, err)


@pytest.mark.slow
@pytest.mark.parametrize("args", CLOSED_PIPE_COMMANDS)
def test_pipe_closed_before_any_output(many_films: Path, home: Path, tmp_path: Path, args: list[str]) -> None:
    """The reader is gone before filmguide writes a byte (deterministic, whatever the output's size)."""
    r, w = os.pipe()
    os.close(r)
    try:
        p = subprocess.run(
            fg(*args),
            stdin=subprocess.DEVNULL,
            stdout=w,
            stderr=subprocess.PIPE,
            env=child_env(home, many_films),
            cwd=tmp_path,
            timeout=TIMEOUT,
        )
    finally:
        os.close(w)
    err = p.stderr.decode("utf-8", "replace")
    _assert_quiet(err)
    assert p.returncode == 141, err


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["show", BUILTIN_ID, "--spoilers"], id="show-builtin"),
        pytest.param(["ending", BUILTIN_ID, "--spoilers"], id="ending-builtin"),
        pytest.param(["--version"], id="version"),
    ],
)
def test_small_output_into_a_closed_pipe(home: Path, tmp_path: Path, args: list[str]) -> None:
    r, w = os.pipe()
    os.close(r)
    try:
        p = subprocess.run(
            fg(*args),
            stdin=subprocess.DEVNULL,
            stdout=w,
            stderr=subprocess.PIPE,
            env=child_env(home),
            cwd=tmp_path,
            timeout=TIMEOUT,
        )
    finally:
        os.close(w)
    err = p.stderr.decode("utf-8", "replace")
    _assert_quiet(err)
    assert p.returncode == 141, err


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["list"], id="list"),
        pytest.param(["export", "--all", "--format", "text"], id="export-all-text"),
        pytest.param(["show", LONG_ID, "--spoilers"], id="show-spoilers"),
    ],
)
def test_head_one_in_a_shell_pipeline(many_films: Path, home: Path, tmp_path: Path, args: list[str]) -> None:
    cmd = shlex.join(fg(*args))
    script = f"set -o pipefail; {cmd} | head -n 1"
    p = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        env=child_env(home, many_films),
        cwd=tmp_path,
        timeout=TIMEOUT,
    )
    out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    assert len(out.splitlines()) == 1, out
    _assert_quiet(err)
    assert p.returncode in (0, 141), err  # pipefail: filmguide's own code; 141 documented, 0 today (see above)


# 7. Ctrl-C while a command runs: make it wait on a full pipe, then interrupt it.


@pytest.mark.slow
def test_interrupt_while_writing(many_films: Path, home: Path, tmp_path: Path) -> None:
    p = subprocess.Popen(
        fg("export", "--all", "--format", "text"),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(home, many_films),
        cwd=tmp_path,
    )
    try:
        assert p.stdout is not None
        assert p.stdout.readline().strip()  # it is writing, and the rest cannot fit in the pipe
        time.sleep(0.3)  # let it block on the full pipe
        assert p.poll() is None
        p.send_signal(signal.SIGINT)
        _, err_bytes = p.communicate(timeout=TIMEOUT)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    err = err_bytes.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    assert "KeyboardInterrupt" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "interrupted" in lines[0].lower(), err
    assert p.returncode == 130, err


# 7b. Dossier text is untrusted: a title must not drive the terminal it is shown on.

HOSTILE_TITLE_YAML = r'"Zqx Hostile \e]0;zqxpwned\a\e[2J Film"'  # sets the window title, clears the screen


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    r"""Two valid dossiers whose titles hold terminal escape sequences (YAML "\e" is ESC, "\a" BEL)."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    for film_id, year in (("zqx-hostile-film-2020", 2020), ("zqx-hostile-twin-2021", 2021)):
        (folder / f"{film_id}.yaml").write_text(
            f"schema: 1\nid: {film_id}\ntitle: {HOSTILE_TITLE_YAML}\nyear: {year}\nruntime: 90\n"
            "directors: [Some One]\npremise: Somebody wants something.\n"
            "ending:\n  what: Zqxhostileending happens.\n  meaning: It means something.\n",
            encoding="utf-8",
        )
    return folder


def _assert_no_terminal_controls(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text, repr(text)


def test_hostile_titles_are_valid_and_cleaned_in_lists(hostile: Path, home: Path, tmp_path: Path) -> None:
    """The premise of the three tests below: such a dossier loads, and `list` already cleans its title."""
    listed = run_pipe(["list"], child_env(home, hostile), tmp_path)
    assert listed.code == 0 and listed.err == "", listed
    assert "zqx-hostile-film-2020" in listed.out
    _assert_no_terminal_controls(listed.out)


def test_prompt_does_not_pass_escapes_from_a_title(spawn, hostile: Path, home: Path) -> None:
    child = spawn(["ending", "zqx-hostile-film-2020"], child_env(home, hostile, tty=True))
    child.expect_exact("[y/N]")
    shown = child.before
    child.sendline("n")
    assert finish(child).code == 5
    assert "Zqx Hostile" in shown
    _assert_no_terminal_controls(shown)


def test_refusal_does_not_pass_escapes_from_a_title(spawn, hostile: Path, home: Path) -> None:
    done = finish(spawn(["ending", "zqx-hostile-film-2020", "--no-input"], child_env(home, hostile, tty=True)))
    assert done.code == 5, done.out
    assert "--spoilers" in done.out
    _assert_no_terminal_controls(done.out)


def test_ambiguous_candidates_do_not_pass_escapes_from_a_title(spawn, hostile: Path, home: Path) -> None:
    done = finish(spawn(["show", "zqx hostile"], child_env(home, hostile, tty=True)))
    assert done.code == 4, done.out
    assert "zqx-hostile-twin-2021" in done.out
    _assert_no_terminal_controls(done.out)


# 8. --version and no arguments at all.


def test_version(home: Path, tmp_path: Path) -> None:
    from filmguide import __version__

    done = run_pipe(["--version"], child_env(home), tmp_path)
    assert done.code == 0, done
    assert done.out == f"filmguide {__version__}\n"
    assert re.fullmatch(r"filmguide \d+\.\d+\S*\n", done.out)


def test_version_matches_the_package_metadata(home: Path, tmp_path: Path) -> None:
    from importlib.metadata import version

    done = run_pipe(["--version"], child_env(home), tmp_path)
    assert done.out.split() == ["filmguide", version("filmguide")]


def test_no_arguments_prints_usage(home: Path, tmp_path: Path) -> None:
    done = run_pipe([], child_env(home), tmp_path)
    both = done.out + done.err
    assert done.code in (0, 2), done
    assert "Usage" in both, both
    assert "Traceback" not in both
    for command in ("list", "show", "ending"):
        assert command in both


def test_no_arguments_at_a_terminal_prints_usage(spawn, home: Path) -> None:
    done = finish(spawn([], child_env(home, tty=True)))
    assert done.code in (0, 2), done.out
    assert "Usage" in done.out
    assert "Traceback" not in done.out


# 9. A fresh, non-editable install finds its built-in films.


def _site_packages(python: Path) -> str:
    return subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
        timeout=TIMEOUT,
    ).stdout.strip()


@pytest.mark.slow
def test_wheel_installs_and_finds_the_built_in_films(tmp_path: Path, home: Path) -> None:
    import importlib.util
    import venv

    wheels = tmp_path / "wheels"
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONDONTWRITEBYTECODE="1")
    # With the build backend at hand, build offline; else pip fetches it into an isolated build env.
    offline = ["--no-build-isolation"] if importlib.util.find_spec("hatchling") else []
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", *offline, "-w", str(wheels), str(REPO)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=180,
    )
    if build.returncode != 0 and re.search(
        r"No matching distribution|Could not find a version|NewConnectionError", build.stdout + build.stderr
    ):
        pytest.skip("cannot build the wheel: the build backend is not installable here (no network?)")
    assert build.returncode == 0, build.stdout + build.stderr
    [wheel] = wheels.glob("filmguide-*.whl")

    names = zipfile.ZipFile(wheel).namelist()
    assert f"filmguide/data/films/{BUILTIN_ID}.yaml" in names, names
    assert "filmguide/__main__.py" in names
    assert not [n for n in names if n.startswith("tests/") or "/tests/" in n], names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")], names

    # A new venv with pip but no packages of its own; filmguide's dependencies
    # come from the test venv's site-packages through a .pth line, placed
    # after the new venv's own site-packages. (Path lines in a .pth file add a
    # folder but do not run the .pth files inside it, so the test venv's
    # editable filmguide stays out of sight.)
    target = tmp_path / "venv"
    venv.create(target, with_pip=True, system_site_packages=False, clear=True)
    python = target / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--force-reinstall", str(wheel)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=180,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    deps_site = _site_packages(Path(sys.executable))
    new_site = _site_packages(python)
    (Path(new_site) / "zz_test_deps.pth").write_text(deps_site + "\n", encoding="utf-8")

    run_env = child_env(home)
    run_env.pop("PYTHONPATH", None)
    run_env.pop("PYTHONHOME", None)
    run_env["VIRTUAL_ENV"] = str(target)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    where = subprocess.run(
        [str(python), "-c", "import filmguide.paths as p; print(p.__file__); print(p.builtin_films())"],
        capture_output=True,
        text=True,
        env=run_env,
        cwd=elsewhere,
        timeout=TIMEOUT,
    )
    assert where.returncode == 0, where.stderr
    module_file, films_folder = where.stdout.splitlines()
    assert Path(module_file).resolve().is_relative_to(target.resolve()), module_file
    assert Path(films_folder).resolve().is_relative_to(target.resolve()), films_folder
    assert not Path(films_folder).resolve().is_relative_to(REPO.resolve())

    script = target / "bin" / "filmguide"
    assert script.exists()
    listed = subprocess.run(
        [str(script), "list"], capture_output=True, text=True, env=run_env, cwd=elsewhere, timeout=TIMEOUT
    )
    assert listed.returncode == 0, listed.stderr
    assert BUILTIN_ID in listed.stdout.split(), listed.stdout
    assert listed.stderr == ""

    paths = subprocess.run(
        [str(script), "paths"], capture_output=True, text=True, env=run_env, cwd=elsewhere, timeout=TIMEOUT
    )
    builtin_row = [line.split("\t") for line in paths.stdout.splitlines() if line.startswith("built-in\t")]
    assert builtin_row and builtin_row[0][2] == "exists", paths.stdout

    shown = subprocess.run(
        [str(script), "ending", BUILTIN_ID, "--spoilers"],
        capture_output=True,
        text=True,
        env=run_env,
        cwd=elsewhere,
        timeout=TIMEOUT,
    )
    assert shown.returncode == 0, shown.stderr
