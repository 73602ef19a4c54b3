"""Health, police and education indicators on a small generated county, against the truth.

Generates about 6,000 children over 2019-04..2021-03, ingests every format, builds the
health, police and education marts and their int_indicators__* models (with everything
upstream) and compares the monthly indicators with the generator's `_truth/` files where
the truth defines the same measure. The build writes its target and logs to the tmp dir,
so it does not disturb a developer's dbt_project/target.
"""

import csv
import re

import pytest

from tests.conftest import PROJECT_ROOT
from tests.warehouse import synthetic_warehouse

pytestmark = pytest.mark.slow

UNION = (
    PROJECT_ROOT / "dbt_project" / "models" / "marts" / "indicators" / "fct_indicator_monthly.sql"
)


def listed_models() -> list[str]:
    """The indicator models fct_indicator_monthly unions."""
    return re.findall(r"'(int_indicators__\w+)'", UNION.read_text())


CATALOGUE = PROJECT_ROOT / "dbt_project" / "seeds" / "indicators.csv"
FAMILIES = ("health", "police", "education")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("partner_indicators")
    landing = root / "landing"
    con = synthetic_warehouse(
        root,
        select=[f"+int_indicators__{family}_*" for family in FAMILIES],
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


def indicator(con, model, column="numerator", dimension="all", value="all"):
    """{(area, 'YYYY-MM'): column} of one breakdown of an indicator model."""
    rows = con.execute(
        f"select area_code, strftime(month, '%Y-%m'), {column} from intermediate.{model} "
        "where breakdown_dimension = ? and breakdown_value = ?",
        [dimension, value],
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


def test_every_partner_model_is_listed_and_catalogued(built):
    con, _ = built
    listed = listed_models()
    with open(CATALOGUE, newline="") as handle:
        catalogue = {row["indicator_id"]: row for row in csv.DictReader(handle)}
    on_disk = {
        path.stem
        for family in FAMILIES
        for path in (PROJECT_ROOT / "dbt_project" / "models" / "intermediate" / "indicators").glob(
            f"int_indicators__{family}_*.sql"
        )
    }
    assert on_disk <= set(listed)
    for model in on_disk:
        ids = con.execute(f"select distinct indicator_id from intermediate.{model}").fetchall()
        assert len(ids) == 1 and ids[0][0] in catalogue, model
        entry = catalogue[ids[0][0]]
        dimensions = {
            d
            for (d,) in con.execute(
                f"select distinct breakdown_dimension from intermediate.{model}"
            ).fetchall()
        }
        assert "all" in dimensions and dimensions <= set(entry["breakdowns"].split("|")), model
        if entry["unit"] == "percent":
            low, high = con.execute(
                f"select min(value), max(value) from intermediate.{model}"
            ).fetchone()
            assert 0 <= low <= high <= 100, model


def test_ae_attendances_equal_truth_after_dedup(built):
    con, truth_dir = built
    got = indicator(con, "int_indicators__health_ae_attendances")
    expected = truth(truth_dir, "ae_attendances", "rows")
    assert got == expected
    by_band = con.execute(
        "select sum(numerator) from intermediate.int_indicators__health_ae_attendances "
        "where breakdown_dimension = 'age_band'"
    ).fetchone()[0]
    assert by_band == sum(expected.values())


@pytest.mark.parametrize(
    ("model", "measure"),
    [
        ("int_indicators__health_alcohol_related_admissions", "alcohol_related"),
        ("int_indicators__health_self_harm_admissions", "self_harm"),
    ],
)
def test_hospital_admission_indicators_equal_truth(built, model, measure):
    con, truth_dir = built
    assert indicator(con, model) == truth(truth_dir, "hospital_admissions", measure)


def test_emergency_admissions_within_all_admissions(built):
    con, truth_dir = built
    got = indicator(con, "int_indicators__health_emergency_admissions")
    rows = truth(truth_dir, "hospital_admissions", "rows")
    assert got.keys() == rows.keys()
    assert all(0 < got[key] <= rows[key] for key in got if rows[key])


def test_camhs_referrals_equal_truth(built):
    con, truth_dir = built
    assert indicator(con, "int_indicators__health_camhs_referrals") == truth(
        truth_dir, "camhs_referrals", "rows"
    )


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
    got = indicator(
        con, "int_indicators__police_incidents", dimension="incident_type_code", value=incident_type
    )
    expected = truth(truth_dir, "police_incidents", incident_type)
    assert got == covered(expected, got)
    assert set(expected) - set(got) == gap_months(truth_dir, "police_incidents")


@pytest.mark.parametrize(
    ("model", "incident_type"),
    [
        ("int_indicators__police_missing_child_reports", "missing_child"),
        ("int_indicators__police_antisocial_behaviour_incidents", "antisocial_behaviour"),
    ],
)
def test_police_indicators_equal_truth(built, model, incident_type):
    con, truth_dir = built
    got = indicator(con, model)
    assert got == covered(truth(truth_dir, "police_incidents", incident_type), got)


def test_domestic_abuse_with_children_and_share_notified(built):
    con, truth_dir = built
    with_children = indicator(con, "int_indicators__police_domestic_abuse_incidents_with_children")
    all_da = truth(truth_dir, "police_incidents", "domestic_abuse")
    assert all(0 < with_children[key] <= all_da[key] for key in with_children)
    notified = con.execute(
        "select numerator, denominator, value "
        "from intermediate.int_indicators__police_domestic_abuse_notified_to_social_care"
    ).fetchall()
    assert notified and all(
        num <= den and value == pytest.approx(100 * num / den) for num, den, value in notified
    )
    denominators = indicator(
        con, "int_indicators__police_domestic_abuse_notified_to_social_care", column="denominator"
    )
    assert denominators == with_children


def test_police_gap_month_has_no_row(built):
    con, truth_dir = built
    gaps = gap_months(truth_dir, "police_incidents")
    assert gaps, "the generator should leave a month of the police extract undelivered"
    for model in listed_models():
        if model.startswith("int_indicators__police_"):
            months = set(indicator(con, model))
            assert months and not months & gaps, model
            assert all(
                (area, m) in months
                for area, m in truth(truth_dir, "police_incidents", "rows")
                if (area, m) not in gaps
            ), model


@pytest.mark.parametrize(
    ("model", "measure"),
    [
        ("int_indicators__education_school_attendance_rate", "attendance_rate"),
        (
            "int_indicators__education_school_attendance_children_with_social_worker",
            "csw_attendance_rate",
        ),
    ],
)
def test_attendance_rates_from_daily_counts_equal_truth(built, model, measure):
    con, truth_dir = built
    got = {
        key: round(value / 100, 4) for key, value in indicator(con, model, column="value").items()
    }
    assert got == truth(truth_dir, "school_attendance_daily", measure, cast=float)


def test_term_indicators_sit_on_the_months_their_terms_end(built):
    con, _ = built
    for model in [
        "int_indicators__education_persistent_absence",
        "int_indicators__education_suspensions",
        "int_indicators__education_permanent_exclusions",
    ]:
        months = {m for _, m in indicator(con, model)}
        # autumn ends in December, spring on Easter Sunday (March or April), summer in July
        assert months and {m[-2:] for m in months} <= {"12", "03", "04", "07"}, model
    before = indicator(con, "int_indicators__education_persistent_absence", column="value")
    assert all(0 < before[key] < 40 for key in before if key[1] < "2020-03")
    # the spring term of 2020 ended on Easter Sunday, 12 April: its closure weeks sit in
    # April (a lockdown month), never in January
    spring_2020 = {key[1]: value for key, value in before.items() if key[1][:4] == "2020"}
    assert "2020-01" not in spring_2020 and spring_2020.get("2020-04", 0) > 40


def test_lockdown_april_2020_ae_far_below_april_2019(built):
    con, _ = built
    got = indicator(con, "int_indicators__health_ae_attendances")
    april_2019 = sum(v for (_, m), v in got.items() if m == "2019-04")
    april_2020 = sum(v for (_, m), v in got.items() if m == "2020-04")
    assert april_2019 > 0 and april_2020 < 0.6 * april_2019
