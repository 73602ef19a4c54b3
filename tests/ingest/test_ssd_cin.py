"""The SSD's children in need objects (ssd_cin_episodes, ssd_cin_assessments, ssd_s47_enquiry,
ssd_initial_cp_conference, ssd_cp_plans): recognised by their header, dated so that a
record still open at the extract (restated from years before) places it at the extract's
last complete month rather than at its old start, the specification's required fields and
types as findings, person ids pseudonymised as the CIN census's LAchildID of the same child
and the case system's record ids kept as delivered."""

from orchestration.ingest.formats.cin_census import CinCensusFormat
from tests.cin_builder import Child, Episode, write_return
from tests.ingest.ssd_extracts import (
    CASE_NUMBER,
    CHILD_ID,
    DAY,
    OTHER_ID,
    early_help,
    findings,
    ingest,
    manifest,
    raw_text,
    write,
)


def referral(referral_id: str, start: str, close: str, person: str = CHILD_ID) -> dict:
    return {
        "Cine_Referral_ID": referral_id,
        "CINE_PERSON_ID": person,
        "cine_referral_date": start,
        "cine_cin_primary_need_code": "N1",
        "cine_referral_source_code": "1A",
        "cine_referral_nfa": "N",
        "cine_close_reason": "RC1" if close else "",
        "cine_close_date": close,
    }


def assessment(assessment_id: str, start: str, auth: str, person: str = CHILD_ID) -> dict:
    return {
        "cina_assessment_id": assessment_id,
        "cina_person_id": person,
        "cina_referral_id": "R1",
        "cina_assessment_start_date": start,
        "cina_assessment_auth_date": auth,
    }


def enquiry(enquiry_id: str, start: str, end: str, person: str = CHILD_ID) -> dict:
    return {
        "s47e_s47_enquiry_id": enquiry_id,
        "s47e_referral_id": "R1",
        "s47e_person_id": person,
        "s47e_s47_start_date": start,
        "s47e_s47_end_date": end,
    }


def conference(icpc_id: str, held: str, plan_id: str, person: str = CHILD_ID) -> dict:
    return {
        "icpc_icpc_id": icpc_id,
        "icpc_s47_enquiry_id": "S1",
        "icpc_person_id": person,
        "icpc_cp_plan_id": plan_id,
        "icpc_referral_id": "R1",
        # A deadline after the extract was made dates nothing.
        "icpc_icpc_target_date": "2021-06-30",
        "icpc_icpc_date": held,
        "icpc_icpc_outcome_cp_flag": "Y" if plan_id else "N",
    }


def plan(plan_id: str, start: str, end: str, person: str = CHILD_ID) -> dict:
    return {
        "cppl_cp_plan_id": plan_id,
        "cppl_referral_id": "R1",
        "cppl_icpc_id": "I1",
        "cppl_person_id": person,
        "cppl_cp_plan_start_date": start,
        "cppl_cp_plan_end_date": end,
        "cppl_cp_plan_initial_category": "NEG",
        "cppl_cp_plan_latest_category": "NEG",
    }


def test_each_object_is_recognised_and_an_open_record_dates_the_last_complete_month(con, tmp_path):
    # Each object: a record opened years before the extract and still open (no end), and one
    # that ended in the extract's year. Dated by its old start the open one would stretch the
    # period back to 2018 or 2019; it is dated at 2021-03, the month before the extract's day.
    objects = {
        "ssd_cin_episodes": [
            referral("R1", "2019-05-10", ""),
            referral("R2", "2020-06-01", "2020-12-15 00:00:00.000"),
        ],
        "ssd_cin_assessments": [
            assessment("A1", "2019-11-03", ""),
            assessment("A2", "2020-08-01", "10/09/2020"),
        ],
        "ssd_s47_enquiry": [enquiry("S1", "2018-01-02", ""), enquiry("S2", "2020-10-05", "")],
        "ssd_initial_cp_conference": [
            conference("I1", "2020-11-02", "P1"),
            conference("I2", "2021-01-15", "P2"),
        ],
        "ssd_cp_plans": [plan("P1", "2019-03-01", ""), plan("P2", "2020-07-01", "2021-01-31")],
    }
    for name, rows in objects.items():
        write(tmp_path, f"{name}_{DAY}.csv", rows)
    outcomes = ingest(con, tmp_path).outcomes
    assert [(o.status, o.error) for o in outcomes] == [("loaded", None)] * 5
    assert manifest(con) == [
        ("ssd_cin_assessments", "938", "2020-09..2021-03"),
        ("ssd_cin_episodes", "938", "2020-12..2021-03"),
        ("ssd_cp_plans", "938", "2021-01..2021-03"),
        # a conference is dated by the day it was held, never by its target
        ("ssd_initial_cp_conference", "938", "2020-11..2021-01"),
        # both enquiries still open: the extract's last complete month only
        ("ssd_s47_enquiry", "938", "2021-03..2021-03"),
    ]
    # datetimes load as ISO, whatever form the warehouse exported
    dates = con.execute(
        "select cine_close_date from raw.ssd_cin_episodes order by cine_referral_id"
    ).fetchall()
    assert dates == [(None,), ("2020-12-15 00:00:00",)]
    auth = con.execute(
        "select cina_assessment_auth_date from raw.ssd_cin_assessments where cina_assessment_id"
        " = 'A2'"
    ).fetchall()
    assert auth == [("2020-09-10",)]


