"""The Standard Safeguarding Dataset's indicators against the generator's answer key.

A small synthetic county (two years, the Covid scenario) is generated with its SSD extracts
(one a year: contacts, early help, people, identifiers), ingested as a run does, and the SSD
part of the dbt project built. Contacts per month, the share leading to a referral and early
help episodes started must equal the generator's own counts (_truth/ssd_monthly.csv) month
by month; the extracts' restated records must be counted once, the latest extract's copy
kept; and the SSD's children must be the CIN census's, by the same pseudonym.
"""

from pathlib import Path

import pandas as pd
import pytest

from tests.warehouse import synthetic_warehouse

pytestmark = pytest.mark.slow

START, END = "2019-04", "2021-03"
SELECT = ["+fct_indicator_monthly__ssd", "+stg_ssd__person", "+stg_cin_census__children"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("ssd")
    con = synthetic_warehouse(root, select=SELECT, seed=11, children=8000, start=START, end=END)
    yield con, root / "landing"
    con.close()


def monthly(con, indicator_id: str, dimension: str = "all") -> pd.DataFrame:
    return con.execute(
        """
        select strftime(month, '%Y-%m') as month, breakdown_value, numerator, denominator
        from marts.fct_indicator_monthly__ssd
        where indicator_id = ? and breakdown_dimension = ?
        order by month, breakdown_value
        """,
        [indicator_id, dimension],
    ).df()


def truth(landing: Path, measure: str) -> dict[str, int]:
    rows = pd.read_csv(landing / "_truth" / "ssd_monthly.csv", dtype={"la_code": str})
    rows = rows[rows["measure"] == measure]
    return dict(zip(rows["month"], rows["value"], strict=True))


def landed(landing: Path, name: str) -> pd.DataFrame:
    """Every extract's rows of one object, with the extract's day, read straight from CSV."""
    frames = [
        pd.read_csv(path, dtype=str, keep_default_na=False).assign(extract=path.stem[-10:])
        for path in sorted((landing / "ssd").glob(f"*_{name}_*.csv"))
    ]
    return pd.concat(frames, ignore_index=True)


def test_the_three_indicators_equal_the_answer_key_month_by_month(built):
    con, landing = built
    contacts = monthly(con, "contacts").set_index("month")
    months = [f"{y}-{m:02d}" for y in (2019, 2020, 2021) for m in range(1, 13)][3:27]
    assert list(contacts.index) == months
    assert contacts["numerator"].to_dict() == truth(landing, "contacts")
    assert contacts["numerator"].sum() > 2000
    share = monthly(con, "contacts_leading_to_referral").set_index("month")
    assert share["numerator"].to_dict() == truth(landing, "contacts_led_to_referral")
    assert share["denominator"].to_dict() == truth(landing, "contacts")
    # The generator's contacts without a referral are about 1.75 for each one with one.
    assert 2.5 < share["denominator"].sum() / share["numerator"].sum() < 3.1
    started = monthly(con, "early_help_episodes_started").set_index("month")
    assert started["numerator"].to_dict() == truth(landing, "early_help_starts")
    assert started["numerator"].sum() > 200


def test_contacts_by_source_add_up_and_carry_the_lockdown_s_fall_from_schools(built):
    con, _ = built
    by_source = monthly(con, "contacts", "source_group")
    total = monthly(con, "contacts").set_index("month")["numerator"]
    assert (by_source.groupby("month")["numerator"].sum() == total).all()
    schools = by_source[by_source["breakdown_value"] == "schools"].set_index("month")["numerator"]
    police = by_source[by_source["breakdown_value"] == "police"].set_index("month")["numerator"]
    spring = ["04", "05"]
    before = sum(schools[f"2019-{m}"] for m in spring)
    during = sum(schools[f"2020-{m}"] for m in spring)
    # Schools closed in April and May 2020 (contacts from schools about 76% down): far more
    # than the other sources moved.
    assert during < 0.5 * before
    assert sum(police[f"2020-{m}"] for m in spring) > 0.6 * sum(police[f"2019-{m}"] for m in spring)


def test_restated_records_are_counted_once_from_the_latest_extract(built):
    con, landing = built
    delivered = landed(landing, "ssd_early_help_episodes")
    assert delivered["earl_episode_id"].duplicated().sum() > 10  # open across two extracts
    latest = delivered.sort_values("extract").groupby("earl_episode_id").last()
    staged = con.execute(
        "select episode_id, coalesce(strftime(episode_end_date, '%Y-%m-%d'), ''), copies_delivered"
        " from staging.stg_ssd__early_help_episodes"
    ).df()
    staged.columns = ["episode_id", "end", "copies"]
    staged = staged.set_index("episode_id").sort_index()
    assert list(staged.index) == sorted(latest.index)
    assert staged["end"].to_dict() == latest["earl_episode_end_date"].to_dict()
    counts = delivered["earl_episode_id"].value_counts().sort_index()
    assert staged["copies"].to_dict() == counts.to_dict()
    people = landed(landing, "ssd_person")
    (persons,) = con.execute("select count(*) from staging.stg_ssd__person").fetchone()
    assert persons == people["pers_person_id"].nunique() < len(people)


def test_the_ssd_s_children_are_the_cin_census_s_by_the_same_pseudonym(built):
    con, _ = built
    # Every contact SSD says became a referral finds its child's referral in the CIN census
    # (the extract's last three days excepted: their referral may fall after the returns),
    # and no other contact does: the generator keeps them 30 days clear of a referral.
    flagged, unmatched, matched_unflagged = con.execute(
        """
        select
            count(*) filter (where is_outcome_new_referral),
            count(*) filter (where is_outcome_new_referral and referral_date is null
                and contact_date <= date '2021-03-28'),
            count(*) filter (where not is_outcome_new_referral and referral_date is not null)
        from marts.fct_contacts
        """
    ).fetchone()
    assert flagged > 300 and unmatched == 0 and matched_unflagged == 0
    (without_person,) = con.execute(
        """
        select count(*) from marts.fct_contacts as contacts
        anti join staging.stg_ssd__person as people
            on contacts.la_child_id_pseudonym = people.la_child_id_pseudonym
        """
    ).fetchone()
    assert without_person == 0
