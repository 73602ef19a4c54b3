"""The SSD's placements, legal statuses and immigration statuses (ssd_cla_placement,
ssd_legal_status, ssd_immigration_status): recognised by their header, dated so that a
placement, legal status or immigration status still open at the extract places it at the
extract's last complete month rather than at its old start, person ids pseudonymised as the
SSDA903 return's CHILD of the same child (clap_person_id too, whose foreign key the
specification leaves out), the placement's postcode kept only as its pseudonym and district,
as the return's PL_POST, and a required field left blank a finding."""

import csv
from pathlib import Path

from orchestration.ingest.formats.ssda903 import Ssda903Format
from tests.ingest.ssd_extracts import (
    CHILD_ID,
    DAY,
    EPISODES_HEADER,
    OTHER_ID,
    findings,
    ingest,
    manifest,
    write,
    write_ssda903_2021,
)

POSTCODE, OTHER_POSTCODE = "QX7 3ZT", "QX12 9AB"


def placement(placement_id: str, start: str, end: str, person: str = CHILD_ID) -> dict:
    return {
        "clap_cla_placement_id": placement_id,
        "clap_cla_placement_start_date": start,
        "clap_cla_placement_type": "U1",
        "clap_cla_placement_urn": "SC123456",
        "clap_cla_placement_distance": "",
        "clap_cla_id": "CL1",
        "clap_cla_placement_provider": "PR1",
        "clap_cla_placement_postcode": POSTCODE,
        "clap_cla_placement_end_date": end,
        "clap_cla_placement_change_reason": "CARPL" if end else "",
        "clap_person_id": person,
    }


def legal_status(status_id: str, start: str, end: str, person: str = CHILD_ID) -> dict:
    return {
        "lega_legal_status_id": status_id,
        "lega_person_id": person,
        "lega_legal_status": "C2",
        "lega_legal_status_start_date": start,
        "lega_legal_status_end_date": end,
    }


def immigration_status(status_id: str, start: str, end: str, person: str = CHILD_ID) -> dict:
    return {
        "immi_person_id": person,
        "immi_immigration_status_id": status_id,
        "immi_immigration_status": "UASC",
        "immi_immigration_status_start_date": start,
        "immi_immigration_status_end_date": end,
    }


def warehouse_text(con) -> str:
    """Every value of every table of the warehouse, as text."""
    tables = con.execute("select table_schema, table_name from information_schema.tables")
    return "\n".join(
        str(con.execute(f'select * from "{schema}"."{name}"').fetchall())
        for schema, name in tables.fetchall()
    )


def test_each_object_is_recognised_and_an_open_record_dates_the_last_complete_month(con, tmp_path):
    # Each object: one record begun years before the extract and still open, and one that
    # ended in the extract's year. Dated by its old start the open one would stretch the
    # period back to 2017 or 2018; it is dated at 2021-03, the month before the extract's day.
    # An immigration status ending after the extract's day is open too, not dated in 2023
    # (beyond the extract, where it would place nothing).
    places = [
        placement("PL1", "2018-06-01", ""),
        placement("PL2", "2020-05-01", "2020-10-15 00:00:00.000"),
    ]
    write(tmp_path, f"ssd_cla_placement_{DAY}.csv", places)
    statuses = [
        legal_status("LS1", "2018-06-01", ""),
        legal_status("LS2", "2019-12-01", "01/11/2020"),
    ]
    write(tmp_path, f"ssd_legal_status_{DAY}.csv", statuses)
    uasc = [
        # ends the day the child turns 18, known from the start: still to come, so open
        immigration_status("IM1", "2017-09-04", "2023-05-04"),
        immigration_status("IM2", "2019-02-01", "2020-12-24", OTHER_ID),
    ]
    write(tmp_path, f"ssd_immigration_status_{DAY}.csv", uasc)
    outcomes = ingest(con, tmp_path).outcomes
    assert [(o.status, o.error, o.findings) for o in outcomes] == [("loaded", None, 0)] * 3
    assert manifest(con) == [
        ("ssd_cla_placement", "938", "2020-10..2021-03"),
        ("ssd_immigration_status", "938", "2020-12..2021-03"),
        ("ssd_legal_status", "938", "2020-11..2021-03"),
    ]
    ended = con.execute(
        "select clap_cla_placement_end_date from raw.ssd_cla_placement order by 1 nulls first"
    ).fetchall()
    assert ended == [(None,), ("2020-10-15 00:00:00",)]
    [(ls_end,)] = con.execute(
        "select lega_legal_status_end_date from raw.ssd_legal_status where lega_legal_status_id"
        " = 'LS2'"
    ).fetchall()
    assert ls_end == "2020-11-01"
    kept = con.execute(
        "select clap_cla_placement_id, clap_cla_id, clap_cla_placement_urn,"
        " clap_cla_placement_type from raw.ssd_cla_placement order by 1"
    ).fetchall()
    # the case system's ids and the URN (a provider's, not a person's) stay as delivered
    assert kept == [("PL1", "CL1", "SC123456", "U1"), ("PL2", "CL1", "SC123456", "U1")]


