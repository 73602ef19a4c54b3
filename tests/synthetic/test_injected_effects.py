"""The answer key _truth/injected_effects.csv: values from the scenario, and the data agree."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from synthetic import GenerationSummary, generate
from synthetic.calendar import Calendar
from synthetic.cli import main
from synthetic.reference import source_group_profile
from synthetic.scenario import load_scenario

ROOT = Path(__file__).parents[2]
SCENARIOS = ROOT / "synthetic" / "scenarios"
DEFAULT = yaml.safe_load((SCENARIOS / "england_covid.yaml").read_text(encoding="utf-8"))
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
GROUPS = tuple(source_group_profile()["source_group"])


def _effects(summary: GenerationSummary) -> pd.DataFrame:
    path = summary.out_dir / "_truth" / "injected_effects.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame.assign(true_effect=frame["true_effect"].astype(float))


def _effect(frame: pd.DataFrame, indicator: str, dim: str, value: str, month: str) -> float:
    hit = frame[
        (frame["indicator_id"] == indicator)
        & (frame["breakdown_dimension"] == dim)
        & (frame["breakdown_value"] == value)
        & (frame["month"] == f"{month}-01")
    ]
    assert len(hit) == 1, (indicator, dim, value, month)
    return float(hit["true_effect"].iloc[0])


def _multiplier(entries: dict, month: str) -> float:
    """The YAML's multiplier for a month ('YYYY-MM' or 'A..B' keys), 1.0 where unlisted."""
    for key, value in (entries or {}).items():
        lo, _, hi = str(key).partition("..")
        if lo[:7] <= month <= (hi or lo)[:7]:
            return float(value)
    return 1.0


@pytest.fixture(scope="module")
def small(small_run: GenerationSummary) -> pd.DataFrame:
    return _effects(small_run)


def test_source_group_effect_is_the_scenario_multiplier(small: pd.DataFrame) -> None:
    schools = DEFAULT["multipliers"]["schools"]
    assert _effect(small, "referrals", "source_group", "schools", "2020-04") == schools["2020-04"]
    assert _effect(small, "referrals", "source_group", "schools", "2021-01") == schools["2021-01"]
    police = DEFAULT["multipliers"]["police"]["2021-02"]
    assert _effect(small, "referrals", "source_group", "police", "2021-02") == police


def _mean_effect(frame: pd.DataFrame, indicator: str, months: list[str]) -> float:
    return float(np.mean([_effect(frame, indicator, "all", "all", m) for m in months]))


def test_default_scenario_has_the_published_national_shapes(small: pd.DataFrame) -> None:
    """The figures the scenario's header cites, within 3 points: VCYP waves 18 and 19
    (referrals 22-23% down in late January 2021) and waves 1 to 8 (starts of care 33% down
    from 20 April to 23 August 2020), and the CLA statistics' year 2020-21 (8% down)."""
    assert _effect(small, "referrals", "all", "all", "2021-01") == pytest.approx(0.775, abs=0.03)
    first_wave = ["2020-04", "2020-05", "2020-06", "2020-07", "2020-08"]
    assert _mean_effect(small, "cla_starts", first_wave) == pytest.approx(0.67, abs=0.03)
    year = [f"2020-{m:02d}" for m in range(4, 13)] + ["2021-01", "2021-02", "2021-03"]
    assert _mean_effect(small, "cla_starts", year) == pytest.approx(0.92, abs=0.03)


def _hand_all_effect(month: str, first: date, last: date) -> float:
    """Referrals in all: the groups' multipliers weighted by each group's baseline referrals
    that month (its share x its weekday, school-holiday and month-of-year shape, the shape
    scaled to mean 1 over the simulation window), computed from the data files directly."""
    profile = pd.read_csv(ROOT / "synthetic" / "data" / "referral_source_group_profile.csv")
    bank = pd.read_csv(ROOT / "dbt_project" / "seeds" / "bank_holidays_england.csv")
    days = pd.date_range(first, last)
    closed = (days.weekday >= 5) | days.strftime("%Y-%m-%d").isin(set(bank["holiday_date"]))
    holiday = Calendar.build(first, last).school_holiday & ~closed  # the generator's terms
    in_month = days.strftime("%Y-%m") == month
    shared = _multiplier(DEFAULT["multipliers"].get("all"), month)
    num = den = 0.0
    for row in profile.to_dict("records"):
        season = np.array([row[m] for m in MONTHS])[days.month - 1]
        shape = season * np.where(closed, row["weekend_factor"], 1.0)
        shape = shape * np.where(holiday, row["school_holiday_factor"], 1.0)
        expected = row["share"] * shape[in_month].sum() / shape.mean()
        num += expected * _multiplier(DEFAULT["multipliers"].get(row["source_group"]), month)
        den += expected
    return num / den * shared


