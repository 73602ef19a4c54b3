"""The third-party DfE format samples (data/reference/format_samples) are not valid returns:
loaded as delivered, the suites flag them with the DfE rule codes they break, and nothing
crashes on them."""

import re
import shutil

import dagster as dg
import duckdb
import pytest

from orchestration.quality.expectations import (
    load_suite,
    read_frame,
    validate_frame,
    validated_result,
)
from orchestration.resources import WarehouseResource
from orchestration.settings import EXPECTATIONS_DIR
from tests.conftest import DFE_SAMPLE, PROJECT_ROOT
from tests.warehouse import ingest_landing

SAMPLES = PROJECT_ROOT / "data" / "reference" / "format_samples"
DFE_RULE = re.compile(r"^DfE (\w+):")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("samples")
    ssda903 = root / "landing" / "ssda903" / "938" / "2020"
    ssda903.mkdir(parents=True)
    shutil.copy(SAMPLES / "SSDA903_2020_header.csv", ssda903 / "header.csv")
    shutil.copy(SAMPLES / "SSDA903_2020_episodes.csv", ssda903 / "episodes.csv")
    (root / "landing" / "cin_census").mkdir(parents=True)
    shutil.copy(DFE_SAMPLE, root / "landing" / "cin_census")
    return ingest_landing(root)


def broken_rules(warehouse, suite_name: str) -> set[str]:
    """The DfE rule codes (or rule texts without a code) the suite finds broken."""
    suite = load_suite(EXPECTATIONS_DIR / f"{suite_name}.json")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        frame = read_frame(con, suite)
    broken = set()
    for outcome in validate_frame(suite, frame):
        if not outcome["success"]:
            code = DFE_RULE.match(outcome["rule"])
            broken.add(code.group(1) if code else outcome["rule"])
    return broken


@pytest.mark.parametrize(
    ("suite", "rules"),
    [
        # ETHNIC 'UNKN' is not a DfE code; one child has three Header rows.
        ("raw_ssda903_header_rules", {"103", "one Header row per child and return"}),
        # LS left blank on one episode, RNE '*DUMMY*' on another.
        ("raw_ssda903_episodes_rules", {"143", "144"}),
        # The 1970 episode: ICPC before the referral, closure long before the census year,
        # assessment and CP plan started before the referral.
        ("raw_cin_details_rules", {"1104", "8620"}),
        ("raw_cin_assessment_rules", {"1103"}),
        ("raw_cin_cp_plan_rules", {"1105"}),
    ],
)
def test_samples_are_flagged_with_the_rule_codes_they_break(warehouse, suite, rules):
    assert broken_rules(warehouse, suite) == rules


@pytest.mark.parametrize(
    "suite",
    [
        "raw_ssda903_header_structure",
        "raw_ssda903_episodes_structure",
        "raw_cin_details_structure",
        "raw_cin_child_structure",
    ],
)
def test_samples_pass_structure_so_nothing_is_blocked(warehouse, suite):
    suite = load_suite(EXPECTATIONS_DIR / f"{suite}.json")
    result = validated_result(suite, WarehouseResource(path=str(warehouse)))
    assert result.passed, result.metadata["results"].value
    assert result.severity == dg.AssetCheckSeverity.ERROR


def test_a_missing_table_fails_its_check_instead_of_crashing(tmp_path):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    suite = load_suite(EXPECTATIONS_DIR / "raw_police_incidents_rules.json")
    result = validated_result(suite, WarehouseResource(path=str(empty)))
    assert not result.passed
    assert result.metadata["error"].value == "table raw.police_incidents does not exist"


def test_failures_point_at_file_and_line_never_at_values(warehouse):
    suite = load_suite(EXPECTATIONS_DIR / "raw_ssda903_episodes_rules.json")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        outcomes = validate_frame(suite, read_frame(con, suite))
    examples = {o["rule"]: o["example_rows"] for o in outcomes if not o["success"]}
    assert examples == {
        "DfE 143: RNE a valid code": ["ssda903/938/2020/episodes.csv:6"],
        "DfE 144: LS entered": ["ssda903/938/2020/episodes.csv:3"],
    }
