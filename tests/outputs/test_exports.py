"""The exports as an attacker and an analyst would use them: no suppressed count can be
recovered from the totals published beside it, and the workbook reads well."""

import math

import dagster as dg
import pandas as pd
import pytest
from openpyxl import load_workbook

from orchestration.outputs.assets import exports_asset
from orchestration.resources import build_resources
from tests.outputs.linear_attack import determined

pytestmark = pytest.mark.slow

COLUMNS = ("numerator", "denominator")


def read(built, name):
    """A published CSV, its authority (old_la_code) as area_code and a benchmark's year
    (time_period, the year ending March) as year_ending_march, as the marts name them."""
    frame = pd.read_csv(built / "outputs" / "exports" / name, dtype=str, keep_default_na=False)
    frame = frame.rename(columns={"old_la_code": "area_code"})
    if name == "published_benchmarks.csv":
        frame = frame.rename(columns={"time_period": "year_ending_march"})
    return frame


def published_cells(built, warehouse):
    """Every published count as (key -> float, or None where 'c'), and the totals an
    attacker can see: `all` rows over breakdowns, periods over months, years over months."""
    cells, equations = {}, []
    monthly = read(built, "indicators_monthly.csv")
    periods = read(built, "periods_vs_baseline.csv")
    benchmarks = read(built, "published_benchmarks.csv")
    # 'c' is hidden; 'z' (not applicable) and 'x' (not delivered) hold no count.
    parse = lambda text: None if text == "c" else (math.nan if text in "zx" else float(text))  # noqa: E731
    for column in COLUMNS:
        for row in monthly.itertuples():
            key = ("m", column, row.area_code, row.indicator_id, row.breakdown_dimension,
                   row.breakdown_value, row.month)  # fmt: skip
            cells[key] = parse(getattr(row, column))
        for row in periods.itertuples():
            key = ("p", column, row.area_code, row.indicator_id, row.breakdown_dimension,
                   row.breakdown_value, row.period_id)  # fmt: skip
            cells[key] = parse(getattr(row, column))
    for row in benchmarks.itertuples():
        cells[("y", row.area_code, row.indicator_id, row.year_ending_march)] = parse(row.computed)

    by_total: dict = {}
    for key in cells:
        if key[0] in ("m", "p") and key[4] != "all":
            total = (*key[:4], "all", "all", key[6])
            by_total.setdefault((total, key[4]), []).append(key)
    equations += [(total, parts) for (total, _), parts in by_total.items()]

    months = warehouse.execute(
        "select strftime(month, '%Y-%m'), period_id, year_ending_march from marts.dim_month"
    ).fetchall()
    period_of = {m: p for m, p, _ in months if p}
    year_of = {m: str(y) for m, _, y in months}
    over_months: dict = {}
    for key in cells:
        if key[0] == "m" and key[6] in period_of:
            over_months.setdefault(("p", *key[1:6], period_of[key[6]]), []).append(key)
        if key[0] == "m" and key[1] == "numerator" and key[4] == "all":
            over_months.setdefault(("y", key[2], key[3], year_of[key[6]]), []).append(key)
    equations += [(total, parts) for total, parts in over_months.items() if total in cells]
    return cells, equations


def true_counts(warehouse):
    truth = {}
    for column in COLUMNS:
        for row in warehouse.execute(
            f"select area_code, indicator_id, breakdown_dimension, breakdown_value,"
            f" strftime(month, '%Y-%m'), {column} from marts.fct_indicator_monthly"
        ).fetchall():
            truth[("m", column, *row[:5])] = row[5]
        for row in warehouse.execute(
            f"select area_code, indicator_id, breakdown_dimension, breakdown_value, period_id,"
            f" {column} from marts.rpt_period_summary"
        ).fetchall():
            truth[("p", column, *row[:5])] = row[5]
    for area, indicator, year, computed in warehouse.execute(
        "select area_code, indicator_id, year_ending_march, computed"
        " from marts.rpt_published_benchmarks"
    ).fetchall():
        truth[("y", area, indicator, str(year))] = computed
    return truth


