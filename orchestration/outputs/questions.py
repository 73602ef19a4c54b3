"""The questions register: for every indicator and run of months outside its expected range,
a question from the rule table (data/reference/questions/question_rules.csv), with the
evidence, the caveat and how sure we are, ranked by size and confidence."""

from __future__ import annotations

import csv
import string
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from orchestration.outputs.published import SERIES
from orchestration.outputs.suppression import SUPPRESSED
from orchestration.settings import PROJECT_ROOT

QUESTIONS_DIR = PROJECT_ROOT / "data" / "reference" / "questions"
RULES_FILE = QUESTIONS_DIR / "question_rules.csv"
CONFIDENCE_FILE = QUESTIONS_DIR / "confidence.yaml"
DIRECTIONS = {"below", "above", "either"}
PLACEHOLDERS = {"indicator", "group", "months"}
CONFIDENCE_LEVELS = ["high", "medium", "low"]
REGISTER_COLUMNS = [
    "rank", "area_code", "family", "indicator_id", "indicator", "breakdown_dimension",
    "breakdown", "breakdown_value", "group",
    "direction", "first_month", "last_month", "months", "periods", "recorded",
    "expected_low", "expected_high", "percent_change", "confidence", "confidence_reasons",
    "question", "evidence", "caveat", "rule",
]  # fmt: skip


class RuleError(ValueError):
    """A row of the rule table that cannot be used, with where it is and how to fix it."""


@dataclass(frozen=True)
class Rule:
    line: int
    indicator: str  # an indicator_id, a family or '*'
    breakdown: str  # '', 'dimension' or 'dimension=value'
    direction: str
    question: str

    def matches(self, finding: pd.Series) -> bool:
        scope_ok = self.indicator in ("*", finding["indicator_id"], finding["family"])
        direction_ok = self.direction in ("either", finding["direction"])
        dimension, _, value = self.breakdown.partition("=")
        breakdown_ok = not dimension or (
            dimension == finding["breakdown_dimension"]
            and (not value or value == str(finding["breakdown_value"]))
        )
        return scope_ok and direction_ok and breakdown_ok

    def specificity(self, finding: pd.Series) -> tuple[int, int, int]:
        scope = 2 if self.indicator == finding["indicator_id"] else int(self.indicator != "*")
        return (scope, self.breakdown.count("=") + bool(self.breakdown), self.direction != "either")


def load_rules(path: Path = RULES_FILE) -> list[Rule]:
    rules = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            rule = Rule(
                line=line,
                indicator=(row.get("indicator") or "").strip(),
                breakdown=(row.get("breakdown") or "").strip(),
                direction=(row.get("direction") or "").strip(),
                question=(row.get("question") or "").strip(),
            )
            check_rule(rule, path)
            rules.append(rule)
    if not any(r.indicator == "*" and r.direction == "either" for r in rules):
        raise RuleError(
            f"{path}: add a fallback row '*,,either,<question>' so every change gets one"
        )
    return rules


def check_rule(rule: Rule, path: Path) -> None:
    where = f"{path}, line {rule.line}"
    if not rule.indicator or not rule.question:
        raise RuleError(f"{where}: 'indicator' and 'question' are required")
    if rule.direction not in DIRECTIONS:
        raise RuleError(
            f"{where}: direction {rule.direction!r} must be one of {sorted(DIRECTIONS)}"
        )
    names = {name for _, name, _, _ in string.Formatter().parse(rule.question) if name}
    if names - PLACEHOLDERS:
        raise RuleError(
            f"{where}: unknown placeholder(s) {sorted(names - PLACEHOLDERS)} in the question;"
            f" use only {sorted(PLACEHOLDERS)}"
        )


def choose_rule(rules: list[Rule], finding: pd.Series) -> Rule:
    return max((r for r in rules if r.matches(finding)), key=lambda r: r.specificity(finding))


