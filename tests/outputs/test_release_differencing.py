"""Suppression attacked across releases: an attacker holds every release (the same data
published twice, then four releases each with one more month) and solves every total they
publish, of every release at once, by linear algebra. Nothing hidden may come back."""

import numpy as np
import pandas as pd
import pytest

from orchestration.outputs.published import SERIES, Marts, publishable
from tests.outputs.linear_attack import determined

AREA = "938"
MONTHS = pd.date_range("2018-04-01", "2021-03-01", freq="MS")
# A period still running at the end of the data: it gains a month with every release.
PERIODS = {
    "lockdown_1": ("2020-04-01", "2020-06-01"),
    "recovery": ("2020-10-01", "2021-03-01"),
}
GROUPS = {"schools": 0.6, "health": 1.8, "police": 3.0, "la_services": 6.0, "individuals": 6.0,
          "other": 9.0}  # fmt: skip
INDICATORS = {"referrals": "count", "referrals_nfa": "percent"}


def month_table() -> pd.DataFrame:
    period = pd.Series(None, index=MONTHS, dtype=object)
    for period_id, (start, end) in PERIODS.items():
        period[MONTHS.to_series().between(start, end).to_numpy()] = period_id
    return pd.DataFrame(
        {
            "month": MONTHS,
            "period_id": period.to_numpy(),
            "year_ending_march": MONTHS.year + (MONTHS.month >= 4),
        }
    )


def full_history(seed: int = 7) -> pd.DataFrame:
    """Monthly counts per group, with an `all` row that is their sum; the share's
    denominator is the count indicator's numerator."""
    rng = np.random.default_rng(seed)
    rows = []
    for month in MONTHS:
        referrals = {group: int(rng.poisson(mean)) for group, mean in GROUPS.items()}
        nfa = {group: int(rng.binomial(count, 0.4)) for group, count in referrals.items()}
        for indicator, numerators, denominators in (
            ("referrals", referrals, dict.fromkeys(referrals)),
            ("referrals_nfa", nfa, referrals),
        ):
            for group in GROUPS:
                rows.append((indicator, "source_group", group, month, numerators[group],
                             denominators[group]))  # fmt: skip
            total_denominator = None if indicator == "referrals" else sum(referrals.values())
            rows.append((indicator, "all", "all", month, sum(numerators.values()),
                         total_denominator))  # fmt: skip
    frame = pd.DataFrame(rows, columns=["indicator_id", "breakdown_dimension", "breakdown_value",
                                        "month", "numerator", "denominator"])  # fmt: skip
    frame.insert(0, "area_code", AREA)
    frame["unit"] = frame["indicator_id"].map(INDICATORS)
    return frame


def release(history: pd.DataFrame, last_month: str, shuffle_seed: int | None = None) -> Marts:
    """The marts as a build on the data up to last_month would hold them."""
    monthly = history[history["month"] <= last_month].copy()
    months = month_table()
    months = months[months["month"] <= last_month]
    in_period = monthly.merge(months[["month", "period_id"]], on="month")
    in_period = in_period[in_period["period_id"].notna()]
    periods = (
        in_period.groupby([*SERIES, "period_id", "unit"], dropna=False)[
            ["numerator", "denominator"]
        ]
        .sum(min_count=1)
        .reset_index()
    )
    yearly = monthly[(monthly["breakdown_dimension"] == "all") & (monthly["unit"] == "count")]
    yearly = yearly.merge(months[["month", "year_ending_march"]], on="month")
    benchmarks = (
        yearly.groupby(["area_code", "indicator_id", "year_ending_march"])["numerator"]
        .sum()
        .rename("computed")
        .reset_index()
    )
    if shuffle_seed is not None:
        monthly, periods, benchmarks = (
            frame.sample(frac=1, random_state=shuffle_seed) for frame in (monthly, periods,
                                                                           benchmarks)
        )  # fmt: skip
    return Marts(
        monthly=monthly.reset_index(drop=True),
        vs_baseline=monthly.assign(method="model", in_model_fit=True).reset_index(drop=True),
        periods=periods.reset_index(drop=True),
        benchmarks=benchmarks.reset_index(drop=True),
        backtest=pd.DataFrame(),
        months=months.reset_index(drop=True),
        indicators=pd.DataFrame(),
        manifest=pd.DataFrame(),
        dq_summary=None,
    )


