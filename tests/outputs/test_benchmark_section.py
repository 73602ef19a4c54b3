"""The briefing's benchmarks and their export: the funnel plots draw every authority and
ours, a suppressed figure is never placed, quartered or quoted, and the neighbours are named."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from orchestration.outputs.benchmark_section import benchmarks_section
from orchestration.outputs.exports import benchmark_table

GEOGRAPHY = pd.DataFrame(columns=["area_code", "region_code", "region_name", "new_la_code",
                                  "la_name"])  # fmt: skip


def _positions(hidden: bool) -> pd.DataFrame:
    note = "Our records give 3 against 40 published (-93%). Likely reasons: the definition (x)."
    return pd.DataFrame({
        "area_code": ["900", "900"], "la_name": ["Here", "Here"], "region_name": ["R", "R"],
        "year_ending_march": [2021, 2022], "indicator_id": ["icpcs", "icpcs"],
        "indicator": ["ICPCs", "ICPCs"], "computed": [300.0, 3.0],
        "computed_per_10000": [60.0, 0.6], "published_for_area": [280.0, 40.0],
        "published_for_area_per_10000": [56.0, 8.0], "region_per_10000": [50.0, 51.0],
        "england_per_10000": [55.0, 54.0], "difference_from_published": [20.0, -37.0],
        "neighbours_per_10000": [52.0, 53.0], "lower_quartile_per_10000": [40.0, 41.0],
        "median_per_10000": [50.0, 51.0], "upper_quartile_per_10000": [60.0, 61.0],
        "authorities_ranked": [3, 3], "quartile": [4.0, 1.0], "funnel_dispersion": [2.0, 2.0],
        "funnel_lower_95_per_10000": [45.0, 45.0], "funnel_upper_95_per_10000": [65.0, 65.0],
        "funnel_lower_998_per_10000": [40.0, 40.0], "funnel_upper_998_per_10000": [70.0, 70.0],
        "funnel_position": ["within", "below_99.8"],
        "published_difference_percent": [7.1, -92.5], "published_note": ["", note],
        "computed_hidden": [False, hidden],
    })  # fmt: skip


AUTHORITIES = pd.DataFrame({
    "year_ending_march": [2022] * 3, "area_code": ["901", "902", "903"],
    "la_name": ["A", "B", "C"], "indicator_id": ["icpcs"] * 3, "count": [200.0, 300.0, 500.0],
    "children": [40_000.0, 50_000.0, 90_000.0],
})  # fmt: skip
AUTHORITIES["per_10000"] = AUTHORITIES["count"] * 10_000 / AUTHORITIES["children"]
NEIGHBOURS = pd.DataFrame({
    "area_code": ["900"], "neighbour_rank": [1], "neighbour_code": ["902"],
    "neighbour_name": ["Bee County"], "method": ["nearest by test"],
})  # fmt: skip


def test_funnel_draws_every_authority_and_ours() -> None:
    html = benchmarks_section(_positions(hidden=False), "900", NEIGHBOURS, AUTHORITIES)
    svg = re.search(r'<svg class="funnel"[^>]*>', html).group(0)
    assert 'data-points="3"' in svg and 'data-ours="0.600"' in svg
    centre = AUTHORITIES["count"].sum() * 10_000 / AUTHORITIES["children"].sum()
    assert f'data-centre="{centre:.3f}"' in svg and 'data-dispersion="2.000"' in svg
    assert html.count('<circle class="ours"') == 1
    assert "Bee County (nearest by test" in html
    assert "the lowest quarter of English authorities" in html
    assert "below the funnel&#x27;s 99.8% limit" in html or "below the funnel's 99.8% limit" in html
    assert "-92% in 2022" in html or "-93% in 2022" in html


def test_a_suppressed_figure_is_never_placed_or_quoted() -> None:
    html = benchmarks_section(_positions(hidden=True), "900", NEIGHBOURS, AUTHORITIES)
    assert 'data-ours=""' in html and '<circle class="ours"' not in html
    assert "lowest quarter" not in html and "99.8% limit:" not in html
    assert "Our records give 3" not in html and "-93%" not in html


def test_export_hides_what_a_suppressed_figure_would_reveal() -> None:
    frame = benchmark_table({"benchmarks": _positions(hidden=True)}, GEOGRAPHY)
    hidden = frame[frame["time_period"].astype(str) == "2022"].iloc[0]
    for column in ("computed", "quartile", "funnel_position", "published_difference_percent",
                   "published_note"):  # fmt: skip
        assert hidden[column] == "c", column
    assert hidden["neighbours_per_10000"] == "53.0"  # published figures stay
    shown = frame[frame["time_period"].astype(str) == "2021"].iloc[0]
    assert shown["quartile"] == "4" and shown["funnel_position"] == "within"
    assert np.isclose(float(shown["funnel_upper_95_per_10000"]), 65.0)
