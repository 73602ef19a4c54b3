"""Inline SVG charts for the briefing: no library, no script, nothing fetched. Each chart
carries its data in data-* attributes so a test can check what was drawn against the mart."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import pandas as pd

WIDTH, HEIGHT = 720, 230
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 28
PALETTE = ["#1d4f91", "#d4351c", "#00703c", "#f47738", "#5694ca", "#912b88", "#85994b", "#6f777b"]


@dataclass
class Line:
    """One series: a value per month of the axis, None where missing or suppressed."""

    name: str
    values: list[float | None]


@dataclass
class Shade:
    first: int  # index of the first month on the axis
    last: int
    label: str


def fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.1f}"


def chart(
    chart_id: str,
    months: list[pd.Timestamp],
    lines: list[Line],
    shades: list[Shade],
    band: tuple[list[float | None], list[float | None]] | None = None,
    attributes: dict[str, str] | None = None,
) -> str:
    """An SVG line chart over the months, with the expected range as a band and periods
    shaded; suppressed or missing months are gaps."""
    drawn = [v for line in lines for v in line.values if v is not None]
    if band:
        drawn += [v for v in band[1] if v is not None]
    top = nice_ceiling(max(drawn, default=1))
    x = lambda i: LEFT + i * (WIDTH - LEFT - RIGHT) / max(len(months) - 1, 1)  # noqa: E731
    y = lambda v: TOP + (1 - v / top) * (HEIGHT - TOP - BOTTOM)  # noqa: E731
    extra = "".join(f' data-{k}="{escape(str(v))}"' for k, v in (attributes or {}).items())
    parts = [
        f'<svg id="{chart_id}" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        f' data-months="{len(months)}" data-lines="{len(lines)}"{extra}'
        ' xmlns="http://www.w3.org/2000/svg">'
    ]
    for shade in shades:
        left, right = x(shade.first) - 3, x(shade.last) + 3
        parts.append(
            f'<rect class="period" x="{left:.1f}" y="{TOP}" width="{right - left:.1f}"'
            f' height="{HEIGHT - TOP - BOTTOM}"><title>{escape(shade.label)}</title></rect>'
        )
    parts += axes(months, top, x, y)
    if band:
        for run in runs([(i, lo, hi) for i, (lo, hi) in enumerate(zip(*band, strict=True))]):
            upper = " ".join(f"{x(i):.1f},{y(hi):.1f}" for i, _, hi in run)
            lower = " ".join(f"{x(i):.1f},{y(lo):.1f}" for i, lo, _ in reversed(run))
            parts.append(f'<polygon class="band" points="{upper} {lower}"/>')
    for number, line in enumerate(lines):
        colour = PALETTE[number % len(PALETTE)]
        values = ",".join("" if v is None else f"{v:g}" for v in line.values)
        parts.append(
            f'<g class="series" data-series="{escape(line.name)}" data-values="{values}"'
            f' stroke="{colour}"><title>{escape(line.name)}</title>'
        )
        for run in runs([(i, v, v) for i, v in enumerate(line.values)]):
            points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v, _ in run)
            if len(run) == 1:
                parts.append(f'<circle cx="{x(run[0][0]):.1f}" cy="{y(run[0][1]):.1f}" r="2"/>')
            else:
                parts.append(f'<polyline points="{points}"/>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def nice_ceiling(value: float) -> float:
    """The axis top: the first of 1, 2, 2.5, 5 or 10 times a power of ten above the data."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def runs(points: list[tuple]) -> list[list[tuple]]:
    """Consecutive points whose values are all present."""
    result, current = [], []
    for point in points:
        if any(value is None for value in point[1:]):
            if current:
                result.append(current)
            current = []
        else:
            current.append(point)
    if current:
        result.append(current)
    return result


def axes(
    months: list[pd.Timestamp],
    top: float,
    x: Callable[[float], float],
    y: Callable[[float], float],
) -> list[str]:
    parts = [
        f'<g class="axis"><line x1="{LEFT}" y1="{y(0):.1f}" x2="{WIDTH - RIGHT}" y2="{y(0):.1f}"/>'
    ]
    for fraction in (0, 0.5, 1):
        value = top * fraction
        parts.append(
            f'<line class="grid" x1="{LEFT}" y1="{y(value):.1f}" x2="{WIDTH - RIGHT}"'
            f' y2="{y(value):.1f}"/><text x="{LEFT - 6}" y="{y(value) + 4:.1f}"'
            f' text-anchor="end">{fmt(value)}</text>'
        )
    for i, month in enumerate(months):
        if month.month == 4:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
                f"Apr {month.year}</text>"
            )
    parts.append("</g>")
    return parts
