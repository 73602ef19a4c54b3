"""Partnership returns into the warehouse: typed raw tables, the manifest and rejected rows;
no planted identifier anywhere in the warehouse; the audited case joined to the CIN census
child; a later return superseding the earlier; an unchanged file left alone; malformed files
refused with a reason; the unrecognised-files walk leaving landing/partnership/ alone."""

import copy
from datetime import date

import dagster as dg
import duckdb
import pytest

from orchestration.ingest.assets import build_unrecognised_files_asset
from orchestration.ingest.formats.cin_census import CinCensusFormat
from orchestration.ingest.loader import Ingestor
from orchestration.partnership.ingest import ingest_returns
from orchestration.partnership.spec import RETURN_SHEETS, raw_table_name
from orchestration.privacy.keys import mark_synthetic
from orchestration.resources import DataPathsResource, PseudonymiserResource, WarehouseResource
from tests.cin_builder import Child, Episode, write_return
from tests.partnership.test_reader import PSEUDONYMISER, with_row
from tests.partnership.test_spec_and_template import ABOUT, GOOD, QUESTION_IDS, fill, template
from tests.unit.hostile_deliveries import zipped


@pytest.fixture
def landing(tmp_path):
    (tmp_path / "landing" / "partnership").mkdir(parents=True)
    mark_synthetic(tmp_path / "landing")
    return tmp_path / "landing"


def deliver(landing, name, sheets=GOOD, about=ABOUT):
    folder = landing.parent / "template"
    folder.mkdir(exist_ok=True)
    return fill(template(folder), landing / "partnership" / name, about, sheets)


def ingest(con, landing):
    return ingest_returns(con, landing / "partnership", QUESTION_IDS, PSEUDONYMISER)


def outcomes(report):
    return [(o.file, o.partner, o.status, o.rows_loaded, o.rows_rejected) for o in report.files]


def manifest(con):
    return con.execute(
        "select file_path, status, collection_period, part, rows_loaded, rows_rejected"
        " from raw.file_manifest order by file_path"
    ).fetchall()


def test_a_return_is_loaded_into_typed_raw_tables(con, landing):
    deliver(landing, "health.xlsx")
    report = ingest(con, landing)
    assert outcomes(report) == [("partnership/health.xlsx", "health", "loaded", 10, 0)]
    assert manifest(con) == [("partnership/health.xlsx", "loaded", "2026-11-03", "health", 10, 0)]
    types = dict(
        con.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_name = 'partnership_survey'"
        ).fetchall()
    )
    assert (types["count"], types["returned_on"], types["_record_line"]) == (
        "BIGINT", "DATE", "BIGINT",
    )  # fmt: skip
    assert types["survey_question"] == "VARCHAR" and "question" not in types
    assert con.execute(
        "select partner, returned_on, _source_file, _record_line, count"
        " from raw.partnership_survey order by _record_line"
    ).fetchall() == [
        ("health", date(2026, 11, 3), "partnership/health.xlsx", 2, 120),
        ("health", date(2026, 11, 3), "partnership/health.xlsx", 3, 0),
    ]
    assert con.execute(
        "select question_id, status, decided_on from raw.partnership_questions order by 1"
    ).fetchall() == [
        ("Q0a1b2c3d4e", "under_enquiry", date(2026, 10, 1)),
        ("Q1f2e3d4c5b", "answered", date(2026, 10, 2)),
    ]


def test_the_tables_exist_when_nothing_was_delivered(con, tmp_path):
    report = ingest_returns(con, tmp_path / "landing" / "partnership", set(), PSEUDONYMISER)
    assert report.files == []
    for sheet in RETURN_SHEETS:
        assert con.execute(f"select count(*) from raw.{raw_table_name(sheet)}").fetchone() == (0,)