def test_all_referrals_is_the_share_weighted_mean(small: pd.DataFrame) -> None:
    # SMALL starts 2019-04, so the simulation (and the rhythm's scaling) starts 2016-04.
    window = (date(2016, 4, 1), date(2021, 3, 31))
    for month in ("2020-03", "2020-04", "2020-06", "2021-01"):
        expected = _hand_all_effect(month, *window)
        assert _effect(small, "referrals", "all", "all", month) == pytest.approx(expected, abs=1e-6)
        # The effect on the total does not depend on sex or district; the rate shares it.
        assert _effect(small, "referrals", "sex", "F", month) == pytest.approx(expected, abs=1e-6)
        rate = _effect(small, "referrals_per_10000", "all", "all", month)
        assert rate == pytest.approx(expected, abs=1e-6)
    # Babies are rarely referred by schools: the shock to under-1s is much smaller.
    babies = _effect(small, "referrals", "age_band", "under_1", "2020-04")
    assert babies > _effect(small, "referrals", "age_band", "5_to_9", "2020-04")


def test_months_with_nothing_injected_are_exactly_one(small: pd.DataFrame) -> None:
    # Termly measures take their term's effect in every month of it (spring 2020 from January).
    termly = small["indicator_id"].isin(["suspensions", "permanent_exclusions"])
    before = small[(small["month"] < "2020-03-01") & ~termly]
    assert len(before) > 0 and (before["true_effect"] == 1.0).all()
    assert (small[termly & (small["month"] < "2020-01-01")]["true_effect"] == 1.0).all()
    assert _effect(small, "referrals", "source_group", "schools", "2020-08") == 1.0
    assert _effect(small, "ae_attendances", "all", "all", "2020-09") == 1.0


def test_every_series_covers_every_month_once(small: pd.DataFrame) -> None:
    months = pd.date_range("2019-04-01", "2021-03-01", freq="MS").strftime("%Y-%m-%d").tolist()
    keys = ["area_code", "indicator_id", "breakdown_dimension", "breakdown_value"]
    for _, rows in small.groupby(keys):
        assert rows["month"].tolist() == months
    assert set(small["area_code"]) == {"938"}


def test_partner_sources_follow_their_multipliers(small: pd.DataFrame) -> None:
    sources = DEFAULT["sources"]
    assert _effect(small, "ae_attendances", "all", "all", "2020-04") == 0.40
    assert _effect(small, "ae_attendances", "age_band", "under_1", "2020-04") == 0.40
    starts = _multiplier(sources["ssda903"]["starts"], "2020-05")
    assert _effect(small, "cla_starts", "all", "all", "2020-05") == pytest.approx(starts)
    assert _effect(small, "cla_starts", "is_uasc", "true", "2020-05") == pytest.approx(starts)
    assert (
        _effect(small, "domestic_abuse_incidents_with_children", "all", "all", "2020-05")
        == (sources["police_incidents"]["domestic_abuse"]["2020-04..2020-06"])
    )
    # Only emergency-kind spells happen under one; older children add self-harm and alcohol.
    emergency = sources["hospital_admissions"]["emergency"]["2020-04"]
    assert _effect(small, "emergency_admissions", "age_band", "under_1", "2020-04") == emergency
    assert emergency < _effect(small, "emergency_admissions", "all", "all", "2020-04") < 0.65
    # Missing-child reports mix police-kind reports (x 0.6) and unscaled reports from care.
    missing = _effect(small, "missing_child_reports", "all", "all", "2020-04")
    assert sources["police_incidents"]["missing_child"]["2020-04..2020-05"] < missing < 1.0
    # The summer term 2020 lies inside the suspensions range; exclusions stop in it.
    for month in ("2020-04", "2020-06", "2020-08"):
        assert _effect(small, "suspensions", "all", "all", month) == 0.05
        assert _effect(small, "permanent_exclusions", "all", "all", month) == 0.0
    assert _effect(small, "permanent_exclusions", "all", "all", "2021-01") == 1.0


