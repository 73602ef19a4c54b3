"""The SSD's looked-after objects (ssd_cla_episodes, ssd_missing): recognised by their header,
dated so that an episode of care or a missing episode still open at the extract (restated
from years before) places it at the extract's last complete month rather than at its old
start, the specification's required fields and types as findings (miss_person_id is not
required, so a missing episode without one is loaded unreported), and person ids
pseudonymised as the SSDA903 return's CHILD and the CIN census's LAchildID of the same
child, the case system's record ids kept as delivered."""

from orchestration.ingest.formats.cin_census import CinCensusFormat
from orchestration.ingest.formats.ssda903 import Ssda903Format
from tests.cin_builder import Child, Episode, write_return
from tests.ingest.ssd_extracts import (
    CASE_NUMBER,
    CHILD_ID,
    DAY,
    EPISODES_HEADER,
    OTHER_ID,
    findings,
    ingest,
    manifest,
    raw_text,
    write,
    write_ssda903_2021,
)


def care(episode_id: str, start: str, ceased: str, person: str = CHILD_ID) -> dict:
    return {
        "CLAE_CLA_EPISODE_ID": episode_id,
        "Clae_Person_Id": person,
        "clae_cla_episode_start_date": start,
        "clae_cla_episode_start_reason": "S",
        "clae_cla_primary_need_code": "N1",
        "clae_cla_episode_ceased_date": ceased,
        "clae_cla_episode_ceased_reason": "X1" if ceased else "",
        "clae_cla_id": "CL1",
        "clae_entered_care_date": "2018-06-01",
    }


def missing(table_id: str, start: str, end: str, person: str = CHILD_ID) -> dict:
    return {
        "miss_table_id": table_id,
        "miss_person_id": person,
        "miss_missing_episode_start_date": start,
        "miss_missing_episode_type": "M",
        "miss_missing_episode_end_date": end,
    }


def test_each_object_is_recognised_and_an_open_record_dates_the_last_complete_month(con, tmp_path):
    # An episode of care begun in 2018 and still open, and one that ended in November 2020;
    # a child missing since February 2019 and still missing, and a missing episode of three
    # days in December 2020. Dated by its old start the open one would stretch the period
    # back to 2018 or 2019; it is dated at 2021-03, the month before the extract's day.
    episodes = [
        care("CE1", "2018-06-01", ""),
        care("CE2", "2020-05-01", "2020-11-15 00:00:00.000"),
    ]
    write(tmp_path, f"ssd_cla_episodes_{DAY}.csv", episodes)
    spells = [missing("MI1", "2019-02-10", ""), missing("MI2", "01/12/2020", "2020-12-03")]
    write(tmp_path, f"ssd_missing_{DAY}.csv", spells)
    outcomes = ingest(con, tmp_path).outcomes
    assert [(o.status, o.error) for o in outcomes] == [("loaded", None)] * 2
    assert manifest(con) == [
        ("ssd_cla_episodes", "938", "2020-11..2021-03"),
        ("ssd_missing", "938", "2020-12..2021-03"),
    ]
    # datetimes load as ISO, whatever form the warehouse exported
    ceased = con.execute(
        "select clae_cla_episode_ceased_date from raw.ssd_cla_episodes order by 1 nulls first"
    ).fetchall()
    assert ceased == [(None,), ("2020-11-15 00:00:00",)]
    starts = con.execute(
        "select miss_missing_episode_start_date from raw.ssd_missing order by miss_table_id"
    ).fetchall()
    assert starts == [("2019-02-10",), ("2020-12-01",)]


