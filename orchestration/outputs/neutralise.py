"""Text a spreadsheet would run as a formula, made inert in every CSV and workbook cell."""

from __future__ import annotations

import re

import pandas as pd

# A spreadsheet reads text starting with these as a formula (OWASP's CSV injection list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: object) -> object:
    """Text a spreadsheet would run as a formula (=HYPERLINK(...), =cmd|...) gets a leading
    apostrophe, the standard prefix rule; numbers written as text ('-4.2') stay numbers."""
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


def one_line(value: object) -> object:
    """A published cell is one line: a carriage return the CSV writer leaves unquoted would
    split the row."""
    return re.sub(r"[\r\n]+", " ", value) if isinstance(value, str) else value


def neutralised_frame(frame: pd.DataFrame) -> pd.DataFrame:
    text = frame.select_dtypes(include=["object", "string"]).columns
    safe = lambda value: neutralised(one_line(value))  # noqa: E731
    return frame.assign(**{column: frame[column].map(safe) for column in text})