def varchar_values(con) -> str:
    """Every text value of every table of the warehouse, joined."""
    columns = con.execute(
        "select table_schema, table_name, column_name from information_schema.columns"
        " where data_type = 'VARCHAR'"
    ).fetchall()
    values = [
        value
        for schema, table, column in columns
        for (value,) in con.execute(f'select "{column}" from "{schema}"."{table}"').fetchall()
        if value is not None
    ]
    return "\n".join(values)


def test_a_name_and_date_of_birth_in_a_quote_reach_no_table_and_no_message(con, landing):
    quote = "Olivia Quuxworth, born 17/05/2011, said nobody came"
    sheets = with_row("themes", 0, quote=quote)
    sheets["audits"][1]["note"] = "Mr Quuxworth was not told; dob 17 May 2011"
    deliver(landing, "health.xlsx", sheets)
    report = ingest(con, landing)
    assert outcomes(report) == [("partnership/health.xlsx", "health", "loaded", 8, 2)]
    [outcome] = report.files
    assert [e.split(": ")[0] for e in outcome.errors] == [
        "partnership/health.xlsx, sheet themes, row 2, column quote",
        "partnership/health.xlsx, sheet audits, row 3, column note",
    ]
    rejected = con.execute("select line, element, reason, fix from raw.rejected_rows").fetchall()
    assert [(line, element) for line, element, _, _ in rejected] == [
        (2, "themes.quote"),
        (3, "audits.note"),
    ]
    stored = varchar_values(con) + "\n".join(outcome.errors + outcome.findings)
    for planted in ("Olivia", "Quuxworth", "17/05/2011", "17 May 2011", "LA10000001"):
        assert planted.casefold() not in stored.casefold()


def test_an_audited_case_carries_the_cin_census_childs_pseudonym(con, landing):
    (landing / "cin_census").mkdir()
    child = Child("LA10000001", episodes=[Episode("2026-01-10")])
    write_return(landing, 2026, [child])
    Ingestor(CinCensusFormat(), con, PSEUDONYMISER, landing).ingest(landing / "cin_census")
    deliver(landing, "health.xlsx")
    ingest(con, landing)
    joined = con.execute(
        "select count(*) from raw.partnership_audits a"
        " join raw.cin_child c on a.case_reference = c.la_child_id"
    ).fetchone()
    assert joined == (1,)
    assert con.execute("select count(*) from raw.partnership_audits").fetchone() == (2,)


def test_a_later_return_supersedes_the_earlier(con, landing):
    earlier = copy.deepcopy(GOOD)
    earlier["themes"][0]["times_raised"] = 3
    deliver(landing, "health_nov.xlsx")
    deliver(landing, "health_oct.xlsx", earlier, {**ABOUT, "returned_on": date(2026, 10, 1)})
    deliver(landing, "police.xlsx", about={**ABOUT, "partner": "police"})
    report = ingest(con, landing)
    status = {o.file: o.status for o in report.files}
    assert status == {
        "partnership/health_nov.xlsx": "loaded",
        "partnership/health_oct.xlsx": "superseded",  # older, though read later
        "partnership/police.xlsx": "loaded",
    }
    assert [row[:4] for row in manifest(con)] == [
        ("partnership/health_nov.xlsx", "loaded", "2026-11-03", "health"),
        ("partnership/health_oct.xlsx", "superseded", "2026-10-01", "health"),
        ("partnership/police.xlsx", "loaded", "2026-11-03", "police"),
    ]
    assert con.execute(
        "select partner, _source_file, times_raised from raw.partnership_themes order by 1"
    ).fetchall() == [
        ("health", "partnership/health_nov.xlsx", 7),
        ("police", "partnership/police.xlsx", 7),
    ]

    deliver(landing, "health_dec.xlsx", earlier, {**ABOUT, "returned_on": date(2026, 12, 1)})
    ingest(con, landing)
    assert con.execute(
        "select file_path from raw.file_manifest where status = 'superseded' order by 1"
    ).fetchall() == [("partnership/health_nov.xlsx",), ("partnership/health_oct.xlsx",)]
    assert con.execute(
        "select times_raised from raw.partnership_themes where partner = 'health'"
    ).fetchall() == [(3,)]


