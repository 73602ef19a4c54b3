"""briefing.html in headless Chromium with the network cut off: nothing is fetched, nothing
fails, every chart drew the published figures of the mart with its unit and legend, no label is
a raw code, each caveat is written once, and it prints on A4."""

import re

import pandas as pd
import pytest
from playwright.sync_api import sync_playwright

from orchestration.outputs.caveats import NUMBER
from orchestration.outputs.labels import source_label

pytestmark = pytest.mark.slow

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]  # fmt: skip
CHARTS_JS = """() => [...document.querySelectorAll('figure.chart')].map(fig => {
  const svg = fig.querySelector('svg.chart');
  return {
    indicator: svg.dataset.indicator,
    breakdown: svg.dataset.breakdown,
    months: Number(svg.dataset.months),
    unit: (svg.querySelector('text.unit') || {}).textContent,
    bands: svg.querySelectorAll('polygon.band').length,
    periods: [...new Set([...svg.querySelectorAll('rect.period')].map(r => r.classList[1]))],
    marks: svg.querySelectorAll('path.caveat-mark').length,
    legend: [...fig.querySelectorAll('figcaption.legend > span')].map(s => s.textContent),
    series: [...svg.querySelectorAll('g.series')].map(g => ({
        name: g.dataset.series,
        values: g.dataset.values,
        points: [...g.querySelectorAll('polyline')].reduce(
            (n, line) => n + line.points.numberOfItems, 0) + g.querySelectorAll('circle').length,
    })),
  };
})"""
LABELS_JS = """() => [
  ...[...document.querySelectorAll('h1,h2,h3,summary,th,figcaption span,.glance li b')]
    .map(e => e.textContent.trim()),
  ...[...document.querySelectorAll('g.series')].map(g => g.dataset.series),
]"""
QUALITY_JS = """() => {
  let source = null;
  const rows = [];
  for (const tr of document.querySelectorAll('table.quality tbody tr')) {
    if (tr.classList.contains('group')) {
      source = tr.querySelector('th').childNodes[0].textContent.trim();
      continue;
    }
    rows.push({source, text: tr.cells[0].textContent, months: tr.cells[1].textContent});
  }
  const outside = document.body.cloneNode(true);
  let node = outside.querySelector('#quality');
  while (node && node.id !== 'sources') { const next = node.nextElementSibling; node.remove();
    node = next; }
  const words = t => (t.match(/\\S+/g) || []).length;
  const pointers = [...document.querySelectorAll('.caveat')].filter(e => !e.closest('details'));
  let section = 0;
  for (let n = document.querySelector('#quality'); n && n.id !== 'sources';
       n = n.nextElementSibling) { section += words(n.innerText || ''); }
  return {rows, outside: outside.textContent, words: words(document.body.innerText),
          pointer_words: pointers.reduce((n, e) => n + words(e.innerText), 0),
          section_words: section};
}"""
RAW_LABELS = {"La services", "Gp", "False", "True", "M", "F", "U", "Source group", "Is uasc"}
PERIODS = {"lockdown": "Lockdown", "recovery": "After a lockdown"}


@pytest.fixture(scope="module")
def rendered(built, tmp_path_factory):
    page_file = built / "outputs" / "briefing.html"
    folder = tmp_path_factory.mktemp("briefing")
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
        result = {
            "charts": page.evaluate(CHARTS_JS),
            "labels": page.evaluate(LABELS_JS),
            "quality": page.evaluate(QUALITY_JS),
            "stamp": page.inner_text("#stamp"),
            "glance": page.inner_text("#glance"),
            "glance_top": page.evaluate("document.querySelector('#glance').offsetTop"),
        }
        page.screenshot(path=str(folder / "briefing.png"))
        pdf = page.pdf(format="A4")
        browser.close()
    return result | {
        "requests": requests, "errors": errors, "screenshot": folder / "briefing.png",
        "html": page_file.read_text(), "pages": len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)),
    }  # fmt: skip


@pytest.fixture(scope="module")
def published(built):
    frame = pd.read_csv(built / "outputs" / "exports" / "indicators_vs_baseline.csv", dtype=str)
    # 'z' (not applicable) and 'x' (a month not delivered) hold no figure to draw.
    figures = ["value", "expected_low", "expected_high"]
    frame[figures] = frame[figures].replace({"z": None, "x": None})
    shown = frame[frame["value"].notna() & (frame["value"] != "c")]
    first, last = (
        pd.Timestamp(f"{month}-01") for month in (shown["month"].min(), shown["month"].max())
    )
    return frame, first, last


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
    rendered, published, warehouse
):
    months, first, last = published
    axis = [m for (m,) in warehouse.execute(
        "select strftime(month, '%Y-%m') from marts.dim_month where month between ? and ?"
        " order by month", [first, last]
    ).fetchall()]  # fmt: skip
    whole = months[months["breakdown_dimension"] == "all"].set_index(["indicator_id", "month"])
    checked = banded = 0
    for chart in (c for c in rendered["charts"] if c["breakdown"] == "all"):
        (series,) = chart["series"]
        expected = []
        for month in axis:
            value = whole["value"].get((chart["indicator"], month), "c")
            expected.append("" if value in ("c", "") or pd.isna(value) else float(value))
        drawn = ["" if v == "" else float(v) for v in series["values"].split(",")]
        assert len(drawn) == len(expected) == chart["months"]
        assert all(
            d == e if e == "" else d != "" and abs(d - e) < 0.051
            for d, e in zip(drawn, expected, strict=True)
        ), chart["indicator"]
        assert series["points"] == sum(v != "" for v in drawn)
        ranges = whole.loc[chart["indicator"], ["expected_low", "expected_high"]]
        has_range = ranges.notna().all(axis=1) & (ranges != "c").all(axis=1)
        assert (chart["bands"] >= 1) == has_range.any(), chart["indicator"]
        checked += 1
        banded += chart["bands"] >= 1
    assert checked >= 35 and banded >= 10


