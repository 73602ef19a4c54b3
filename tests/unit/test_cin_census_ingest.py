"""The CIN census format on the ingestion framework: the DfE sample, every schema variant,
and bad input (each with the file, the line and the fix)."""

import shutil

import pytest

from orchestration.ingest.formats.cin_census import CinCensusFormat
from orchestration.ingest.loader import Ingestor
from orchestration.privacy.keys import mark_synthetic
from orchestration.privacy.pseudonymise import load_pseudonymiser
from tests.cin_builder import Child, Episode, write_return
from tests.conftest import DFE_SAMPLE

SAMPLE_IDENTIFIERS = ("DfEX0000001", "A123456789123", "X98765432123B", "1966-03-24")


@pytest.fixture
def landing(tmp_path):
    (tmp_path / "cin_census").mkdir()
    mark_synthetic(tmp_path)
    return tmp_path


def ingest(con, landing):
    ingestor = Ingestor(CinCensusFormat(), con, load_pseudonymiser(landing), landing)
    return ingestor.ingest(landing / "cin_census")


def rows(con, sql):
    return con.execute(sql).fetchall()


def test_dfe_sample_is_split_into_relational_tables(con, landing):
    shutil.copy(DFE_SAMPLE, landing / "cin_census")
    report = ingest(con, landing)

    assert [(o.status, o.rows_loaded, o.rows_rejected) for o in report.outcomes] == [
        ("loaded", 1, 0)
    ]
    assert rows(con, "select area, collection_period, status from raw.file_manifest") == [
        ("201", "2022", "loaded")
    ]
    assert rows(
        con,
        "select cin_referral_date, referral_source, primary_need_code, referral_nfa,"
        " _record_line from raw.cin_details",
    ) == [("1970-10-06", "1A", "N4", "false", 36)]
    assert rows(con, "select person_birth_date_month, gender_current from raw.cin_child") == [
        ("1966-03", "1")
    ]
    assert sorted(rows(con, "select disability from raw.cin_disability")) == [("HAND",), ("HEAR",)]
    assert sorted(rows(con, "select assessment_factor from raw.cin_assessment_factor")) == [
        ("2A",),
        ("2B",),
    ]
    assert rows(con, "select icpc_not_required from raw.cin_section47") == [("false",)]
    assert rows(
        con, "select initial_category_of_abuse, number_of_previous_cpp from raw.cin_cp_plan"
    ) == [("PHY", "10")]
    assert rows(con, "select cpp_review_date from raw.cin_cp_plan_review") == [("1971-02-15",)]
    # true/false yes-no fields are accepted as 0/1: the sample is otherwise schema-valid.
    assert rows(con, "select count(*) from raw.schema_findings") == [(0,)]


def test_generated_keys_link_every_level(con, landing):
    shutil.copy(DFE_SAMPLE, landing / "cin_census")
    ingest(con, landing)
    orphans = rows(
        con,
        """
        select count(*) from raw.cin_cp_plan_review r
        left join raw.cin_cp_plan p using (cp_plan_key)
        left join raw.cin_details d using (cin_details_key)
        left join raw.cin_child c using (child_key)
        where c.child_key is null
        """,
    )
    assert orphans == [(0,)]


def test_no_raw_identifier_reaches_any_table(con, landing):
    shutil.copy(DFE_SAMPLE, landing / "cin_census")
    ingest(con, landing)
    tables = [t for (t,) in rows(con, "select table_name from duckdb_tables()")]
    for table in tables:
        dump = str(rows(con, f"select * from raw.{table}"))
        for identifier in SAMPLE_IDENTIFIERS:
            assert identifier not in dump, (table, identifier)


def test_the_sex_element_of_2025_on_is_read_and_validated(con, landing):
    write_return(landing, 2025, [Child("LA1", sex="F", episodes=[Episode("2024-06-02")])])
    ingest(con, landing)
    assert rows(con, "select sex, gender_current from raw.cin_child") == [("F", None)]
    assert rows(con, "select count(*) from raw.schema_findings") == [(0,)]


