"""The questions register: the rule table asks a specific question of every indicator and of
the patterns the seed names, chooses the most specific row and refuses bad ones with where
and how to fix them; on a built county, every change outside its range since the first
lockdown is in the register once, with evidence that matches the mart, the priority list
first, decompositions that sum to their headline's change, ids that hold from run to run."""

import shutil

import dagster as dg
import pandas as pd
import pytest

from orchestration.outputs.assets import DECOMPOSITION_NAME, briefing_html, questions_register
from orchestration.outputs.labels import SEEDS_DIR
from orchestration.outputs.question_rules import (
    RULES_FILE,
    RuleError,
    check_related,
    choose_rule,
    load_rules,
)
from orchestration.resources import build_resources


def finding(indicator_id, family, dimension, value, direction, pattern=""):
    return pd.Series(
        {
            "indicator_id": indicator_id,
            "family": family,
            "breakdown_dimension": dimension,
            "breakdown_value": value,
            "direction": direction,
            "pattern": pattern,
        }  # fmt: skip
    )


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (("referrals", "social_care", "all", "all", "below"), "Who has stopped referring"),
        (("referrals", "social_care", "source_group", "schools", "below", "more_than_parent"),
         "less visible to schools"),
        # younger children less visible
        (("referrals", "social_care", "age_band", "under_1", "below", "more_than_parent"),
         "Are babies less visible"),
        (("referrals", "social_care", "age_band", "1_to_4", "below", "more_than_parent"),
         "pre-school children less visible"),
        (("referrals", "social_care", "age_band", "5_to_9", "below", "more_than_parent"),
         "less visible than others"),
        # who still refers
        (("referrals", "social_care", "source_group", "housing", "above", "against_parent"),
         "Who still refers"),
        (("referrals", "social_care", "primary_need_code", "N3", "below", "more_than_parent"),
         "For what need do children still reach us"),
        (("s47_enquiries", "social_care", "all", "all", "below"), "converted to an enquiry"),
        (("cp_plans_started", "social_care", "all", "all", "below"), "conferences leading to"),
        (("cla_starts", "social_care", "all", "all", "above"), "known to us before"),
        (("cla_starts", "social_care", "legal_status_group", "care_order", "below",
          "more_than_parent"), "by a different route"),
        (("cla_placement_moves", "social_care", "all", "all", "above"), "placements less stable"),
        (("domestic_abuse_notified_to_social_care", "police", "all", "all", "below"),
         "not being notified to children's social care"),
        (("an_analysts_own", "other", "all", "all", "below"), "What explains this change?"),
        # a group that moved with its total, whatever its indicator
        (("ae_attendances", "health", "age_band", "5_to_9", "below", "with_parent"),
         "does what explains the total hold for age band 5 to 9 too?"),
        (("referrals", "social_care", "source_group", "unknown", "above", "recording_value"),
         "recorded as before"),
    ],
)  # fmt: skip
def test_the_most_specific_rule_asks_the_question(case, expected):
    rule = choose_rule(load_rules(), finding(*case))
    assert expected in rule.question.format(
        group="5 to 9", indicator="", months="", breakdown="age band"
    )


@pytest.mark.parametrize(
    ("indicator", "related"),
    [
        ("s47_enquiries", "referrals_leading_to_s47"),  # did conversion from referral change
        ("cp_plans_started", "icpcs"),  # ICPCs leading to plans
        ("cla_starts", "cla_starts_previously_known"),  # entries to care: known before
        ("domestic_abuse_incidents_with_children", "domestic_abuse_notified_to_social_care"),
    ],
)
def test_a_pattern_rule_quotes_the_figure_that_tells_the_story(indicator, related):
    for direction in ("below", "above"):
        rule = choose_rule(load_rules(), finding(indicator, "x", "all", "all", direction))
        assert rule.related == related


def test_every_indicator_of_the_catalogue_has_its_own_question_both_ways():
    catalogue = pd.read_csv(SEEDS_DIR / "indicators.csv")
    rules = load_rules()
    for row in catalogue.itertuples():
        for direction in ("below", "above"):
            found = finding(row.indicator_id, row.family, "all", "all", direction)
            rule = choose_rule(rules, found)
            assert rule.specific(found), (row.indicator_id, direction)
            assert "What explains" not in rule.question
    check_related(rules, catalogue)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("referrals,,sideways,,,Why?", "direction 'sideways' must be one of"),
        ("referrals,,below,,,Why {child}?", "unknown placeholder(s) ['child']"),
        (",,below,,,Why?", "'indicator' and 'question' are required"),
        ("referrals,age_band,below,younger,,Why?", "pattern 'younger' must be empty or one of"),
        ("referrals,,below,more_than_parent,,Why?", "compares a breakdown with its total"),
    ],
)
def test_a_bad_rule_is_refused_with_its_line_and_the_fix(tmp_path, row, message):
    rules = tmp_path / "rules.csv"
    rules.write_text(RULES_FILE.read_text() + row + "\n")
    lines = len(rules.read_text().splitlines())
    with pytest.raises(RuleError, match=rf"rules.csv, line {lines}: .*") as error:
        load_rules(rules)
    assert message in str(error.value)


