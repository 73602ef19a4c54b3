"""The code location the platform benchmark runs its stages from: the platform's own assets
and checks with one job per stage, so that each stage runs, and is measured, on its own."""

import dagster as dg

from orchestration import definitions as platform_definitions
from orchestration.transform.assets import csc_dbt_models

# dbt tests are checks of the dbt assets and run inside `dbt build`; the checks registered
# beside the assets (Great Expectations suites, quality rules, freshness) are the quality stage.
STANDALONE_CHECKS = dg.AssetSelection.checks(*platform_definitions.defs.asset_checks)
STAGES = {
    "ingest": dg.AssetSelection.groups("ingest") - STANDALONE_CHECKS,
    "dbt_build": dg.AssetSelection.assets(csc_dbt_models) - STANDALONE_CHECKS,
    "quality": STANDALONE_CHECKS,
    "outputs": dg.AssetSelection.groups("outputs") - STANDALONE_CHECKS,
}

defs = dg.Definitions.merge(
    platform_definitions.defs,
    dg.Definitions(
        jobs=[
            dg.define_asset_job(f"bench_{stage}", selection=selection)
            for stage, selection in STAGES.items()
        ]
    ),
)
