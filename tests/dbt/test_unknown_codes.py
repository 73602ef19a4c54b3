"""Only known codes become published groups: a child's name or a formula typed into a
delivered code field is counted as 'invalid_code', never shown as itself."""

import csv

import duckdb
import pytest
import yaml

from orchestration.sources.registry import source
from synthetic import generate
from tests.conftest import PROJECT_ROOT
from tests.warehouse import dbt_build, ingest_landing

pytestmark = pytest.mark.slow

HOSTILE = ["Zebedee Quuxworth", '=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0"]


def tamper(police_file, every: int) -> int:
    """Write the hostile values into INCIDENT_TYPE of every `every`-th row; rows changed."""
    with police_file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("INCIDENT_TYPE")
    changed = 0
    for number, row in enumerate(rows[1:]):
        if number % every == 0:
            row[column] = HOSTILE[changed % len(HOSTILE)]
            changed += 1
    with police_file.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return changed


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("unknown_codes")
    generate(root / "landing", seed=5, children=1500, start="2020-01", end="2020-06")
    police_files = sorted((root / "landing" / "police_incidents").rglob("*.csv"))
    changed = sum(tamper(path, every=2) for path in police_files)
    warehouse = ingest_landing(root)
    dbt_build(root, select=["+fct_indicator_monthly__police"])
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con, changed
    con.close()


def test_hostile_code_values_are_counted_as_invalid_code(built):
    con, changed = built
    assert changed > 10
    groups = dict(
        con.execute(
            "select breakdown_value, sum(numerator) from marts.fct_indicator_monthly__police"
            " where indicator_id = 'police_incidents'"
            " and breakdown_dimension = 'incident_type_code' group by all"
        ).fetchall()
    )
    known = {
        code
        for (code,) in con.execute("select code from reference.police_incident_types").fetchall()
    }
    assert set(groups) - known <= {"invalid_code", "not_recorded"}
    # Each tampered row is one incident and child: every one is counted, as invalid_code.
    assert groups["invalid_code"] == changed
    total = con.execute(
        "select sum(numerator) from marts.fct_indicator_monthly__police"
        " where indicator_id = 'police_incidents' and breakdown_dimension = 'all'"
    ).fetchone()[0]
    assert sum(groups.values()) == total


def test_every_breakdown_is_checked_against_a_code_list_or_decoded_upstream():
    project = yaml.safe_load((PROJECT_ROOT / "dbt_project" / "dbt_project.yml").read_text())
    code_lists = project["vars"]["breakdown_code_lists"]
    decoded = set(project["vars"]["decoded_breakdowns"])
    with (PROJECT_ROOT / "dbt_project" / "seeds" / "indicators.csv").open() as handle:
        breakdowns = {b for row in csv.DictReader(handle) for b in row["breakdowns"].split("|")}
    assert breakdowns - {"all"} <= set(code_lists) | decoded
    assert not set(code_lists) & decoded


def test_contract_code_lists_name_a_coded_field_of_the_registry():
    """A breakdown read from a contract field names a field of the source registry that has
    codes: dbt reads them through the generated macro contract_codes."""
    code_lists = yaml.safe_load((PROJECT_ROOT / "dbt_project" / "dbt_project.yml").read_text())[
        "vars"
    ]["breakdown_code_lists"]
    contract_lists = [spec for spec in code_lists.values() if "contract" in spec]
    assert len(contract_lists) == 2
    for spec in contract_lists:
        assert set(spec) == {"contract", "field"}
        assert len(source(spec["contract"]).column(spec["field"]).codes) >= 3
