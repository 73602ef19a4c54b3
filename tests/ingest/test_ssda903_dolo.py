"""The SSDA903 deprivation of liberty orders table (DoLo, from the 2026-27 return): loaded
with its identifiers pseudonymised as in every 903 table, checked against the DfE rules of
its year that need no other table (700-705, 708), and refused in a return of a year whose
specification has no such table."""

import pytest

from orchestration.ingest.formats.ssda903 import Ssda903Format
from orchestration.ingest.loader import Ingestor
from orchestration.privacy.keys import mark_synthetic
from orchestration.privacy.pseudonymise import load_pseudonymiser
from tests.unit.test_supersede import EPISODES_HEADER

HEADER = "CHILD,DOB,DOLO_START,DOLO_END"
MARKER = "QZXMARK"
# Three children's orders in the 2026-27 return, valid under every rule: one ended in the
# year, one open at 31 March, and a child with an order following an ended one.
CLEAN = [
    f"{MARKER}1,14/02/2011,03/05/2026,20/11/2026",
    f"{MARKER}2,30/09/2009,15/01/2027,",
    f"{MARKER}3,01/07/2010,01/06/2026,01/09/2026",
    f"{MARKER}3,01/07/2010,01/09/2026,",
]


def deliver(landing, relative: str, lines: list[str], header: str = HEADER) -> None:
    path = landing / "ssda903" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")


def ingest(con, landing):
    mark_synthetic(landing)
    ingestor = Ingestor(Ssda903Format(), con, load_pseudonymiser(landing), landing)
    return ingestor.ingest(landing / "ssda903")


def dfe_findings(con) -> dict[str, list[int]]:
    """DfE rule -> the first line it names, from the findings of the DoLo files."""
    found = con.execute(
        "select rule, line from raw.schema_findings where rule like 'DfE %' order by rule"
    ).fetchall()
    return {rule: line for rule, line in found}


def test_a_2026_27_dolo_table_loads_pseudonymised_with_its_dates(con, tmp_path):
    deliver(tmp_path, "938/2026-27/dolo.csv", CLEAN)
    episodes = f"{MARKER}2,01/12/2026,S,C2,N1,K2,PR1,,,,QX1 1AB,QX1 1AB,SC000001"
    deliver(tmp_path, "938/2026-27/episodes.csv", [episodes], EPISODES_HEADER)
    outcomes = ingest(con, tmp_path).outcomes
    assert [(o.status, o.rows_loaded, o.findings) for o in outcomes] == [
        ("loaded", 4, 0),
        ("loaded", 1, 0),
    ]
    assert con.execute(
        "select area, collection_period, part from raw.file_manifest order by file_path"
    ).fetchall() == [("938", "2027", "dolo"), ("938", "2027", "episodes")]
    loaded = con.execute(
        "select child, dob, dob_month, dolo_start, dolo_end, _record_line"
        " from raw.ssda903_dolo order by _record_line"
    ).fetchall()
    pseudonymiser = load_pseudonymiser(tmp_path)
    expected = [
        (
            pseudonymiser.pseudonymise("la_child_id", child),
            pseudonymiser.pseudonymise("date_of_birth", dob),
            f"{dob[6:]}-{dob[3:5]}",
            start,
            end or None,
            line,
        )
        for line, (child, dob, start, end) in enumerate((r.split(",") for r in CLEAN), start=2)
    ]
    assert loaded == expected
    # The same child has the same pseudonym in every 903 table, so the rules across tables
    # (and the staging models) can join them.
    [(joined,)] = con.execute(
        "select count(*) from raw.ssda903_dolo d join raw.ssda903_episodes e using (child)"
    ).fetchall()
    assert joined == 1
    assert MARKER not in str(con.execute("select * from raw.ssda903_dolo").fetchall())


def test_the_year_comes_from_the_orders_dates_when_the_path_names_none(con, tmp_path):
    deliver(tmp_path, "938/dolo.csv", CLEAN)
    [outcome] = ingest(con, tmp_path).outcomes
    assert outcome.status == "loaded"
    assert con.execute("select collection_period from raw.file_manifest").fetchall() == [("2027",)]