def test_an_unchanged_file_is_skipped_and_a_redelivery_replaces_its_predecessor(con, landing):
    first = write_return(landing, 2020, [Child("LA1", episodes=[Episode("2019-06-02")])])
    ingest(con, landing)
    assert [o.status for o in ingest(con, landing).outcomes] == ["unchanged"]

    first.unlink()
    write_return(
        landing,
        2020,
        [
            Child("LA1", episodes=[Episode("2019-06-02")]),
            Child("LA2", episodes=[Episode("2019-07-01")]),
        ],
        name="cin_2020_resubmitted.xml",
    )
    ingest(con, landing)
    assert rows(con, "select count(*) from raw.cin_details") == [(2,)]
    assert sorted(rows(con, "select file_path, status from raw.file_manifest")) == [
        ("cin_census/cin_2020.xml", "superseded"),
        ("cin_census/cin_2020_resubmitted.xml", "loaded"),
    ]


def test_the_same_file_under_another_name_is_recorded_as_a_duplicate(con, landing):
    path = write_return(landing, 2020, [Child("LA1", episodes=[Episode("2019-06-02")])])
    ingest(con, landing)
    shutil.copy(path, landing / "cin_census" / "copy_of_cin_2020.xml")
    outcomes = {o.file_path: o.status for o in ingest(con, landing).outcomes}
    assert outcomes["cin_census/copy_of_cin_2020.xml"] == "duplicate"
    assert rows(con, "select count(*) from raw.cin_details") == [(1,)]


def test_a_child_without_la_child_id_is_rejected_with_its_line(con, landing):
    write_return(
        landing,
        2021,
        [
            Child("LA1", episodes=[Episode("2020-05-01")]),
            Child(None, episodes=[Episode("2020-06-01")]),
        ],
    )
    report = ingest(con, landing)
    assert (report.rows_loaded, report.rows_rejected) == (1, 1)
    [(line, element, reason, fix)] = rows(
        con, "select line, element, reason, fix from raw.rejected_rows"
    )
    assert (line, element) == (10, "Child")  # the second child opens on line 10
    assert "LAchildID" in reason and "re-export" in fix


def test_invalid_codes_load_and_become_findings_with_line_and_redacted_identifiers(con, landing):
    write_return(
        landing,
        2021,
        [Child("LA1", upn="BADUPN999", episodes=[Episode("2020-05-01", source="ZZ")])],
    )
    report = ingest(con, landing)
    assert report.rows_loaded == 1
    findings = rows(con, "select line, element, message from raw.schema_findings order by line")
    assert [(line, element) for line, element, _ in findings] == [(6, "UPN"), (8, "ReferralSource")]
    assert "BADUPN999" not in str(findings)
    assert "'ZZ'" not in findings[1][2] and "'2A'" in findings[1][2]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "not well-formed XML"),
        (b"CHILD,UPN\n1,A1\n", "not well-formed XML"),
        (b"<Return><Header/></Return>", "root element is not <Message>"),
        (b"<Message><Children></Children></Message>", "has no <Header>"),
        (
            b"<Message><Header><CollectionDetails><Collection>CIN</Collection>"
            b"</CollectionDetails></Header><Children/></Message>",
            "no collection year",
        ),
        (
            b"<Message><Header><CollectionDetails><Year>2021</Year></CollectionDetails>"
            b"<Source><LEA>9</LEA></Source></Header><Children/></Message>",
            "three-digit LA code",
        ),
        (
            b"<?xml version='1.0' encoding='UTF-8'?><Message><Header><CollectionDetails>"
            b"<Year>2021</Year></CollectionDetails><Source><LEA>938</LEA></Source></Header>"
            b"<Children><Child><Name>Ren\xe9e</Name></Child></Children></Message>",
            "invalid bytes",
        ),
        (
            b"<Message><Header><CollectionDetails><Year>2021</Year></CollectionDetails>"
            b"<Source><LEA>938</LEA></Source></Header><Children><Child>\n</Children></Message>",
            "not well-formed XML",
        ),
    ],
    ids=["empty", "csv", "wrong-root", "no-header", "no-year", "bad-la", "cp1252", "truncated"],
)
def test_broken_files_fail_whole_with_reason_and_fix_and_load_nothing(
    con, landing, content, expected
):
    (landing / "cin_census" / "broken.xml").write_bytes(content)
    [outcome] = ingest(con, landing).outcomes
    assert outcome.status == "failed"
    assert expected in outcome.error and "broken.xml" in outcome.error and "Fix:" in outcome.error
    assert "Ren" not in outcome.error
    assert rows(con, "select status, fix is not null from raw.file_manifest") == [("failed", True)]
    assert rows(con, "select count(*) from raw.cin_child") == [(0,)]


def test_files_in_underscore_folders_are_not_deliveries(con, landing):
    write_return(landing / "cin_census" / "_archive", 2020, [Child("LA1")])
    assert ingest(con, landing).outcomes == []
