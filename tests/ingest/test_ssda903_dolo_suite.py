"""The DoLo rules that need another table or last year's return (706, 707, 709, 710) run as
the suite expectations/raw_ssda903_dolo_rules.json on the raw tables: each is caught on its
hand-made bad row (by file and line), and an order that keeps them all passes."""

import duckdb
import pytest

from orchestration.ingest.formats.ssda903 import Ssda903Format
from orchestration.ingest.loader import Ingestor
from orchestration.privacy.keys import mark_synthetic
from orchestration.privacy.pseudonymise import load_pseudonymiser
from orchestration.quality.expectations import load_suite, read_frame, validate_frame
from orchestration.settings import EXPECTATIONS_DIR

SUITE = EXPECTATIONS_DIR / "raw_ssda903_dolo_rules.json"
DOLO = "CHILD,DOB,DOLO_START,DOLO_END"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)
ORDERS_2027 = [
    "A,01/01/2010,01/06/2026,",  # 2: open, in the next return with its start: keeps 706
    "B,01/01/2010,01/07/2026,",  # 3: open, absent from the next return: 706
    "C,01/01/2010,01/08/2026,",  # 4: open, but the child's care ceased in the year: 707
    "D,01/01/2010,01/09/2026,01/11/2026",  # 5: during a foster placement (U1): 709
    "E,01/01/2010,01/09/2026,01/11/2026",  # 6: during a secure children's home (K1): 709, 710
    "F,01/01/2010,01/09/2026,01/11/2026",  # 7: K2 during it, K1 only before it: keeps all
]
ORDERS_2028 = ["A,01/01/2010,01/06/2026,01/05/2027", "C,01/01/2010,01/08/2026,"]
EPISODES_2027 = [
    ("A", "01/05/2026", "K2", ""),
    ("B", "01/05/2026", "K2", ""),
    ("C", "01/05/2026", "K2", "01/12/2026"),
    ("D", "01/05/2026", "U1", ""),
    ("E", "01/05/2026", "K1", "15/09/2026"),
    ("E", "15/09/2026", "K2", ""),
    ("F", "01/04/2026", "K1", "01/06/2026"),
    ("F", "01/06/2026", "K2", ""),
]
RULES = {
    "706": ["ssda903/938/2027/dolo.csv:3"],
    "707": ["ssda903/938/2027/dolo.csv:4"],
    "709": ["ssda903/938/2027/dolo.csv:5", "ssda903/938/2027/dolo.csv:6"],
    "710": ["ssda903/938/2027/dolo.csv:6"],
}


def episode_row(child: str, start: str, place: str, end: str) -> str:
    reason = "E11" if end else ""
    return f"{child},{start},S,C2,N1,{place},PR1,{end},{reason},,QX1 1AB,QX1 1AB,SC000001"


def write(landing, relative: str, header: str, rows: list[str]) -> None:
    path = landing / "ssda903" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def outcomes(con) -> dict[str, dict]:
    suite = load_suite(SUITE)
    return {o["rule"].split(":")[0]: o for o in validate_frame(suite, read_frame(con, suite))}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    landing = tmp_path_factory.mktemp("dolo_suite")
    write(landing, "938/2027/dolo.csv", DOLO, ORDERS_2027)
    write(landing, "938/2027/episodes.csv", EPISODES, [episode_row(*e) for e in EPISODES_2027])
    write(landing, "938/2028/dolo.csv", DOLO, ORDERS_2028)
    mark_synthetic(landing)
    con = duckdb.connect()
    report = Ingestor(Ssda903Format(), con, load_pseudonymiser(landing), landing).ingest(
        landing / "ssda903"
    )
    assert [o.status for o in report.outcomes] == ["loaded"] * 3
    yield con
    con.close()


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_rule_across_tables_is_caught_on_its_bad_rows_by_file_and_line(warehouse, rule):
    outcome = outcomes(warehouse)[f"DfE {rule}"]
    assert not outcome["success"]
    assert outcome["unexpected_count"] == len(RULES[rule])
    assert sorted(outcome["example_rows"]) == RULES[rule]


def test_the_suite_cites_exactly_the_rules_ingestion_cannot_check(warehouse):
    assert sorted(outcomes(warehouse)) == [f"DfE {rule}" for rule in sorted(RULES)]


def test_orders_that_keep_the_rules_pass(tmp_path):
    landing = tmp_path / "landing"
    write(landing, "938/2027/dolo.csv", DOLO, [ORDERS_2027[0], ORDERS_2027[5]])
    rows = [episode_row(*e) for e in EPISODES_2027 if e[0] in "AF"]
    write(landing, "938/2027/episodes.csv", EPISODES, rows)
    write(landing, "938/2028/dolo.csv", DOLO, ORDERS_2028[:1])
    mark_synthetic(landing)
    with duckdb.connect() as con:
        Ingestor(Ssda903Format(), con, load_pseudonymiser(landing), landing).ingest(
            landing / "ssda903"
        )
        assert all(o["success"] for o in outcomes(con).values())
        con.execute("delete from raw.ssda903_dolo")  # a return before 2027 has no orders
        assert all(o["success"] for o in outcomes(con).values())
