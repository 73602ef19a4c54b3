"""A comparison mart written by hand, for tests of the questions register whose right answer
is known: each series is given its recorded values, expected values and interval half-width
per month, and is flagged the way the mart flags (outside the interval)."""

import pandas as pd

AREA = "938"
# Three baseline months, then the first lockdown (April to June 2020) and the months after.
MONTHS = pd.date_range("2020-01-01", "2020-09-01", freq="MS")
PERIODS = {4: "lockdown_1", 5: "lockdown_1", 6: "lockdown_1", 7: "recovery_1", 8: "recovery_1"}
LABELS = {"lockdown_1": "First national lockdown", "recovery_1": "After the first lockdown"}
INDICATORS = pd.DataFrame(
    [
        ("referrals", "Referrals to children's social care", "social_care", "cin_census", "count"),
        ("ae_attendances", "A&E attendances of children under 18", "health", "ae_attendances",
         "count"),
        ("cla_placement_moves", "Placement moves of children looked after", "social_care",
         "ssda903", "count"),
        ("an_analysts_own", "An indicator without a question yet", "other", "cin_census", "count"),
        ("referrals_per_10000", "Referrals per 10,000 children", "social_care", "cin_census",
         "per_10000"),
    ],
    columns=["indicator_id", "label", "family", "source", "unit"],
).assign(months_covered=1)  # fmt: skip


def series(
    indicator: str,
    values: dict[str, float],
    expected: float,
    half_width: float,
    dimension: str = "all",
    value: str = "all",
    **columns: object,
) -> pd.DataFrame:
    """One series over MONTHS: `values` maps 'YYYY-MM' to the recorded value (other months
    record the expected value)."""
    catalogue = INDICATORS.set_index("indicator_id").loc[indicator]
    rows = []
    for month in MONTHS:
        recorded = values.get(f"{month:%Y-%m}", expected)
        low, high = expected - half_width, expected + half_width
        flag = "below" if recorded < low else "above" if recorded > high else "within"
        period = PERIODS.get(month.month)
        rows.append({
            "area_code": AREA, "month": month, "period_id": period,
            "period_label": LABELS.get(period), "indicator_id": indicator,
            "indicator": catalogue["label"], "family": catalogue["family"],
            "unit": catalogue["unit"], "breakdown_dimension": dimension,
            "breakdown_value": value, "numerator": recorded, "denominator": None,
            "value": recorded, "method": "model", "expected_value": expected,
            "expected_low": low, "expected_high": high, "flag": flag,
            "not_assessed_reason": None, "baseline_mean_base_count": expected,
            "dq_caveat": None, "value_hidden": False, "expected_hidden": False,
        } | columns)  # fmt: skip
    return pd.DataFrame(rows)


def mart(*frames: pd.DataFrame) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True)


def lockdown(value: float) -> dict[str, float]:
    """The same recorded value in April, May and June 2020."""
    return dict.fromkeys(["2020-04", "2020-05", "2020-06"], value)
