"""Every DfE rule code the quality layer cites exists in the DfE rule lists it was taken
from (data/reference/validation_rules), so a typo cannot pass for a rule."""

import csv
import json
import re

from orchestration.settings import EXPECTATIONS_DIR, REFERENCE_DIR
from orchestration.sources.registry import sources

RULES_DIR = REFERENCE_DIR / "validation_rules"


def published_codes() -> set[str]:
    with (RULES_DIR / "903_2023_24_rule_info.csv").open(encoding="utf-8") as handle:
        codes = {row["Rule code"] for row in csv.DictReader(handle)}
    # The 2026-27 deprivation of liberty orders rules (700-710) are listed with their table.
    dolo = REFERENCE_DIR / "dfe_schemas" / "ssda903" / "SSDA903_2026_27_DoLO.md"
    codes |= set(re.findall(r"^- (\d+): ", dolo.read_text(encoding="utf-8"), re.MULTILINE))
    with (RULES_DIR / "cin_rules_extracted.csv").open(encoding="utf-8") as handle:
        return codes | {row["code"] for row in csv.DictReader(handle)}


def cited_in_suites() -> set[str]:
    cited = set()
    for path in EXPECTATIONS_DIR.glob("*.json"):
        for expectation in json.loads(path.read_text())["expectations"]:
            cited |= set(re.findall(r"^DfE (\w+):", expectation["meta"]["rule"]))
    return cited


def cited_in_catalogue() -> set[str]:
    """The rules the quality catalogue cites (the registry's quality blocks)."""
    return {
        str(code)
        for entry in sources().values()
        for table in entry.quality_tables()
        for field in table["fields"]
        for code in field.get("rules", {}).values()
    }


def test_every_cited_rule_code_is_a_published_dfe_rule():
    published = published_codes()
    suites, catalogue = cited_in_suites(), cited_in_catalogue()
    assert len(suites) >= 15 and len(catalogue) >= 8
    assert suites - published == set()
    assert catalogue - published == set()
