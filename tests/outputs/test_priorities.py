"""The priority list on a comparison mart written by hand, whose right order is known: the
strongest evidence on the most important figure first, a headline before the breakdowns that
stand under it, a breakdown that moves with its total kept as evidence, and nothing
suppressed, low-confidence, a recording value, a repeat or without a question of its own."""

import pandas as pd
import pytest

from orchestration.outputs import priorities, questions
from tests.outputs.synthetic_register import INDICATORS, lockdown, mart, series


def known_mart() -> pd.DataFrame:
    return mart(
        # Referrals fell 20%, three months three half-widths and more out of their interval.
        series("referrals", lockdown(800), 1000, 60),
        # Schools fell 70%: far more than the total.
        series("referrals", lockdown(60), 200, 25, "source_group", "schools"),
        # Police rose 13% while the total fell: against it, but only just outside its range.
        series("referrals", lockdown(340), 300, 35, "source_group", "police"),
        # Health fell as the total did: evidence under the headline.
        series("referrals", lockdown(400), 500, 50, "source_group", "health"),
        # A&E fell 20% in the lockdown, and 15% again in August and September.
        series("ae_attendances", lockdown(4000) | {"2020-08": 4250, "2020-09": 4250}, 5000, 200),
        # Babies' A&E attendances vanished, on counts too small to publish.
        series("ae_attendances", lockdown(0), 3, 2, "age_band", "under_1", value_hidden=True),
        # One month of more placement moves, not far outside the range.
        series("cla_placement_moves", {"2020-07": 60}, 40, 12),
        # A large fall in an indicator nobody has written a question for.
        series("an_analysts_own", lockdown(50), 100, 10),
        # The referrals again, per 10,000 children.
        series("referrals_per_10000", lockdown(80), 100, 6),
    )


def chosen(register: pd.DataFrame) -> list[tuple[str, str, str]]:
    rows = register[register["priority"].notna()].sort_values("priority")
    return list(
        zip(rows["indicator_id"], rows["breakdown_value"], rows["first_month"], strict=True)
    )


@pytest.fixture(scope="module")
def built():
    return questions.build(known_mart(), INDICATORS)


def test_the_priority_list_is_in_the_known_order(built):
    assert chosen(built.register) == [
        ("referrals", "all", "2020-04"),
        ("referrals", "schools", "2020-04"),
        ("ae_attendances", "all", "2020-04"),
        ("ae_attendances", "all", "2020-08"),
        ("referrals", "police", "2020-04"),
    ]
    register = built.register
    assert list(register["priority"].head(5)) == [1, 2, 3, 4, 5]  # the first rows
    assert register["priority"].iloc[5:].isna().all()
    assert list(register["rank"]) == list(range(1, len(register) + 1))


def test_each_question_is_kept_back_for_its_reason(built):
    held = built.register.set_index(["indicator_id", "breakdown_value"])["held_back"]
    assert held[("referrals", "health")] == priorities.MOVES_WITH_TOTAL
    assert held[("ae_attendances", "under_1")] == priorities.SUPPRESSED_EVIDENCE
    assert held[("an_analysts_own", "all")] == priorities.NO_SPECIFIC_QUESTION
    assert held[("referrals_per_10000", "all")] == priorities.REPEATS
    placement = built.register.set_index("indicator_id").loc["cla_placement_moves"]
    assert placement["held_back"] == "" and placement["confidence"] == "low"
    assert pd.isna(placement["priority"])


def test_breakdowns_are_read_against_their_total(built):
    rows = built.register.set_index(["indicator_id", "breakdown_value"])
    assert rows.loc[("referrals", "schools"), "pattern"] == "more_than_parent"
    assert rows.loc[("referrals", "police"), "pattern"] == "against_parent"
    assert rows.loc[("referrals", "health"), ["role", "pattern"]].tolist() == [
        "evidence", "with_parent"
    ]  # fmt: skip
    headline = rows.loc[("referrals", "all")]
    for name in ("schools", "police", "health"):
        assert rows.loc[("referrals", name), "parent_id"] == headline["question_id"]
    assert (
        "Referral source: Schools \u221270%, Health services \u221220%, Police +13%"
        in (headline["breakdowns"])
    )
    assert "less visible to schools" in rows.loc[("referrals", "schools"), "question"]
    police = rows.loc[("referrals", "police"), "question"]
    assert "Police referrals held up while others fell" in police


def test_suppressed_evidence_never_reaches_the_list_however_strong():
    hidden = known_mart()
    whole = (hidden["indicator_id"] == "referrals") & (hidden["breakdown_dimension"] == "all")
    hidden.loc[whole & (hidden["month"] == "2020-05-01"), "value_hidden"] = True
    register = questions.build(hidden, INDICATORS).register
    headline = register[(register["indicator_id"] == "referrals") & (register["group"] == "All")]
    assert headline["priority"].isna().all()
    assert headline["held_back"].tolist() == [priorities.SUPPRESSED_EVIDENCE]
    assert (headline["recorded"] == "c").all() and (headline["percent_change"] == "c").all()
    assert float(headline["score"].iloc[0]) == 0  # its place says nothing of the hidden change
    assert ("referrals", "schools", "2020-04") in chosen(register)


def test_the_score_rewards_evidence_importance_size_and_confidence():
    settings = priorities.load_settings()
    base = {"indicator_id": "ae_attendances", "breakdown_dimension": "all", "hidden": False,
            "percent_change": -20.0, "strength": 9.0, "events": 1000.0}  # fmt: skip
    score = lambda level="high", **change: priorities.score(base | change, level, settings)  # noqa: E731
    assert score(strength=4.5) == pytest.approx(score() / 2)  # evidence, until it is full
    assert score(strength=20) == score()
    assert score(percent_change=-70.0) > score(percent_change=-20.0) > score(percent_change=5.0)
    assert score(indicator_id="referrals") > score() > score(indicator_id="emergency_admissions")
    assert score(breakdown_dimension="age_band") < score()  # whole-authority figures first
    assert score("high") > score("medium") > score("low")
    assert score(events=10) < score(events=100) == score(events=10_000)  # on how many children


def test_a_cap_on_the_list_and_on_one_series():
    register = questions.build(known_mart(), INDICATORS).register
    settings = priorities.load_settings() | {"priority_size": 2}
    frame = register.assign(first_month=pd.to_datetime(register["first_month"]))
    assert priorities.choose(frame, settings).dropna().tolist() == [1, 2]
    settings = priorities.load_settings() | {"per_series": 1}
    limited = frame.assign(priority=priorities.choose(frame, settings))
    assert (limited["priority"].notna() & (limited["indicator_id"] == "ae_attendances")).sum() == 1


def test_groups_are_read_net_of_records_moved_to_unknown():
    moved = mart(
        series("referrals", {}, 1000, 60),
        # 10% of records lost their source to 'Unknown': every group fell by about that much.
        series("referrals", lockdown(450), 500, 40, "source_group", "health"),
        series("referrals", lockdown(360), 400, 30, "source_group", "police"),
        series("referrals", lockdown(190), 100, 10, "source_group", "unknown"),
    )
    register = questions.build(moved, INDICATORS).register.set_index("breakdown_value")
    assert register.loc["unknown", "held_back"] == priorities.RECORDING_GROUP
    for group in ("health", "police"):
        assert register.loc[group, "held_back"] == priorities.MOVES_WITH_TOTAL
        assert (
            "9% of the total's records moved to an unrecorded referral source"
            in (register.loc[group, "confidence_reasons"])
        )
    assert register["priority"].isna().all()
