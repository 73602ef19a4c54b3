"""The SSD extracts' children in need objects against the CIN census returns of the same run:
each year's extract holds exactly the referrals that year's return holds (the same child,
dates and codes, open ones from earlier years included), the same assessments, enquiries,
conferences and plans with the same dates, every record's child in the extract's people,
and ids that stay the same from extract to extract."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from synthetic import GenerationSummary

# The returns of the shared run (ssd_run, conftest.py); its extract made on 1 July 2021
# matches none.
YEARS = (2020, 2021)


def extract(run: GenerationSummary, name: str, made: str) -> pd.DataFrame:
    path = run.out_dir / "ssd" / f"938_{name}_{made}.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def census(run: GenerationSummary, year: int) -> dict[str, list[tuple]]:
    """The return's referrals and modules as tuples of text ("" where absent), by child."""
    path = run.out_dir / "cin_census" / f"cin_census_938_{year}.xml"
    found: dict[str, list[tuple]] = {k: [] for k in ("ref", "asmt", "s47", "icpc", "cpp")}
    for _, child in etree.iterparse(str(path), tag="Child"):
        kid = child.findtext("ChildIdentifiers/LAchildID")
        for d in child.iterfind("CINdetails"):
            text = lambda path, node=d: node.findtext(path) or ""  # noqa: E731
            nfa = "Y" if text("ReferralNFA") == "1" else "N"
            found["ref"].append(
                (kid, text("CINreferralDate"), text("ReferralSource"), text("PrimaryNeedCode"))
                + (nfa, text("CINclosureDate"), text("ReasonForClosure"))
            )
            for a in d.iterfind("Assessments"):
                dates = ("AssessmentActualStartDate", "AssessmentAuthorisationDate")
                found["asmt"].append((kid, *(a.findtext(f) or "" for f in dates)))
            for s in d.iterfind("Section47"):
                found["s47"].append((kid, s.findtext("S47ActualStartDate")))
                if s.findtext("DateOfInitialCPC"):
                    held = (s.findtext("InitialCPCtarget"), s.findtext("DateOfInitialCPC"))
                    found["icpc"].append((kid, *held))
            for p in d.iterfind("ChildProtectionPlans"):
                fields = ("CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse")
                latest = p.findtext("LatestCategoryOfAbuse") or ""
                found["cpp"].append((kid, *(p.findtext(f) or "" for f in fields), latest))
        child.clear()
    return found


def ssd(run: GenerationSummary, made: str) -> dict[str, list[tuple]]:
    ref = extract(run, "ssd_cin_episodes", made)
    asmt = extract(run, "ssd_cin_assessments", made)
    s47 = extract(run, "ssd_s47_enquiry", made)
    icpc = extract(run, "ssd_initial_cp_conference", made)
    cpp = extract(run, "ssd_cp_plans", made)
    return {
        "ref": list(
            ref[
                [
                    "cine_person_id",
                    "cine_referral_date",
                    "cine_referral_source_code",
                    "cine_cin_primary_need_code",
                    "cine_referral_nfa",
                    "cine_close_date",
                    "cine_close_reason",
                ]
            ].itertuples(index=False, name=None)
        ),
        "asmt": list(
            asmt[
                ["cina_person_id", "cina_assessment_start_date", "cina_assessment_auth_date"]
            ].itertuples(index=False, name=None)
        ),
        "s47": list(
            s47[["s47e_person_id", "s47e_s47_start_date"]].itertuples(index=False, name=None)
        ),
        "icpc": list(
            icpc[["icpc_person_id", "icpc_icpc_target_date", "icpc_icpc_date"]].itertuples(
                index=False, name=None
            )
        ),
        "cpp": list(
            cpp[
                [
                    "cppl_person_id",
                    "cppl_cp_plan_start_date",
                    "cppl_cp_plan_end_date",
                    "cppl_cp_plan_initial_category",
                    "cppl_cp_plan_latest_category",
                ]
            ].itertuples(index=False, name=None)
        ),
    }


@pytest.mark.parametrize("year", YEARS)
def test_each_extract_holds_the_referrals_and_modules_of_that_year_s_return(
    ssd_run: GenerationSummary, year: int
) -> None:
    returned, extracted = census(ssd_run, year), ssd(ssd_run, f"{year}-04-01")
    for part in ("ref", "asmt", "s47", "icpc", "cpp"):
        assert Counter(extracted[part]) == Counter(returned[part]), part
    referrals = extracted["ref"]
    assert len(referrals) > 300 and len(extracted["cpp"]) > 20 and len(extracted["icpc"]) > 10
    year_start = f"{year - 1}-04-01"
    # open ones from earlier years are restated, closures written only once they happened
    assert sum(r[1] < year_start for r in referrals) > 20
    assert 0 < sum(r[5] == "" for r in referrals) < len(referrals)
    assert all((r[5] == "") == (r[6] == "") for r in referrals)
    assert all(r[5] == "" or year_start <= r[5] <= f"{year}-03-31" for r in referrals)
    # an assessment started but not authorised by 31 March has no authorisation yet
    assert any(a[2] == "" for a in extracted["asmt"])
    assert all(a[2] <= f"{year}-03-31" for a in extracted["asmt"])


