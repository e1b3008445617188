"""filmguide's own errors and the exit codes they map to.

The CLI catches ``FilmguideError`` in one place, prints its message as one
line per problem on stderr and exits with its code. Nothing here prints.

Every line a message can become is bounded and has its control characters
escaped here, once (``text.message``): a file name holding a newline stays one
line, and a 2 MB value or a 200,000-character key is never echoed whole.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from enum import IntEnum

from .records import Frozen
from .text import escape, message, one_line, shorten


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # anything else that went wrong: unreadable state, a write that failed
    USAGE = 2  # bad flags or arguments (Click's own code too)
    NOT_FOUND = 3  # no film matches the title
    AMBIGUOUS = 4  # several films match; the candidates are listed
    SPOILERS_REFUSED = 5  # spoilers were asked for without consent
    INVALID_DOSSIER = 6  # a dossier (or a file given to validate) has errors
    CATALOG = 7  # a community catalog could not be updated (download, checksum, archive)
    INTERRUPTED = 130  # Ctrl-C


EXIT_CODE_HELP = (
    "Exit codes: 0 ok, 1 error, 2 usage, 3 film not found, 4 ambiguous title, "
    "5 spoilers refused, 6 invalid dossier, 7 catalog not updated, 130 interrupted."
)


@dataclass(init=False, repr=False, eq=False, slots=True)
class Problem(Frozen):
    """One thing wrong with one file: ``file:line: field.path: message``."""

    file: str
    message: str
    line: int | None = None
    path: str = ""
    code: str = ""

    def __str__(self) -> str:
        field = f" {shorten(escape(self.path), 80)}:" if self.path else ""
        code = f" {self.code}" if self.code else ""
        return f"{where(self.file, self.line)}:{code}{field} {message(self.message, 200)}"

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        file: str,
        message: str,
        line: int | None = None,
        path: str = "",
        code: str = "",
    ) -> None:
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "code", code)
    # --- end of the written __init__ ---
    # fmt: on


FILE_LIMIT = 300  # a path this long is still recognisable by its start and its name


def where(file: str, line: int | None) -> str:
    """``file:line`` for a message: the file named escaped (a newline in its name stays
    one line) and, past ``FILE_LIMIT``, with its middle cut."""
    name = shorten(escape(file), FILE_LIMIT)
    return name if line is None else f"{name}:{line}"


class FilmguideError(Exception):
    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, text: str) -> None:
        text = message(text)  # one bounded line, whatever it quotes
        super().__init__(text)
        self.message = text

    def lines(self) -> list[str]:
        return [self.message]


class UsageProblem(FilmguideError):
    exit_code = ExitCode.USAGE


class FilmNotFound(FilmguideError):
    exit_code = ExitCode.NOT_FOUND

    def __init__(self, query: str, suggestions: list[str]) -> None:
        # `suggestions` are already spoiler-safe names (see catalog._index_suggest).
        msg = f"no film matches {query!r}"
        if suggestions:
            msg += "; did you mean " + ", ".join(repr(s) for s in suggestions) + "?"
        else:
            msg += "; see `filmguide list`"
        super().__init__(msg)
        self.query = query
        self.suggestions = suggestions


class AmbiguousTitle(FilmguideError):
    exit_code = ExitCode.AMBIGUOUS

    def __init__(self, query: str, candidates: list[tuple[str, str, int]]) -> None:
        super().__init__(f"{query!r} matches {len(candidates)} films; name one by id or add the year:")
        self.candidates = candidates

    def lines(self) -> list[str]:
        return [self.message, *(f"  {i}\t{one_line(t, 200)}\t{y}" for i, t, y in self.candidates)]


class SpoilersRefused(FilmguideError):
    exit_code = ExitCode.SPOILERS_REFUSED


class OutputFailed(FilmguideError):
    """stdout could not take what was written (``filmguide list > /dev/full``)."""

    def __init__(self, err: OSError) -> None:
        super().__init__(_OUTPUT_REASONS.get(err.errno or 0) or f"the output could not be written ({err.strerror})")


_OUTPUT_REASONS = {
    errno.ENOSPC: "no space was left for the output",
    errno.EDQUOT: "no space was left for the output (the disk quota is used up)",
    errno.EFBIG: "the output is larger than the file it goes to may grow",
    errno.EIO: "the output could not be written (an input/output error)",
}


class InvalidDossier(FilmguideError):
    exit_code = ExitCode.INVALID_DOSSIER

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(str(problems[0]) if problems else "invalid dossier")
        self.problems = problems

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]
