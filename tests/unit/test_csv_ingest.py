"""Contract CSV/XLSX extracts and SSDA903 tables on the ingestion framework, with the bad
input partners really send."""

import shutil

import pytest
from openpyxl import Workbook

from orchestration.ingest.formats.contract_csv import ContractCsvFormat
from orchestration.ingest.formats.ssda903 import Ssda903Format
from orchestration.ingest.loader import Ingestor
from orchestration.privacy.keys import mark_synthetic
from orchestration.privacy.pseudonymise import load_pseudonymiser
from orchestration.sources.registry import SOURCES_DIR
from tests.conftest import PROJECT_ROOT

SAMPLES = PROJECT_ROOT / "data" / "reference" / "format_samples"
POLICE_HEADER = (
    "FORCE_CODE,LA_CODE,INCIDENT_REF,INCIDENT_DATE,INCIDENT_TYPE,CHILDREN_PRESENT,"
    "NOTIFIED_TO_CSC,CHILD_FORENAME,CHILD_SURNAME,CHILD_DOB,CHILD_POSTCODE,RECORDED_AT"
)
POLICE_ROWS = [
    "37,938,INC1,03/04/2020,domestic_abuse,2,Y,Renée,Smith,07/03/2012,QX4 1AB,2020-04-03 10:00:00",
    "37,938,INC2,2020-04-19,missing_child,1,Y,Tom,Jones,2009-11-30,QX1 2CD,",
    "37,938,INC3,28/04/2020,antisocial_behaviour,0,N,,,,,",
]


def police_format():
    return ContractCsvFormat(SOURCES_DIR / "police_incidents.yaml")


def ingest(con, landing, fmt):
    mark_synthetic(landing)
    return Ingestor(fmt, con, load_pseudonymiser(landing), landing).ingest(landing / fmt.source)


def deliver(landing, source, name, content: bytes):
    folder = landing / source
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)


def police_csv(rows=POLICE_ROWS, header=POLICE_HEADER, encoding="utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def fetch(con, sql):
    return con.execute(sql).fetchall()


def test_a_contract_extract_loads_with_lines_period_and_protected_identifiers(con, tmp_path):
    deliver(tmp_path, "police_incidents", "april.csv", police_csv())
    [outcome] = ingest(con, tmp_path, police_format()).outcomes
    assert (outcome.status, outcome.rows_loaded, outcome.rows_rejected) == ("loaded", 3, 0)
    assert fetch(con, "select area, collection_period from raw.file_manifest") == [
        ("938", "2020-04..2020-04")
    ]
    assert fetch(
        con,
        "select incident_ref, child_dob_month, child_postcode_district, _record_line"
        " from raw.police_incidents order by _record_line",
    ) == [("INC1", "2012-03", "QX4", 2), ("INC2", "2009-11", "QX1", 3), ("INC3", None, None, 4)]
    dump = str(fetch(con, "select * from raw.police_incidents"))
    for raw_value in ("Renée", "Smith", "07/03/2012", "QX4 1AB", "Jones"):
        assert raw_value not in dump


def test_a_warehouse_built_before_a_contract_gained_a_column_takes_the_new_column(con, tmp_path):
    con.execute("create schema raw")
    con.execute("create table raw.police_incidents (incident_ref varchar, _record_line integer)")
    deliver(tmp_path, "police_incidents", "april.csv", police_csv())
    [outcome] = ingest(con, tmp_path, police_format()).outcomes
    assert (outcome.status, outcome.rows_loaded) == ("loaded", 3)
    assert fetch(
        con,
        "select incident_ref, child_postcode_district from raw.police_incidents"
        " order by incident_ref",
    ) == [("INC1", "QX4"), ("INC2", "QX1"), ("INC3", None)]


def test_cp1252_and_a_byte_order_mark_are_read_and_names_link_across_encodings(con, tmp_path):
    deliver(tmp_path, "police_incidents", "cp1252.csv", police_csv(encoding="cp1252"))
    deliver(tmp_path, "police_incidents", "bom.csv", b"\xef\xbb\xbf" + police_csv()[:-1] + b"9\n")
    outcomes = ingest(con, tmp_path, police_format()).outcomes
    assert [o.status for o in outcomes] == ["loaded", "loaded"]
    forenames = fetch(
        con,
        "select distinct child_forename from raw.police_incidents where incident_ref = 'INC1'",
    )
    assert len(forenames) == 1, "Renée in cp1252 and in UTF-8 must get the same pseudonym"
    assert ("Not UTF-8: read as Windows-1252/Latin-1.",) in fetch(
        con, "select message from raw.schema_findings"
    )


def test_a_ragged_row_is_rejected_with_its_line_and_the_rest_load(con, tmp_path):
    rows = [POLICE_ROWS[0], "37,938,INC9,05/04/2020,other", POLICE_ROWS[1], POLICE_ROWS[2]]
    deliver(tmp_path, "police_incidents", "ragged.csv", police_csv(rows))
    report = ingest(con, tmp_path, police_format())
    assert (report.rows_loaded, report.rows_rejected) == (3, 1)
    [(line, reason, fix)] = fetch(con, "select line, reason, fix from raw.rejected_rows")
    assert line == 3 and reason.startswith("missing columns") and "ragged.csv" in fix
    assert fetch(con, "select _record_line from raw.police_incidents order by 1") == [
        (2,),
        (4,),
        (5,),
    ]


def test_renamed_extra_and_missing_optional_columns_load_with_findings(con, tmp_path):
    header = POLICE_HEADER.replace("CHILD_FORENAME", "Child Forename").replace(
        ",RECORDED_AT", ",OFFICER"
    )
    deliver(tmp_path, "police_incidents", "drifted.csv", police_csv(header=header))
    [outcome] = ingest(con, tmp_path, police_format()).outcomes
    assert outcome.status == "loaded"
    messages = {m for (m,) in fetch(con, "select message from raw.schema_findings")}
    assert "Column 'Child Forename' read as 'CHILD_FORENAME'." in messages
    assert (
        "Header cell 12 names no column of data/reference/sources/police_incidents.yaml: "
        "its column is not loaded." in messages
    )
    assert "Optional column 'RECORDED_AT' is missing: loaded as blank." in messages


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (police_csv(rows=[]), "has a header but no rows"),
        (police_csv(header=POLICE_HEADER.replace("INCIDENT_DATE", "WHEN")), "INCIDENT_DATE"),
        (police_csv(rows=["37,938,INC1,soon,other,0,N,,,,,"]), "no readable date"),
        (b"\n\n", "no header row"),
    ],
    ids=["empty", "header-only", "missing-required", "no-dates", "blank-header"],
)
def test_broken_extracts_fail_whole_naming_file_and_fix(con, tmp_path, content, expected):
    deliver(tmp_path, "police_incidents", "bad.csv", content)
    [outcome] = ingest(con, tmp_path, police_format()).outcomes
    assert outcome.status == "failed"
    assert expected in outcome.error and "bad.csv" in outcome.error and "Fix:" in outcome.error


