"""Small-number suppression for published tables, as DfE and ONS publish: counts of 1 to 4
are shown as 'c' so that no child can be singled out (primary suppression), and further
cells are hidden wherever a published total would give a hidden count back (secondary
suppression).

The choice of cells is a function of the counts alone, never of the order rows were read in:
two releases of the same data hide the same cells, so comparing them gives nothing back."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

SUPPRESSED = "c"
SMALLEST_SHOWN = 5


def is_small(counts: pd.Series) -> pd.Series:
    """Counts from 1 to 4: zero is shown (it singles nobody out), as DfE does."""
    return counts.between(1, SMALLEST_SHOWN - 1)


def cell_id(cell: Hashable) -> str:
    """A cell's key as stable text, for ordering and for the release ledger: months as
    yyyy-mm-dd, nested keys flattened, so the same cell has the same id in every run."""
    if isinstance(cell, tuple):
        return "|".join(cell_id(part) for part in cell)
    if isinstance(cell, pd.Timestamp):
        return cell.strftime("%Y-%m-%d")
    return str(cell)


@dataclass(frozen=True)
class Total:
    """A published total and the published parts that add up to it (or to part of it)."""

    total: Hashable
    parts: tuple[Hashable, ...]


def secondary_suppression(
    counts: Mapping[Hashable, float],
    hidden: Iterable[Hashable],
    totals: Iterable[Total],
    already_public: Collection[Hashable] = frozenset(),
) -> set[Hashable]:
    """Every cell to hide, given the primary ones: a total with exactly one hidden cell among
    itself and its parts leaks it (the total minus the others), so the smallest other
    non-zero cell is hidden too; repeated until no total leaks, because hiding a cell can
    make another total leak.

    Ties are broken by the cells' ids and totals visited in the order of theirs, so the answer
    does not depend on the order of the input. Cells in `already_public` (shown, with the same
    value, in an earlier release) are never chosen: hiding what a reader already has would
    protect nothing."""
    hidden = set(hidden)
    ordered = sorted(((cell_id(group.total), group) for group in totals), key=lambda pair: pair[0])
    leaking = True
    while leaking:
        leaking = False
        for _, group in ordered:
            cells = (group.total, *group.parts)
            if sum(cell in hidden for cell in cells) != 1:
                continue
            candidates = [
                cell
                for cell in cells
                if cell not in hidden and cell not in already_public and counts.get(cell, 0) > 0
            ]
            if candidates:
                hidden.add(min(candidates, key=lambda cell: (counts.get(cell, 0), cell_id(cell))))
                leaking = True
    return hidden
