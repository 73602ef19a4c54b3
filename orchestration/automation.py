"""Jobs (schedules, sensors and freshness come with the operations issue)."""

from __future__ import annotations

import dagster as dg

refresh_all_job = dg.define_asset_job(
    name="refresh_all",
    selection=dg.AssetSelection.all(),
    description="Ingest every landing file, build every dbt model and test, run the checks, "
    "write the outputs.",
)
