"""Small-number suppression for published tables, as DfE and ONS publish: counts of 1 to 4
are shown as 'c' so that no child can be singled out (primary suppression), and further
cells are hidden wherever a published total would give a hidden count back (secondary
suppression)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

SUPPRESSED = "c"
SMALLEST_SHOWN = 5


def is_small(counts: pd.Series) -> pd.Series:
    """Counts from 1 to 4: zero is shown (it singles nobody out), as DfE does."""
    return counts.between(1, SMALLEST_SHOWN - 1)


@dataclass(frozen=True)
class Total:
    """A published total and the published parts that add up to it (or to part of it)."""

    total: Hashable
    parts: tuple[Hashable, ...]


def secondary_suppression(
    counts: Mapping[Hashable, float], hidden: Iterable[Hashable], totals: Iterable[Total]
) -> set[Hashable]:
    """Every cell to hide, given the primary ones: a total with exactly one hidden cell among
    itself and its parts leaks it (the total minus the others), so the smallest other
    non-zero cell is hidden too; repeated until no total leaks, because hiding a cell can
    make another total leak."""
    hidden = set(hidden)
    totals = list(totals)
    leaking = True
    while leaking:
        leaking = False
        for group in totals:
            cells = (group.total, *group.parts)
            if sum(cell in hidden for cell in cells) != 1:
                continue
            candidates = [cell for cell in cells if cell not in hidden and counts.get(cell, 0) > 0]
            if candidates:
                hidden.add(min(candidates, key=lambda cell: counts.get(cell, 0)))
                leaking = True
    return hidden
