"""Output assets: files under data/outputs/ for people who do not query the warehouse."""

import os
from pathlib import Path

import dagster as dg
import pandas as pd

from orchestration.outputs.suppression import suppress_small_counts
from orchestration.resources import DataPathsResource, WarehouseResource

INDICATOR_MONTHLY_KEY = dg.AssetKey(["marts", "fct_indicator_monthly"])


def write_csv_atomically(frame: pd.DataFrame, target: Path) -> None:
    """Readers never see a half-written file: write beside the target, then rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".partial")
    frame.to_csv(partial, index=False)
    os.replace(partial, target)


@dg.asset(
    key=["outputs", "referrals_monthly_csv"],
    deps=[INDICATOR_MONTHLY_KEY],
    group_name="outputs",
    kinds={"csv"},
    tags={"partner": "social_care"},
    description=(
        "data/outputs/indicators/referrals_monthly.csv: referrals per area and month, overall "
        "and by source group, with counts of 1 to 4 suppressed as 'c'."
    ),
)
def referrals_monthly_csv(
    paths: DataPathsResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    with warehouse.connect(read_only=True) as con:
        frame = con.execute(
            """
            select area_code, strftime(month, '%Y-%m') as month, breakdown_dimension,
                breakdown_value, cast(numerator as bigint) as referrals
            from marts.fct_indicator_monthly
            where indicator_id = 'referrals'
            order by area_code, month, breakdown_dimension, breakdown_value
            """
        ).df()
    target = paths.outputs_dir / "indicators" / "referrals_monthly.csv"
    published = suppress_small_counts(frame, ["referrals"])
    write_csv_atomically(published, target)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(target)),
            "rows": len(published),
            "cells_suppressed": int((published["referrals"] == "c").sum()),
        }
    )
