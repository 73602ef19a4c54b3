"""The school census as schools' systems export it: each table recognised by its columns in
the layout of its term and year, the term and year from the path, identifiers
pseudonymised, names never read and addresses reduced to the postcode district; bad files
rejected, and bad values found, with the file, line and fix and never a traceback."""

import pytest

from orchestration.ingest.formats import school_census_layout as layout
from orchestration.ingest.formats.school_census_export import SchoolCensusExportFormat
from orchestration.ingest.loader import Ingestor
from orchestration.privacy.keys import mark_synthetic
from orchestration.privacy.pseudonymise import load_pseudonymiser
from synthetic.writers.school_census_export import write_table, write_term

SOURCE = "school_census_export"
STREET, TOWN, SURNAME = "QZXLANE", "QZXTOWN", "QZXSURNAME"
PUPILS = [
    {
        "upn": "A12345678901B", "dob": "2012-03-14", "sex": "F", "ncyear": "7",
        "postcode": "QX1 1AB", "street": STREET, "town": TOWN, "surname": SURNAME,
        "possible": 120, "authorised": 6, "unauthorised": 4, "suspensions": 1,
        "permanent": False,
    },
    {
        "upn": "A12345678902B", "dob": "2011-Nov-02 00:00:00", "sex": "M", "ncyear": "8",
        "postcode": "QX2 9ZZ", "street": STREET, "town": TOWN, "surname": SURNAME,
        "possible": 118, "authorised": 0, "unauthorised": 20, "suspensions": 0,
        "permanent": True,
    },
]  # fmt: skip


def ingest(con, landing):
    mark_synthetic(landing)
    ingestor = Ingestor(SchoolCensusExportFormat(), con, load_pseudonymiser(landing), landing)
    return ingestor.ingest(landing / SOURCE)


def deliver(landing, year: int, term: str) -> None:
    write_term(landing / SOURCE / "938" / str(year) / term, year, term, "938", "100001", PUPILS)


@pytest.mark.parametrize(("year", "term"), [(2018, "autumn"), (2025, "spring")])
def test_a_term_s_tables_load_recognised_by_their_columns(con, tmp_path, year, term):
    deliver(tmp_path, year, term)
    outcomes = ingest(con, tmp_path).outcomes
    assert [(o.status, o.error) for o in outcomes] == [("loaded", None)] * 5
    parts = con.execute(
        "select distinct area, collection_period, part from raw.file_manifest order by part"
    ).fetchall()
    address = "addressesonroll" if term == "autumn" else "addresses"
    assert parts == [
        ("938", "2017-09..2017-12" if year == 2018 else "2025-01..2025-03", name)
        for name in sorted(
            [address, "pupilonroll", "schoolcensus", "termlyexclusionsonroll",
             "termlysessiondetailsonroll"]
        )
    ]  # fmt: skip
    # Dates as the systems export them (2011-Nov-02 00:00:00) load as yyyy-mm-dd, so the
    # pseudonym and birth month are those of the same date in any other source.
    pseudonymiser = load_pseudonymiser(tmp_path)
    births = ["2012-03-14", "2011-11-02"]
    pupils = con.execute(
        "select upn, dob, dob_month, termlysessionspossible"
        f" from raw.{SOURCE}_pupilonroll order by _record_line"
    ).fetchall()
    assert pupils == [
        (
            pseudonymiser.pseudonymise("upn", p["upn"]),
            pseudonymiser.pseudonymise("date_of_birth", birth),
            birth[:7],
            str(p["possible"]),
        )
        for p, birth in zip(PUPILS, births, strict=True)
    ]
    districts = con.execute(
        f"select postcode_district from raw.{SOURCE}_{address} order by _record_line"
    ).fetchall()
    assert districts == [("QX1",), ("QX2",)]
    exclusions = con.execute(
        f"select category from raw.{SOURCE}_termlyexclusionsonroll order by _record_line"
    ).fetchall()
    assert exclusions == [("FIXD" if year < 2020 else "SUSP",), ("PERM",)]
    findings = con.execute("select rule, message from raw.schema_findings").fetchall()
    assert [f for f in findings if f[0] != "header"] == []


def test_no_name_or_address_part_but_the_district_reaches_the_warehouse(con, tmp_path):
    deliver(tmp_path, 2018, "autumn")
    deliver(tmp_path, 2025, "spring")
    ingest(con, tmp_path)
    tables = [t for (t,) in con.execute("select table_name from duckdb_tables()").fetchall()]
    for table in tables:
        text = str(con.execute(f"select * from raw.{table}").fetchall())
        for written in (STREET, TOWN, SURNAME, "QX1 1AB", "A12345678901B"):
            assert written not in text, (table, written)