def test_the_open_record_rule_reaches_early_help_and_an_unreadable_end_is_no_open_record(
    con, tmp_path
):
    early = [early_help("E1", "2019-06-01", ""), early_help("E2", "2020-12-01", "2021-01-10")]
    write(tmp_path, f"ssd_early_help_episodes_{DAY}.csv", early)
    # An end that is no date does not make the plan open: it is dated by its start (and the
    # datetime rule reports the end); a record with neither date places nothing.
    plans = [
        plan("P1", "2020-05-04", "QZXNOTADATE"),
        plan("P2", "2020-08-01", "2020-11-30"),
        plan("P3", "", ""),
    ]
    write(tmp_path, f"ssd_cp_plans_{DAY}.csv", plans)
    outcomes = ingest(con, tmp_path).outcomes
    assert [o.status for o in outcomes] == ["loaded", "loaded"]
    assert sorted(manifest(con)) == [
        ("ssd_cp_plans", "938", "2020-05..2020-11"),
        ("ssd_early_help_episodes", "938", "2021-01..2021-03"),
    ]
    [(element, line, message)] = findings(con, "datetime")
    assert (element, line) == ("cppl_cp_plan_end_date", 2)
    assert message.startswith("1 value(s) of cppl_cp_plan_end_date not a date")
    assert "QZXNOTADATE" not in message


def test_required_fields_and_types_are_findings_as_the_specification_reads_them(con, tmp_path):
    # The conference's own id is the key but not required; the plan id is required (and
    # unique): a conference that led to no plan has none, and that is reported, not refused.
    conferences = [conference("I1", "2020-11-02", "P1"), conference("", "2021-01-15", "")]
    conferences[1]["icpc_icpc_outcome_cp_flag"] = CASE_NUMBER  # planted: never quoted
    write(tmp_path, f"ssd_initial_cp_conference_{DAY}.csv", conferences)
    referrals = [referral("R1", "2020-05-10", ""), referral("R2", "31/02/2021", "", person="")]
    write(tmp_path, f"ssd_cin_episodes_{DAY}.csv", referrals)
    assessments = [assessment("A1", "2020-11-03", ""), assessment("A1", "2020-11-04", "")]
    write(tmp_path, f"ssd_cin_assessments_{DAY}.csv", assessments)
    outcomes = ingest(con, tmp_path).outcomes
    assert sorted((o.file_path, o.rows_loaded) for o in outcomes) == [
        (f"ssd/938/ssd_cin_assessments_{DAY}.csv", 2),
        (f"ssd/938/ssd_cin_episodes_{DAY}.csv", 2),
        (f"ssd/938/ssd_initial_cp_conference_{DAY}.csv", 2),
    ]
    required = [(element, line) for element, line, _ in findings(con, "required")]
    assert sorted(required) == [("cine_person_id", 3), ("icpc_cp_plan_id", 3)]
    [(element, line, message)] = findings(con, "datetime")
    assert (element, line) == ("cine_referral_date", 3)
    [(element, line, message)] = findings(con, "duplicate_key")
    assert (element, line) == ("cina_assessment_id", 3)
    everything = str(con.execute("select * from raw.schema_findings").fetchall())
    assert CASE_NUMBER not in everything and CHILD_ID not in everything


