"""What earlier releases published, so that the next one cannot be compared with them to give
a hidden count back.

Two releases leak in two ways that suppression within one release cannot see: a cell hidden
in one and shown in the other, and a total whose value moved between them (a period or year
that gained a month) while exactly one of the cells that moved it is hidden: the difference
of the two totals is that cell. The ledger remembers, for every cell ever published, its last
value and whether it was ever hidden. A hidden cell stays hidden; a total that moved is
checked against the cells that moved it; and a cell a reader already has (shown before with
the same value) is never the one hidden to protect another.

It holds aggregate counts, the small ones too (it must know whether a hidden cell changed),
so it lives beside the warehouse, never among the outputs."""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from orchestration.outputs.suppression import Total, cell_id


@dataclass
class ReleaseLedger:
    """Cell id -> last published count, and the ids of cells ever hidden."""

    values: dict[str, float] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, path: Path | None) -> ReleaseLedger:
        if path is None or not path.is_file():
            return cls()
        frame = pd.read_csv(path, dtype={"cell": str, "value": float, "hidden": bool})
        return cls(
            values=dict(zip(frame["cell"], frame["value"], strict=True)),
            hidden=set(frame.loc[frame["hidden"], "cell"]),
        )

    def write(self, path: Path) -> None:
        """Written beside the target and renamed, so a killed run leaves the last ledger."""
        cells = sorted(self.values)
        frame = pd.DataFrame(
            {
                "cell": cells,
                "value": [self.values[c] for c in cells],
                "hidden": [c in self.hidden for c in cells],
            }
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        frame.to_csv(partial, index=False)
        os.replace(partial, path)

    def previously_hidden(self, counts: Mapping[Hashable, float]) -> set[Hashable]:
        return {cell for cell in counts if cell_id(cell) in self.hidden}

    def already_public(self, counts: Mapping[Hashable, float]) -> set[Hashable]:
        """Cells shown in an earlier release with the value they have now."""
        public = set()
        for cell, count in counts.items():
            key = cell_id(cell)
            if key in self.values and key not in self.hidden and self.values[key] == count:
                public.add(cell)
        return public

    def moved_totals(
        self, counts: Mapping[Hashable, float], totals: Iterable[Total]
    ) -> list[Total]:
        """For each total shown before whose value or parts moved: the total against the parts
        that moved it (new parts, or parts whose count changed). A reader who subtracts the
        two releases' totals sees exactly the sum of those."""
        moved = []
        for group in totals:
            key = cell_id(group.total)
            if key not in self.values or key in self.hidden:
                continue
            before = self.values.get
            changed = tuple(p for p in group.parts if before(cell_id(p)) != counts.get(p, 0))
            if changed and len(changed) < len(group.parts):
                moved.append(Total(group.total, changed))
        return moved

    def updated(self, counts: Mapping[Hashable, float], hidden: set[Hashable]) -> ReleaseLedger:
        """This release added: every cell's count now, hidden ever stays hidden."""
        values = dict(self.values)
        values.update({cell_id(cell): float(count) for cell, count in counts.items()})
        return ReleaseLedger(values, self.hidden | {cell_id(cell) for cell in hidden})
