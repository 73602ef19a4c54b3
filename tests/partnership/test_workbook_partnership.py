"""The workbook's partnership sheets: the briefing's tables, published the same way (the
survey's small count and the audit's small grades as 'c', a review's figures withheld where
its months are), each an Excel table, codes as words; none before a return came back."""

import pandas as pd
from openpyxl import load_workbook

from orchestration.outputs.partnership_published import WITHHELD, Partnership
from orchestration.outputs.workbook import write_workbook
from orchestration.outputs.workbook_partnership import partnership_sheets
from tests.partnership.test_briefing_partnership import INDICATORS, partnership, vs_baseline

EXPORTS = {
    "indicators_monthly": pd.DataFrame(
        {
            "family": ["social_care"],
            "indicator": ["Referrals"],
            "unit": ["count"],
            "month": ["2026-01"],
            "value": ["120"],
        }  # fmt: skip
    ),
    "periods_vs_baseline": pd.DataFrame({"indicator": ["Referrals"], "value": ["c"]}),
    "published_benchmarks": pd.DataFrame({"indicator": ["Referrals"], "computed": ["40"]}),
}


def rows_of(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_the_partnership_tables_are_sheets_after_the_indicators(tmp_path):
    sheets = partnership_sheets(partnership(), INDICATORS, vs_baseline(hidden_group="schools"))
    target = tmp_path / "book.xlsx"
    write_workbook(EXPORTS, target, partnership=sheets)
    book = load_workbook(target)
    assert book.sheetnames == [
        "About", "Social care", "Periods vs baseline", "Benchmarks", "Partnership questions",
        "Survey results", "Focus groups and interviews", "Case-file audits", "Shared plan",
        "Action review",
    ]  # fmt: skip
    for title in book.sheetnames[4:]:
        assert len(book[title].tables) == 1 and book[title].freeze_panes == "A2"

    questions = {r["Question id"]: r for r in rows_of(book["Partnership questions"])}
    assert questions["Q00000000a1"]["Status"] == "Under enquiry"
    assert questions["Q00000000a1"]["Owner partner"] == "Social care"
    assert questions["Q00000000b2"]["Still outside"] is False

    survey = {
        (r["Survey question"], r["Response option"]): r for r in rows_of(book["Survey results"])
    }
    safe = "I felt able to raise a concern"
    assert (survey[(safe, "disagree")]["Count"], survey[(safe, "agree")]["Count"]) == ("c", 150)
    assert survey[(safe, "agree")]["Respondents answering"] == 200

    audits = {(r["Measure"], r["Code"]): r["Cases"] for r in rows_of(book["Case-file audits"])}
    assert (
        audits[("Grade", "Inadequate")] == "c" and audits[("Finding", "Risk recognised late")] == 12
    )

    plan = {r["Action id"]: r for r in rows_of(book["Shared plan"])}
    assert (plan["A1"]["Review overdue"], plan["A1"]["Days overdue"]) == (True, 44)
    assert plan["A1"]["Lead partner"] == "Social care"

    review = rows_of(book["Action review"])
    schools = [r for r in review if r["Group"] == "Schools"]
    assert [(r["Verdict"], r["Reason"]) for r in schools] == [("too early", WITHHELD)]
    assert {r["Indicator"] for r in review} == {"Referrals"}


def test_before_any_return_the_workbook_has_no_partnership_sheet(tmp_path):
    assert partnership_sheets(Partnership.empty(), INDICATORS, vs_baseline()) == {}
    target = tmp_path / "book.xlsx"
    write_workbook(EXPORTS, target, partnership={})
    assert load_workbook(target).sheetnames == [
        "About", "Social care", "Periods vs baseline", "Benchmarks"
    ]  # fmt: skip