def test_person_ids_are_the_cin_census_pseudonym_and_record_ids_stay_as_delivered(con, tmp_path):
    write_return(tmp_path, 2021, [Child(CHILD_ID, episodes=[Episode("2020-05-10")])])
    write(tmp_path, f"ssd_cin_episodes_{DAY}.csv", [referral("R1", "2020-05-10", "")])
    write(tmp_path, f"ssd_cin_assessments_{DAY}.csv", [assessment("A1", "2020-05-12", "")])
    write(tmp_path, f"ssd_s47_enquiry_{DAY}.csv", [enquiry("S1", "2020-05-20", "2020-06-05")])
    write(
        tmp_path,
        f"ssd_initial_cp_conference_{DAY}.csv",
        [conference("I1", "2020-06-05", "P1"), conference("I2", "2020-07-01", "P2", OTHER_ID)],
    )
    write(tmp_path, f"ssd_cp_plans_{DAY}.csv", [plan("P1", "2020-06-05", "")])
    ingest(con, tmp_path, CinCensusFormat())
    ingest(con, tmp_path)
    [(census,)] = con.execute("select la_child_id from raw.cin_child").fetchall()
    assert census != CHILD_ID
    loaded = {
        table: con.execute(f"select {person}, {record} from raw.{table} order by 2").fetchall()
        for table, person, record in [
            ("ssd_cin_episodes", "cine_person_id", "cine_referral_id"),
            ("ssd_cin_assessments", "cina_person_id", "cina_referral_id"),
            ("ssd_s47_enquiry", "s47e_person_id", "s47e_s47_enquiry_id"),
            ("ssd_initial_cp_conference", "icpc_person_id", "icpc_cp_plan_id"),
            ("ssd_cp_plans", "cppl_person_id", "cppl_icpc_id"),
        ]
    }
    other = con.execute("select icpc_person_id from raw.ssd_initial_cp_conference").fetchall()
    other_pseudonym = [p for (p,) in other if p != census]
    assert len(other_pseudonym) == 1 and other_pseudonym[0] not in (census, OTHER_ID)
    assert loaded == {
        "ssd_cin_episodes": [(census, "R1")],
        "ssd_cin_assessments": [(census, "R1")],
        "ssd_s47_enquiry": [(census, "S1")],
        "ssd_initial_cp_conference": [(census, "P1"), (other_pseudonym[0], "P2")],
        "ssd_cp_plans": [(census, "I1")],
    }
    text = raw_text(con)
    assert CHILD_ID not in text and OTHER_ID not in text


def test_the_generated_county_s_extracts_cover_their_year_and_the_spec_s_rules_hold(
    clean_county,
):
    con, outcomes = clean_county.con, clean_county.ssd_outcomes
    # fourteen objects (the looked-after five: test_ssd_cla.py, test_ssd_cla_placement.py)
    # in each of two extracts
    assert len(outcomes) == 28 and {o.status for o in outcomes} == {"loaded"}
    periods = con.execute(
        "select part, collection_period, count(*) from raw.file_manifest"
        " where part in ('ssd_cin_episodes', 'ssd_cin_assessments', 'ssd_s47_enquiry',"
        " 'ssd_cp_plans') group by all order by all"
    ).fetchall()
    # every episode, assessment, enquiry and plan still open at the extract is dated at its
    # March, so none pulls the extract back into the years its record started in
    assert periods == [
        (name, period, 1)
        for name in ("ssd_cin_assessments", "ssd_cin_episodes", "ssd_cp_plans", "ssd_s47_enquiry")
        for period in ("2019-04..2020-03", "2020-04..2021-03")
    ]
    # The one finding on these clean records (the SSD's: the county's SSDA903 returns are
    # ingested beside them): a conference that led to no plan has no plan id, which the
    # specification requires.
    (without_plan,) = con.execute(
        "select count(*) from raw.ssd_initial_cp_conference where icpc_cp_plan_id is null"
        " or icpc_cp_plan_id = ''"
    ).fetchone()
    found = con.execute(
        "select element, rule, message from raw.schema_findings where source = 'ssd'"
    ).fetchall()
    assert without_plan > 0
    assert {(element, rule) for element, rule, _ in found} == {("icpc_cp_plan_id", "required")}
    assert sum(int(message.split(" ")[0]) for _, _, message in found) == without_plan
