"""The run context: what one run of filmguide reads from its surroundings, built once by ``main()``.

Streams, the terminal's width, the settings, the seen list and the index live
here, each read or opened at most once and only when a command asks for it.
Commands receive the context (``ctx.obj``) instead of reaching for globals,
so a test can hand ``main()`` a context of its own (``tests/conftest.py``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from .. import output
from ..output import Color
from ..records import Record

if TYPE_CHECKING:
    import datetime as dt

    from ..catalog import Catalog
    from ..config import Setting
    from ..errors import Problem
    from ..index import Index
    from ..model import Dossier
    from ..patches import PatchInfo
    from ..policy import Allowance, DossierView


WARN_AT_MOST = 3  # broken files named on stderr by one command; the rest are counted


@dataclass(init=False, repr=False, eq=False)
class RunContext(Record):
    """One run's surroundings. Every field left out is taken from the process when first needed."""

    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    width: int | None = None  # the terminal's width; None: asked of the terminal when first needed
    settings: dict[str, Setting] | None = None
    seen: dict[str, dt.date] | None = None
    index: Index | None = None
    catalog: Catalog | None = None
    patches: dict[str, list[PatchInfo]] = field(default_factory=dict)  # what patches changed, by film id
    paging: bool = True  # False: --no-pager
    warned: set[str] = field(default_factory=set)  # files this run has warned about: never twice

    # --- streams and terminal --------------------------------------------------

    def write(self, text: str) -> None:
        output.write(text, self.stdout)

    def err(self, message: str) -> None:
        output.err(message, self.stderr)

    def wants_rich(self, plain: bool, color: Color) -> bool:
        return output.wants_rich(plain, color, self.stdout)

    def print_rich(self, renderable: Any, color: Color) -> None:
        output.print_rich(renderable, color, self.stdout, self.render_width(), self.pager_command())

    def pager_command(self) -> list[str] | None:
        """The pager for long output: only when stdout is a terminal, and paging is not turned off."""
        if not self.paging or not _isatty(self.stdout):
            return None
        from ..pager import command

        return command()

    def render_width(self) -> int:
        """The width Rich draws at: the terminal's, at most the readable measure (``width`` in config.toml,
        100 by default), never under ``output.MIN_WIDTH``."""
        from ..pager import measure

        return max(output.MIN_WIDTH, min(self.terminal_width(), measure()))

    def terminal_width(self) -> int:
        """The terminal's width (``COLUMNS`` first); 80 when unknown."""
        if self.width is None:
            import shutil

            self.width = shutil.get_terminal_size((80, 24)).columns
        return self.width

    def interactive(self) -> bool:
        """Both stdin and stdout are terminals, and FILMGUIDE_NO_INPUT is not set: the only case where
        filmguide may ask a question."""
        import os

        if os.environ.get("FILMGUIDE_NO_INPUT", "").strip() not in ("", "0"):
            return False
        return _isatty(self.stdin) and _isatty(self.stdout)

    def ask(self, question: str) -> str:
        """Ask on stderr and read one line of stdin ('' at end of input)."""
        self.stderr.write(question)
        self.stderr.flush()
        answer = self.stdin.readline()
        if not answer:
            self.stderr.write("\n")
        return answer

    # --- the user's data ---------------------------------------------------------

    def load_settings(self) -> dict[str, Setting]:
        if self.settings is None:
            from ..config import load_settings

            self.settings = load_settings()
        return self.settings

    def seen_films(self) -> dict[str, dt.date]:
        """The films marked seen, by id, with the day each was marked."""
        if self.seen is None:
            from ..state import load_seen

            self.seen = load_seen()
        return self.seen

    def seen_ids(self) -> set[str]:
        return set(self.seen_films())

    def forget_seen(self) -> None:
        """The seen list changed on disk (``seen``, ``unseen``): read it again when next asked."""
        self.seen = None

    # --- the index and the films -------------------------------------------------

    def open_index(self, full: bool = True, quiet: bool = False, one_film: bool = False) -> Index:
        """The index of the folders in use, opened once per run (see index.py).

        ``full`` checks every file; otherwise only the folders, and the film to
        be shown is checked when it is found; ``one_film``: broken files are not
        checked again either (a mended one is found by the title fallback).
        Broken dossiers are warned about once, and a rebuild that took over a
        second is said on stderr.
        """
        if self.index is None:
            from .. import limits
            from ..index import open_index
            from ..paths import film_folders

            self.index = open_index(
                film_folders(), full=full, progress=Progress(self.stderr), notify=self.say, broken=not one_film
            )
            note = self.index.note
            # One line about the index at most: a wait for another filmguide was said already.
            if note is not None and note.seconds > limits.seconds("ANNOUNCE") and not self.index.announced:
                self.err(f"filmguide: {note_text(note)}")
            if not quiet:
                self.warn_told(self.index)
            self.remind_stale_catalogs()
        elif full:
            self.index.refresh_all()
        return self.index

    def related_titles(self, films: list[Dossier]) -> dict[str, str]:
        """ "Title (year)" of each film these films name as related, for posts; ids not found are left out."""
        wanted = sorted({r.id for f in films for r in f.related})
        if not wanted:
            return {}
        index = self.open_index(full=False, quiet=True)
        winners = index.effective(wanted)
        by_eid = {winner[0]: film_id for film_id, winner in winners.items()}
        return {by_eid[e.eid]: f"{e.title} ({e.year})" for e in index.entries_for(list(by_eid)) if e.eid in by_eid}

    def remind_stale_catalogs(self) -> None:
        """One line when an installed catalog is older than ``auto_update_days``; never downloads."""
        from ..paths import catalogs_dir

        if not catalogs_dir().is_dir():
            return
        from ..catalogs.update import stale
        from ..errors import FilmguideError

        try:
            old = stale()
        except FilmguideError:  # a broken config.toml is reported where settings are read
            return
        if old:
            names = ", ".join(f"{name} ({days} days)" for name, days in old)
            self.err(f"filmguide: catalogs older than auto_update_days: {names}; run `filmguide update`")

    def rebuild_index(self) -> Index:
        """Forget the index and read every dossier again (``index --rebuild``)."""
        from ..index import open_index
        from ..paths import film_folders

        if self.index is not None:
            self.index.close()
        self.index = open_index(
            film_folders(), full=True, progress=Progress(self.stderr), rebuild=True, notify=self.say
        )
        if self.index.note is not None:
            self.err(f"filmguide: {note_text(self.index.note)}")
        return self.index

    def load_catalog(self, quiet: bool = False) -> Catalog:
        """Every film, decoded from the index, patches applied."""
        from ..catalog import catalog_from_index

        idx = self.open_index(full=True, quiet=True)
        cat = self.catalog = catalog_from_index(idx)
        if not quiet:
            self.warn_told(idx)
        return cat

    def film(self, title: str) -> Dossier:
        """One film by title, found through the index without reading the others (see catalog.find_film)."""
        from ..catalog import find_film
        from ..errors import FilmNotFound

        idx = self.open_index(full=False, one_film=True)
        try:
            film, entry = find_film(idx, title)
        except FilmNotFound:
            from ..text import slugify

            # The film asked for may be a broken file warned about before: say why it is not there.
            self.warn(idx.broken_named(slugify(title))[:WARN_AT_MOST])
            raise
        self.patches[film.id] = idx.patch_infos(entry)
        return film

    def view(self, film: Dossier, allowance: Allowance) -> DossierView:
        """The redacted view, with what the user's patches added marked."""
        from ..policy import redact

        patches = self.patches.get(film.id) or (self.catalog.patches.get(film.id, []) if self.catalog else [])
        return redact(film, allowance, patches)

    def say(self, message: str) -> None:
        """A line from the index (another filmguide is updating it), on stderr."""
        self.err(f"filmguide: {message}")

    def warn_told(self, idx: Index) -> None:
        """Broken files not warned about since they last changed: a few named, the rest counted."""
        told = idx.tell_broken(WARN_AT_MOST)
        self.warn(told.shown)
        if told.more:
            self.err(f"filmguide: warning: and {told.more:,} more broken files; run `filmguide validate`")

    def warn(self, broken: list[list[Problem]]) -> None:
        for problems in broken:
            if problems[0].file in self.warned:
                continue
            self.warned.add(problems[0].file)
            more = f" (and {len(problems) - 1} more; run `filmguide validate`)" if len(problems) > 1 else ""
            self.err(f"filmguide: warning: skipped {problems[0]}{more}")

    def close(self) -> None:
        if self.index is not None:
            self.index.close()
            self.index = None

    # fmt: off
    # --- __init__ written by `python -m filmguide.records`; edit the fields, then run it ---
    def __init__(
        self,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        width: int | None = None,
        settings: dict[str, Setting] | None = None,
        seen: dict[str, dt.date] | None = None,
        index: Index | None = None,
        catalog: Catalog | None = None,
        patches: dict[str, list[PatchInfo]] | None = None,
        paging: bool = True,
        warned: set[str] | None = None,
    ) -> None:
        self.stdin = (lambda: sys.stdin)() if stdin is None else stdin
        self.stdout = (lambda: sys.stdout)() if stdout is None else stdout
        self.stderr = (lambda: sys.stderr)() if stderr is None else stderr
        self.width = width
        self.settings = settings
        self.seen = seen
        self.index = index
        self.catalog = catalog
        self.patches = dict() if patches is None else patches
        self.paging = paging
        self.warned = set() if warned is None else warned
    # --- end of the written __init__ ---
    # fmt: on


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def note_text(note: Any) -> str:
    took = f"read {note.files} dossier{'s' * (note.files != 1)} in {note.seconds:.1f} s"
    return {
        "created": f"built the index ({took}): {note.where}",
        "damaged": f"the index was damaged and has been rebuilt ({took})",
        "version": f"the index was from another version and has been rebuilt ({took})",
        "rebuild": f"rebuilt the index ({took})",
        "memory": f"cannot use the index ({note.detail}); {took}",
    }.get(note.reason, f"updated the index ({took})")


class Progress:
    """A Rich progress bar on stderr while many dossiers are read; only at a terminal."""

    def __init__(self, stderr: TextIO) -> None:
        self.stderr = stderr
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if done or total <= 200 or not _isatty(self.stderr):
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("reading dossiers"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(file=self.stderr),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("index", total=total)
        self.bar.update(self.task, completed=done)
        if done >= total:
            self.bar.stop()
