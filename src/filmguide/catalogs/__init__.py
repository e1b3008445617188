"""Community catalogs: packing a folder of dossiers, and installing or updating one from a URL.

``archive`` writes and reads the archive format (a zip plus ``index.json``),
``fetch`` downloads within limits, ``install`` swaps a catalog in atomically,
``publish`` validates and lints a folder before packing it, and ``settings``
reads the ``[[catalogs]]`` list from config.toml. Nothing here touches the
network but ``fetch``, and only ``filmguide update`` calls it.
"""
