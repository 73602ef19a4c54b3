"""CIN census 2025 and 2026 returns against the XSDs held in data/reference. The 2026 XSD
there declares no pre-proceedings or family group decision-making module (it differs from
2025 by one code label), so the platform parses none: a 2026 return validates and loads as
before, and one carrying elements its XSD does not declare (as such a module would be) still
loads every child, with one XSD finding that names where, and none of those elements."""

import duckdb
import pytest
from lxml import etree

from orchestration.ingest.formats.cin_census import XSD_DIR, CinCensusFormat
from orchestration.ingest.loader import Ingestor
from orchestration.privacy.keys import mark_synthetic
from orchestration.privacy.pseudonymise import load_pseudonymiser
from tests.cin_builder import Child, Episode, cin_return

UNDECLARED = (
    "<ReferralNFA>0</ReferralNFA><PreProceedings><PreProceedingsStartDate>2025-08-01"
    "</PreProceedingsStartDate></PreProceedings>"
)


def children() -> list[Child]:
    return [
        Child("C1", sex="F", episodes=[Episode("2025-06-01")]),
        Child("C2", sex="M", episodes=[Episode("2025-07-01")]),
    ]


def load(tmp_path, text: str):
    (tmp_path / "cin_census").mkdir()
    (tmp_path / "cin_census" / "return.xml").write_text(text, encoding="utf-8")
    mark_synthetic(tmp_path)
    con = duckdb.connect()
    report = Ingestor(CinCensusFormat(), con, load_pseudonymiser(tmp_path), tmp_path).ingest(
        tmp_path / "cin_census"
    )
    return con, report.outcomes


def test_the_2026_xsd_held_here_has_no_pre_proceedings_module():
    declared = etree.parse(str(XSD_DIR / "CIN_schema_2026.xsd")).getroot()
    names = {e.get("name", "").lower() for e in declared.iter("{*}element")}
    assert not {n for n in names if "proceed" in n or "family" in n or "fgdm" in n}


@pytest.mark.parametrize("year", [2025, 2026])
def test_a_return_of_2025_or_2026_validates_and_loads(tmp_path, year):
    con, [outcome] = load(tmp_path, cin_return(year, children()))
    assert (outcome.status, outcome.rows_loaded, outcome.findings) == ("loaded", 2, 0)
    assert con.execute("select count(*) from raw.cin_details").fetchone() == (2,)
    assert con.execute("select distinct sex from raw.cin_child order by 1").fetchall() == [
        ("F",),
        ("M",),
    ]


def test_elements_the_2026_xsd_lacks_are_one_finding_and_the_return_still_loads(tmp_path):
    text = cin_return(2026, children()).replace("<ReferralNFA>0</ReferralNFA>", UNDECLARED, 1)
    con, [outcome] = load(tmp_path, text)
    assert (outcome.status, outcome.rows_loaded, outcome.findings) == ("loaded", 2, 1)
    [(element, rule, message)] = con.execute(
        "select element, rule, message from raw.schema_findings"
    ).fetchall()
    assert (element, rule) == ("CINdetails", "xsd")
    assert "does not declare" in message and "PreProceedings" not in message
    assert con.execute("select count(*) from raw.cin_details").fetchone() == (2,)
