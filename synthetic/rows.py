"""The simulation's tables (children, referrals, episodes, periods of care) are frozen
dataclasses of aligned numpy arrays, one element per row; Rows gives them their columns
and a selection of their rows without each listing its fields again."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Self

import numpy as np


class Rows:
    """Mixin for a frozen dataclass whose fields are aligned arrays. A field may be None: a
    column that was not drawn (it is no column, and stays None in a selection)."""

    def columns(self) -> dict[str, np.ndarray]:
        """Each drawn column by its field's name, in field order."""
        drawn = {f.name: getattr(self, f.name) for f in fields(self)}
        return {name: column for name, column in drawn.items() if column is not None}

    def take(self, index: np.ndarray) -> Self:
        """The rows at `index` (positions or a boolean mask), in that order."""
        return replace(self, **{name: column[index] for name, column in self.columns().items()})
