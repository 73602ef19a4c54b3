"""The decomposition of a headline's change by breakdown: the parts sum to the total's change,
the last part is exactly the difference between the groups' expected values and the total's,
a suppressed group is folded into that last part (so nothing hidden can be read back), and
each group is read against its total."""

import pandas as pd
import pytest

from orchestration.outputs import decomposition, questions
from tests.outputs.synthetic_register import INDICATORS, lockdown, mart, series


def summary(recorded, expected, low=None, high=None, hidden=False):
    return {
        "recorded": recorded, "expected": expected, "hidden": hidden,
        "expected_low": expected * 0.9 if low is None else low,
        "expected_high": expected * 1.1 if high is None else high,
        "percent_change": 100 * (recorded - expected) / expected,
        "events": abs(recorded - expected),
    }  # fmt: skip


def test_the_parts_sum_to_the_change_up_to_the_expected_values_difference():
    total = summary(2400, 3000)
    cells = [("schools", summary(180, 600)), ("police", summary(1020, 960)),
             ("health", summary(1200, 1500))]  # fmt: skip
    parts = decomposition.decompose("Q1", total, "source_group", cells)
    assert parts["contribution"].sum() == pytest.approx(2400 - 3000)
    # The groups' expected values add to 3,060, the total's to 3,000: the last part is that.
    assert parts["contribution"].iloc[-1] == pytest.approx(3060 - 3000)
    assert parts["group"].iloc[-1] == decomposition.MODEL_DIFFERENCE
    assert list(parts["breakdown_value"][:3]) == ["schools", "health", "police"]  # largest first
    assert parts["share_percent"].sum() == pytest.approx(100)
    assert parts.set_index("breakdown_value").at["schools", "share_percent"] == pytest.approx(70)


def test_a_suppressed_group_is_folded_into_the_last_part():
    total = summary(2400, 3000)
    cells = [("schools", summary(180, 600)), ("police", summary(1017, 960)),
             ("anonymous", summary(3, 5, hidden=True)),
             ("health", summary(1200, 1435))]  # fmt: skip
    shown = decomposition.published(decomposition.decompose("Q1", total, "source_group", cells))
    assert "anonymous" not in set(shown["breakdown_value"])
    assert shown["group"].iloc[-1] == decomposition.HIDDEN_AND_DIFFERENCE
    assert shown["contribution"].sum() == pytest.approx(-600)
    # The folded part is the total's change less the groups shown: published figures only.
    visible = (180 - 600) + (1017 - 960) + (1200 - 1435)
    assert shown["contribution"].iloc[-1] == pytest.approx(-600 - visible)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (summary(160, 200, 180, 220), "with_parent"),  # fell 20% as the total did
        (summary(60, 200, 180, 220), "more_than_parent"),
        (summary(190, 200, 180, 220), "less_than_parent"),
        (summary(260, 200, 180, 220), "against_parent"),
    ],
)
def test_a_group_is_read_against_its_total(cell, expected):
    total = summary(800, 1000)
    assert decomposition.pattern(cell, total) == expected


def test_records_moved_to_unknown_are_given_back_before_reading_a_group():
    total = summary(1000, 1000)
    cell = summary(450, 500, 460, 540)  # 10% down: outside its range
    assert decomposition.pattern(cell, total) == "more_than_parent"
    cells = [("health", cell), ("unknown", summary(190, 90))]
    shift = decomposition.recording_shift(cells, total, {"unknown"})
    assert shift == pytest.approx(0.1)
    assert decomposition.pattern(cell, total, shift) == "with_parent"


def test_every_headline_of_a_count_is_decomposed_by_each_breakdown():
    built = questions.build(
        mart(
            series("referrals", lockdown(800), 1000, 60),
            series("referrals", lockdown(60), 200, 25, "source_group", "schools"),
            series("referrals", lockdown(740), 800, 60, "source_group", "police"),
            series("referrals", lockdown(300), 400, 40, "age_band", "under_1"),
            series("referrals", lockdown(500), 600, 50, "age_band", "5_to_9"),
        ),
        INDICATORS,
    )
    headline = built.register[built.register["group"] == "All"].iloc[0]
    parts = built.decomposition[built.decomposition["question_id"] == headline["question_id"]]
    assert set(parts["dimension"]) == {"source_group", "age_band"}
    for _, rows in parts.groupby("dimension"):
        assert rows["contribution"].sum() == pytest.approx(3 * (800 - 1000))
        assert rows["contribution"].iloc[-1] == pytest.approx(0)  # the groups add up
    assert isinstance(parts, pd.DataFrame) and list(parts.columns) == (
        decomposition.DECOMPOSITION_COLUMNS
    )
