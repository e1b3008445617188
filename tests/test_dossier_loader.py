"""The loader that composes dossiers resolves every node to the tag PyYAML's own SafeLoader gives it.

The validator reads tags (``describe`` names "a number", "a yes/no word", "nothing"…; an
explicit tag is refused), so a faster resolver must never answer differently.
"""

from __future__ import annotations

import json

import pytest
import yaml

from filmguide.yamlread import _loader

WORDS = """
~ null Null NULL nulls n N y Y yes Yes YES no No on On OFF off true True TRUE false False tRUE 1984
2011 +12 -3 012 0x1F 0o17 0b101 1_000 1:30 190:20:30 1e3 1.5 .5 .inf -.Inf +.INF .NaN .nan 0. ._ - +
2011-01-01 2011-1-1 2011-01-01T10:00:00Z 2011-13-45 = << < <<< none minor major stream text title
year tags fr FR Naïve ñ ÿes tritenmi o'clock ~x -x 0 00 -0 +0 1,000 1,000.5 6.8523015e+5
"""
SCALARS = ["", "2011-01-01 10:00:00", "Yes please", "a b c", *WORDS.split()]


def tags(text: str, loader: type) -> list[str]:
    out = []
    stack = [yaml.compose(text, Loader=loader)]
    while stack:
        node = stack.pop()
        out.append(node.tag)
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
    return out


EMPTY, SQ = '""', "'"


def documents() -> list[str]:
    plain = "\n".join(f"- {s}" if s else "-" for s in SCALARS)
    quoted = "\n".join(f"- '{s.replace(SQ, SQ * 2)}'\n- {json.dumps(s)}" for s in SCALARS)
    keyed = "\n".join(f"k{i}: {s}" for i, s in enumerate(SCALARS) if s != "-")
    keys = "\n".join(f"{s or EMPTY}: {i}" for i, s in enumerate(SCALARS) if s not in ("-", "<<", "~x", "-x"))
    tagged = "- !!str 5\n- !!int 5\n- !foo x\n- ! 5\n- !!null ''\n- !!bool yes\n- [a, 5, yes, ~]\n- {a: 1, yes: no}"
    block = "a: |\n  12\nb: >-\n  yes\nc:\n  - [1, null, '']\n"
    return [plain, quoted, keyed, keys, tagged, block]


@pytest.mark.parametrize("base", [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)])
@pytest.mark.parametrize("text", documents())
def test_every_node_gets_the_tag_safeloader_gives_it(base: type, text: str) -> None:
    fast = _loader(base)
    assert tags(text, fast) == tags(text, base)
    assert tags(text, fast) == tags(text, base)  # again, now from what it remembered


def test_the_loader_is_made_once_per_base() -> None:
    assert _loader(yaml.SafeLoader) is _loader(yaml.SafeLoader)
    assert issubclass(_loader(yaml.SafeLoader), yaml.SafeLoader)