def attack(cells, equations, truth):
    """Solve every total with one unknown, keep what turns out right, and repeat with what
    was learnt; the small counts (1 to 4) recovered."""
    known = dict(cells)
    learnt = True
    while learnt:
        learnt = False
        for total, parts in equations:
            terms = [total, *parts]
            unknown = [k for k in terms if known.get(k) is None]
            if len(unknown) != 1:
                continue
            target = unknown[0]
            rest = sum(0 if math.isnan(known[k]) else known[k] for k in parts if k != target)
            guess = (known[total] - rest) if target != total else rest
            if math.isclose(guess, truth.get(target) or 0):
                known[target] = guess
                learnt = True
    return [k for k, v in cells.items() if v is None and known[k] is not None
            and 1 <= (truth.get(k) or 0) <= 4]  # fmt: skip


def test_counts_of_one_to_four_are_published_as_c(built, warehouse):
    cells, _ = published_cells(built, warehouse)
    truth = true_counts(warehouse)
    small = [k for k, v in truth.items() if k in cells and v is not None and 1 <= v <= 4]
    assert len(small) > 100
    assert [k for k in small if cells[k] is not None] == []
    shown = [k for k, v in cells.items() if v is not None and not math.isnan(v)]
    assert all(math.isclose(cells[k], truth[k]) for k in shown)


def test_no_suppressed_count_can_be_recovered_from_the_published_totals(built, warehouse):
    cells, equations = published_cells(built, warehouse)
    truth = true_counts(warehouse)
    assert len(equations) > 1000
    assert attack(cells, equations, truth) == []


def test_no_suppressed_count_is_fixed_by_all_the_totals_solved_at_once(built, warehouse):
    """Beyond one total at a time: the whole system of published totals, by linear algebra
    (cells of different indicators or columns never share a total)."""
    cells, equations = published_cells(built, warehouse)
    hidden = {key for key, value in cells.items() if value is None}
    assert len(hidden) > 100
    component = lambda key: key[1:4] if key[0] in ("m", "p") else ("numerator", *key[1:3])  # noqa: E731
    assert determined(equations, hidden.__contains__, component) == set()


def test_the_attack_succeeds_without_secondary_suppression(built, warehouse):
    """The attacker above is a real one: on primary suppression alone it recovers counts."""
    cells, equations = published_cells(built, warehouse)
    truth = true_counts(warehouse)
    primary_only = {
        k: (truth[k] if v is None and not 1 <= (truth.get(k) or 0) <= 4 else v)
        for k, v in cells.items()
    }
    assert len(attack(primary_only, equations, truth)) > 10


def test_a_second_release_of_the_same_data_publishes_the_same_files(built):
    exports = built / "outputs" / "exports"
    before = {path.name: path.read_bytes() for path in exports.glob("*.csv")}
    assert (built / "release_ledger.csv").is_file()
    assert dg.materialize([exports_asset], resources=build_resources(built)).success
    assert {path.name: path.read_bytes() for path in exports.glob("*.csv")} == before


def test_rates_built_on_a_suppressed_count_are_suppressed(built):
    monthly = read(built, "indicators_monthly.csv")
    hidden = monthly[monthly["numerator"] == "c"]
    assert set(hidden["unit"]) >= {"count", "percent", "per_10000"}
    assert (hidden["value"] == "c").all()


def test_the_workbook_has_a_sheet_per_family_frozen_readable_headers(built):
    workbook = load_workbook(built / "outputs" / "exports" / "csc_intel_indicators.xlsx")
    assert workbook.sheetnames == [
        "About", "Education", "Health", "Linked across partners", "Police", "Social care",
        "Periods vs baseline", "Benchmarks",
    ]  # fmt: skip
    sheet = workbook["Social care"]
    headers = [c.value for c in sheet[1]]
    assert headers == ["Indicator", "Unit", "Breakdown", "Group", "Month", "Numerator",
                       "Denominator", "Value"]  # fmt: skip
    assert sheet.freeze_panes == "A2"
    values = [c.value for c in sheet["H"][1:]]  # the Value column
    assert "c" in values and any(isinstance(v, float) for v in values)
    monthly = read(built, "indicators_monthly.csv")
    assert sheet.max_row - 1 == (monthly["family"] == "social_care").sum()