def test_the_records_link_to_their_referral_and_their_children_are_the_extract_s_people(
    ssd_run: GenerationSummary,
) -> None:
    for made in ("2020-04-01", "2021-04-01", "2021-07-01"):
        ref = extract(ssd_run, "ssd_cin_episodes", made).set_index("cine_referral_id")
        people = set(extract(ssd_run, "ssd_person", made)["pers_person_id"])
        linked = set(extract(ssd_run, "ssd_linked_identifiers", made)["link_person_id"])
        assert set(ref["cine_person_id"]) <= people
        assert len(set(ref["cine_person_id"]) & linked) > 0.9 * ref["cine_person_id"].nunique()
        for name, prefix, date in [
            ("ssd_cin_assessments", "cina", "cina_assessment_start_date"),
            ("ssd_s47_enquiry", "s47e", "s47e_s47_start_date"),
            ("ssd_cp_plans", "cppl", "cppl_cp_plan_start_date"),
            ("ssd_initial_cp_conference", "icpc", "icpc_icpc_date"),
        ]:
            table = extract(ssd_run, name, made)
            assert len(table) and set(table[f"{prefix}_person_id"]) <= people
            # each names a referral of the extract, of the same child, made by its start
            own = ref.loc[table[f"{prefix}_referral_id"]]
            assert list(own["cine_person_id"]) == list(table[f"{prefix}_person_id"])
            assert (own["cine_referral_date"].to_numpy() <= table[date].to_numpy()).all()
        plans = extract(ssd_run, "ssd_cp_plans", made).set_index("cppl_cp_plan_id")
        icpc = extract(ssd_run, "ssd_initial_cp_conference", made)
        followed = icpc[icpc["icpc_icpc_outcome_cp_flag"] == "Y"]
        assert (followed["icpc_cp_plan_id"] != "").all()
        assert (icpc.loc[icpc["icpc_icpc_outcome_cp_flag"] == "N", "icpc_cp_plan_id"] == "").all()
        # a plan starts at its conference (DfE rule 2885)
        shown = followed[followed["icpc_cp_plan_id"].isin(plans.index)]
        assert len(shown) > 5
        starts = plans.loc[shown["icpc_cp_plan_id"], "cppl_cp_plan_start_date"]
        assert list(starts) == list(shown["icpc_icpc_date"])


def test_ids_stay_the_same_from_extract_to_extract_and_the_short_extract_knows_its_last_day(
    ssd_run: GenerationSummary,
) -> None:
    key = ["cine_person_id", "cine_referral_date"]
    frames = {
        made: extract(ssd_run, "ssd_cin_episodes", made)
        for made in ("2020-04-01", "2021-04-01", "2021-07-01")
    }
    both = frames["2020-04-01"].merge(frames["2021-04-01"], on=key, suffixes=("_a", "_b"))
    assert len(both) > 20
    assert (both["cine_referral_id_a"] == both["cine_referral_id_b"]).all()
    # closed in the second year: open in the first extract, closed in the second
    assert ((both["cine_close_date_a"] == "") & (both["cine_close_date_b"] != "")).any()
    ids = pd.concat(frames.values())
    assert ids.groupby("cine_referral_id")[key].nunique().max().max() == 1
    short = frames["2021-07-01"]
    assert short["cine_referral_date"].max() <= "2021-06-30"
    assert short["cine_close_date"].max() <= "2021-06-30"
    assert short["cine_referral_date"].max() >= "2021-06-01"
    # it holds the open referrals the 31 March extract left open
    still_open = frames["2021-04-01"][frames["2021-04-01"]["cine_close_date"] == ""]
    assert set(still_open["cine_referral_id"]) <= set(short["cine_referral_id"])
    # and nothing closed before its collection year began
    assert (short["cine_close_date"].replace("", "9999") >= "2021-04-01").all()


def test_only_the_ssd_files_are_new(ssd_run: GenerationSummary) -> None:
    names = sorted(p.name for p in Path(ssd_run.out_dir, "ssd").glob("938_ssd_cin_episodes_*"))
    assert names == [
        "938_ssd_cin_episodes_2020-04-01.csv",
        "938_ssd_cin_episodes_2021-04-01.csv",
        "938_ssd_cin_episodes_2021-07-01.csv",
    ]
    # nine objects before the looked-after ones (test_synth_ssd_cla.py), fourteen with them;
    # this small county has an unaccompanied asylum-seeking child in the 2020 extract only
    # (test_synth_ssd_cla_placement.py), and an object with no records has no file
    assert len(list(Path(ssd_run.out_dir, "ssd").glob("*.csv"))) == 3 * 13 + 1