def test_person_ids_are_the_return_s_pseudonyms_and_the_postcode_is_never_kept(con, tmp_path):
    # The same child in the SSDA903 return's Episodes and UASC tables and in the SSD's three
    # objects: one pseudonym for all; another child a pseudonym of their own. The placement's
    # postcode is kept as the return's PL_POST is: its pseudonym and its district.
    write_ssda903_2021(
        tmp_path,
        episodes=[EPISODES_HEADER, f"{CHILD_ID},01/06/2020,S,V2,N8,U6,PR1,,,,,{POSTCODE},XXXXXXX"],
        uasc=["CHILD,SEX,DOB,DUC", f"{CHILD_ID},1,04/05/2004,04/05/2022"],
    )
    places = [
        placement("PL1", "2020-06-01", ""),
        {**placement("PL2", "2020-07-01", "", OTHER_ID), "clap_cla_placement_postcode": ""},
        {**placement("PL3", "2020-08-01", ""), "clap_cla_placement_postcode": OTHER_POSTCODE},
    ]
    write(tmp_path, f"ssd_cla_placement_{DAY}.csv", places)
    write(tmp_path, f"ssd_legal_status_{DAY}.csv", [legal_status("LS1", "2020-06-01", "")])
    uasc = [immigration_status("IM1", "2020-06-01", "")]
    write(tmp_path, f"ssd_immigration_status_{DAY}.csv", uasc)
    ingest(con, tmp_path, Ssda903Format())
    ingest(con, tmp_path)
    [(child, returned_postcode, district)] = con.execute(
        "select child, pl_post, pl_post_district from raw.ssda903_episodes"
    ).fetchall()
    [(uasc_child,)] = con.execute("select child from raw.ssda903_uasc").fetchall()
    assert child == uasc_child and child != CHILD_ID and district == "QX7"
    placed = con.execute(
        "select clap_cla_placement_id, clap_person_id, clap_cla_placement_postcode,"
        " clap_cla_placement_postcode_district from raw.ssd_cla_placement order by 1"
    ).fetchall()
    assert placed[0] == ("PL1", child, returned_postcode, "QX7")
    other = placed[1][1]
    assert other not in (child, OTHER_ID, None) and len(other) == len(child)
    assert placed[1][2:] == (None, None)  # no postcode given: nothing to keep
    assert placed[2][0::3] == ("PL3", "QX12") and placed[2][1] == child
    assert placed[2][2] not in (returned_postcode, OTHER_POSTCODE, None)
    for table, person in (("ssd_legal_status", "lega"), ("ssd_immigration_status", "immi")):
        [(pseudonym,)] = con.execute(f"select {person}_person_id from raw.{table}").fetchall()
        assert pseudonym == child, table
    text = warehouse_text(con)
    for clear in (CHILD_ID, OTHER_ID, POSTCODE, OTHER_POSTCODE, "7 3ZT", "QX73ZT", "12 9AB"):
        assert clear not in text, clear


