"""The one Definitions object of the platform: each stage's own, merged.

Every stage folder says what it defines (ingest/definitions.py, retention/assets.py,
transform/assets.py, quality/definitions.py, outputs/assets.py, partnership/definitions.py),
automation.py the jobs, schedules, run-failure alert and executor of the whole platform, and
this module adds the resources they share."""

import dagster as dg

from orchestration import automation
from orchestration.ingest import definitions as ingest
from orchestration.outputs import assets as outputs
from orchestration.partnership import definitions as partnership
from orchestration.quality import definitions as quality
from orchestration.resources import build_resources
from orchestration.retention import assets as retention
from orchestration.transform import assets as transform

STAGES = (ingest.defs, retention.defs, transform.defs, outputs.defs, partnership.defs, quality.defs)

defs = dg.Definitions.merge(*STAGES, automation.defs, dg.Definitions(resources=build_resources()))

# The assets, and the data checks (the freshness and partnership checks, which depend on
# today's date too, apart): what a test of the data runs.
ASSETS = [asset for stage in STAGES for asset in stage.assets or ()]
ASSET_CHECKS = quality.ASSET_CHECKS