def runs_outside_range(vs_baseline: pd.DataFrame) -> pd.DataFrame:
    """Consecutive months of one series flagged in the same direction, from the first period
    of interest on (earlier flags are the baseline years' own noise), labelled by run."""
    first_period_month = vs_baseline.loc[vs_baseline["period_id"].notna(), "month"].min()
    flagged = vs_baseline[
        vs_baseline["flag"].isin(["below", "above"]) & (vs_baseline["month"] >= first_period_month)
    ].copy()
    if flagged.empty:
        return flagged
    flagged["month_index"] = flagged["month"].dt.year * 12 + flagged["month"].dt.month
    flagged = flagged.sort_values([*SERIES, "flag", "month_index"])
    series = [flagged[c] for c in [*SERIES, "flag"]]
    gap = flagged.groupby(series)["month_index"].diff().ne(1)
    flagged["run"] = gap.cumsum()
    return flagged


def summarise_run(rows: pd.DataFrame) -> dict:
    """Recorded, expected and change over a run: counts summed, other units averaged."""
    first = rows.iloc[0]
    combine = "sum" if first["unit"] == "count" else "mean"
    recorded = rows["value"].agg(combine)
    expected = rows["expected_value"].agg(combine)
    return {
        "area_code": first["area_code"],
        "family": first["family"],
        "indicator_id": first["indicator_id"],
        "indicator": first["indicator"],
        "unit": first["unit"],
        "breakdown_dimension": first["breakdown_dimension"],
        "breakdown_value": first["breakdown_value"],
        "breakdown": first["breakdown"],
        "group": first["group"],
        "direction": first["flag"],
        "first_month": rows["month"].min(),
        "last_month": rows["month"].max(),
        "months_in_run": len(rows),
        "periods": "; ".join(dict.fromkeys(rows["period_label"].dropna())),
        "recorded": recorded,
        "expected_low": rows["expected_low"].agg(combine),
        "expected_high": rows["expected_high"].agg(combine),
        "percent_change": 100 * (recorded - expected) / expected if expected else None,
        "value_hidden": bool(rows["value_hidden"].any()),
        "expected_hidden": bool(rows["expected_hidden"].any()),
        "method": "model" if rows["method"].eq("model").all() else "same_months",
        "baseline_base_count": rows["baseline_mean_base_count"].min(),
        "dq_caveat": "; ".join(dict.fromkeys(rows["dq_caveat"].dropna())),
    }


