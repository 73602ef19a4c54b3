"""The briefing's note on where the children in need and looked-after figures come from
(SSD or returns)."""

import pandas as pd

from orchestration.outputs.record_sources import record_sources_note


def reconciliation(rows: list[tuple]) -> pd.DataFrame:
    columns = ["month", "measure", "feed", "returns_records", "ssd_records", "matched_records"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["month"] = pd.to_datetime(frame["month"])
    frame["only_in_ssd"] = frame["ssd_records"] - frame["matched_records"]
    return frame


def test_the_note_names_each_source_s_months_and_how_far_they_agree():
    frame = reconciliation([
        ("2021-02-01", "referrals", "cin_census", 100, 98, 97),
        ("2021-03-01", "referrals", "cin_census", 100, 102, 100),
        ("2021-03-01", "icpcs", "cin_census", 7, 7, 7),
        ("2021-04-01", "referrals", "ssd", None, 90, None),
        ("2021-05-01", "referrals", "ssd", None, 95, None),
        ("2021-07-01", "referrals", "ssd", None, 80, None),
    ])  # fmt: skip
    note = record_sources_note(frame)
    assert "from the Children in need census (DfE) for February 2021 to March 2021" in note
    assert "Standard Safeguarding Dataset extract for Apr–May, Jul 2021" in note
    # 197 of the returns' 200 referrals are the SSD's; 3 referrals are only in the SSD.
    assert "the SSD holds 98.5% of the returns' 200 referrals" in note
    assert "and fewer than 5 referrals the returns do not" in note
    assert "Looked-after" not in note  # no SSD episodes of care in these rows


def test_the_looked_after_figures_have_their_own_paragraph():
    frame = reconciliation([
        ("2021-03-01", "referrals", "cin_census", 100, 100, 100),
        ("2021-03-01", "care_episodes_started", "ssda903", 40, 41, 40),
        ("2021-04-01", "care_episodes_started", "ssd", None, 38, None),
    ])  # fmt: skip
    children_in_need, looked_after = record_sources_note(frame).split("</p>")[:2]
    assert "the SSD holds 100.0% of the returns' 100 referrals" in children_in_need
    assert looked_after.startswith("<p>Looked-after figures")
    assert "from the Children looked after return SSDA903 (DfE) for March 2021" in looked_after
    assert "Standard Safeguarding Dataset extract for April 2021" in looked_after
    assert "In the month both cover, the SSD holds 100.0% of the returns' 40" in looked_after
    assert "fewer than 5 episodes of care the returns do not" in looked_after


def test_no_note_without_an_ssd_extract_and_no_agreement_without_a_shared_month():
    returns_only = reconciliation([("2021-03-01", "referrals", "cin_census", 100, None, None)])
    assert record_sources_note(returns_only) == ""
    assert record_sources_note(None) == ""
    ssd_only = reconciliation([("2021-04-01", "referrals", "ssd", None, 90, None)])
    note = record_sources_note(ssd_only)
    assert "Standard Safeguarding Dataset extract for April 2021" in note
    assert "both cover" not in note and "census (DfE)" not in note