def test_only_open_records_are_dated_at_the_last_month(con, tmp_path):
    # Every episode ended: the period is the months of their ends, nothing open pulls it to
    # the extract's March. A ceased date that is no date is no open episode: dated by its
    # start (and reported); a record with neither date places nothing.
    episodes = [
        care("CE1", "2019-07-01", "2020-06-30"),
        care("CE2", "2020-06-30", "2020-09-14"),
        care("CE3", "2020-02-03", "QZXNOTADATE"),
        care("CE4", "", ""),
    ]
    write(tmp_path, f"ssd_cla_episodes_{DAY}.csv", episodes)
    spells = [missing("MI1", "2020-04-20", "2020-04-21"), missing("MI2", "2020-08-02", "")]
    write(tmp_path, "ssd_missing_2020-10-05.csv", spells)
    outcomes = ingest(con, tmp_path).outcomes
    assert [o.status for o in outcomes] == ["loaded", "loaded"]
    assert sorted(manifest(con)) == [
        ("ssd_cla_episodes", "938", "2020-02..2020-09"),
        # made on 5 October: the open one is dated at September
        ("ssd_missing", "938", "2020-04..2020-09"),
    ]
    [(element, line, message)] = findings(con, "datetime")
    assert (element, line) == ("clae_cla_episode_ceased_date", 4)
    assert message.startswith("1 value(s) of clae_cla_episode_ceased_date not a date")
    assert "QZXNOTADATE" not in message


def test_required_fields_and_types_are_findings_as_the_specification_reads_them(con, tmp_path):
    # clae_person_id is required, miss_person_id is not: a missing episode recorded without
    # its child is loaded and not reported as a missing required field.
    episodes = [
        care("CE1", "2020-05-10", ""),
        care("CE1", "2020-06-10", ""),
        care("CE2", "31/02/2021", "", person=""),
    ]
    episodes[2]["clae_cla_episode_start_reason"] = CASE_NUMBER  # planted: never quoted
    write(tmp_path, f"ssd_cla_episodes_{DAY}.csv", episodes)
    spells = [
        missing("MI1", "2020-11-03", "2020-11-04", person=""),
        missing("MI2", "2020-11-05", "2020-13-01"),
        missing("MI2", "2020-11-06", "", person="QZX" + "9" * 18),  # 21 characters
        missing("", "2020-11-07", ""),
    ]
    write(tmp_path, f"ssd_missing_{DAY}.csv", spells)
    outcomes = ingest(con, tmp_path).outcomes
    assert sorted((o.file_path, o.status, o.rows_loaded) for o in outcomes) == [
        (f"ssd/938/ssd_cla_episodes_{DAY}.csv", "loaded", 3),
        (f"ssd/938/ssd_missing_{DAY}.csv", "loaded", 4),
    ]
    required = [(element, line) for element, line, _ in findings(con, "required")]
    assert sorted(required) == [("clae_person_id", 4), ("miss_table_id", 5)]
    dates = [(element, line) for element, line, _ in findings(con, "datetime")]
    assert sorted(dates) == [
        ("clae_cla_episode_start_date", 4),
        ("miss_missing_episode_end_date", 3),
    ]
    keys = [(element, line) for element, line, _ in findings(con, "duplicate_key")]
    assert sorted(keys) == [("clae_cla_episode_id", 3), ("miss_table_id", 4)]
    [(element, line, message)] = findings(con, "length")
    assert (element, line) == ("miss_person_id", 4)
    assert "longer than the 20 characters" in message
    everything = str(con.execute("select * from raw.schema_findings").fetchall())
    assert CASE_NUMBER not in everything and CHILD_ID not in everything


