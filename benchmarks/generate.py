"""Write a synthetic catalog of N realistic dossiers into a folder.

    python benchmarks/generate.py OUT_FOLDER --n 10000 [--seed 1]

The dossiers look like the built-in ones: credits, a premise, 3 to 25 graded
beats with minutes, an ending, theories, quotes and sources, between about
1.5 and 15 KiB of YAML each, 7 KiB on average (the built-in ones are 6 to 12
KiB), in words drawn from a Zipf-weighted vocabulary of 6,000, so that a
common word is in every film and most words in a few. Titles mix
English words, accented Latin, Cyrillic, Greek and Japanese; about 2% of the
films are remakes that share their title with another film; about 1 file in
500 is broken (bad YAML, a missing field, a wrong type, an id that does not
match the file name). Everything is drawn from a seeded generator, so the
same N and seed give the same files.

Needs only the standard library.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import unicodedata
from pathlib import Path

WORDS = [
    "light",
    "night",
    "river",
    "city",
    "glass",
    "winter",
    "summer",
    "silent",
    "house",
    "garden",
    "road",
    "shadow",
    "memory",
    "stranger",
    "harbour",
    "mountain",
    "letter",
    "island",
    "mirror",
    "fire",
    "stone",
    "orchard",
    "signal",
    "station",
    "bridge",
    "ghost",
    "ocean",
    "forest",
    "paper",
    "thunder",
    "lantern",
    "window",
    "kingdom",
    "hunter",
    "doctor",
    "mother",
    "father",
    "sister",
    "brother",
    "daughter",
    "son",
    "widow",
    "soldier",
    "sailor",
    "painter",
    "dancer",
    "thief",
    "judge",
    "teacher",
    "pilot",
    "singer",
    "farmer",
    "priest",
    "queen",
    "king",
    "child",
]
ADJ = [
    "last",
    "first",
    "long",
    "lost",
    "quiet",
    "broken",
    "hidden",
    "golden",
    "pale",
    "distant",
    "burning",
    "sleeping",
    "northern",
    "small",
    "secret",
    "empty",
    "bright",
    "cold",
    "wild",
    "strange",
    "lonely",
    "young",
    "old",
    "red",
    "blue",
    "white",
    "black",
]
UNICODE_TITLES = (
    "Amélie",
    "Être et avoir",
    "La Mémoire de l'eau",
    "Niños del río",
    "Über die Brücke",
    "Ærø",
    "Солярис",
    "Сталкер",
    "Зеркало ночи",
    "Λήθη",
    "Ο Θίασος",
    "東京物語",
    "千と千尋",
    "夜の河",
    "Smörgåsbord",
    "Çiçek",
    "Żółć",
    "Đêm trắng",
)
FIRST = [
    "Ana",
    "Ben",
    "Chloé",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hiro",
    "Ines",
    "Jonas",
    "Kasia",
    "Luca",
    "Maren",
    "Nikolai",
    "Olga",
    "Pablo",
    "Quentin",
    "Rosa",
    "Søren",
    "Tomás",
    "Uma",
    "Vera",
    "Wim",
    "Xiu",
    "Yusuf",
    "Zoë",
    "Agnès",
    "Björn",
    "Cécile",
    "Đorđe",
    "Émile",
    "Ilse",
    "Jürgen",
    "Łukasz",
]
LAST = [
    "Adler",
    "Bauer",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fontaine",
    "García",
    "Haddad",
    "Ivanova",
    "Jansen",
    "Kowalski",
    "Laurent",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Urban",
    "Varga",
    "Weber",
    "Yilmaz",
    "Zhang",
    "Müller",
    "Ødegaard",
    "Sørensen",
    "Nuñez",
    "Łęcki",
    "Sánchez",
]
GENRES = [
    "drama",
    "comedy",
    "thriller",
    "horror",
    "romance",
    "mystery",
    "science-fiction",
    "war",
    "western",
    "documentary",
    "animation",
    "crime",
]
TAGS = [
    "grief",
    "loneliness",
    "family",
    "memory",
    "identity",
    "revenge",
    "exile",
    "friendship",
    "betrayal",
    "class",
    "ambition",
    "faith",
    "guilt",
    "obsession",
    "childhood",
    "ageing",
    "migration",
    "love",
    "survival",
    "justice",
]
VERBS = [
    "finds",
    "returns",
    "leaves",
    "meets",
    "loses",
    "follows",
    "discovers",
    "hides",
    "watches",
    "waits",
    "remembers",
    "writes",
    "calls",
    "visits",
    "buries",
    "opens",
    "crosses",
]
SERVICES = ("Criterion Channel", "MUBI", "Netflix", "BFI Player", "Kanopy", "Apple TV")


SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "ten",
    "vor",
    "sil",
    "an",
    "mer",
    "dus",
    "pel",
    "tri",
    "gon",
    "sa",
    "be",
    "nu",
    "ol",
    "dra",
    "fen",
    "qui",
    "ash",
    "bel",
    "cor",
]


def _vocabulary(size: int = 6000, seed: int = 7) -> tuple[list[str], list[float]]:
    """Invented words with cumulative Zipf weights: a few common, most rare, as in real prose."""
    rng = random.Random(seed)
    words: set[str] = set(WORDS) | set(ADJ)
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    ordered = sorted(words)
    rng.shuffle(ordered)
    return ordered, list(itertools.accumulate(1 / (rank + 1) for rank in range(len(ordered))))


VOCABULARY, CUMULATIVE = _vocabulary()


def sentence(rng: random.Random, people: list[str], lo: int = 8, hi: int = 22) -> str:
    words = []
    for _ in range(rng.randint(lo, hi) // 4):
        a, b = rng.choices(VOCABULARY, cum_weights=CUMULATIVE, k=2)
        words += [rng.choice(people), rng.choice(VERBS), "the", a, b]
        if rng.random() < 0.3:
            words += ["near", "the", *rng.choices(VOCABULARY, cum_weights=CUMULATIVE, k=1)]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, people: list[str], sentences: int) -> str:
    return " ".join(sentence(rng, people) for _ in range(sentences))


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in folded if not unicodedata.combining(c))
    return "-".join(re.findall(r"[a-z0-9]+", stripped))


def make_title(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.12:
        return rng.choice(UNICODE_TITLES) + (f" {rng.randint(2, 9)}" if rng.random() < 0.5 else "")
    if r < 0.5:
        return f"The {rng.choice(ADJ).title()} {rng.choice(WORDS).title()}"
    if r < 0.8:
        return f"{rng.choice(WORDS).title()} of the {rng.choice(WORDS).title()}"
    return f"{rng.choice(ADJ).title()} {rng.choice(WORDS).title()} {rng.choice(WORDS).title()}"


def dossier(rng: random.Random, film_id: str, title: str, year: int, size: float) -> str:
    """One dossier; ``size`` from 0 (short) to 1 (long) scales every list."""
    runtime = rng.randint(75, 190)
    cast = [(person(rng), f"{rng.choice(ADJ).title()} {rng.choice(WORDS).title()}") for _ in range(3 + int(12 * size))]
    people = [c[1].split()[-1] for c in cast[:4]]
    out = [
        "schema: 1",
        f"id: {film_id}",
        f"title: {q(title)}",
        f"year: {year}",
        f"runtime: {runtime}",
        "directors:",
        f"  - {q(person(rng))}",
        "writers:",
        *(f"  - {q(person(rng))}" for _ in range(rng.randint(1, 3))),
        f"genres: [{', '.join(rng.sample(GENRES, rng.randint(1, 3)))}]",
        f"tags: [{', '.join(rng.sample(TAGS, rng.randint(2, 7)))}]",
    ]
    if rng.random() < 0.4:
        out += ["aliases:", f"  - {q(make_title(rng))}"]
        if rng.random() < 0.2:
            out += [f"  - title: {q(make_title(rng))}", "    grade: major"]
    if rng.random() < 0.3:
        out += [
            "source:",
            f"  title: {q(make_title(rng))}",
            f"  author: {q(person(rng))}",
            "  kind: novel",
            f"  year: {year - rng.randint(1, 60)}",
        ]
    out.append("cast:")
    for i, (actor, role) in enumerate(cast):
        out += [f"  - actor: {q(actor)}", f"    role: {q(role)}"]
        if i > 2 and rng.random() < 0.15:
            out.append("    grade: major")
    out += [
        "watch:",
        f"  - service: {q(rng.choice(SERVICES))}",
        "    region: US",
        "    kind: stream",
        '    as_of: "2024"',
    ]
    out.append(f"premise: {q(paragraph(rng, people, 2 + int(4 * size)))}")
    n_beats = 3 + int(22 * size)
    minutes = sorted(rng.sample(range(1, runtime), min(n_beats, runtime - 1)))
    out.append("beats:")
    for i, minute in enumerate(minutes):
        grade = "none" if i < 3 else ("minor" if i < n_beats // 2 else "major")
        out += [
            f"  - text: {q(paragraph(rng, people, rng.randint(1, 3)))}",
            f"    grade: {grade}",
            f"    at: {minute}",
        ]
    out += [
        "ending:",
        f"  what: {q(paragraph(rng, people, 2 + int(3 * size)))}",
        f"  meaning: {q(paragraph(rng, people, 2 + int(4 * size)))}",
    ]
    n_theories = int(4 * size * rng.random())
    if n_theories:
        out.append("theories:")
        for _ in range(n_theories):
            out += [
                f"  - title: {q(sentence(rng, people, 4, 8))}",
                f"    text: {q(paragraph(rng, people, rng.randint(1, 4)))}",
                f"    grade: {rng.choice(['minor', 'major', 'major'])}",
                "    held_by: critics",
            ]
    n_quotes = int(6 * size * rng.random())
    if n_quotes:
        out.append("quotes:")
        for _ in range(n_quotes):
            out += [
                f"  - text: {q(sentence(rng, people))}",
                f"    speaker: {q(rng.choice(people))}",
                "    source: the film",
                f"    grade: {rng.choice(['none', 'minor', 'major'])}",
                f"    at: {rng.randint(1, runtime)}",
            ]
    out += ["secrets:", f"  - {q(rng.choice(WORDS) + ' ' + rng.choice(WORDS))}"]
    out += ["sources:", f"  - publication: {q(rng.choice(LAST) + ' Review')}", f'    date: "{year + 1}"']
    return "\n".join(out) + "\n"


BROKEN = (
    lambda text: text + "cast: [unclosed\n",
    lambda text: text.replace("runtime:", "runtme:", 1),
    lambda text: re.sub(r"year: \d+", "year: soon", text, count=1),
    lambda text: text.replace("premise:", "# premise:", 1),
)


def generate(out: Path, n: int, seed: int = 1) -> list[Path]:
    """Write ``n`` dossiers into ``out``; returns their paths."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    titles: list[str] = []
    used: set[str] = set()
    for i in range(n):
        if titles and rng.random() < 0.02:
            title = rng.choice(titles)  # a remake
        else:
            title = make_title(rng)
            titles.append(title)
        year = rng.randint(1920, 2025)
        stem = slug(title) if re.search("[a-z]{2}", slug(title)) else f"film-{i}"
        film_id = f"{stem}-{year}"
        while film_id in used:
            year += 1
            film_id = f"{stem}-{year}"
        used.add(film_id)
        size = rng.random()
        text = dossier(rng, film_id, title, year, size)
        if i % 500 == 250:
            text = BROKEN[(i // 500) % len(BROKEN)](text)
        path = out / f"{film_id}.yaml"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    files = generate(args.out, args.n, args.seed)
    total = sum(f.stat().st_size for f in files)
    print(f"wrote {len(files)} dossiers, {total / len(files) / 1024:.1f} KiB on average, into {args.out}")


if __name__ == "__main__":
    main()
