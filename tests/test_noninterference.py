"""The law, as a property: what an allowance hides cannot change any output.

Hypothesis builds films (every grade, minutes or none, texts with markup,
delimiters, paragraph breaks and long runs of words), then a twin of each
that differs only in the texts the allowance hides: same fields, same
grades, same minutes, other words, other lengths. Both go through every
command and output format through the real entry point (``cli.main``, the
error boundary included), and stdout, stderr and the exit code must be equal
byte for byte.

Which texts an allowance hides is worked out here from docs/spoilers.md,
independently of ``filmguide.policy``. The allowances:

- ``none``, ``minor``, ``major``: no flag, ``--level minor``, ``--level major``;
- ``upto-early``, ``upto-late``, ``upto-end``: ``--upto`` at a drawn point,
  and at the end of the film (everything shown, so the twins are equal);
- ``config-major-never``: ``FILMGUIDE_LEVEL=major`` and
  ``FILMGUIDE_SPOILERS=never``, no flag;
- ``seen``: ``FILMGUIDE_SPOILERS=seen`` and every film marked seen.

``export`` writes for other people: for it only the flags count, so its twin
differs in what the flags alone hide (the configured level and the seen list
would otherwise show it). ``search`` has no ``--upto``: under the ``upto``
allowances it runs with no flag, against a twin that differs only in what
both hide. ``lint`` runs without ``--spoilers``: it reports rules, fields and
lines, and its twin changes the case of the secrets (the same matches, other
bytes).

Each example is a catalogue of two films and their twins (two pairs), run
through one allowance and every command and format. CI runs 13 examples per
allowance (208 pairs); the long run, ``FILMGUIDE_NONINTERFERENCE=long``, runs
313 per allowance (5,008 pairs), and ``FILMGUIDE_NONINTERFERENCE_EXAMPLES=N``
sets any other number. Figures and the leaks it catches: docs/spoilers.md.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from .test_properties import emit, yaml_str

LONG = os.environ.get("FILMGUIDE_NONINTERFERENCE") == "long"
FILMS = 2  # films per catalogue, so search, list, lint and suggestions see more than one: 2 pairs per example
EXAMPLES = int(os.environ.get("FILMGUIDE_NONINTERFERENCE_EXAMPLES", "313" if LONG else "13"))  # per allowance
ALLOWANCES = ("none", "minor", "major", "upto-early", "upto-late", "upto-end", "config-major-never", "seen")
GRADES = ("none", "minor", "major")
RANK = {"none": 0, "minor": 1, "major": 2}

# Words of generated texts: plain words (some shared by many films, so searches
# find several), markup and the destinations' delimiters, paragraph breaks.
WORDS = ["ember", "harbor", "lantern", "quiet", "north", "violet", "signal", "orchard", "tide", "glass"]
ODD = ["[/]", "[bold]", ":smile:", "||", ">!", "!<", "@everyone", "</details>", "*_`#", "\n\n", "\n", "é", "国"]
NAMES = ["Ada", "Bruno", "Chiara", "Dev", "Elif", "Femi"]  # first word of every text: never a lint placeholder
SECRET = "zqsecret"

fragment = st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from(ODD))
# Now and then a long run of words: a hidden text 2,000 words long moves FTS5's statistics.
LONG_TAILS = ["", "", "", "", "", " " + "word " * 120, " " + "lantern word " * 1000]
prose = st.tuples(st.sampled_from(NAMES), st.lists(fragment, max_size=10), st.sampled_from(LONG_TAILS)).map(
    lambda t: " ".join([t[0], *t[1]]) + t[2]
)


@dataclass
class Slot:
    """One text of a film, with the grade and minute of the item it belongs to."""

    value: str
    grade: str
    at: int | None
    section: str  # "ending" for the ending; "always" for texts shown at every grade


@dataclass
class Film:
    index: int
    runtime: int
    data: dict[str, Any]  # YAML tree; text leaves are indices into ``slots``
    slots: list[Slot] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"nonint-film-{self.index}-2001"

    def yaml(self, values: list[str], secrets: list[str]) -> str:
        def leaf(x: Any) -> Any:
            if isinstance(x, dict):
                return {k: leaf(v) for k, v in x.items()}
            if isinstance(x, list):
                return [leaf(v) for v in x]
            if isinstance(x, Slot):
                return yaml_str(values[self.slots.index(x)])
            return x

        tree = leaf(self.data)
        if secrets:
            tree["secrets"] = [yaml_str(s) for s in secrets]
        return emit(tree) + "\n"


@st.composite
def films(draw: Callable[..., Any], index: int) -> Film:
    runtime = draw(st.integers(20, 200))
    film = Film(index, runtime, {})
    minute = st.integers(0, runtime)

    def text(grade: str, at: int | None = None, section: str = "item") -> Slot:
        slot = Slot(draw(prose), grade, at, section)
        film.slots.append(slot)
        return slot

    def grade() -> str:
        return draw(st.sampled_from(GRADES))

    premise = text("none", section="always")
    if draw(st.booleans()):
        premise.value += f" {SECRET}"  # a finding for lint, the same in both twins
    d: dict[str, Any] = {
        "schema": "1",
        "id": film.id,
        "title": yaml_str(f"Nonint Film {index}"),
        "year": "2001",
        "runtime": str(runtime),
        "directors": [yaml_str("Some One")],
        "premise": premise,
    }
    d["aliases"] = [{"title": text(g), "grade": g} for g in draw(st.lists(st.sampled_from(GRADES), max_size=2))]
    d["cast"] = []
    for _ in range(draw(st.integers(0, 2))):
        g = grade()
        d["cast"].append({"actor": yaml_str("Ada Actor"), "role": text(g), "grade": g})
    d["acts"] = []
    for _ in range(draw(st.integers(0, 2))):
        g, at = grade(), draw(minute)
        d["acts"].append({"title": text(g, at), "at": str(at), "grade": g})
    d["beats"] = []
    for _ in range(draw(st.integers(0, 5))):
        g = grade()
        at = draw(st.one_of(st.none(), minute))
        beat: dict[str, Any] = {"text": text(g, at), "grade": g}
        if at is not None:
            beat["at"] = str(at)
        d["beats"].append(beat)
    if draw(st.booleans()):
        d["ending"] = {"what": text("major", section="ending"), "meaning": text("major", section="ending")}
    d["theories"] = []
    for _ in range(draw(st.integers(0, 2))):
        g = grade()
        d["theories"].append({"title": text(g), "text": text(g), "grade": g, "held_by": text(g)})
    d["quotes"] = []
    for _ in range(draw(st.integers(0, 2))):
        g = grade()
        at = draw(st.one_of(st.none(), minute))
        quote: dict[str, Any] = {"text": text(g, at), "speaker": text(g, at), "source": text(g, at), "grade": g}
        if at is not None:
            quote["at"] = str(at)
        d["quotes"].append(quote)
    d["related"] = [
        {"id": "all-of-us-strangers-2023", "why": text(g), "grade": g}
        for g in draw(st.lists(st.sampled_from(GRADES), max_size=1))
    ]
    film.data = d
    film.secrets = [SECRET, "zq other secret"]
    return film


# --- what an allowance hides (docs/spoilers.md, worked out independently) ---------------


@dataclass(frozen=True)
class Rule:
    level: int  # highest grade shown
    upto: int | None  # minutes, when --upto is given
    ending: bool
    everything: bool = False


def personal_rule(allowance: str, upto: int, runtime: int) -> Rule:
    if allowance in ("seen", "upto-end"):
        return Rule(2, None, True, everything=True)
    if allowance.startswith("upto"):
        return Rule(0, upto, False)
    level = {"none": 0, "minor": 1, "major": 2, "config-major-never": 2}[allowance]
    return Rule(level, None, False)


def export_rule(allowance: str, upto: int, runtime: int) -> Rule:
    if allowance == "upto-end":
        return Rule(2, None, True, everything=True)
    if allowance.startswith("upto"):
        return Rule(0, upto, False)
    return Rule({"minor": 1, "major": 2}.get(allowance, 0), None, False)


def hidden(slot: Slot, rule: Rule) -> bool:
    if rule.everything or slot.section == "always":
        return False
    if slot.section == "ending":
        return not rule.ending
    if rule.upto is not None and slot.at is not None:
        return slot.at > rule.upto
    return RANK[slot.grade] > rule.level


# --- running filmguide in-process -------------------------------------------------------


@dataclass
class Outcome:
    code: int
    out: bytes
    err: bytes


TIMING = re.compile(rb"^filmguide: (?:built|rebuilt|updated) the index \(read .*\n", re.M)


def invoke(args: list[str], env: dict[str, str | None]) -> Outcome:
    from typer.testing import CliRunner

    from filmguide.cli import main

    runner = CliRunner()
    with runner.isolation(env=env) as (out, err, _):
        try:
            code = main(list(args))
        except SystemExit as e:  # shell completion exits through Click
            code = e.code if isinstance(e.code, int) else 0
        sys.stdout.flush()
        sys.stderr.flush()
        # A rebuild that took over a second says so: a fact about the machine, not the dossiers.
        return Outcome(code, out.getvalue(), TIMING.sub(b"", err.getvalue()))


FORMATS = [["--plain"], ["--json"], ["--color", "always"]]
EXPORT_FORMATS = ["text", "markdown", "html", "discord", "reddit", "json"]


def flags_for(allowance: str, upto: int) -> list[str]:
    if allowance in ("minor", "major"):
        return ["--level", allowance]
    if allowance in ("upto-early", "upto-late", "upto-end"):
        return ["--upto", str(upto)]
    return []


def env_for(allowance: str) -> dict[str, str]:
    if allowance == "config-major-never":
        return {"FILMGUIDE_LEVEL": "major", "FILMGUIDE_SPOILERS": "never"}
    if allowance == "seen":
        return {"FILMGUIDE_SPOILERS": "seen"}
    return {}


def film_commands(film: Film, allowance: str, upto: int, alias_query: str | None) -> list[list[str]]:
    """The commands about one film, under one allowance."""
    flags = flags_for(allowance, upto)
    out: list[list[str]] = []
    for command in ("show", "theories", "quotes", "timeline"):
        out += [[command, film.id, *flags, *fmt] for fmt in FORMATS]
    out += [["ending", film.id, *fmt] for fmt in FORMATS[:2]]
    out += [["export", film.id, "--format", f, *flags] for f in EXPORT_FORMATS]
    if alias_query is not None:  # a hidden alias is never a name: not found, suggestions without it
        out.append(["show", alias_query, *flags])
    return out


def catalogue_commands(allowance: str, queries: list[str], folder: Path) -> list[list[str]]:
    search_flags = flags_for(allowance, 0) if not allowance.startswith("upto") else []
    out = [["search", q, *search_flags, *fmt] for q in queries for fmt in FORMATS]
    out += [["list"], ["list", "--json"], ["list", "--person", "ada"], ["show", "nonint flim 0"]]
    out += [["validate", str(folder)], ["lint", str(folder)], ["lint", str(folder), "--format", "json"]]
    out += [["complete", "show nonint"], ["complete", "show ember"], ["complete", "list --person a"]]
    out += [["complete", "list --tag "], ["complete", "list --genre "]]
    return out


@dataclass
class Twins:
    films: list[Film]
    allowance: str
    upto: list[int]
    personal: list[list[str]]  # per film: the values of the personal twin
    export: list[list[str]]  # per film: the values of the export twin
    search: list[list[str]]  # per film: the values of the twin for search under --upto
    queries: list[str]
    alias_queries: list[str | None]


@st.composite
def twins(draw: Callable[..., Any], allowance: str) -> Twins:
    fs = [draw(films(i)) for i in range(FILMS)]
    uptos = []
    for f in fs:
        if allowance == "upto-early":
            uptos.append(draw(st.integers(0, f.runtime // 2)))
        elif allowance == "upto-late":
            uptos.append(draw(st.integers(f.runtime // 2, f.runtime - 1)))
        else:
            uptos.append(f.runtime)

    def twin(f: Film, rules: list[Rule]) -> list[str]:
        return [
            draw(prose) if all(hidden(s, r) for r in rules) else s.value  # hidden under every rule given
            for s in f.slots
        ]

    personal, export, search = [], [], []
    for f, upto in zip(fs, uptos, strict=True):
        p = personal_rule(allowance, upto, f.runtime)
        e = export_rule(allowance, upto, f.runtime)
        personal.append(twin(f, [p]))
        export.append(twin(f, [e]))
        search.append(twin(f, [p, personal_rule("none", 0, f.runtime)]))
    hidden_words = [
        w
        for f, upto in zip(fs, uptos, strict=True)
        for s in f.slots
        if hidden(s, personal_rule(allowance, upto, f.runtime))
        for w in s.value.split()
        if w.isalpha()
    ]
    queries = [draw(st.sampled_from(WORDS))]
    shown = [
        {w for s in f.slots if not hidden(s, personal_rule(allowance, upto, f.runtime)) for w in s.value.split()}
        for f, upto in zip(fs, uptos, strict=True)
    ]
    both = sorted(set.intersection(*shown) & set(WORDS))
    if both:  # a word every film shows: their order is what ranking decides
        queries.append(draw(st.sampled_from(both)))
    if hidden_words:
        queries.append(draw(st.sampled_from(hidden_words)) + draw(st.sampled_from(["", "*"])))
    alias_queries: list[str | None] = []
    for f, upto in zip(fs, uptos, strict=True):
        rule = personal_rule(allowance, upto, f.runtime)
        graded = [s.value for s in f.slots if s in _alias_slots(f) and hidden(s, rule)]
        alias_queries.append(" ".join(graded[0].split()[:3]) if graded else None)
    return Twins(fs, allowance, uptos, personal, export, search, queries, alias_queries)


def _alias_slots(f: Film) -> list[Slot]:
    return [a["title"] for a in f.data.get("aliases", [])]


class Catalogue:
    """One folder of films and one FILMGUIDE_HOME, reused by every example of a test."""

    def __init__(self, root: Path) -> None:
        self.folder = root / "films"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.home = root / "home"
        (self.home / "state").mkdir(parents=True, exist_ok=True)
        ids = "".join(f'"nonint-film-{i}-2001" = 2026-01-01\n' for i in range(FILMS))
        (self.home / "state" / "seen.toml").write_text("[seen]\n" + ids, encoding="utf-8")

    def write(self, fs: list[Film], values: list[list[str]], secrets: Callable[[str], str]) -> None:
        for f, v in zip(fs, values, strict=True):
            path = self.folder / f"{f.id}.yaml"
            tmp = path.with_suffix(".tmp")
            tmp.write_text(f.yaml(v, [secrets(s) for s in f.secrets]), encoding="utf-8")
            os.replace(tmp, path)  # a new inode: the index sees the change whatever the clock says

    def run(self, args: list[str], allowance: str) -> Outcome:
        env: dict[str, str | None] = {
            "FILMGUIDE_HOME": str(self.home),
            "FILMGUIDE_PATH": str(self.folder),
            "FILMGUIDE_LEVEL": None,
            "FILMGUIDE_SPOILERS": None,
            **env_for(allowance),
        }
        if args[0] == "complete":  # what zsh asks for at a TAB after these words
            return invoke(
                [], {**env, "_FILMGUIDE_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": f"filmguide {args[1]}"}
            )
        return invoke(args, env)


def check_pair(cat: Catalogue, t: Twins) -> int:
    """Run both twins through every command and format; return how many runs were compared."""
    original = [[s.value for s in f.slots] for f in t.films]
    personal_cmds: list[list[str]] = []
    export_cmds: list[list[str]] = []
    for f, upto, alias in zip(t.films, t.upto, t.alias_queries, strict=True):
        for cmd in film_commands(f, t.allowance, upto, alias):
            (export_cmds if cmd[0] == "export" else personal_cmds).append(cmd)
    catalogue = catalogue_commands(t.allowance, t.queries, cat.folder)
    search_cmds = [c for c in catalogue if c[0] == "search"]
    other_cmds = [c for c in catalogue if c[0] != "search"]
    search_twin = t.search if t.allowance.startswith("upto") else t.personal
    groups = [
        (personal_cmds + other_cmds, t.personal, True),
        (export_cmds, t.export, False),
        (search_cmds, search_twin, False),
    ]
    compared = 0
    for cmds, twin_values, twin_secrets in groups:
        if not cmds:
            continue
        cat.write(t.films, original, lambda s: s)
        first = {" ".join(c): cat.run(c, t.allowance) for c in cmds}
        cat.write(t.films, twin_values, (lambda s: s.upper()) if twin_secrets else (lambda s: s))
        for c in cmds:
            second = cat.run(c, t.allowance)
            a = first[" ".join(c)]
            assert (a.code, a.out, a.err) == (second.code, second.out, second.err), (
                f"`filmguide {' '.join(c)}` under {t.allowance} differs between twins:\n"
                f"exit {a.code} vs {second.code}\nstdout:\n{a.out.decode(errors='replace')}\n---\n"
                f"{second.out.decode(errors='replace')}\nstderr:\n{a.err.decode(errors='replace')}\n---\n"
                f"{second.err.decode(errors='replace')}"
            )
            compared += 1
    return compared


def profile(examples: int) -> settings:
    shrink = os.environ.get("FILMGUIDE_NONINTERFERENCE_SHRINK", "1") != "0"
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=not LONG,
        database=None,
        phases=list(Phase) if shrink else [Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalogue]:
    """The folders, and the command line built once: Typer builds Click commands from
    annotations on every call, which would cost more than the runs themselves."""
    import typer

    from filmguide.cli import app

    group = typer.main.get_command(app.build_app())
    patch = pytest.MonkeyPatch()
    patch.setattr(app, "_app_for", lambda args: group)
    root = tmp_path_factory.mktemp("noninterference")
    if Path("/dev/shm").is_dir() and os.access("/dev/shm", os.W_OK):  # the index syncs every write: RAM is faster
        import shutil
        import tempfile

        root = Path(tempfile.mkdtemp(prefix="filmguide-noninterference-", dir="/dev/shm"))
        patch.setattr(tempfile, "_filmguide_cleanup", root, raising=False)
    yield Catalogue(root)
    patch.undo()
    if str(root).startswith("/dev/shm/"):
        shutil.rmtree(root, ignore_errors=True)


SIZES = [
    pytest.param(1, id="quick"),  # the default run: one example per allowance, a few seconds
    pytest.param(EXAMPLES, id="full", marks=pytest.mark.slow),  # CI: 13 per allowance; the long run: 313
]


@pytest.mark.parametrize("examples", SIZES)
@pytest.mark.parametrize("allowance", ALLOWANCES)
def test_hidden_text_changes_no_output(catalogue: Catalogue, allowance: str, examples: int) -> None:
    runs = done = 0

    @profile(examples)
    @given(st.data())
    def pairs(data: st.DataObject) -> None:
        nonlocal runs, done
        t = data.draw(twins(allowance))
        note(repr([f.yaml([s.value for s in f.slots], f.secrets) for f in t.films]))
        runs += check_pair(catalogue, t)
        done += 1

    pairs()
    print(f"\nnoninterference {allowance}: {done * FILMS} pairs, {runs} runs compared, 0 counterexamples")
