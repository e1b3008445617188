"""Print pip constraints that hold each direct dependency at its declared lower bound.

Used by the floors lane of .ci/run: `pip install -c <(python .ci/floors.py) ".[test]"`.
A dependency without a lower bound is an error: a floor we do not declare is one
we cannot test.
"""

import re
import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["project"]
for requirement in project["dependencies"]:
    match = re.match(r"\s*([A-Za-z0-9._-]+)\s*(?:\[[^\]]*\])?\s*([^;]*)", requirement)
    assert match, requirement
    name, spec = match.groups()
    floor = re.search(r">=\s*([^,\s]+)", spec)
    if floor is None:
        sys.exit(f"{name} has no declared lower bound (>=) in pyproject.toml")
    print(f"{name}=={floor.group(1)}")