def test_a_return_corrected_in_place_replaces_itself(con, landing):
    deliver(landing, "health.xlsx")
    ingest(con, landing)
    deliver(landing, "health.xlsx", with_row("themes", 0, times_raised=8))
    [outcome] = ingest(con, landing).files
    assert (outcome.status, outcome.rows_loaded) == ("loaded", 10)
    assert sorted(row[1] for row in manifest(con)) == ["loaded", "superseded"]
    assert con.execute("select times_raised from raw.partnership_themes").fetchall() == [(8,)]


def test_an_unchanged_file_is_not_read_again(con, landing):
    deliver(landing, "health.xlsx")
    ingest(con, landing)
    again = ingest(con, landing)
    assert outcomes(again) == [("partnership/health.xlsx", "health", "unchanged", 0, 0)]
    assert con.execute("select count(*) from raw.file_manifest").fetchone() == (1,)
    assert con.execute("select count(*) from raw.partnership_survey").fetchone() == (2,)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("notes.xlsx", b"We met the schools in March.\n", "cannot be opened as an XLSX workbook"),
        ("empty.xlsx", zipped({}), "cannot be read as an XLSX workbook"),
        ("table.xlsx", b"question_id,status\nQ0a1b2c3d4e,new\n", "cannot be opened as an XLSX"),
        ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "password-protected"),
        ("bomb.xlsx", zipped({"xl/worksheets/sheet1.xml": bytes(8 * 2**20)}), "compression bomb"),
        ("return.csv", b"question_id,status\n", "is not a workbook"),
    ],
)
def test_a_malformed_file_is_refused_with_a_reason(con, landing, name, content, reason):
    (landing / "partnership" / name).write_bytes(content)
    deliver(landing, "health.xlsx")
    report = ingest(con, landing)
    refused = [o for o in report.files if o.file == f"partnership/{name}"]
    [outcome] = refused
    assert (outcome.status, outcome.partner, outcome.rows_loaded) == ("refused", None, 0)
    [error] = outcome.errors
    assert error.startswith(f"partnership/{name} ") and reason in error
    assert "Fix: " in error and "as .xlsx" in error.split("Fix: ")[1]
    assert con.execute(
        "select status from raw.file_manifest where file_path = ?", [f"partnership/{name}"]
    ).fetchall() == [("failed",)]
    assert "March" not in error
    # The good return beside it loads all the same.
    assert {o.status for o in report.files if o.file == "partnership/health.xlsx"} == {"loaded"}


def test_a_refused_return_loads_nothing(con, landing):
    deliver(landing, "health.xlsx", about={**ABOUT, "partner": "the council"})
    [outcome] = ingest(con, landing).files
    assert outcome.status == "refused" and "column partner" in outcome.errors[0]
    for sheet in RETURN_SHEETS:
        assert con.execute(f"select count(*) from raw.{raw_table_name(sheet)}").fetchone() == (0,)
    assert "the council" not in varchar_values(con)


def test_the_unrecognised_files_walk_leaves_the_returns_alone(landing, tmp_path):
    deliver(landing, "health.xlsx")
    (landing / "stray.csv").write_text("a,b\n")
    warehouse = tmp_path / "warehouse.duckdb"
    result = dg.materialize(
        [build_unrecognised_files_asset(["cin_census"])],
        resources={
            "paths": DataPathsResource(data_dir=str(tmp_path)),
            "warehouse": WarehouseResource(path=str(warehouse)),
            "pseudonymiser": PseudonymiserResource(),
        },
    )
    assert result.success
    with duckdb.connect(str(warehouse)) as con:
        assert con.execute("select file_path, status from raw.file_manifest").fetchall() == [
            ("stray.csv", "failed")
        ]
