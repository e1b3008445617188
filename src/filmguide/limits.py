"""Time limits, each settable by an environment variable read here and nowhere else.

``FILMGUIDE_ANNOUNCE_SECONDS``: an index build that took longer than this is
said on stderr (default 1). ``FILMGUIDE_LOCK_ANNOUNCE_SECONDS``: how long to
wait for another filmguide that holds the index before saying so (default 0.5);
``FILMGUIDE_LOCK_WAIT_SECONDS``: how long to wait for it in all before reading
the files directly (default 10). ``FILMGUIDE_NETWORK_TIMEOUT_SECONDS``: how
long ``filmguide update`` waits for a server that does not answer (default
20). Tests set them, so
no test depends on how fast the machine is today.
"""

from __future__ import annotations

import math
import os

_DEFAULTS = {"ANNOUNCE": 1.0, "LOCK_ANNOUNCE": 0.5, "LOCK_WAIT": 10.0, "NETWORK_TIMEOUT": 20.0}


def seconds(name: str) -> float:
    """The limit ``name`` in seconds: the environment's value if it is a number ≥ 0, else the default."""
    default = _DEFAULTS[name]
    raw = os.environ.get(f"FILMGUIDE_{name}_SECONDS", "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if value >= 0 and math.isfinite(value) else default
