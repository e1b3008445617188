"""The cold build's floor: parse every dossier in a folder with PyYAML's C loader, and nothing else.

    python benchmarks/floor_parse.py FOLDER

No validation, no index, one process: what reading N files as YAML costs at
the least. benchmarks/run.py reports the cold build as a multiple of it.
"""

import contextlib
import os
import sys

import yaml


def main() -> None:
    folder = sys.argv[1]
    n = 0
    for name in sorted(os.listdir(folder)):
        if name.endswith(".yaml"):
            # The generated catalog has a few broken files, as real ones do.
            with open(os.path.join(folder, name), "rb") as fh, contextlib.suppress(yaml.YAMLError):
                yaml.load(fh.read(), Loader=yaml.CSafeLoader)
            n += 1
    print(n)


if __name__ == "__main__":
    main()
