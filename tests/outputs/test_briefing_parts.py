"""The parts of the briefing, without a warehouse: labels from the code lists, the caveats in
the data-quality section, a chart's unit and legend, the comparison columns old and new, and
the print stylesheet."""

import csv
import re

import pandas as pd
import pytest

from orchestration.outputs import labels
from orchestration.outputs.briefing import months_covered
from orchestration.outputs.briefing_families import change, expected_columns
from orchestration.outputs.briefing_style import CSS
from orchestration.outputs.caveats import collect, quality_section
from orchestration.outputs.charts import Band, Chart, Line, Shade, figure

RAW = ["La services", "Gp", "False", "True", "By is uasc", "M", "F", "U", "_"]


def seed_column(seed: str, column: str) -> set[str]:
    with (labels.SEEDS_DIR / f"{seed}.csv").open(encoding="utf-8", newline="") as handle:
        return {row[column] for row in csv.DictReader(handle)}


@pytest.mark.parametrize("dimension", sorted(labels.GROUPED_BY))
def test_every_group_of_a_seed_has_a_label_and_every_label_a_group(dimension):
    seed, column = labels.GROUPED_BY[dimension]
    assert set(labels.GROUP_LABELS[dimension]) == seed_column(seed, column)


def test_every_breakdown_of_the_project_has_a_name_and_a_code_list():
    project = labels.project_vars()
    dimensions = [*project["breakdown_code_lists"], *project["decoded_breakdowns"]]
    for dimension in dimensions:
        assert dimension in labels.DIMENSIONS, dimension
        assert dimension.startswith("is_") or labels.code_lists()[dimension], dimension
    every_label = [
        label for known in labels.code_lists().values() for label in known.values()
    ] + list(labels.DIMENSIONS.values())
    assert [raw for raw in every_label if raw in RAW or "_" in raw] == []


@pytest.mark.parametrize(
    ("dimension", "value", "expected"),
    [
        ("source_group", "la_services", "LA services"),
        ("referral_source_code", "gp", "GP"),
        ("primary_need_code", "N1", "Abuse or neglect"),
        ("sex", "M", "Male"),
        ("sex", "U", "Not known or indeterminate"),
        ("is_uasc", "false", "No"),
        ("is_uasc", "True", "Yes"),
        ("age_band", "16_and_over", "16 and over"),
        ("ethnicity_major_group", "White", "White"),
        ("locality", "not_known", "Not known"),
        ("primary_need_code", "invalid_code", "Invalid or unknown code"),
        ("all", "all", "All"),
        # a decoded breakdown's value the code list lacks: readable, never an error
        ("source_group", "new_group", "Code new_group (not in the code list)"),
        ("age_band", None, "Code None (not in the code list)"),
        # a delivered code field's: never shown as itself
        ("primary_need_code", "Jane Doe", "Invalid or unknown code"),
        ("a_new_breakdown", "x", "Invalid or unknown code"),
    ],
)
def test_a_group_is_named_by_its_code_list(dimension, value, expected):
    assert labels.label(dimension, value) == expected


def test_dimensions_and_units_have_human_names():
    assert labels.dimension_label("source_group") == "Referral source"
    assert labels.dimension_label("is_uasc") == "Unaccompanied asylum-seeking"
    assert labels.dimension_label("placement_group_code") == "Placement group"
    assert [labels.unit_label(u) for u in ("count", "percent", "per_10000", "days")] == [
        "Number", "Per cent", "Per 10,000 children", "Days",
    ]  # fmt: skip
    assert labels.source_label("cin_census") == "Children in need census (DfE)"
    assert labels.source_label("school_census_export") == (
        "School census as schools' systems export it"
    )


def test_months_are_named_compactly_and_in_order():
    months = pd.to_datetime(["2020-06-01", "2016-04-01", "2020-04-01", "2020-05-01", "2020-09-01"])
    assert labels.month_runs(list(months)) == "Apr 2016; Apr\u2013Jun, Sep 2020"


def dq(rows):
    return pd.DataFrame(
        rows, columns=["area_code", "source", "month", "traffic_light", "reasons"]
    ).assign(month=lambda f: pd.to_datetime(f["month"]))


REASONS = dq(
    [
        ("938", "cin_census", "2020-06-01",
         "red", "primary need missing on 19.9% of referrals; closure date before referral on 1"),
        ("938", "cin_census", "2016-04-01", "amber", "primary need missing on 7.1% of referrals"),
        ("938", "cin_census", "2019-11-01", "amber", "closure date before referral on 1"),
        ("938", "cin_census", "2020-07-01", "green", ""),
        ("938", "ssda903", "2020-04-01", "amber", "category of need missing on 9.4% of episodes"),
    ]
)  # fmt: skip


def caveated_months(reasons: pd.DataFrame) -> pd.DataFrame:
    """The comparison mart's rows for one indicator, its caveat the source-month's reasons."""
    months = pd.date_range("2016-04-01", "2020-09-01", freq="MS")
    by_month = reasons[reasons["source"] == "cin_census"].set_index("month")["reasons"]
    return pd.DataFrame(
        {
            "area_code": "938", "indicator_id": "referrals", "breakdown_dimension": "all",
            "breakdown_value": "all", "month": months,
            "dq_caveat": [by_month.get(m) or None for m in months],
        }
    )  # fmt: skip


