"""Small-number suppression for published tables, as DfE and ONS publish: counts of 1 to 4
are shown as 'c' so that no child can be singled out."""

from __future__ import annotations

import pandas as pd

SUPPRESSED = "c"
SMALLEST_SHOWN = 5


def suppress_small_counts(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Return a copy with counts from 1 to 4 in the given columns replaced by 'c'.

    Secondary suppression (where a total would reveal a suppressed cell) is the job of the
    exports that publish totals beside their parts; this table publishes each row alone.
    """
    published = frame.copy()
    for column in columns:
        counts = published[column]
        small = counts.between(1, SMALLEST_SHOWN - 1)
        published[column] = counts.astype("Int64").astype(str).where(~small, SUPPRESSED)
    return published
