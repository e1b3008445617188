"""Renderers. Each takes a redacted ``DossierView`` (never a ``Dossier``).

``layout`` turns a view into a renderer-neutral document; ``plain``,
``markdown`` and ``rich_`` format that document; ``json_`` writes the view's
data. Only ``rich_`` imports Rich, and only when it is used.
"""

# Which parts of a view each command shows.
SHOW = ("credits", "premise", "beats", "ending")
ENDING = ("ending",)
THEORIES = ("theories",)
QUOTES = ("quotes",)
EXPORT = ("credits", "premise", "beats", "ending", "theories", "quotes", "related", "sources")