# One bad row per rule, added to the clean table (its line is 6): the rule it breaks.
BAD_ROWS = {
    "700": f"{MARKER}9,01/01/2012,31/02/2027,",
    "701": f"{MARKER}9,01/01/2012,01/05/2026,2026-13-01",
    "702": f"{MARKER}9,01/01/2012,01/10/2026,01/08/2026",
    "703": f"{MARKER}9,01/01/2012,01/04/2027,",
    "704": f"{MARKER}9,01/01/2012,01/01/2026,15/03/2026",
    "705": f"{MARKER}2,30/09/2009,01/02/2027,",
    "708": f"{MARKER}9,01/01/2027,02/05/2026,01/06/2026",
}


@pytest.mark.parametrize("rule", sorted(BAD_ROWS))
def test_each_rule_of_the_table_is_caught_on_its_bad_row_alone(con, tmp_path, rule):
    deliver(tmp_path, "938/2027/dolo.csv", [*CLEAN, BAD_ROWS[rule]])
    [outcome] = ingest(con, tmp_path).outcomes
    assert (outcome.status, outcome.rows_loaded) == ("loaded", 5)
    assert dfe_findings(con) == {f"DfE {rule}": 6}
    [(message,)] = con.execute("select message from raw.schema_findings").fetchall()
    assert f"break DfE rule {rule} of the 2026-27 return" in message
    assert "first at line(s) 6" in message and "Fix: " in message
    for value in BAD_ROWS[rule].split(","):
        assert not value or value not in message


def test_a_clean_table_breaks_no_rule_and_a_blank_start_is_rule_700_alone(con, tmp_path):
    deliver(tmp_path, "938/2027/dolo.csv", [*CLEAN, f"{MARKER}9,01/01/2012,,"])
    ingest(con, tmp_path)
    # The generic required-value check leaves DOLO_START to rule 700: one finding, not two.
    assert con.execute("select rule, element, line from raw.schema_findings").fetchall() == [
        ("DfE 700", "dolo_start", 6)
    ]


def test_orders_overlapping_across_batches_are_still_rule_705(con, tmp_path, monkeypatch):
    monkeypatch.setattr("orchestration.ingest.delimited.ROWS_PER_BATCH", 2)
    deliver(tmp_path, "938/2027/dolo.csv", [*CLEAN, BAD_ROWS["705"]])
    [outcome] = ingest(con, tmp_path).outcomes
    assert (outcome.status, outcome.rows_loaded) == ("loaded", 5)
    assert dfe_findings(con) == {"DfE 705": 6}


@pytest.mark.parametrize(
    ("relative", "year"),
    [("938/2023/dolo.csv", 2023), ("938/ssda903_938_2026_DoLo.csv", 2026)],
)
def test_a_dolo_table_in_an_earlier_return_is_refused_with_the_reason_and_fix(
    con, tmp_path, relative, year
):
    deliver(tmp_path, relative, CLEAN)
    [outcome] = ingest(con, tmp_path).outcomes
    assert outcome.status == "failed"
    [(path, error, fix)] = con.execute(
        "select file_path, error, fix from raw.file_manifest"
    ).fetchall()
    assert path == f"ssda903/{relative}"
    name = relative.rsplit("/", 1)[-1]
    assert error.startswith(f"{name} is the SSDA903 DoLo table, but the {year} specification")
    assert "has no DoLo table (the DfE collects it from 2027, the 2026-27 return)" in error
    assert "deliver it in that year's folder" in fix and "ssda903/938/2027/" in fix
    assert con.execute("select count(*) from raw.ssda903_dolo").fetchone() == (0,)
    assert MARKER not in error + fix


def test_a_dolo_table_dated_before_its_first_year_is_refused_from_its_dates(con, tmp_path):
    deliver(tmp_path, "938/dolo.csv", [r.replace("/2026", "/2022") for r in CLEAN[:1]])
    [outcome] = ingest(con, tmp_path).outcomes
    assert outcome.status == "failed"
    assert "the 2023 specification has no DoLo table" in outcome.error
