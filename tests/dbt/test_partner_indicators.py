"""Health, police and education indicators on a small generated county, against the truth.

Generates about 6,000 children over 2019-04..2021-03, ingests every format, builds the
health, police and education marts and the models of their indicator groups
(marts.fct_indicator_monthly__<group>, with everything upstream) and compares the monthly
indicators with the generator's `_truth/` files where the truth defines the same measure.
The build writes its target and logs to the tmp dir, so it does not disturb a developer's
dbt_project/target.
"""

import csv

import pytest

from orchestration.transform.indicator_catalogue import registry_groups
from tests.conftest import PROJECT_ROOT
from tests.warehouse import synthetic_warehouse

pytestmark = pytest.mark.slow

CATALOGUE = PROJECT_ROOT / "dbt_project" / "seeds" / "indicators.csv"
FAMILIES = ("health", "police", "education")
# The registry's groups of these families, and the group of each of their indicators.
GROUPS = {group: registry_groups()[group] for group in FAMILIES}
GROUP_OF = {entry["indicator_id"]: group for group in FAMILIES for entry in GROUPS[group]}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("partner_indicators")
    landing = root / "landing"
    con = synthetic_warehouse(
        root,
        select=[f"+fct_indicator_monthly__{family}" for family in FAMILIES],
        seed=42,
        children=6000,
        start="2019-04",
        end="2021-03",
    )
    yield con, landing / "_truth"
    con.close()


def truth(truth_dir, source, measure, cast=int):
    """{(area, 'YYYY-MM'): value} of one measure of a source's monthly truth file."""
    with open(truth_dir / f"{source}_monthly.csv", newline="") as handle:
        return {
            (row["la_code"], row["month"]): cast(row["value"])
            for row in csv.DictReader(handle)
            if row["measure"] == measure
        }


def indicator(con, indicator_id, column="numerator", dimension="all", value="all"):
    """{(area, 'YYYY-MM'): column} of one breakdown of an indicator."""
    rows = con.execute(
        f"select area_code, strftime(month, '%Y-%m'), {column}"
        f" from marts.fct_indicator_monthly__{GROUP_OF[indicator_id]}"
        " where indicator_id = ? and breakdown_dimension = ? and breakdown_value = ?",
        [indicator_id, dimension, value],
    ).fetchall()
    return {(area, month): result for area, month, result in rows}


def covered(expected, got):
    """The truth restricted to the months the indicator covers, which must be all of them
    but the extract's gap months (checked separately)."""
    return {key: value for key, value in expected.items() if key in got}


def gap_months(truth_dir, source):
    with open(truth_dir / "defects.csv", newline="") as handle:
        defects = [
            r for r in csv.DictReader(handle) if r["kind"] == "gap_month" and r["source"] == source
        ]
    months = set()
    for defect in defects:
        year, month = map(int, defect["first_month"].split("-"))
        while f"{year:04d}-{month:02d}" <= defect["last_month"]:
            months.add((defect["la_code"], f"{year:04d}-{month:02d}"))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def test_every_partner_indicator_is_built_and_catalogued(built):
    con, _ = built
    with open(CATALOGUE, newline="") as handle:
        catalogue = {row["indicator_id"]: row for row in csv.DictReader(handle)}
    for group in FAMILIES:
        rows = con.execute(
            "select indicator_id, list(distinct breakdown_dimension), min(value), max(value)"
            f" from marts.fct_indicator_monthly__{group} group by indicator_id"
        ).fetchall()
        assert {row[0] for row in rows} == {entry["indicator_id"] for entry in GROUPS[group]}
        for indicator_id, dimensions, low, high in rows:
            entry = catalogue[indicator_id]
            assert "all" in dimensions, indicator_id
            assert set(dimensions) <= set(entry["breakdowns"].split("|")), indicator_id
            if entry["unit"] == "percent":
                assert 0 <= low <= high <= 100, indicator_id


def test_ae_attendances_equal_truth_after_dedup(built):
    con, truth_dir = built
    got = indicator(con, "ae_attendances")
    expected = truth(truth_dir, "ae_attendances", "rows")
    assert got == expected
    by_band = con.execute(
        "select sum(numerator) from marts.fct_indicator_monthly__health"
        " where indicator_id = 'ae_attendances' and breakdown_dimension = 'age_band'"
    ).fetchone()[0]
    assert by_band == sum(expected.values())


@pytest.mark.parametrize(
    ("indicator_id", "measure"),
    [
        ("alcohol_related_admissions", "alcohol_related"),
        ("self_harm_admissions", "self_harm"),
    ],
)
def test_hospital_admission_indicators_equal_truth(built, indicator_id, measure):
    con, truth_dir = built
    assert indicator(con, indicator_id) == truth(truth_dir, "hospital_admissions", measure)