def test_xlsx_extracts_read_like_csv(con, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(POLICE_HEADER.split(","))
    for row in POLICE_ROWS:
        sheet.append(row.split(","))
    (tmp_path / "police_incidents").mkdir()
    workbook.save(tmp_path / "police_incidents" / "april.xlsx")
    [outcome] = ingest(con, tmp_path, police_format()).outcomes
    assert (outcome.status, outcome.rows_loaded) == ("loaded", 3)
    assert fetch(con, "select collection_period from raw.file_manifest") == [("2020-04..2020-04",)]


def test_a_redelivered_month_replaces_the_first_delivery(con, tmp_path):
    deliver(tmp_path, "police_incidents", "april.csv", police_csv())
    ingest(con, tmp_path, police_format())
    (tmp_path / "police_incidents" / "april.csv").unlink()
    corrected = [*POLICE_ROWS[:2], POLICE_ROWS[2].replace("antisocial_behaviour", "other")]
    deliver(tmp_path, "police_incidents", "april_v2.csv", police_csv(corrected))
    ingest(con, tmp_path, police_format())
    assert fetch(con, "select incident_type from raw.police_incidents order by 1") == [
        ("domestic_abuse",),
        ("missing_child",),
        ("other",),
    ]
    assert sorted(fetch(con, "select status from raw.file_manifest")) == [
        ("loaded",),
        ("superseded",),
    ]


def ssda903_return(landing, folder="938/2020"):
    target = landing / "ssda903" / folder
    target.mkdir(parents=True)
    shutil.copy(SAMPLES / "SSDA903_2020_header.csv", target / "header.csv")
    shutil.copy(SAMPLES / "SSDA903_2020_episodes.csv", target / "episodes.csv")


def test_ssda903_tables_are_recognised_by_columns_with_year_and_area(con, tmp_path):
    ssda903_return(tmp_path)
    outcomes = ingest(con, tmp_path, Ssda903Format()).outcomes
    assert [(o.status, o.rows_loaded) for o in outcomes] == [("loaded", 5), ("loaded", 5)]
    assert sorted(fetch(con, "select part, area, collection_period from raw.file_manifest")) == [
        ("episodes", "938", "2020"),
        ("header", "938", "2020"),
    ]
    assert fetch(con, "select decom, home_post_district from raw.ssda903_episodes limit 1") == [
        ("11/12/2018", "Y8")
    ]
    assert "689661" not in str(fetch(con, "select * from raw.ssda903_header"))


def test_ssda903_episode_year_comes_from_dates_when_the_path_names_none(con, tmp_path):
    ssda903_return(tmp_path, folder="938/misfiled")
    (tmp_path / "ssda903" / "938" / "misfiled" / "header.csv").unlink()
    ingest(con, tmp_path, Ssda903Format())
    assert fetch(con, "select collection_period from raw.file_manifest") == [("2020",)]


def test_ssda903_without_an_authority_folder_says_where_to_put_it(con, tmp_path):
    ssda903_return(tmp_path, folder="2020")
    outcomes = ingest(con, tmp_path, Ssda903Format()).outcomes
    assert {o.status for o in outcomes} == {"failed"}
    assert "data/landing/ssda903/938/" in outcomes[0].error


def test_an_unknown_table_in_the_ssda903_folder_is_refused(con, tmp_path):
    deliver(tmp_path / "ssda903", "938", "notes.csv", b"CHILD,NOTE\n1,x\n")
    [outcome] = ingest(con, tmp_path, Ssda903Format()).outcomes
    assert outcome.status == "failed" and "not an SSDA903 table" in outcome.error


def test_impossible_dates_invalid_codes_and_blanks_load_as_findings_with_lines(con, tmp_path):
    rows = [
        "37,938,INC1,31/02/2020,domestic_abuse,2,Y,Ann,Lee,32/13/2012,QX4 1AB,",
        "37,938,,03/04/2020,burglary,two,maybe,Ann,Lee,07/03/2012,QX4 1AB,yesterday",
        "37,938,INC3,28/04/2020,antisocial_behaviour,0,N,,,,,",
    ]
    deliver(tmp_path, "police_incidents", "messy.csv", police_csv(rows))
    [outcome] = ingest(con, tmp_path, police_format()).outcomes
    assert (outcome.status, outcome.rows_loaded) == ("loaded", 3)
    findings = {
        (element, rule): (line, message)
        for line, element, rule, message in fetch(
            con, "select line, element, rule, message from raw.schema_findings"
        )
    }
    assert set(findings) == {
        ("incident_date", "date"),
        ("child_dob", "date"),
        ("incident_ref", "required"),
        ("incident_type", "code"),
        ("children_present", "integer"),
        ("notified_to_csc", "flag"),
        ("recorded_at", "datetime"),
    }
    assert findings[("incident_type", "code")][0] == 3
    assert "(expected one of antisocial_behaviour, " in findings[("incident_type", "code")][1]
    assert "burglary" not in str(findings), "no value is quoted, not even a code"
    assert "32/13/2012" not in str(findings), "values of identifier columns are never quoted"


def test_a_file_with_mostly_unreadable_rows_is_rejected_whole(con, tmp_path):
    rows = [POLICE_ROWS[0], *["37;938;INC;01/04/2020;other"] * 3]
    deliver(tmp_path, "police_incidents", "semicolons.csv", police_csv(rows))
    [outcome] = ingest(con, tmp_path, police_format()).outcomes
    assert outcome.status == "failed"
    assert "3 of 4 rows of semicolons.csv could not be read" in outcome.error
    assert fetch(con, "select count(*) from raw.police_incidents") == [(0,)]
    assert fetch(con, "select count(*) from raw.rejected_rows") == [(0,)]


def test_ssda903_codes_are_checked_against_the_specification_of_the_year(con, tmp_path):
    ssda903_return(tmp_path)
    ingest(con, tmp_path, Ssda903Format())
    findings = fetch(con, "select element, rule, line from raw.schema_findings order by line")
    assert ("rne", "code", 6) in findings
    assert ("ls", "required", 3) in findings


def test_ingesting_twice_leaves_identical_tables(con, tmp_path):
    deliver(tmp_path, "police_incidents", "april.csv", police_csv())
    ingest(con, tmp_path, police_format())
    snapshot = "select * exclude (_loaded_at) from raw.police_incidents order by _record_line"
    first = fetch(con, snapshot)
    assert [o.status for o in ingest(con, tmp_path, police_format()).outcomes] == ["unchanged"]
    assert fetch(con, snapshot) == first


def test_a_file_in_a_folder_no_source_reads_is_recorded_with_where_it_belongs(con, tmp_path):
    from orchestration.ingest.formats.unrecognised import UnrecognisedFormat

    deliver(tmp_path, "police_incidents", "april.csv", police_csv())
    deliver(tmp_path, "misc", "minutes.pdf", b"%PDF-1.4")
    fmt = UnrecognisedFormat(["police_incidents", "ssda903"])
    mark_synthetic(tmp_path)
    report = Ingestor(fmt, con, load_pseudonymiser(tmp_path), tmp_path).ingest(
        tmp_path, skip_folders=fmt.sources
    )
    [outcome] = report.outcomes
    assert outcome.file_path == "misc/minutes.pdf" and outcome.status == "failed"
    assert "data/landing/<source>/ for one of police_incidents, ssda903" in outcome.error