def month_span(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """'April 2020', 'April and May 2020', 'December 2020 to February 2021'."""
    if first == last:
        return first.strftime("%B %Y")
    joiner = (
        " and " if (last.year * 12 + last.month) - (first.year * 12 + first.month) == 1 else " to "
    )
    start = first.strftime("%B") if first.year == last.year else first.strftime("%B %Y")
    return start + joiner + last.strftime("%B %Y")


def figure(value: float | None, unit: str, hidden: bool) -> str:
    if hidden:
        return SUPPRESSED
    if value is None or pd.isna(value):
        return ""
    return {
        "count": f"{value:,.0f}",
        "percent": f"{value:.1f}%",
        "per_10000": f"{value:,.1f} per 10,000 children",
        "days": f"{value:,.0f} days",
    }.get(unit, f"{value:,.1f}")


def evidence(run: dict) -> str:
    subject = (
        run["indicator"]
        if run["group"] == "All"
        else (f"{run['indicator']} ({run['breakdown'].lower()}: {run['group']})")
    )
    months = month_span(run["first_month"], run["last_month"])
    averaged = "" if run["unit"] == "count" else ", monthly average"
    if run["value_hidden"] or run["expected_hidden"] or run["percent_change"] is None:
        size = f"{'below' if run['direction'] == 'below' else 'above'} the expected range"
    else:
        size = f"{abs(run['percent_change']):.0f}% {run['direction']} the expected value"
    low = figure(run["expected_low"], run["unit"], run["expected_hidden"])
    high = figure(run["expected_high"], run["unit"], run["expected_hidden"])
    recorded = figure(run["recorded"], run["unit"], run["value_hidden"])
    note = " (c: small numbers suppressed)" if SUPPRESSED in (low, recorded) else ""
    return (
        f"{subject}: {size} in {months} (expected {low} to {high}; recorded {recorded}"
        f"{averaged}){note}."
    )


def confidence(run: dict, settings: dict) -> tuple[str, list[str]]:
    reasons = []
    if run["caveat"]:
        reasons.append("data-quality caveat")
    if run["method"] != "model":
        reasons.append("series too short for a model (same months of earlier years)")
    if run["value_hidden"] or run["expected_hidden"]:
        reasons.append("small numbers")
    if run["months_in_run"] == 1:
        reasons.append("a single month")
    if not run["baseline_base_count"] >= settings["small_base_count"]:
        reasons.append(f"counts under {settings['small_base_count']} a month")
    level = CONFIDENCE_LEVELS[min(len(reasons), len(CONFIDENCE_LEVELS) - 1)]
    return level, reasons


def quality_caveats(dq_summary: pd.DataFrame | None) -> dict:
    """(area, source, month) -> the reasons of an amber or red data-quality light."""
    if dq_summary is None or dq_summary.empty:
        return {}
    poor = dq_summary[dq_summary["traffic_light"].isin(["amber", "red"])]
    return {
        (area, source, pd.Timestamp(month)): f"{source} {light}: {reasons}"
        for area, source, month, light, reasons in poor[
            ["area_code", "source", "month", "traffic_light", "reasons"]
        ].itertuples(index=False)
    }


def register(
    vs_baseline: pd.DataFrame,
    indicators: pd.DataFrame,
    dq_summary: pd.DataFrame | None = None,
    rules: list[Rule] | None = None,
    settings: dict | None = None,
) -> pd.DataFrame:
    """The ranked questions register (columns REGISTER_COLUMNS), one row per run."""
    rules = rules if rules is not None else load_rules()
    settings = settings or yaml.safe_load(CONFIDENCE_FILE.read_text())
    flagged = runs_outside_range(vs_baseline)
    if flagged.empty:
        return pd.DataFrame(columns=REGISTER_COLUMNS)
    sources = indicators.set_index("indicator_id")["source"]
    lights = quality_caveats(dq_summary)
    rows = []
    for _, run_rows in flagged.groupby("run"):
        run = summarise_run(run_rows)
        source = sources.get(run["indicator_id"])
        light_notes = [
            lights[key]
            for month in run_rows["month"]
            if (key := (run["area_code"], source, month)) in lights
        ]
        run["caveat"] = "; ".join(dict.fromkeys([*filter(None, [run["dq_caveat"]]), *light_notes]))
        rule = choose_rule(rules, pd.Series(run))
        months = month_span(run["first_month"], run["last_month"])
        level, reasons = confidence(run, settings)
        size = abs(run["percent_change"] or 0)
        rows.append(
            {
                **run,
                "months": months,
                "confidence": level,
                "confidence_reasons": "; ".join(reasons),
                "score": size * settings["weights"][level],
                "question": rule.question.format(
                    indicator=run["indicator"], group=run["group"], months=months
                ),
                "evidence": evidence(run),
                "rule": f"{RULES_FILE.name} line {rule.line}",
                "first_month": run["first_month"].strftime("%Y-%m"),
                "last_month": run["last_month"].strftime("%Y-%m"),
            }
        )
    result = pd.DataFrame(rows).sort_values(
        ["score", "months_in_run", "indicator_id"], ascending=[False, False, True]
    )
    result["rank"] = range(1, len(result) + 1)
    for column in ("recorded", "expected_low", "expected_high"):
        hidden = (
            result["expected_hidden"] if column.startswith("expected") else result["value_hidden"]
        )
        result[column] = [
            figure(v, u, h) for v, u, h in zip(result[column], result["unit"], hidden, strict=True)
        ]
    hide_change = result["value_hidden"] | result["expected_hidden"]
    result["percent_change"] = (
        result["percent_change"].astype("Float64").round(1).where(~hide_change)
    )
    result["percent_change"] = result["percent_change"].astype(str).where(~hide_change, SUPPRESSED)
    result["percent_change"] = result["percent_change"].replace("<NA>", "")
    return result[REGISTER_COLUMNS].reset_index(drop=True)
