"""A model's fitted values can give back a hidden count: a Poisson model with a term for
each calendar month fits each calendar month's total exactly, so the expected values of the
other years, minus their published counts, leave the hidden one. The expectations of a
series with a hidden month in its fit are therefore hidden as a whole."""

import numpy as np
import pandas as pd
import pytest

from orchestration.expected import glm
from orchestration.expected.design import design_matrix
from orchestration.outputs.published import SERIES, expected_hidden

MONTHS = pd.date_range("2016-04-01", periods=48, freq="MS")


def test_the_fit_would_give_a_hidden_count_back():
    counts = np.random.default_rng(1).poisson(30, size=(1, 48)).astype(float)
    counts[0, 13] = 3.0  # May 2017: a count that must be shown as 'c'
    design = design_matrix(
        MONTHS, pd.DataFrame({"working_days": 0, "school_days": 0}, index=MONTHS),
        ("trend", "month_of_year"),
    )  # fmt: skip
    fit = glm.fit("poisson", design, counts, np.ones_like(counts), np.ones_like(counts, bool))
    may = MONTHS.month == 5
    others = may & (np.arange(48) != 13)
    recovered = fit.mean[0, may].sum() - counts[0, others].sum()
    assert recovered == pytest.approx(3.0, abs=1e-4)


def test_one_hidden_month_in_a_fit_hides_the_series_expectations():
    rows = pd.DataFrame({
        "area_code": "938", "indicator_id": "referrals", "breakdown_dimension": "source_group",
        "breakdown_value": ["schools"] * 3 + ["police"] * 3 + ["housing"] * 2,
        "month": list(MONTHS[:3]) * 2 + list(MONTHS[:2]),
        "method": ["model"] * 6 + ["same_months"] * 2,
        "in_model_fit": [True, True, False, True, True, True, False, False],
        "value_hidden": [False, True, False, False, False, False, True, False],
        "baseline_hidden": [False, False, False, False, False, False, False, True],
    })  # fmt: skip
    hidden = expected_hidden(rows)
    # schools: a fitted month is hidden, so every month's expectation is; police: nothing;
    # housing (same-months rule): hidden where its earlier months are (baseline_hidden)
    assert hidden.tolist() == [True, True, True, False, False, False, False, True]
    assert set(SERIES) <= set(rows.columns)
