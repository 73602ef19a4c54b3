"""The design matrix of one area's months: the terms an indicator's model uses, read from
the seed `expected_value_terms` (scope: an indicator id, a family or '*')."""

from __future__ import annotations

import numpy as np
import pandas as pd

KNOWN_TERMS = {"trend", "month_of_year", "working_days", "school_days"}


class TermsError(ValueError):
    """A row of the terms seed that cannot be used, with how to fix it."""


def terms_by_scope(seed: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """scope -> its terms, checked; '*' must be present so every indicator has a model."""
    table = {}
    for row in seed.itertuples(index=False):
        terms = tuple(t.strip() for t in str(row.terms).split("|") if t.strip())
        unknown = set(terms) - KNOWN_TERMS
        if unknown:
            raise TermsError(
                f"expected_value_terms.csv, scope {row.scope!r}: unknown term(s)"
                f" {sorted(unknown)}; use only {sorted(KNOWN_TERMS)}"
            )
        table[str(row.scope)] = terms
    if "*" not in table:
        raise TermsError("expected_value_terms.csv: add a row for scope '*' (every indicator)")
    return table


def terms_for(table: dict[str, tuple[str, ...]], indicator_id: str, family: str) -> tuple:
    """The most specific scope wins: the indicator, then its family, then '*'."""
    for scope in (indicator_id, family, "*"):
        if scope in table:
            return table[scope]
    raise KeyError(indicator_id)


def design_matrix(months: pd.DatetimeIndex, calendar: pd.DataFrame, terms: tuple) -> np.ndarray:
    """One row per month: an intercept, then each term's columns. `calendar` is indexed by
    month with working_days and school_days. Calendar counts are centred so the intercept
    stays the level of a typical month; month-of-year dummies leave April out (the first
    month of a reporting year), so a series starting in April has its level there."""
    columns = [np.ones(len(months))]
    if "trend" in terms:
        first = months.min()
        columns.append(((months.year - first.year) * 12 + (months.month - first.month)) / 12.0)
    if "month_of_year" in terms:
        columns += [(months.month == m).astype(float) for m in range(1, 13) if m != 4]
    for term in ("working_days", "school_days"):
        if term in terms:
            days = calendar[term].reindex(months).fillna(0.0).to_numpy(dtype=float)
            columns.append(days - days.mean() if days.any() else days)
    return np.column_stack(columns)