def test_emergency_admissions_within_all_admissions(built):
    con, truth_dir = built
    got = indicator(con, "emergency_admissions")
    rows = truth(truth_dir, "hospital_admissions", "rows")
    assert got.keys() == rows.keys()
    assert all(0 < got[key] <= rows[key] for key in got if rows[key])


def test_camhs_referrals_equal_truth(built):
    con, truth_dir = built
    assert indicator(con, "camhs_referrals") == truth(truth_dir, "camhs_referrals", "rows")


@pytest.mark.parametrize(
    "incident_type",
    [
        "domestic_abuse",
        "missing_child",
        "antisocial_behaviour",
        "child_protection",
        "violence",
        "exploitation",
        "other",
    ],
)
def test_police_incidents_by_type_equal_truth(built, incident_type):
    con, truth_dir = built
    got = indicator(con, "police_incidents", dimension="incident_type_code", value=incident_type)
    expected = truth(truth_dir, "police_incidents", incident_type)
    assert got == covered(expected, got)
    assert set(expected) - set(got) == gap_months(truth_dir, "police_incidents")


@pytest.mark.parametrize(
    ("indicator_id", "incident_type"),
    [
        ("missing_child_reports", "missing_child"),
        ("antisocial_behaviour_incidents", "antisocial_behaviour"),
    ],
)
def test_police_indicators_equal_truth(built, indicator_id, incident_type):
    con, truth_dir = built
    got = indicator(con, indicator_id)
    assert got == covered(truth(truth_dir, "police_incidents", incident_type), got)


def test_domestic_abuse_with_children_and_share_notified(built):
    con, truth_dir = built
    with_children = indicator(con, "domestic_abuse_incidents_with_children")
    all_da = truth(truth_dir, "police_incidents", "domestic_abuse")
    assert all(0 < with_children[key] <= all_da[key] for key in with_children)
    notified = con.execute(
        "select numerator, denominator, value from marts.fct_indicator_monthly__police"
        " where indicator_id = 'domestic_abuse_notified_to_social_care'"
    ).fetchall()
    assert notified and all(
        num <= den and value == pytest.approx(100 * num / den) for num, den, value in notified
    )
    denominators = indicator(con, "domestic_abuse_notified_to_social_care", column="denominator")
    assert denominators == with_children


def test_police_gap_month_has_no_row(built):
    con, truth_dir = built
    gaps = gap_months(truth_dir, "police_incidents")
    assert gaps, "the generator should leave a month of the police extract undelivered"
    for entry in GROUPS["police"]:
        months = set(indicator(con, entry["indicator_id"]))
        assert months and not months & gaps, entry["indicator_id"]
        assert all(
            (area, m) in months
            for area, m in truth(truth_dir, "police_incidents", "rows")
            if (area, m) not in gaps
        ), entry["indicator_id"]


@pytest.mark.parametrize(
    ("indicator_id", "measure"),
    [
        ("school_attendance_rate", "attendance_rate"),
        (
            "school_attendance_children_with_social_worker",
            "csw_attendance_rate",
        ),
    ],
)
def test_attendance_rates_from_daily_counts_equal_truth(built, indicator_id, measure):
    con, truth_dir = built
    got = {
        key: round(value / 100, 4)
        for key, value in indicator(con, indicator_id, column="value").items()
    }
    assert got == truth(truth_dir, "school_attendance_daily", measure, cast=float)


def test_term_indicators_sit_on_the_months_their_terms_end(built):
    con, _ = built
    for indicator_id in ["persistent_absence", "suspensions", "permanent_exclusions"]:
        months = {m for _, m in indicator(con, indicator_id)}
        # autumn ends in December, spring on Easter Sunday (March or April), summer in July
        assert months and {m[-2:] for m in months} <= {"12", "03", "04", "07"}, indicator_id
    before = indicator(con, "persistent_absence", column="value")
    assert all(0 < before[key] < 40 for key in before if key[1] < "2020-03")
    # the spring term of 2020 ended on Easter Sunday, 12 April: its closure weeks sit in
    # April (a lockdown month), never in January
    spring_2020 = {key[1]: value for key, value in before.items() if key[1][:4] == "2020"}
    assert "2020-01" not in spring_2020 and spring_2020.get("2020-04", 0) > 40


def test_lockdown_april_2020_ae_far_below_april_2019(built):
    con, _ = built
    got = indicator(con, "ae_attendances")
    april_2019 = sum(v for (_, m), v in got.items() if m == "2019-04")
    april_2020 = sum(v for (_, m), v in got.items() if m == "2020-04")
    assert april_2019 > 0 and april_2020 < 0.6 * april_2019
