"""The briefing's data-quality section writes only the caveats of figures the page shows,
each once, months in order: a caveat of a breakdown the page does not draw, or of a month
outside what it shows, is left out; a month a source did not deliver (no figure, a gap in
its charts) carries the source's reasons on every series of the source."""

import re

import pandas as pd

from orchestration.outputs.caveats import collect, quality_section

AREA = "938"
ETHNICITY = "ethnicity missing on 12.0% of children this month against 0.5% in the baseline"
SOURCE = "referral source missing on 14.0% of referrals this month against 1.4% in the baseline"
GAP = "0 incidents this month against 1380.0 in the same month of the baseline: possible gap"
LAG = "incidents recorded 7.0 days after the event on average this month"
INDICATORS = pd.DataFrame(
    {
        "indicator_id": ["referrals", "police_incidents", "suspensions"],
        "source": ["cin_census", "police_incidents", "school_census"],
        "months_covered": [1, 1, 4],
    }
)


def rows(indicator, dimension, value, months, caveats=None):
    months = pd.to_datetime(months)
    caveats = caveats or {}
    return pd.DataFrame(
        {
            "area_code": AREA, "indicator_id": indicator, "breakdown_dimension": dimension,
            "breakdown_value": value, "month": months,
            "dq_caveat": [caveats.get(f"{m:%Y-%m}") for m in months],
        }
    )  # fmt: skip


def summary(entries):
    return pd.DataFrame(
        [(AREA, source, month, light, reasons) for source, month, light, reasons in entries],
        columns=["area_code", "source", "month", "traffic_light", "reasons"],
    ).assign(month=lambda f: pd.to_datetime(f["month"]))


MONTHS = ["2020-03-01", "2020-04-01", "2020-05-01"]
MARTS = pd.concat(
    [
        rows("referrals", "all", "all", MONTHS),
        rows("referrals", "ethnicity_major_group", "White", MONTHS, {"2020-04": ETHNICITY}),
        rows("referrals", "source_group", "schools", MONTHS, {"2020-04": SOURCE}),
        rows("police_incidents", "all", "all", ["2020-10-01", "2020-12-01"], {"2020-12": LAG}),
        rows("suspensions", "all", "all", ["2020-07-01", "2020-12-01"]),
    ],
    ignore_index=True,
)
DQ = summary(
    [
        ("cin_census", "2020-04-01", "red", f"{ETHNICITY}; {SOURCE}"),
        ("police_incidents", "2020-11-01", "red", GAP),
        ("police_incidents", "2020-12-01", "amber", LAG),
        ("school_census", "2020-09-01", "amber", "UPN missing on 4.9% of pupils this month"),
    ]
)


def written(section):
    return re.findall(r'<td class="caveat-text">([^<]*)</td><td>([^<]*)</td>', section)


def test_only_the_caveats_of_the_figures_shown_are_written():
    caveats = collect(MARTS, INDICATORS, DQ)
    # the page draws the total and the ethnicity breakdown, not the referral sources
    assert caveats.months((AREA, "referrals", "all", "all")) == []
    assert caveats.months((AREA, "referrals", "ethnicity_major_group", "White")) == [
        pd.Timestamp("2020-04-01")
    ]
    section = quality_section(DQ, caveats)
    assert written(section) == [(ETHNICITY, "Apr 2020")]
    assert "referral source" not in section
    assert "affect a figure shown here" in section and "quality.dq_findings" in section


def test_a_month_outside_what_the_page_shows_is_not_written():
    caveats = collect(MARTS, INDICATORS, DQ)
    key = (AREA, "referrals", "source_group", "schools")
    assert caveats.months(key, pd.Timestamp("2020-05-01"), pd.Timestamp("2020-05-01")) == []
    assert written(quality_section(DQ, caveats)) == []
    assert caveats.months(key, pd.Timestamp("2020-04-01")) == [pd.Timestamp("2020-04-01")]
    assert written(quality_section(DQ, caveats)) == [(SOURCE, "Apr 2020")]


def test_an_undelivered_month_caveats_every_series_of_its_source_and_a_term_does_not():
    caveats = collect(MARTS, INDICATORS, DQ)
    police = caveats.months((AREA, "police_incidents", "all", "all"))
    assert police == list(pd.to_datetime(["2020-11-01", "2020-12-01"]))
    # a termly figure has no value in most months by design: not a gap
    assert caveats.months((AREA, "suspensions", "all", "all")) == []
    section = quality_section(DQ, caveats)
    assert written(section) == [(GAP, "Nov 2020"), (LAG, "Dec 2020")]
    heading = re.sub(r"<[^>]+>", "", re.search(r'"group"><th[^>]*>(.*?)</th>', section)[1])
    assert heading == "Police incidents involving children (red Nov 2020; amber Dec 2020)"


def test_each_caveat_is_written_once_however_many_figures_carry_it():
    twice = pd.concat(
        [MARTS, rows("referrals", "ethnicity_major_group", "Asian", MONTHS, {"2020-04": ETHNICITY})]
    )
    caveats = collect(twice, INDICATORS, DQ)
    for value in ("White", "Asian"):
        caveats.months((AREA, "referrals", "ethnicity_major_group", value))
    assert written(quality_section(DQ, caveats)) == [(ETHNICITY, "Apr 2020")]


def test_the_section_on_its_own_writes_every_amber_and_red_reason():
    section = quality_section(DQ)
    texts = [text for text, _ in written(section)]
    assert len(texts) == 5 and "UPN missing on 4.9% of pupils this month" in texts
    assert "only findings" not in section.lower()