def test_a_required_field_left_blank_and_a_postcode_that_is_none_are_findings(con, tmp_path):
    # clap_cla_placement_id and lega_person_id are required (immi_ has no required field but
    # its key, whose blank is the same finding); a placement's postcode that is no postcode
    # is dropped and reported without being quoted.
    places = [
        placement("PL1", "2020-06-01", ""),
        placement("", "2020-07-01", ""),
        {**placement("PL3", "2020-08-01", ""), "clap_cla_placement_postcode": "QZXFLAT 4"},
    ]
    write(tmp_path, f"ssd_cla_placement_{DAY}.csv", places)
    statuses = [legal_status("LS1", "2020-06-01", ""), legal_status("LS2", "2020-07-01", "", "")]
    write(tmp_path, f"ssd_legal_status_{DAY}.csv", statuses)
    outcomes = ingest(con, tmp_path).outcomes
    assert sorted((o.file_path, o.status, o.rows_loaded) for o in outcomes) == [
        (f"ssd/938/ssd_cla_placement_{DAY}.csv", "loaded", 3),
        (f"ssd/938/ssd_legal_status_{DAY}.csv", "loaded", 2),
    ]
    required = [(element, line) for element, line, _ in findings(con, "required")]
    assert sorted(required) == [("clap_cla_placement_id", 3), ("lega_person_id", 3)]
    [(element, line, message)] = findings(con, "postcode_district")
    assert (element, line) == ("clap_cla_placement_postcode", 4)
    text = warehouse_text(con)
    assert "QZXFLAT" not in text and CHILD_ID not in text


def test_the_generated_county_s_extracts_load_clean_as_the_returns_of_the_same_year(
    clean_county,
):
    run, con, outcomes = clean_county.run, clean_county.con, clean_county.ssd_outcomes
    names = ("_cla_placement_", "_legal_status_", "_immigration_status_")
    ours = [o for o in outcomes if any(n in o.file_path for n in names)]
    # two extracts of each (an unaccompanied asylum-seeking child in care in both years)
    assert sorted(Path(o.file_path).name for o in ours) == sorted(
        f"938_ssd_{name}_{made}.csv"
        for name in ("cla_placement", "legal_status", "immigration_status")
        for made in ("2020-04-01", "2021-04-01")
    )
    assert {(o.status, o.findings) for o in ours} == {("loaded", 0)}
    periods = con.execute(
        "select part, collection_period from raw.file_manifest"
        " where part in ('ssd_cla_placement', 'ssd_legal_status') order by all"
    ).fetchall()
    # an open placement or legal status is dated at the extract's March: each extract covers
    # its own collection year, not the years its records began in
    for name, period in periods:
        first, last = period.split("..")
        assert last[5:] == "03" and first == f"{int(last[:4]) - 1}-04", (name, period)
    # every placement begun in the year's episodes: the same child's pseudonym and the
    # same postcode pseudonym and district as the return's episode that began it
    joined = con.execute(
        "select count(*), count(*) filter (where p.clap_cla_placement_postcode = e.pl_post"
        " and p.clap_cla_placement_postcode_district = e.pl_post_district)"
        " from raw.ssd_cla_placement p join raw.ssda903_episodes e"
        " on p.clap_person_id = e.child and e.rne in ('S', 'P', 'B', 'T', 'U')"
        " and strptime(e.decom, '%d/%m/%Y') = p.clap_cla_placement_start_date::timestamp"
        " and p._source_file like '%' || e._collection_period || '-04-01%'"
    ).fetchone()
    assert joined[0] == joined[1] > 30
    for table, person in (("ssd_legal_status", "lega"), ("ssd_immigration_status", "immi")):
        ids = {p for (p,) in con.execute(f"select {person}_person_id from raw.{table}").fetchall()}
        children = {c for (c,) in con.execute("select child from raw.ssda903_episodes").fetchall()}
        assert ids and ids <= children, table
    # no placement's postcode as delivered is anywhere in the warehouse
    delivered = {
        postcode
        for path in (run.out_dir / "ssd").glob("*_ssd_cla_placement_*.csv")
        for postcode in csv_column(path, "clap_cla_placement_postcode")
        if postcode
    }
    text = warehouse_text(con)
    assert len(delivered) > 30 and not [p for p in delivered if p in text]


def csv_column(path: Path, column: str) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [row[column] for row in csv.DictReader(handle)]
