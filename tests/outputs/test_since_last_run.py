"""Stable question ids and what changed since the last run: the same data gives the same ids
on every run; a question keeps its id when its run grows within its period, and one month
back inside the range within a period does not split it; a change that goes away closes its
question; the last run's register is read back from its file."""

import pandas as pd

from orchestration.outputs import questions, since_last_run
from orchestration.outputs.priorities import question_id
from tests.outputs.synthetic_register import INDICATORS, lockdown, mart, series


def first_run() -> pd.DataFrame:
    return mart(
        series("referrals", lockdown(800), 1000, 60),
        series("ae_attendances", {"2020-05": 4000, "2020-06": 4000}, 5000, 200),
        series("cla_placement_moves", {"2020-08": 70}, 40, 12),
    )


def ids(frame: pd.DataFrame) -> dict[tuple, str]:
    register = questions.build(frame, INDICATORS).register
    keys = zip(register["indicator_id"], register["first_month"], strict=True)
    return dict(zip(keys, register["question_id"], strict=True))


def test_the_same_data_gives_the_same_ids():
    assert ids(first_run()) == ids(first_run())
    assert ids(first_run()) == ids(first_run().sample(frac=1, random_state=3))  # any row order
    assert len(set(ids(first_run()).values())) == 3


def test_an_id_is_the_series_period_and_direction():
    key = ("938", "referrals", "all", "all")
    assert question_id(key, "lockdown_1", "below") == question_id(key, "lockdown_1", "below")
    others = [
        question_id(key, "lockdown_1", "above"),
        question_id(key, "recovery_1", "below"),
        question_id(("938", "referrals", "age_band", "under_1"), "lockdown_1", "below"),
    ]
    assert len({question_id(key, "lockdown_1", "below"), *others}) == 4  # fmt: skip


def test_a_run_that_starts_earlier_in_its_period_keeps_its_id():
    before = ids(first_run())
    grown = first_run()
    grown.loc[(grown["indicator_id"] == "ae_attendances") & (grown["month"] == "2020-04-01"),
              ["value", "flag"]] = [4000, "below"]  # fmt: skip
    after = ids(grown)
    assert after[("ae_attendances", "2020-04")] == before[("ae_attendances", "2020-05")]


def test_one_month_back_inside_a_period_does_not_make_two_questions():
    register = questions.build(
        mart(
            # Below in April and June, back inside in May: one change in the lockdown.
            series("referrals", {"2020-04": 800, "2020-06": 800}, 1000, 60),
            # Below in June (the lockdown) and August (after it): two questions.
            series("ae_attendances", {"2020-06": 4000, "2020-08": 4000}, 5000, 200),
        ),
        INDICATORS,
    ).register.set_index("indicator_id")
    referrals = register.loc["referrals"]
    assert (referrals["first_month"], referrals["last_month"]) == ("2020-04", "2020-06")
    assert "in April to June 2020, 2 of its 3 months outside the range" in referrals["evidence"]
    assert referrals["recorded"] == "2,600"  # May counted too: the months between are evidence
    assert list(register.loc["ae_attendances", "first_month"]) == ["2020-06", "2020-08"]


def test_new_and_closed_questions_since_the_last_run(tmp_path):
    last = questions.build(first_run(), INDICATORS).register
    last.to_csv(tmp_path / since_last_run.REGISTER_NAME, index=False)
    since_last_run.keep_previous(tmp_path)
    now_frame = first_run()
    moves = now_frame["indicator_id"] == "cla_placement_moves"
    now_frame.loc[moves, ["value", "flag"]] = [40, "within"]  # the change went away
    now_frame = mart(now_frame, series("referrals", lockdown(50), 200, 25, "source_group",
                                       "schools"))  # fmt: skip
    now = questions.build(now_frame, INDICATORS).register
    since = since_last_run.compare(now, since_last_run.read_previous(tmp_path))
    assert since.previous_found and since.continuing == 2
    assert list(since.new["breakdown_value"]) == ["schools"]
    assert list(since.closed["indicator_id"]) == ["cla_placement_moves"]
    assert "schools" in set(since.entered_priority["breakdown_value"])
    unchanged = since_last_run.compare(last, since_last_run.read_previous(tmp_path))
    assert (len(unchanged.new), len(unchanged.closed), unchanged.continuing) == (0, 0, 3)


def test_no_previous_register_or_one_without_ids_is_a_first_run(tmp_path):
    assert since_last_run.read_previous(tmp_path) is None
    pd.DataFrame({"rank": [1], "question": ["Why?"]}).to_csv(
        tmp_path / since_last_run.PREVIOUS_NAME, index=False
    )
    assert since_last_run.read_previous(tmp_path) is None
    register = questions.build(first_run(), INDICATORS).register
    assert not since_last_run.compare(register, None).previous_found
