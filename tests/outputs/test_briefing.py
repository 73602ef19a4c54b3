"""briefing.html in headless Chromium with the network cut off: nothing is fetched, nothing
fails, and every chart drew the published figures of the mart."""

import pandas as pd
import pytest
from playwright.sync_api import sync_playwright

pytestmark = pytest.mark.slow

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]  # fmt: skip
CHARTS_JS = """() => [...document.querySelectorAll('svg.chart')].map(svg => ({
    indicator: svg.dataset.indicator,
    breakdown: svg.dataset.breakdown,
    bands: svg.querySelectorAll('polygon.band').length,
    series: [...svg.querySelectorAll('g.series')].map(g => ({
        name: g.dataset.series,
        values: g.dataset.values,
        points: [...g.querySelectorAll('polyline')].reduce(
            (n, line) => n + line.points.numberOfItems, 0) + g.querySelectorAll('circle').length,
    })),
}))"""


@pytest.fixture(scope="module")
def rendered(built, tmp_path_factory):
    page_file = built / "outputs" / "briefing.html"
    screenshot = tmp_path_factory.mktemp("briefing") / "briefing.png"
    requests, errors = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        context.set_offline(True)

        def route(request_route):
            requests.append(request_route.request.url)
            if request_route.request.url.startswith("file://"):
                request_route.continue_()
            else:
                request_route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_file.as_uri(), wait_until="load")
        charts = page.evaluate(CHARTS_JS)
        stamp = page.inner_text("#stamp")
        page.screenshot(path=str(screenshot))
        browser.close()
    return {"requests": requests, "errors": errors, "charts": charts, "stamp": stamp,
            "screenshot": screenshot, "html": page_file.read_text()}  # fmt: skip


def test_the_page_fetches_nothing_and_logs_no_error(rendered):
    assert rendered["errors"] == []
    assert [url for url in rendered["requests"] if not url.startswith("file://")] == []
    assert len(rendered["requests"]) == 1  # the page itself: no image, font or script
    assert rendered["screenshot"].stat().st_size > 20_000


def test_there_is_a_chart_per_indicator_and_breakdown_of_the_mart(rendered, warehouse):
    expected = set(
        warehouse.execute(
            "select distinct indicator_id, breakdown_dimension from marts.fct_indicator_monthly"
        ).fetchall()
    )
    drawn = [(c["indicator"], c["breakdown"]) for c in rendered["charts"]]
    assert len(drawn) == len(set(drawn))
    assert set(drawn) == expected


def test_every_whole_authority_chart_draws_the_published_series_and_its_band(
    rendered, built, warehouse
):
    axis = [m for (m,) in warehouse.execute(
        "select strftime(month, '%Y-%m') from marts.dim_month order by month"
    ).fetchall()]  # fmt: skip
    months = pd.read_csv(built / "outputs" / "exports" / "indicators_vs_baseline.csv", dtype=str)
    published = months[months["breakdown_dimension"] == "all"].set_index(["indicator_id", "month"])
    checked = banded = 0
    for chart in (c for c in rendered["charts"] if c["breakdown"] == "all"):
        (series,) = chart["series"]
        expected = []
        for month in axis:
            value = published["value"].get((chart["indicator"], month), "c")
            expected.append("" if value in ("c", "") or pd.isna(value) else float(value))
        drawn = ["" if v == "" else float(v) for v in series["values"].split(",")]
        assert len(drawn) == len(expected)
        assert all(
            d == e if e == "" else d != "" and abs(d - e) < 0.051
            for d, e in zip(drawn, expected, strict=True)
        ), chart["indicator"]
        assert series["points"] == sum(v != "" for v in drawn)
        ranges = published.loc[chart["indicator"], ["expected_low", "expected_high"]]
        has_range = ranges.notna().all(axis=1) & (ranges != "c").all(axis=1)
        assert (chart["bands"] >= 1) == has_range.any(), chart["indicator"]
        checked += 1
        banded += chart["bands"] >= 1
    assert checked >= 35 and banded >= 10


def test_the_page_says_what_and_when_it_was_built_from_and_holds_no_identifier(rendered, warehouse):
    (files,) = warehouse.execute(
        "select count(*) from raw.file_manifest where status = 'loaded'"
    ).fetchone()
    first, last = warehouse.execute("select min(month), max(month) from marts.dim_month").fetchone()
    assert f"from {files} extracts covering {first:%B %Y} to {last:%B %Y}" in rendered["stamp"]
    assert first.year == 2016 and files > 300
    assert "Built " in rendered["stamp"] and "UTC" in rendered["stamp"]
    keys = [k for (k,) in warehouse.execute("select child_key from marts.dim_child").fetchall()]
    assert len(keys) > 1000
    assert [k for k in keys if k in rendered["html"]] == []
