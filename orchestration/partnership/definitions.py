"""The partnership stage's definitions: its assets (partnership/assets.py) and its checks
(partnership/checks.py), which judge the plan's reviews against today's date and so are kept
apart from the data checks, as the freshness checks are."""

import dagster as dg

from orchestration.operations import with_owners
from orchestration.partnership.assets import PARTNERSHIP_ASSETS
from orchestration.partnership.checks import PARTNERSHIP_CHECKS

defs = dg.Definitions(assets=with_owners(PARTNERSHIP_ASSETS), asset_checks=PARTNERSHIP_CHECKS)