def published(marts: Marts, tables: dict[str, pd.DataFrame], number: int) -> dict:
    """What a reader holds of one release: variable -> count, or None where it is 'c'.
    Monthly cells are the same unknowns in every release (the month's data did not change);
    a period or year is a new unknown in each release, since it may have gained a month."""
    cells = {}
    sources = ((tables["monthly"], "month", None), (tables["periods"], "period_id", number))
    for frame, when, tag in sources:
        for column in ("numerator", "denominator"):
            rows = frame[frame[column].notna()]
            for key, value, hide in zip(
                rows[[*SERIES, when]].itertuples(index=False, name=None),
                rows[column],
                rows[f"{column}_hidden"],
                strict=True,
            ):
                cells[(column, *key, tag)] = None if hide else float(value)
    bench = tables["benchmarks"]
    for area, indicator, year, value, hide in bench[
        ["area_code", "indicator_id", "year_ending_march", "computed", "computed_hidden"]
    ].itertuples(index=False, name=None):
        cells[("numerator", area, indicator, "all", "all", ("year", year), number)] = (
            None if hide else float(value)
        )
    return cells


def equations(cells: dict, marts: Marts, number: int) -> list[tuple]:
    """(total, parts) a reader can write down for one release."""
    period_of = dict(zip(marts.months["month"], marts.months["period_id"], strict=True))
    year_of = dict(zip(marts.months["month"], marts.months["year_ending_march"], strict=True))
    groups: dict = {}
    for key in cells:
        column, area, indicator, dimension, value, when, tag = key
        if tag is not None and tag != number:
            continue
        if dimension != "all":
            groups.setdefault((column, area, indicator, "all", "all", when, tag), []).append(key)
        if tag is None and period_of.get(when):
            groups.setdefault((column, area, indicator, dimension, value, period_of[when],
                               number), []).append(key)  # fmt: skip
        if tag is None and dimension == "all" and column == "numerator":
            groups.setdefault((column, area, indicator, "all", "all", ("year", year_of[when]),
                               number), []).append(key)  # fmt: skip
    return [(total, parts) for total, parts in groups.items() if total in cells]


def recovered(releases: list[tuple[Marts, dict]]) -> set:
    """Hidden cells that a reader of every release can give back: shown in another release,
    or fixed by all releases' totals at once."""
    known, hidden, system = {}, set(), []
    for number, (marts, tables) in enumerate(releases):
        cells = published(marts, tables, number)
        hidden |= {key for key, value in cells.items() if value is None}
        known.update({key: value for key, value in cells.items() if value is not None})
        system += equations(cells, marts, number)
    shown_in_another = hidden & set(known)
    return shown_in_another | determined(system, lambda key: key in hidden and key not in known)


@pytest.fixture(scope="module")
def history():
    return full_history()


def test_the_same_data_hides_the_same_cells_whatever_the_row_order(history):
    first = publishable(release(history, "2021-03-01"))
    second = publishable(release(history, "2021-03-01", shuffle_seed=3))
    for name in ("monthly", "periods", "benchmarks"):
        hidden = [c for c in first[name] if c.endswith("_hidden")]
        key = [*[c for c in first[name] if c in (*SERIES, "month", "period_id",
                                                    "year_ending_march")]]  # fmt: skip
        ordered = [t[key + hidden].sort_values(key).reset_index(drop=True)
                   for t in (first[name], second[name])]  # fmt: skip
        pd.testing.assert_frame_equal(*ordered)


def test_two_releases_of_the_same_data_give_nothing_back(history, tmp_path):
    ledger = tmp_path / "release_ledger.csv"
    releases = []
    for shuffle in (None, 5):
        marts = release(history, "2021-03-01", shuffle_seed=shuffle)
        releases.append((marts, publishable(marts, ledger)))
    assert recovered(releases) == set()


def test_four_releases_each_a_month_longer_give_nothing_back(history, tmp_path):
    ledger = tmp_path / "release_ledger.csv"
    releases = []
    for last in ("2020-12-01", "2021-01-01", "2021-02-01", "2021-03-01"):
        marts = release(history, last)
        releases.append((marts, publishable(marts, ledger)))
    hidden = sum(int(t["monthly"]["numerator_hidden"].sum()) for _, t in releases)
    assert hidden > 100
    assert recovered(releases) == set()


def test_the_attack_recovers_counts_from_releases_made_without_the_ledger(history):
    """The attacker above is a real one: releases suppressed each on its own give back."""
    releases = []
    for last in ("2020-12-01", "2021-01-01", "2021-02-01", "2021-03-01"):
        marts = release(history, last)
        releases.append((marts, publishable(marts)))
    assert len(recovered(releases)) > 5