def test_part_month_ranges_are_day_weighted(small: pd.DataFrame, tmp_path: Path) -> None:
    # School attendance from 23 March 2020: school days are weekdays there (no holiday, no
    # bank holiday in March 2020), 15 of them before the 23rd and 7 from it.
    calendar = Calendar.build(date(2020, 3, 1), date(2020, 3, 31))
    assert not (calendar.school_holiday | calendar.bank_holiday).any()
    before, after = (
        np.busday_count("2020-03-01", "2020-03-23"),
        np.busday_count("2020-03-23", "2020-04-01"),
    )
    pupils = DEFAULT["sources"]["school_attendance"]["pupils"]["2020-03-23..2020-05-31"]
    expected = (before + after * pupils) / (before + after)
    assert _effect(small, "school_attendance_rate", "all", "all", "2020-03") == pytest.approx(
        expected, abs=1e-6
    )
    # Spring term 2020 (1 January to 15 April): 60 school days, the last 10 at 0.05.
    holidays = ["2020-01-01", "2020-01-02", "2020-01-03"] + [f"2020-02-{d}" for d in range(10, 15)]
    holidays += [f"2020-04-{d:02d}" for d in range(6, 16)]
    term = np.busday_count("2020-01-01", "2020-04-16", holidays=holidays)
    closed = np.busday_count("2020-03-23", "2020-04-16", holidays=holidays)
    suspensions = DEFAULT["sources"]["school_census"]["suspensions"]["2020-03-23..2020-07-31"]
    spring = (term - closed + closed * suspensions) / term
    assert (term, closed) == (60, 10)
    for month in ("2020-01", "2020-03"):
        assert _effect(small, "suspensions", "all", "all", month) == pytest.approx(spring, abs=1e-6)
    # A calendar-day measure: 22 days at 1 and 9 at 0.5 in March.
    path = tmp_path / "part.yaml"
    shock = '      "2020-03-23..2020-05-31": 0.5\n'
    path.write_text("name: part\nsources:\n  ae_attendances:\n    attendances:\n" + shock, "utf-8")
    run = generate(
        tmp_path / "out", seed=1, children=1_000, start="2020-01", end="2020-06", scenario=path
    )
    frame = _effects(run)
    assert _effect(frame, "ae_attendances", "all", "all", "2020-03") == pytest.approx(
        (22 + 9 * 0.5) / 31, rel=1e-3
    )
    assert _effect(frame, "ae_attendances", "all", "all", "2020-04") == 0.5
    assert _effect(frame, "referrals", "all", "all", "2020-04") == 1.0


def test_no_shock_scenario_is_all_one_and_clean(small: pd.DataFrame, tmp_path: Path) -> None:
    out = tmp_path / "x"
    args = ["generate", "--scenario", str(SCENARIOS / "no_shock.yaml"), "--out", str(out)]
    assert main([*args, "--children", "2000", "--start", "2019-04", "--end", "2020-06"]) == 0
    clean = pd.read_csv(out / "_truth" / "injected_effects.csv", dtype=str, keep_default_na=False)
    assert (clean["true_effect"] == "1.0").all()
    keys = ["indicator_id", "breakdown_dimension", "breakdown_value"]
    assert set(map(tuple, clean[keys].values)) == set(map(tuple, small[keys].values))
    with (out / "_truth" / "defects.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.reader(handle))) == 1  # the header only


@pytest.mark.parametrize("text", ["", "defects:\n", "defects: []\n"])
def test_absent_or_empty_defects_are_accepted(tmp_path: Path, text: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("name: t\n" + text, encoding="utf-8")
    assert load_scenario(path, GROUPS).defects == ()


@pytest.mark.parametrize(
    "text", ["defects: oops\n", "defects: {kind: gap_month}\n", "defects: [1]\n"]
)
def test_malformed_defects_are_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("name: t\n" + text, encoding="utf-8")
    with pytest.raises(ValueError, match="defects is a list of mappings"):
        load_scenario(path, GROUPS)


def test_realised_referrals_follow_the_effect(tmp_path: Path) -> None:
    """Counts in the generated data against the same months of 2017-2019 (loose: the
    comparison carries noise and Easter's move between March and April)."""
    run = generate(
        tmp_path, seed=42, children=200_000, start="2017-04", end="2020-06", partner_sources=False
    )
    effects = _effects(run)
    truth = pd.read_csv(tmp_path / "_truth" / "cin_referrals_monthly_by_source_group.csv")
    truth["ym"] = truth["month"].str[:7]

    def ratio(rows: pd.DataFrame, months: tuple[str, ...]) -> float:
        base = rows[rows["ym"].isin([f"{y}-{m}" for y in (2017, 2018, 2019) for m in months])]
        return rows[rows["ym"].isin([f"2020-{m}" for m in months])]["referrals"].sum() / (
            base["referrals"].sum() / 3
        )

    schools = truth[truth["source_group"] == "schools"]
    assert ratio(schools, ("04", "05")) == pytest.approx(0.20, abs=0.06)
    spring = [_effect(effects, "referrals", "all", "all", f"2020-0{m}") for m in (4, 5, 6)]
    assert ratio(truth, ("04", "05", "06")) == pytest.approx(np.mean(spring), abs=0.04)


def test_realised_partner_data_follow_the_effect(
    small_run: GenerationSummary, small: pd.DataFrame
) -> None:
    truth = small_run.out_dir / "_truth"
    ae = pd.read_csv(truth / "ae_attendances_monthly.csv").set_index(["month", "measure"])["value"]
    realised = ae["2020-04", "rows"] / ae["2019-04", "rows"]
    assert realised == pytest.approx(
        _effect(small, "ae_attendances", "all", "all", "2020-04"), abs=0.1
    )
    school = pd.read_csv(truth / "school_attendance_daily_monthly.csv").set_index(
        ["month", "measure"]
    )
    rate = school["value"]
    realised = rate["2020-05", "attendance_rate"] / rate["2019-05", "attendance_rate"]
    assert realised == pytest.approx(
        _effect(small, "school_attendance_rate", "all", "all", "2020-05"), abs=0.01
    )
