"""The ingestion stage's definitions: one asset per raw table, the freshness check of every
partner source, and the sensor that starts a refresh when a file lands."""

import dagster as dg

from orchestration.ingest.assets import INGEST_ASSETS
from orchestration.ingest.freshness import FRESHNESS_CHECKS
from orchestration.ingest.sensors import landing_sensor
from orchestration.operations import with_owners

defs = dg.Definitions(
    assets=with_owners(INGEST_ASSETS),
    asset_checks=FRESHNESS_CHECKS,
    sensors=[landing_sensor],
)