def test_every_chart_has_a_unit_and_a_legend_for_each_of_its_marks(rendered, warehouse):
    units = dict(
        warehouse.execute("select indicator_id, unit from reference.indicators").fetchall()
    )
    titles = {"count": "Number", "percent": "Per cent", "per_10000": "Per 10,000 children",
              "days": "Days"}  # fmt: skip
    for chart in rendered["charts"]:
        assert chart["unit"] == titles[units[chart["indicator"]]], chart["indicator"]
        legend = chart["legend"]
        assert [s["name"] for s in chart["series"]] == legend[: len(chart["series"])]
        rest = legend[len(chart["series"]) :]
        band = any(n.startswith("Expected range") for n in rest)
        assert band == (chart["bands"] > 0), chart["indicator"]
        assert [n for n in rest if n in PERIODS.values()] == [PERIODS[p] for p in chart["periods"]]
        assert ("recording caveat, see Data quality" in rest) == (chart["marks"] > 0)
    assert sum(c["marks"] > 0 for c in rendered["charts"]) >= 1
    assert {"lockdown", "recovery"} <= {p for c in rendered["charts"] for p in c["periods"]}


def test_no_label_is_a_raw_code(rendered, warehouse):
    labels = rendered["labels"]
    raw = [
        text for text in labels
        if text in RAW_LABELS or "By is uasc" in text or "_" in text
        or "(not in the code list)" in text
    ]  # fmt: skip
    assert raw == []
    # The groups the small county has (a few hundred children may have no UASC start at all).
    uasc = {value for (value,) in warehouse.execute(
        "select distinct breakdown_value from marts.fct_indicator_monthly"
        " where breakdown_dimension = 'is_uasc' and numerator > 0"
    ).fetchall()}  # fmt: skip
    named = {"true": "Yes", "false": "No"}
    assert uasc and {"By referral source", "By unaccompanied asylum-seeking", "Male"} | {
        named[value] for value in uasc
    } <= set(labels)


def test_the_header_and_the_summary_give_the_months_that_have_figures(rendered, published):
    _, first, last = published
    assert f"with figures from {first:%B %Y} to {last:%B %Y}." in rendered["stamp"]
    assert f"{first:%B %Y} to {last:%B %Y}" in rendered["glance"]
    assert rendered["glance_top"] < 900  # on the first screen
    assert "First national lockdown" in rendered["glance"]
    assert re.search(r"\d+ changes outside their expected range", rendered["glance"])


def matches(row, clause):
    return re.fullmatch(re.escape(row["text"]).replace("\u2026", NUMBER.pattern), clause)


def test_each_caveat_of_a_figure_shown_is_written_once_in_the_data_quality_section(
    rendered, warehouse, published
):
    _, first, last = published
    quality = rendered["quality"]
    texts = [(r["source"], r["text"]) for r in quality["rows"]]
    assert len(texts) == len(set(texts)) and texts
    carried = warehouse.execute(
        "select distinct catalogue.source, caveats.breakdown_dimension, caveats.dq_caveat"
        " from marts.rpt_indicator_vs_baseline as caveats"
        " inner join reference.indicators as catalogue using (indicator_id)"
        " where caveats.dq_caveat is not null and caveats.month between ? and ?",
        [first, last],
    ).fetchall()
    clauses = {
        (source_label(source), dimension, c.strip())
        for source, dimension, caveat in carried
        for c in caveat.split("; ")
    }
    # every whole-authority series is charted: each clause it carries is written once
    for source, dimension, clause in clauses:
        if dimension == "all":
            assert len([r for r in quality["rows"] if r["source"] == source
                        and matches(r, clause)]) == 1, clause  # fmt: skip
            assert clause not in quality["outside"], clause
    # nothing else is written but the caveats the figures carry or a month not delivered
    gaps = warehouse.execute(
        "select source, reasons from quality.dq_summary where reasons like '%extract gap%'"
    ).fetchall()
    known = {(s, c) for s, _, c in clauses} | {
        (source_label(s), c.strip()) for s, reasons in gaps for c in reasons.split("; ")
    }
    for row in quality["rows"]:
        assert any(s == row["source"] and matches(row, c) for s, c in known), row
    # a blank ethnicity caveats the ethnicity breakdown, never the total of referrals
    assert not [c for s, d, c in clauses if d == "all" and "ethnicity" in c]
    caveat_words = quality["pointer_words"] + quality["section_words"]
    assert caveat_words < 0.15 * quality["words"]


def test_the_page_prints_on_few_a4_pages(rendered):
    assert "@page{size:A4" in rendered["html"] and "@media print" in rendered["html"]
    assert 3 <= rendered["pages"] <= 25


def test_the_page_says_what_and_when_it_was_built_from_and_holds_no_identifier(rendered, warehouse):
    (files,) = warehouse.execute(
        "select count(*) from raw.file_manifest where status = 'loaded'"
    ).fetchone()
    assert f"from {files} extracts (" in rendered["stamp"] and files > 300
    assert "Built " in rendered["stamp"] and "UTC" in rendered["stamp"]
    keys = [k for (k,) in warehouse.execute("select child_key from marts.dim_child").fetchall()]
    assert len(keys) > 1000
    assert [k for k in keys if k in rendered["html"]] == []
