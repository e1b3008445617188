"""Folder precedence and patches: which entry each film is shown from.

Every folder in use has a rank (0 is the most local); a film's dossier in a
more local folder overrides a farther one's. ``<id>.patch.yaml`` files add
to a film: the entry of a patched film (``combo`` names its files) is built
once, farthest patch first, and kept beside the film's own entry.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .codec import IndexDamaged, dossier_from_blob, load_json
from .reader import payload, problems_json
from .store import Store, s

if TYPE_CHECKING:
    from ..model import Dossier
    from ..patches import PatchInfo


class PatchFile(NamedTuple):
    fid: int
    folder: str
    name: str
    rank: int


class Base(NamedTuple):
    """The most local valid dossier of a film."""

    fid: int
    eid: int
    folder: bytes
    name: bytes
    rank: int


class Winner(NamedTuple):
    """The entry a film is shown from (its patches applied), and where its dossier is."""

    eid: int
    folder: bytes
    name: bytes
    rank: int


def combo(base: int, patches: Sequence[PatchFile]) -> str:
    return "|".join(str(x) for x in (base, *(p.fid for p in patches)))


def _in(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


class Overlay(Store):
    def patch_plan(self, stems: Sequence[str] | None = None) -> dict[str, list[PatchFile]]:
        """Patch files in the folders in use, per film id, farthest folder first, then by name."""
        if stems is None:
            sql = (
                "SELECT f.stem, f.fid, f.folder, f.name, c.rank FROM cur c CROSS JOIN files f "
                "WHERE f.folder = c.folder AND f.kind = 1"
            )
            args: list[Any] = []
        else:  # from the few files of these films, not from every file of the folders
            sql = (
                "SELECT f.stem, f.fid, f.folder, f.name, c.rank FROM files f CROSS JOIN cur c "
                f"WHERE c.folder = f.folder AND f.kind = 1 AND f.stem IN ({_in(stems)})"
            )
            args = list(stems)
        plan: dict[str, list[PatchFile]] = {}
        for stem, fid, folder, name, rank in self.conn.execute(sql, args):
            plan.setdefault(stem, []).append(PatchFile(fid, s(folder), s(name), rank))
        for items in plan.values():
            items.sort(key=lambda p: (-p.rank, p.name))
        return plan

    def base_winners(self, stems: Sequence[str] | None = None) -> dict[str, Base]:
        """stem -> the most local valid dossier."""
        if stems is None:
            sql = (
                "SELECT f.stem, f.fid, e.eid, f.folder, f.name, c.rank FROM cur c CROSS JOIN files f "
                "CROSS JOIN films e WHERE f.folder = c.folder AND f.kind = 0 AND f.problems IS NULL "
                "AND e.fid = f.fid AND e.combo = ''"
            )
            args: list[Any] = []
        else:  # from the few files of these films, not from every file of the folders
            sql = (
                "SELECT f.stem, f.fid, e.eid, f.folder, f.name, c.rank FROM files f CROSS JOIN cur c "
                "CROSS JOIN films e WHERE c.folder = f.folder AND f.kind = 0 AND f.problems IS NULL "
                f"AND e.fid = f.fid AND e.combo = '' AND f.stem IN ({_in(stems)})"
            )
            args = list(stems)
        best: dict[str, Base] = {}
        for stem, fid, eid, folder, name, rank in self.conn.execute(sql, args):
            old = best.get(stem)
            if old is None or rank < old.rank:
                best[stem] = Base(fid, eid, folder, name, rank)
        return best

    def merges_missing(self) -> bool:
        plan = self.patch_plan()
        if not plan:
            return False
        winners = self.base_winners(list(plan))
        combos = [combo(winners[st].fid, p) for st, p in plan.items() if st in winners]
        if not combos:
            return False
        have = {r[0] for r in self.conn.execute(f"SELECT combo FROM films WHERE combo IN ({_in(combos)})", combos)}
        return any(c not in have for c in combos)

    def merge_patches(self) -> None:
        """Build the entry of each patched film for the folders in use, if it is not there yet."""
        plan = self.patch_plan()
        if not plan:
            return
        from ..errors import InvalidDossier
        from ..patches import load_patch

        winners = self.base_winners(list(plan))
        for stem, patches in plan.items():
            if stem not in winners:
                continue  # reported as a problem of the patch, at query time
            base = winners[stem]
            key = combo(base.fid, patches)
            if self.conn.execute("SELECT 1 FROM films WHERE combo = ?", (key,)).fetchone():
                continue
            d = self.stored_dossier(base.eid)
            infos: list[PatchInfo] = []
            failed: dict[str, str] = {}
            for p in patches:
                try:
                    d, info = load_patch(d, Path(p.folder, p.name))
                except InvalidDossier as err:
                    failed[str(p.fid)] = problems_json(err.problems)
                    continue
                infos.append(info)
            self.put_entry(
                base.fid,
                key,
                payload(d),
                [base.fid, *(p.fid for p in patches)],
                patches=json.dumps([_patch_info_data(i) for i in infos]),
                patch_problems=json.dumps(failed),
            )

    def put_entry(
        self,
        fid: int,
        combo: str,
        data: Any,
        members: list[int],
        patches: str | None = None,
        patch_problems: str | None = None,
    ) -> int:  # pragma: no cover - see refresh.Refresh
        raise NotImplementedError

    def stored_dossier(self, eid: int) -> Dossier:
        row = self.conn.execute("SELECT data FROM dossiers WHERE eid = ?", (eid,)).fetchone()
        if row is None:
            raise IndexDamaged("an entry is missing")
        return dossier_from_blob(row[0])

    def effective(self, stems: Sequence[str] | None = None, patches: bool = True) -> dict[str, Winner]:
        """film id -> the entry each film is shown from, most local first, its patches applied."""

        def work() -> dict[str, Winner]:
            winners = self.base_winners(stems)
            out = {stem: Winner(w.eid, w.folder, w.name, w.rank) for stem, w in winners.items()}
            if not patches:
                return out
            plan = self.patch_plan(list(winners) if stems is not None else None)
            combos = {combo(winners[st].fid, p): st for st, p in plan.items() if st in winners}
            if combos:
                for eid, key in self.conn.execute(
                    f"SELECT eid, combo FROM films WHERE combo IN ({_in(list(combos))})", list(combos)
                ):
                    stem = combos[key]
                    out[stem] = out[stem]._replace(eid=eid)
            return out

        result: dict[str, Winner] = self.run(work)
        return result

    def patch_infos(self, eid: int) -> list[PatchInfo]:
        def work() -> list[PatchInfo]:
            row = self.conn.execute("SELECT patches FROM films WHERE eid = ?", (eid,)).fetchone()
            if row is None or not row[0]:
                return []
            from ..patches import PatchInfo

            data = load_json(row[0])
            try:
                return [PatchInfo(**_patch_info_args(x)) for x in data]
            except (ValueError, TypeError, AttributeError) as err:
                raise IndexDamaged(f"stored patch notes cannot be read: {type(err).__name__}") from None

        result: list[PatchInfo] = self.run(work)
        return result

    def patch_problems(self, key: str) -> dict[str, str]:
        row = self.conn.execute("SELECT patch_problems FROM films WHERE combo = ?", (key,)).fetchone()
        data = load_json(row[0]) if row and row[0] else {}
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise IndexDamaged("stored patch problems cannot be read")
        return data


def _patch_info_data(info: Any) -> dict[str, Any]:
    from dataclasses import fields

    return {f.name: getattr(info, f.name) for f in fields(info)}


def _patch_info_args(data: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}


def joined(folder: bytes | str, name: bytes | str) -> str:
    return os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(name)))
