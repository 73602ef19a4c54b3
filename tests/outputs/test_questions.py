"""The questions register: the rule table chooses the most specific question, bad rules are
refused with where and how to fix them, and every change outside its range since the first
lockdown is in the register once, with evidence that matches the mart."""

import pandas as pd
import pytest

from orchestration.outputs.questions import RULES_FILE, RuleError, choose_rule, load_rules


def finding(indicator_id, family, dimension, value, direction):
    return pd.Series(
        {
            "indicator_id": indicator_id,
            "family": family,
            "breakdown_dimension": dimension,
            "breakdown_value": value,
            "direction": direction,
        }  # fmt: skip
    )


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (("referrals", "social_care", "source_group", "schools", "below"), "classrooms"),
        (("referrals", "social_care", "all", "all", "below"), "seen and referred"),
        (("referrals", "social_care", "age_band", "under_1", "below"), "Which age groups"),
        (("referrals", "social_care", "source_group", "police", "below"), "seen and recorded"),
        (("suspensions", "education", "all", "all", "above"), "What is behind the rise?"),
        (("an_analysts_own", "other", "all", "all", "below"), "What explains this change?"),
    ],
)  # fmt: skip
def test_the_most_specific_rule_asks_the_question(case, expected):
    assert expected in choose_rule(load_rules(), finding(*case)).question


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("referrals,,sideways,Why?", "direction 'sideways' must be one of"),
        ("referrals,,below,Why {child}?", "unknown placeholder(s) ['child']"),
        (",,below,Why?", "'indicator' and 'question' are required"),
    ],
)
def test_a_bad_rule_is_refused_with_its_line_and_the_fix(tmp_path, row, message):
    rules = tmp_path / "rules.csv"
    rules.write_text(RULES_FILE.read_text() + row + "\n")
    lines = len(rules.read_text().splitlines())
    with pytest.raises(RuleError, match=rf"rules.csv, line {lines}: .*") as error:
        load_rules(rules)
    assert message in str(error.value)


def test_a_rule_table_without_a_fallback_is_refused(tmp_path):
    rules = tmp_path / "rules.csv"
    rules.write_text("indicator,breakdown,direction,question\nreferrals,,below,Why?\n")
    with pytest.raises(RuleError, match="fallback row"):
        load_rules(rules)


@pytest.fixture(scope="module")
def register(built):
    return pd.read_csv(built / "outputs" / "questions.csv", dtype=str, keep_default_na=False)


def expand(register):
    months = set()
    for row in register.itertuples():
        for month in pd.period_range(row.first_month, row.last_month, freq="M"):
            key = (row.indicator_id, row.breakdown_dimension, row.breakdown_value, str(month))
            assert key not in months, key
            months.add(key)
    return months


@pytest.mark.slow
def test_every_change_since_the_first_lockdown_is_in_the_register_once(register, warehouse):
    flagged = set(
        warehouse.execute(
            "select indicator_id, breakdown_dimension, breakdown_value, strftime(month, '%Y-%m')"
            " from marts.rpt_indicator_vs_baseline where flag in ('below', 'above')"
            " and month >= (select min(month) from marts.dim_month where period_id is not null)"
        ).fetchall()
    )
    assert len(flagged) > 20
    assert expand(register) == flagged
    assert list(register["rank"].astype(int)) == list(range(1, len(register) + 1))


@pytest.mark.slow
def test_the_evidence_of_a_count_is_the_mart_summed_over_its_months(register, warehouse):
    visible = register[(register["recorded"] != "c") & (register["expected_low"] != "c")]
    counts = visible[
        visible["indicator_id"].isin(["ae_attendances", "referrals", "police_incidents"])
    ]
    assert len(counts) >= 1
    for row in counts.itertuples():
        recorded, low, high, expected = warehouse.execute(
            "select sum(value), sum(expected_low), sum(expected_high), sum(expected_value)"
            " from marts.rpt_indicator_vs_baseline where indicator_id = ?"
            " and breakdown_dimension = ? and breakdown_value = ?"
            " and strftime(month, '%Y-%m') between ? and ?",
            [row.indicator_id, row.breakdown_dimension, row.breakdown_value, row.first_month,
             row.last_month],
        ).fetchone()  # fmt: skip
        assert row.recorded == f"{recorded:,.0f}"
        assert (row.expected_low, row.expected_high) == (f"{low:,.0f}", f"{high:,.0f}")
        change = 100 * (recorded - expected) / expected
        assert float(row.percent_change) == pytest.approx(change, abs=0.05)
        assert (
            f"{abs(change):.0f}% {row.direction} the expected value in {row.months}" in row.evidence
        )


@pytest.mark.slow
def test_within_a_confidence_level_larger_changes_rank_first(register):
    for _, rows in register[register["percent_change"] != "c"].groupby("confidence"):
        sizes = rows.sort_values("rank", key=lambda r: r.astype(int))["percent_change"]
        sizes = sizes.astype(float).abs().tolist()
        assert sizes == sorted(sizes, reverse=True)


@pytest.mark.slow
def test_a_data_quality_caveat_travels_with_the_question_and_lowers_confidence(warehouse):
    from orchestration.outputs import questions
    from orchestration.outputs.briefing import quality_section
    from orchestration.outputs.published import publishable, read_marts

    marts = read_marts(warehouse)
    tables = publishable(marts)
    clean = questions.register(tables["vs_baseline"], marts.indicators, None)
    top = clean[clean["confidence"] == "high"].iloc[0]
    source = marts.indicators.set_index("indicator_id").at[top.indicator_id, "source"]
    dq_summary = pd.DataFrame(
        {
            "area_code": [top.area_code, top.area_code],
            "source": [source, source],
            "month": pd.to_datetime([f"{top.first_month}-01", "2016-04-01"]),
            "traffic_light": ["amber", "green"],
            "reasons": ["referral source missing on 9% of records", ""],
        }
    )
    caveated = questions.register(tables["vs_baseline"], marts.indicators, dq_summary)
    same = caveated[
        (caveated["indicator_id"] == top.indicator_id)
        & (caveated["breakdown_value"] == top.breakdown_value)
        & (caveated["first_month"] == top.first_month)
    ].iloc[0]
    assert top.caveat == ""  # high confidence: no caveat before
    assert same.caveat == f"{source} amber: referral source missing on 9% of records"
    assert same.confidence == "medium" and "data-quality caveat" in same.confidence_reasons
    section = quality_section(dq_summary)
    assert "1 green, 1 amber, 0 red" in section and "referral source missing" in section
