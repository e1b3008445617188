"""The index's search rows: an item's texts cleaned and on one line, whatever shortcut builds them."""

from __future__ import annotations

import itertools

from filmguide.index.reader import _flat
from filmguide.text import clean

TEXTS = [
    "",
    "plain words",
    "  spaced\tout  ",
    "two\nlines",
    "crlf\r\nline",
    "a lone \r here",
    "red \x1b[31mtext\x1b[0m",
    "ends in an escape \x1b",
    "\x1b[",
    "]0;title\x07 after",
    "8-bit \x9b31m csi",
    "\x9d osc",
    "bidi \u202e reversed \u202c",
    "isolate \u2066 x \u2069",
    "nbsp\xa0here",
    "line\u2028separator",
    "surrogate \udcff byte",
    "Amélie, 東京物語",
    "zero\u200bwidth",
    "\x00\x01\x7f",
]


def test_rows_are_the_texts_joined_cleaned_and_flattened() -> None:
    for n in (1, 2, 3):
        for texts in itertools.product(TEXTS, repeat=n):
            joined = " \n ".join(texts)
            assert _flat(list(texts)) == " ".join(clean(joined).split()), texts


def test_worker_processes_give_what_reading_here_gives(tmp_path, monkeypatch) -> None:
    """Workers send plain tuples (cheaper to pickle); the main process gets the same reads back."""
    import shutil

    from filmguide.index import reader
    from filmguide.paths import builtin_films

    films = sorted(builtin_films().glob("*.yaml"))
    paths = []
    for i in range(6):
        for f in films:
            copy = tmp_path / f"{i}-{f.name}"
            shutil.copy(f, copy)
            paths.append(str(copy))
    (tmp_path / "broken.yaml").write_text("title: [\n")
    paths.append(str(tmp_path / "broken.yaml"))
    monkeypatch.setattr(reader, "PARALLEL_MIN", 2)
    pooled = sorted(reader.read_all(paths))
    here = sorted(reader.read_file(p) for p in paths)
    assert pooled == here
    assert any(r.payload is None for r in pooled) and all(
        isinstance(r.payload, reader.Payload) for r in pooled if r.problems is None
    )
