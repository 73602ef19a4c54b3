"""Inline SVG charts for the briefing: no library, no script, nothing fetched. Each chart is a
figure with its legend (the lines, the expected range, the shaded periods and the months with a
recording caveat) and a y axis titled with the indicator's unit; the SVG carries its data in
data-* attributes so a test can check what was drawn against the mart."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

import pandas as pd

from orchestration.outputs.labels import PERIOD_TYPES, readable, unit_label

WIDTH, HEIGHT = 480, 200
LEFT, RIGHT, TOP, BOTTOM = 58, 8, 10, 26
PALETTE = ["#1d4f91", "#d4351c", "#00703c", "#f47738", "#5694ca", "#912b88", "#85994b", "#6f777b"]
CAVEAT_LEGEND = "recording caveat, see Data quality"


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
    kind: str  # the period type: lockdown, recovery


@dataclass
class Band:
    """The expected range per month of the axis, and what the legend calls it."""

    low: list[float | None]
    high: list[float | None]
    name: str
    expected: list[float | None] | None = None  # the expected value, where the model gives one

    def drawn(self) -> bool:
        return any(
            lo is not None and hi is not None for lo, hi in zip(self.low, self.high, strict=True)
        )


@dataclass
class Chart:
    chart_id: str
    months: list[pd.Timestamp]
    lines: list[Line]
    unit: str
    shades: list[Shade] = field(default_factory=list)
    band: Band | None = None
    caveat_months: list[int] = field(default_factory=list)  # indexes on the axis
    attributes: dict[str, str] = field(default_factory=dict)


def fmt(value: float, unit: str = "") -> str:
    text = f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.1f}"
    return text + "%" if unit == "percent" else text


def figure(spec: Chart) -> str:
    """The chart and its legend, kept together on a page."""
    return f'<figure class="chart">{svg(spec)}{legend(spec)}</figure>'


def svg(spec: Chart) -> str:
    """An SVG line chart over the months, with the expected range as a band and the periods
    shaded; suppressed or missing months are gaps; caveated months are marked on the x axis."""
    months, band = spec.months, spec.band
    drawn = [v for line in spec.lines for v in line.values if v is not None]
    if band:
        drawn += [v for v in [*band.high, *(band.expected or [])] if v is not None]
    top = nice_ceiling(max(drawn, default=1))
    x = lambda i: LEFT + i * (WIDTH - LEFT - RIGHT) / max(len(months) - 1, 1)  # noqa: E731
    y = lambda v: TOP + (1 - v / top) * (HEIGHT - TOP - BOTTOM)  # noqa: E731
    extra = "".join(f' data-{k}="{escape(str(v))}"' for k, v in spec.attributes.items())
    parts = [
        f'<svg id="{spec.chart_id}" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        f' data-months="{len(months)}" data-lines="{len(spec.lines)}"'
        f' data-unit="{escape(unit_label(spec.unit))}" data-caveats="{len(spec.caveat_months)}"'
        f'{extra} xmlns="http://www.w3.org/2000/svg">'
    ]
    for shade in spec.shades:
        left, right = x(shade.first) - 2, x(shade.last) + 2
        parts.append(
            f'<rect class="period {escape(shade.kind)}" x="{left:.1f}" y="{TOP}"'
            f' width="{right - left:.1f}" height="{HEIGHT - TOP - BOTTOM}">'
            f"<title>{escape(shade.label)}</title></rect>"
        )
    parts += axes(months, top, spec.unit, x, y)
    if band:
        for run in runs(
            [(i, lo, hi) for i, (lo, hi) in enumerate(zip(band.low, band.high, strict=True))]
        ):
            upper = " ".join(f"{x(i):.1f},{y(hi):.1f}" for i, _, hi in run)
            lower = " ".join(f"{x(i):.1f},{y(lo):.1f}" for i, lo, _ in reversed(run))
            parts.append(f'<polygon class="band" points="{upper} {lower}"/>')
        for run in runs([(i, v) for i, v in enumerate(band.expected or [])]):
            points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run)
            parts.append(f'<polyline class="expected" points="{points}"/>')
    for number, line in enumerate(spec.lines):
        colour = PALETTE[number % len(PALETTE)]
        values = ",".join("" if v is None else f"{v:g}" for v in line.values)
        parts.append(
            f'<g class="series" data-series="{escape(line.name)}" data-values="{values}"'
            f' stroke="{colour}"><title>{escape(line.name)}</title>'
        )
        for run in runs([(i, v) for i, v in enumerate(line.values)]):
            points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run)
            if len(run) == 1:
                parts.append(f'<circle cx="{x(run[0][0]):.1f}" cy="{y(run[0][1]):.1f}" r="2"/>')
            else:
                parts.append(f'<polyline points="{points}"/>')
        parts.append("</g>")
    base = HEIGHT - BOTTOM
    for i in spec.caveat_months:
        parts.append(
            f'<path class="caveat-mark" d="M{x(i):.1f},{base - 7} l4,7 h-8 z">'
            f"<title>Recording caveat, {months[i]:%B %Y}: see Data quality</title></path>"
        )
    parts.append("</svg>")
    return "".join(parts)


def legend(spec: Chart) -> str:
    """What each mark of the chart is: every line, the band, the period types drawn and the
    caveat marker when the chart has one."""
    items = [
        f'<span><i class="line" style="background:{PALETTE[n % len(PALETTE)]}"></i>'
        f"{escape(line.name)}</span>"
        for n, line in enumerate(spec.lines)
    ]
    if spec.band and spec.band.expected and any(v is not None for v in spec.band.expected):
        items.append('<span><i class="expected"></i>Expected value</span>')
    if spec.band and spec.band.drawn():
        items.append(f'<span><i class="band"></i>{escape(spec.band.name)}</span>')
    for kind in dict.fromkeys(shade.kind for shade in spec.shades):
        name = PERIOD_TYPES.get(kind) or readable(kind)
        items.append(f'<span><i class="period {escape(kind)}"></i>{escape(name)}</span>')
    if spec.caveat_months:
        items.append(
            f'<span class="caveat"><i class="caveat-mark"></i><a href="#quality">'
            f"{CAVEAT_LEGEND}</a></span>"
        )
    return f'<figcaption class="legend">{"".join(items)}</figcaption>'


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
    unit: str,
    x: Callable[[float], float],
    y: Callable[[float], float],
) -> list[str]:
    middle = TOP + (HEIGHT - TOP - BOTTOM) / 2
    parts = [
        f'<g class="axis"><line x1="{LEFT}" y1="{y(0):.1f}" x2="{WIDTH - RIGHT}" y2="{y(0):.1f}"/>'
        f'<text class="unit" x="12" y="{middle:.1f}" text-anchor="middle"'
        f' transform="rotate(-90 12 {middle:.1f})">{escape(unit_label(unit))}</text>'
    ]
    for fraction in (0, 0.5, 1):
        value = top * fraction
        parts.append(
            f'<line class="grid" x1="{LEFT}" y1="{y(value):.1f}" x2="{WIDTH - RIGHT}"'
            f' y2="{y(value):.1f}"/><text x="{LEFT - 5}" y="{y(value) + 4:.1f}"'
            f' text-anchor="end">{fmt(value, unit)}</text>'
        )
    for i, month in enumerate(months):
        if month.month == 4:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
                f"Apr {month.year}</text>"
            )
    parts.append("</g>")
    return parts
