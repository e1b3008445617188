"""The file oracle: the catalog read straight from the files, without the index.

The index must always agree with it (tests/test_index.py). It lives with the
tests because filmguide itself never reads a catalog this way: when the index
cannot be used, ``filmguide.index`` reads the files through the same reader.
"""

from __future__ import annotations

from collections.abc import Iterable

from filmguide.catalog import SUFFIX, Catalog, FolderInfo, dossier_files, patch_files
from filmguide.errors import InvalidDossier, Problem
from filmguide.paths import Folder, film_folders
from filmguide.text import fold


def apply_patches(cat: Catalog, folders: list[Folder]) -> None:
    """Merge every patch into its film, farthest folder first so the most local wins."""
    from filmguide.patches import load_patch, patch_id

    by_id: dict[str, int] = {d.id: i for i, d in enumerate(cat.films)}
    for folder in reversed(folders):
        for path in patch_files(folder.path):
            film_id = patch_id(path)
            if film_id not in by_id:
                cat.broken.append([Problem(str(path), f"patches {film_id!r}, which is not in the catalog")])
                continue
            try:
                merged, info = load_patch(cat.films[by_id[film_id]], path)
            except InvalidDossier as err:
                cat.broken.append(err.problems)
                continue
            cat.films[by_id[film_id]] = merged
            cat.patches.setdefault(film_id, []).append(info)


def load_catalog_from_files(folders: Iterable[Folder] | None = None, patches: bool = True) -> Catalog:
    """Read every dossier file, without the index: what the index must always agree with."""
    from filmguide.dossier import load_dossier

    cat = Catalog()
    folders = list(folders if folders is not None else film_folders())
    for folder in folders:
        files, problems = dossier_files(folder.path)
        cat.folders.append(FolderInfo(folder, folder.path.is_dir(), len(files)))
        if problems:
            cat.broken.append(problems)
        for path in files:
            film_id = path.name.removesuffix(SUFFIX)
            if film_id in cat.origins:
                continue  # overridden by a more local folder; not even read
            try:
                d = load_dossier(path, label=str(path))
            except InvalidDossier as err:
                cat.broken.append(err.problems)
                continue
            cat.origins[d.id] = path
            cat.films.append(d)
    if patches:
        apply_patches(cat, folders)
    cat.films.sort(key=lambda d: (fold(d.title), d.year, d.id))
    return cat
