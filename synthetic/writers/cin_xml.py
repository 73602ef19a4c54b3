"""The pieces the CIN census XML is built from: elements over whole columns at a time, and
the collection year's view of dates (what was known at the reference date).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synthetic.calendar import NO_DATE


@dataclass(frozen=True)
class CollectionYear:
    """The collection year's boundaries and the date-to-text lookup."""

    first: int
    last: int
    base: int
    text: np.ndarray

    def iso(self, days: np.ndarray) -> np.ndarray:
        return self.text[np.clip(days - self.base, 0, self.text.size - 1)]

    def known(self, days: np.ndarray) -> np.ndarray:
        return (days != NO_DATE) & (days <= self.last)

    def active(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """Module started by the reference date and not ended before the year began."""
        return (start != NO_DATE) & (start <= self.last) & (end >= self.first)


def tag(name: str, values: np.ndarray, present: np.ndarray | bool, depth: int) -> np.ndarray:
    """A <name>value</name> line per row, empty where the row has none."""
    pad = "  " * depth
    text = f"{pad}<{name}>" + np.asarray(values, dtype=object) + f"</{name}>\n"
    return np.where(present, text, "")


def block(name: str, inner: np.ndarray, present: np.ndarray, depth: int) -> np.ndarray:
    """The rows' inner lines wrapped in <name>, empty where the row has none."""
    pad = "  " * depth
    return np.where(present, f"{pad}<{name}>\n" + inner + f"{pad}</{name}>\n", "")