def test_each_caveat_is_written_once_with_its_months_in_order():
    indicators = pd.DataFrame({"indicator_id": ["referrals"], "source": ["cin_census"]})
    caveats = collect(caveated_months(REASONS), indicators, REASONS)
    # the page shows the series (a chart asks for its months): its caveats are written
    assert caveats.months(("938", "referrals", "all", "all")) == list(
        pd.to_datetime(["2016-04-01", "2019-11-01", "2020-06-01"])
    )
    section = quality_section(REASONS, caveats)
    cells = re.findall(r'<td class="caveat-text">([^<]*)</td><td>([^<]*)</td>', section)
    # no figure on the page reads the SSDA903 category of need: it is not written
    assert cells == [
        ("primary need missing on \u2026 of referrals", "2016: Apr 7.1%; 2020: Jun 19.9%"),
        ("closure date before referral on 1", "Nov 2019; Jun 2020"),
    ]
    assert "1 green, 3 amber, 1 red" in section
    # the lights are the source-month's, given once in the source's heading
    headings = [
        re.sub(r"<[^>]+>", "", h) for h in re.findall(r'"group"><th[^>]*>(.*?)</th>', section)
    ]
    assert headings == ["Children in need census (DfE) (red Jun 2020; amber Apr 2016; Nov 2019)"]
    pointer = caveats.pointer(caveats.months(("938", "referrals", "all", "all")))
    assert "Apr 2016; Nov 2019; Jun 2020" in pointer and 'href="#quality"' in pointer
    assert caveats.pointer([]) == ""


def test_the_section_stands_without_the_marts_or_the_summary():
    assert "1 green, 3 amber, 1 red" in quality_section(REASONS)
    assert "No data-quality summary" in quality_section(None)


def a_chart(unit: str, caveats: list[int]) -> str:
    months = list(pd.date_range("2019-04-01", periods=6, freq="MS"))
    band = Band([1.0, 1, None, 1, 1, 1], [3.0, 3, None, 3, 3, 3], "Expected range (95% ...)")
    return figure(
        Chart("chart-x", months, [Line("Recorded", [2.0, 2, 5, None, 2, 2])], unit,
              [Shade(1, 2, "First national lockdown", "lockdown"),
               Shade(3, 3, "After the first lockdown", "recovery")],
              band, caveats, {"indicator": "x", "breakdown": "all"})
    )  # fmt: skip


@pytest.mark.parametrize(
    ("unit", "title"), [("count", "Number"), ("percent", "Per cent"), ("days", "Days")]
)
def test_a_chart_names_its_unit_and_every_mark_in_its_legend(unit, title):
    html = a_chart(unit, [2])
    assert re.search(rf'<text class="unit"[^>]*>{title}</text>', html)
    legend = re.search(r'<figcaption class="legend">(.*)</figcaption>', html).group(1)
    names = re.sub(r"<[^>]+>", "|", legend).split("|")
    assert [n for n in names if n] == [
        "Recorded", "Expected range (95% ...)", "Lockdown", "After a lockdown",
        "recording caveat, see Data quality",
    ]  # fmt: skip
    assert html.count('class="caveat-mark"') == 2  # the mark on the chart and in the legend
    assert "Caveat" not in a_chart(unit, []) and "recording caveat" not in a_chart(unit, [])


def test_the_comparison_columns_are_read_old_and_new():
    old = pd.DataFrame(columns=["expected_low", "expected_high", "baseline_hidden", "flag"])
    new = pd.DataFrame({"expected_hidden": [False], "expected_value": [1.0], "method": ["model"]})
    assert (expected_columns(old).hidden, expected_columns(old).value) == ("baseline_hidden", None)
    assert expected_columns(old).name == "Expected range"
    assert expected_columns(new).hidden == "expected_hidden"
    assert expected_columns(new).value == "expected_value"
    assert expected_columns(new).name == "Expected range (95% prediction interval)"
    short = new.assign(method="same_months")
    assert expected_columns(short).name == "Expected range (same months of earlier years)"


def test_changes_are_signed_and_zero_is_plain():
    assert change(-0.3, False) == "0%" and change(0.4, False) == "0%"
    assert ">-16%<" in change(-16.2, False) and ">+5%<" in change(4.6, False)
    assert change(12.0, True) == "c" and change(float("nan"), False) == ""


def test_the_print_stylesheet_is_a4_without_navigation():
    assert re.search(r"@page\{size:A4", CSS)
    printed = CSS[CSS.index("@media print") :]
    assert re.search(r"nav[^{]*\{display:none", printed)
    assert re.search(r"figure\.chart[^{]*\{break-inside:avoid", printed)


def test_the_months_a_source_covers_run_from_its_first_file_to_its_last():
    monthly = ["2019-05..2019-05", "2019-04..2019-04", "2021-02..2021-03"]
    assert months_covered(monthly) == "April 2019 to March 2021"
    # A collection year is April to March; a period in neither form is left out.
    assert months_covered(["2021", "2020", "unknown"]) == "April 2019 to March 2021"
    assert months_covered(["2021"]) == "April 2020 to March 2021"
    assert months_covered([]) == ""