def test_person_ids_are_the_returns_pseudonyms_and_record_ids_stay_as_delivered(con, tmp_path):
    # The same child in the CIN census, the SSDA903 return's Episodes and Missing tables and
    # the SSD: one pseudonym for all four; another child a pseudonym of their own.
    write_return(tmp_path, 2021, [Child(CHILD_ID, episodes=[Episode("2020-05-10")])])
    write_ssda903_2021(
        tmp_path,
        episodes=[EPISODES_HEADER, f"{CHILD_ID},01/06/2020,S,C2,N1,U1,PR1,,,,,,"],
        missing=[
            "CHILD,DOB,MISSING,MIS_START,MIS_END",
            f"{CHILD_ID},04/05/2006,M,02/09/2020,03/09/2020",
        ],
    )
    write(tmp_path, f"ssd_cla_episodes_{DAY}.csv", [care("CE1", "2020-06-01", "")])
    spells = [
        missing("MI1", "2020-09-02", "2020-09-03"),
        missing("MI2", "2020-10-01", "2020-10-01", OTHER_ID),
        missing("MI3", "2020-10-09", "", person=""),
    ]
    write(tmp_path, f"ssd_missing_{DAY}.csv", spells)
    ingest(con, tmp_path, CinCensusFormat())
    ingest(con, tmp_path, Ssda903Format())
    ingest(con, tmp_path)
    [(census,)] = con.execute("select la_child_id from raw.cin_child").fetchall()
    [(looked_after,)] = con.execute("select child from raw.ssda903_episodes").fetchall()
    [(went_missing,)] = con.execute("select child from raw.ssda903_missing").fetchall()
    assert census == looked_after == went_missing and census != CHILD_ID
    episodes = con.execute(
        "select clae_person_id, clae_cla_episode_id, clae_cla_id from raw.ssd_cla_episodes"
    ).fetchall()
    assert episodes == [(census, "CE1", "CL1")]
    spelled = con.execute(
        "select miss_table_id, miss_person_id from raw.ssd_missing order by 1"
    ).fetchall()
    assert [row[0] for row in spelled] == ["MI1", "MI2", "MI3"]
    assert spelled[0][1] == census
    other = spelled[1][1]
    assert other not in (census, OTHER_ID, None) and len(other) == len(census)
    assert spelled[2][1] in (None, "")  # a blank id stays blank, no pseudonym of ""
    text = raw_text(con)
    assert CHILD_ID not in text and OTHER_ID not in text


def test_the_generated_county_s_extracts_cover_their_year_and_match_the_returns(clean_county):
    con, outcomes = clean_county.con, clean_county.ssd_outcomes
    # (the placements, legal and immigration statuses: test_ssd_cla_placement.py)
    ours = [o for o in outcomes if any(n in o.file_path for n in ("_cla_episodes_", "_missing_"))]
    assert len(ours) == 4 and {o.status for o in ours} == {"loaded"}
    assert {o.findings for o in ours} == {0}
    periods = con.execute(
        "select part, collection_period from raw.file_manifest"
        " where part in ('ssd_cla_episodes', 'ssd_missing') order by all"
    ).fetchall()
    # every episode of care still open at the extract is dated at its March (most began
    # years before), so none pulls the extract back into the years its episode started in;
    # missing episodes begin in the year, and a quiet April may fall in the period's tail
    # (periods.bulk_months_sql): each extract covers its own collection year and no other
    assert periods[:2] == [
        ("ssd_cla_episodes", "2019-04..2020-03"),
        ("ssd_cla_episodes", "2020-04..2021-03"),
    ]
    missing_periods = [period for name, period in periods[2:] if name == "ssd_missing"]
    assert len(missing_periods) == 2
    for period, year in zip(missing_periods, (2020, 2021), strict=True):
        first, last = period.split("..")
        assert f"{year - 1}-04" <= first <= f"{year - 1}-06" and last == f"{year}-03"
    # the same children, by the same pseudonym, as the return of the same year
    for table, person, returned in [
        ("ssd_cla_episodes", "clae_person_id", "ssda903_episodes"),
        ("ssd_missing", "miss_person_id", "ssda903_missing"),
    ]:
        for made, year in (("2020-04-01", "2020"), ("2021-04-01", "2021")):
            ssd = con.execute(
                f"select {person}, count(*) from raw.{table} where _source_file like ?"
                " group by all order by all",
                [f"%{made}%"],
            ).fetchall()
            expected = con.execute(
                f"select child, count(*) from raw.{returned} where _collection_period = ?"
                " group by all order by all",
                [year],
            ).fetchall()
            assert ssd == expected and len(ssd) >= 5, (table, made)
