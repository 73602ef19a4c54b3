"""An inline SVG funnel plot for the briefing: every English authority's published rate
against its child population, England's rate as the centre line and the 95% and 99.8%
limits around it (orchestration/benchmarks/funnel.py), the statistical neighbours and the
authority picked out. The SVG carries its data in data-* attributes for the tests."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import numpy as np
import pandas as pd

from orchestration.benchmarks import funnel

WIDTH, HEIGHT = 470, 230
LEFT, RIGHT, TOP, BOTTOM = 52, 10, 10, 34
OURS, NEIGHBOUR, OTHER = "#d4351c", "#1d4f91", "#b1b4b6"


def funnel_svg(
    points: pd.DataFrame, neighbours: set[str], ours: tuple[float, float] | None,
    phi: float, title: str,
) -> str:  # fmt: skip
    """points: the authorities' children and per_10000 (area_code); ours: (children, rate) or
    None where our figure is suppressed."""
    if points.empty:
        return ""
    centre = points["count"].sum() / points["children"].sum()
    xs = [*points["children"], *([ours[0]] if ours else [])]
    x_max = max(xs) * 1.05
    grid = np.linspace(x_max / 60, x_max, 60)
    curves = {
        name: funnel.limits(centre * grid, phi, level) for name, level in funnel.LEVELS.items()
    }
    # The points set the scale; the limits, wide where populations are small, are clipped.
    y_max = max([*points["per_10000"], *([ours[1]] if ours else [])]) * 1.15
    x = lambda v: LEFT + v / x_max * (WIDTH - LEFT - RIGHT)  # noqa: E731
    y = lambda v: TOP + (1 - min(v, y_max) / y_max) * (HEIGHT - TOP - BOTTOM)  # noqa: E731
    parts = [_axes(x_max, y_max, x, y)]
    for name, (low, high) in curves.items():
        for side in (low, high):
            path = " ".join(
                f"{x(g):.1f},{y(v * 10_000 / g):.1f}" for v, g in zip(side, grid, strict=True)
            )
            dash = "4 3" if name == "95" else "1 3"
            parts.append(
                f'<polyline class="limit" points="{path}" fill="none" stroke="#505a5f"'
                f' stroke-width="1.1" stroke-dasharray="{dash}"/>'
            )
    parts.append(
        f'<line class="centre" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(centre * 10_000):.1f}"'
        f' y2="{y(centre * 10_000):.1f}" stroke="#0b0c0c" stroke-width="1.2"/>'
    )
    for row in points.itertuples(index=False):
        colour, radius = (NEIGHBOUR, 3.2) if row.area_code in neighbours else (OTHER, 2.2)
        parts.append(
            f'<circle cx="{x(row.children):.1f}" cy="{y(row.per_10000):.1f}" r="{radius}"'
            f' fill="{colour}"/>'
        )
    if ours:
        parts.append(
            f'<circle class="ours" cx="{x(ours[0]):.1f}" cy="{y(ours[1]):.1f}" r="5"'
            f' fill="{OURS}" stroke="#0b0c0c"/>'
        )
    return (
        # Not class "chart": those are the indicator charts, one per series of the mart.
        f'<figure class="funnel-chart" style="margin:0 0 6px">'
        f"<figcaption>{escape(title)}</figcaption>"
        f'<svg class="funnel" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        ' style="width:100%;height:auto;background:#fff"'
        f' aria-label="{escape(title)}" data-points="{len(points)}"'
        f' data-centre="{centre * 10_000:.3f}" data-dispersion="{phi:.3f}"'
        f' data-ours="{"" if ours is None else f"{ours[1]:.3f}"}">{"".join(parts)}</svg>'
        "</figure>"
    )


LEGEND = (
    f'<p class="legend"><span style="color:{OURS}">&#9679;</span> our records,'
    f' <span style="color:{NEIGHBOUR}">&#9679;</span> statistical neighbours,'
    f' <span style="color:{OTHER}">&#9679;</span> other English authorities (DfE\'s published'
    " figures); solid line: England; dashed: 95% limits; dotted: 99.8% limits, widened by how"
    " much authorities vary beyond chance. A point outside the limits differs from England"
    " by more than authorities of its size commonly do.</p>"
)


def _axes(x_max: float, y_max: float, x: Callable, y: Callable) -> str:
    ticks = []
    for value in np.linspace(0, y_max, 5)[1:]:
        ticks.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}"'
            f' y2="{y(value):.1f}"/><text x="{LEFT - 4}" y="{y(value) + 4:.1f}"'
            f' text-anchor="end">{value:,.0f}</text>'
        )
    for number, value in enumerate(np.linspace(0, x_max, 4)[1:]):
        anchor = "end" if number == 2 else "middle"  # the last tick stays inside the frame
        ticks.append(
            f'<text x="{x(value):.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="{anchor}">'
            f"{value / 1000:,.0f}k</text>"
        )
    return (
        f'<g class="axis">{"".join(ticks)}'
        f'<text class="unit" x="{LEFT}" y="{HEIGHT - 4}">children aged 0-17 (x axis);'
        " per 10,000 children (y axis)</text></g>"
    )