def test_the_term_and_year_may_come_from_the_file_name(con, tmp_path):
    written = write_term(tmp_path / "flat", 2021, "spring", "938", "100001", PUPILS)
    for path in written:
        target = tmp_path / SOURCE / "938" / f"938_spring_2021_{path.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        path.rename(target)
    outcomes = ingest(con, tmp_path).outcomes
    assert {o.status for o in outcomes} == {"loaded"}
    periods = con.execute("select distinct collection_period from raw.file_manifest").fetchall()
    assert periods == [("2021-01..2021-03",)]


def rejected(con, tmp_path) -> list[str]:
    outcomes = ingest(con, tmp_path).outcomes
    return [o.error for o in outcomes if o.status != "loaded"]


def test_a_file_without_term_or_year_is_rejected_with_the_fix(con, tmp_path):
    write_term(tmp_path / SOURCE / "938" / "2021", 2021, "spring", "938", "1", PUPILS[:1])
    errors = rejected(con, tmp_path)
    assert len(errors) == 5
    assert all("name no term" in e and "938/2021/spring/pupilonroll.csv" in e for e in errors)


def test_a_missing_column_rejects_the_file_naming_the_closest_table(con, tmp_path):
    folder = tmp_path / SOURCE / "938" / "2025" / "spring"
    [_, pupils, *_] = write_term(folder, 2025, "spring", "938", "1", PUPILS)
    lines = pupils.read_text().splitlines()
    header = lines[0].split(",")
    drop = header.index("termlysessionspossible")
    cut = [",".join(c for i, c in enumerate(line.split(",")) if i != drop) for line in lines]
    pupils.write_text("\n".join(cut) + "\n")
    [error] = rejected(con, tmp_path)
    assert "pupilonroll.csv is no spring 2025 school census table" in error
    assert "the closest, pupilonroll, lacks termlysessionspossible" in error
    assert "Fix:" in error and "A1234" not in error


def test_a_file_with_no_census_header_is_rejected(con, tmp_path):
    write_table(tmp_path / SOURCE / "938/2025/spring/other.csv", ["a", "b"], [["1", "2"]])
    [error] = rejected(con, tmp_path)
    assert "other.csv" in error and "Fix:" in error


def value_findings(con) -> dict[tuple[str, str], str]:
    found = con.execute(
        "select element, rule, message from raw.schema_findings where rule != 'header'"
    ).fetchall()
    return {(element, rule): message for element, rule, message in found}


def test_bad_values_are_findings_with_line_and_fix_never_quoted(con, tmp_path):
    folder = tmp_path / SOURCE / "938" / "2025" / "spring"
    bad = [
        {**PUPILS[0], "possible": "many"},  # wrong type
        {**PUPILS[1], "sex": "Jane Smith"},  # a name in a code column
        {**PUPILS[0], "postcode": "1 High Street, Town"},  # a full address as the postcode
        {**PUPILS[1], "dob": "2011-Feb-30 00:00:00"},  # no such day: never rolled into March
    ]
    [census, *_] = write_term(folder, 2025, "spring", "938", "1", bad)
    rows = census.read_text().splitlines()
    header = rows[0].split(",")
    cells = rows[1].split(",")
    cells[header.index("estab")] = ""  # a blank in a not-blank column
    census.write_text("\n".join([rows[0], ",".join(cells)]) + "\n")
    outcomes = ingest(con, tmp_path).outcomes
    assert {o.status for o in outcomes} == {"loaded"}
    findings = value_findings(con)
    assert "line(s) 2" in findings[("termlysessionspossible", "integer")]
    assert "line(s) 3" in findings[("sex", "code")]
    assert "line(s) 2" in findings[("estab", "required")]
    assert "line(s) 4" in findings[("postcode", "postcode_district")]
    assert "line(s) 5" in findings[("dob", "date")]
    assert all("Fix:" in message for message in findings.values())
    assert not any(v in str(findings) for v in ("many", "Jane", "High Street"))


def test_a_census_table_no_indicator_reads_is_refused_unread(con, tmp_path):
    columns = list(layout.layout(2025, "autumn")["learningaimsonroll"])
    write_table(tmp_path / SOURCE / "938/2025/autumn/nat.csv", columns, [["x"] * len(columns)])
    [error] = rejected(con, tmp_path)
    assert "nat.csv is the school census learningaimsonroll table" in error
    assert "Fix: Leave it out" in error


def test_each_school_s_export_of_a_term_loads_beside_the_others(con, tmp_path):
    for school in ("2001", "2002"):
        folder = tmp_path / SOURCE / "938" / "2025" / "spring" / school
        pupils = [{**p, "upn": p["upn"][:-1] + school[-1]} for p in PUPILS]
        write_term(folder, 2025, "spring", "938", school, pupils)
    outcomes = ingest(con, tmp_path).outcomes
    assert [o.status for o in outcomes] == ["loaded"] * 10
    parts = con.execute("select part from raw.file_manifest where part like '%pupilonroll'")
    assert sorted(parts.fetchall()) == [("2001/pupilonroll",), ("2002/pupilonroll",)]
    [(pupils,)] = con.execute(f"select count(*) from raw.{SOURCE}_pupilonroll").fetchall()
    assert pupils == 4
