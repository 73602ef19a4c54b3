"""The quality stage's definitions: the expectation suites and the data-quality rules as
asset checks on the assets other stages build."""

import dagster as dg

from orchestration.quality.checks import rule_checks
from orchestration.quality.expectations import suite_checks

# The data checks. The freshness checks depend on today's date as well as on the data, so
# they are kept apart, with ingestion (tests of the data assert on these).
ASSET_CHECKS = [*suite_checks(), *rule_checks()]

defs = dg.Definitions(asset_checks=ASSET_CHECKS)