def test_a_rule_quoting_an_unknown_indicator_or_without_a_fallback_is_refused(tmp_path):
    rules = tmp_path / "rules.csv"
    rules.write_text(RULES_FILE.read_text() + "referrals,,below,,no_such_indicator,Why?\n")
    catalogue = pd.read_csv(SEEDS_DIR / "indicators.csv")
    with pytest.raises(RuleError, match="related indicator 'no_such_indicator' is not in"):
        check_related(load_rules(rules), catalogue, rules)
    rules.write_text(
        "indicator,breakdown,direction,pattern,related,question\nreferrals,,below,,,Why?\n"
    )
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
    covered = expand(register)
    assert flagged <= covered
    for row in register.itertuples():
        for month in (row.first_month, row.last_month):  # a question starts and ends outside
            assert (row.indicator_id, row.breakdown_dimension, row.breakdown_value, month) in (
                flagged
            )
    for *series, month in covered - flagged:  # only a single month back inside, between two
        around = [str(pd.Period(month, "M") + step) for step in (-1, 1)]
        assert all((*series, m) in flagged for m in around), (series, month)
    assert list(register["rank"].astype(int)) == list(range(1, len(register) + 1))
    assert register["question_id"].is_unique


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
def test_the_priority_list_leads_and_holds_nothing_suppressed(register):
    chosen = register[register["priority"] != ""]
    assert 1 <= len(chosen) <= 10
    assert list(chosen.index) == list(range(len(chosen)))  # the first rows
    assert list(chosen["priority"].astype(int)) == list(range(1, len(chosen) + 1))
    assert (chosen["held_back"] == "").all() and (chosen["confidence"] != "low").all()
    for column in ("recorded", "expected_low", "expected_high", "percent_change"):
        assert (chosen[column] != "c").all()
    assert not chosen["question"].str.contains("What explains").any()


@pytest.mark.slow
def test_each_decomposition_sums_to_its_headline_change(built, register, warehouse):
    parts = pd.read_csv(built / "outputs" / DECOMPOSITION_NAME, keep_default_na=False)
    headlines = register.set_index("question_id")
    assert len(parts) and set(parts["question_id"]) <= set(headlines.index)
    for (question, dimension), rows in parts.groupby(["question_id", "dimension"]):
        row = headlines.loc[question]
        recorded, expected = warehouse.execute(
            "select sum(value), sum(expected_value) from marts.rpt_indicator_vs_baseline"
            " where indicator_id = ? and breakdown_dimension = 'all'"
            " and strftime(month, '%Y-%m') between ? and ?",
            [row.indicator_id, row.first_month, row.last_month],
        ).fetchone()
        rounding = 0.05 * len(rows)  # each part is given to one decimal
        assert rows["contribution"].sum() == pytest.approx(recorded - expected, abs=rounding)
        groups = warehouse.execute(
            "select sum(value), sum(expected_value) from marts.rpt_indicator_vs_baseline"
            " where indicator_id = ? and breakdown_dimension = ?"
            " and strftime(month, '%Y-%m') between ? and ?",
            [row.indicator_id, dimension, row.first_month, row.last_month],
        ).fetchone()
        assert groups[0] == pytest.approx(recorded)  # every record is in one group
        if not rows["group"].iloc[-1].startswith("Groups with small numbers"):
            assert rows["contribution"].iloc[-1] == pytest.approx(groups[1] - expected, abs=0.05)


@pytest.mark.slow
def test_ids_hold_and_the_briefing_says_what_changed_since_the_last_run(built, tmp_path):
    shutil.copy(built / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    outputs = tmp_path / "outputs"
    registers = []
    for _ in range(2):
        assert dg.materialize([questions_register, briefing_html],
                              resources=build_resources(tmp_path)).success  # fmt: skip
        registers.append(pd.read_csv(outputs / "questions.csv", dtype=str))
        page = (outputs / "briefing.html").read_text()
    assert registers[0]["question_id"].tolist() == registers[1]["question_id"].tolist()
    assert (outputs / "questions_previous.csv").read_text() == (
        outputs / "questions.csv"
    ).read_text()
    assert "0 new questions, 0 closed (in the last register, not in this one) and" in page


@pytest.mark.slow
def test_a_data_quality_caveat_travels_with_the_question_and_lowers_confidence(warehouse):
    from orchestration.outputs import questions
    from orchestration.outputs.published import publishable, read_marts

    marts = read_marts(warehouse)
    vs_baseline = publishable(marts)["vs_baseline"].assign(dq_caveat=None)
    clean = questions.register(vs_baseline, marts.indicators)
    top = clean[clean["confidence"] == "high"].iloc[0]
    months = vs_baseline["month"].dt.strftime("%Y-%m")
    same_series = (
        (vs_baseline["indicator_id"] == top.indicator_id)
        & (vs_baseline["breakdown_dimension"] == top.breakdown_dimension)
        & (vs_baseline["breakdown_value"] == top.breakdown_value)
    )
    caveated = vs_baseline.copy()
    caveated.loc[same_series & (months == top.first_month), "dq_caveat"] = (
        "referral source missing on 9% of records"
    )
    again = questions.register(caveated, marts.indicators).set_index("question_id")
    assert top.caveat == ""
    assert again.at[top.question_id, "caveat"] == "referral source missing on 9% of records"
    assert again.at[top.question_id, "confidence"] == "medium"
    assert "data-quality caveat" in again.at[top.question_id, "confidence_reasons"]
