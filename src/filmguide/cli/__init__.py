"""The command line: parse, call the core, pick a renderer, map errors to exit codes.

- ``app``: the table of commands and ``main()``, the one error boundary;
- ``options``: the options and arguments commands share;
- ``context``: the run context (streams, terminal, settings, seen list, index);
- ``spoilers``: the allowance and the ending decision, asked of one place;
- command modules by what they serve: ``film`` (one film's pages), ``catalog``
  (the films as a whole), ``authoring`` (writing dossiers), ``personal`` (your
  seen list and settings).

No spoiler decision is made in a command: each builds an ``Allowance`` through
``spoilers`` and hands the dossier to ``policy.redact``; renderers only ever
see the resulting view.
"""

from .app import main

__all__ = ["main"]
