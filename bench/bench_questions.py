"""How well the priority list picks the changes that matter, on scenarios whose truth is known
(issue 15's targets), printed as figures:
- of the top ten questions, how many are changes the scenario really injected: the
  generator's _truth/injected_effects.csv has a true effect 10% or more away from 1 in the
  question's months for its indicator and breakdown (or, for a headline, for any breakdown of
  its indicator);
- how many are an injected recording defect (_truth/defects.csv) presented as a change in
  need: a question not injected whose months and series a defect touches;
- where the first-lockdown fall in referrals (all) stands in the list;
- how many questions reach high confidence (on no_shock, every one would be a false alarm).

    .venv/bin/python bench/bench_questions.py --warehouse W.duckdb --truth data/landing/_truth
    .venv/bin/python bench/bench_questions.py --scenario no_shock --children 50000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from orchestration.outputs import questions  # noqa: E402
from orchestration.outputs.published import publishable, read_marts  # noqa: E402

INJECTED = 0.10  # a true effect at least this far from 1 is a change the scenario made
# Which breakdown a defect in a field can move: the field's codes are the breakdown's groups.
FIELD_DIMENSIONS = {
    "ReferralSource": "source_group",
    "PrimaryNeedCode": "primary_need_code",
    "Ethnicity": "ethnicity_major_group",
    "ETHNIC": "ethnicity_major_group",
    "SOURCE_OF_REFERRAL": "referral_source_code",
}
LINKAGE_FIELDS = {"UPN", "NHS_NUMBER"}  # move the linked indicators ('... known to ...')
WHOLE_SOURCE = {"duplicate_delivery", "gap_month", "recording_lag"}  # move every figure
FIRST_LOCKDOWN = ("2020-03", "2020-07")


def months_of(row: pd.Series) -> set[str]:
    return {str(m) for m in pd.period_range(row["first_month"], row["last_month"], freq="M")}


def injected(row: pd.Series, truth: pd.DataFrame) -> bool:
    cells = truth[truth["indicator_id"] == row["indicator_id"]]
    if row["breakdown_dimension"] != "all":
        cells = cells[
            (cells["breakdown_dimension"] == row["breakdown_dimension"])
            & (cells["breakdown_value"] == row["breakdown_value"])
        ]
    return bool(cells["month"].isin(months_of(row)).any())


def touched_by_defect(row: pd.Series, defects: pd.DataFrame, sources: dict) -> bool:
    months = months_of(row)
    for defect in defects.itertuples():
        span = {str(m) for m in pd.period_range(defect.first_month, defect.last_month, freq="M")}
        if not span & months:
            continue
        if defect.field in LINKAGE_FIELDS and "known" in row["indicator_id"]:
            return True
        if sources.get(row["indicator_id"]) != defect.source:
            continue
        if defect.kind in WHOLE_SOURCE:
            return True
        if FIELD_DIMENSIONS.get(defect.field) == row["breakdown_dimension"]:
            return True
    return False


def score(warehouse: Path, truth_dir: Path) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        marts = read_marts(con)
    tables = publishable(marts)
    started = time.perf_counter()
    built = questions.build(tables["vs_baseline"], marts.indicators)
    seconds = time.perf_counter() - started
    register = built.register
    truth = pd.read_csv(truth_dir / "injected_effects.csv", dtype=str)
    truth = truth[(truth["true_effect"].astype(float) - 1).abs() >= INJECTED - 1e-9]
    truth = truth.assign(month=truth["month"].str[:7])
    defects = pd.read_csv(truth_dir / "defects.csv", dtype=str).drop_duplicates("defect_id")
    sources = dict(zip(marts.indicators["indicator_id"], marts.indicators["source"], strict=True))
    top = register[register["priority"].notna()].sort_values("priority").copy()
    top["injected"] = [injected(r, truth) for _, r in top.iterrows()]
    top["defect"] = [
        not r["injected"] and touched_by_defect(r, defects, sources) for _, r in top.iterrows()
    ]
    referrals = top[
        (top["indicator_id"] == "referrals") & (top["breakdown_dimension"] == "all")
        & (top["direction"] == "below") & top["first_month"].between(*FIRST_LOCKDOWN)
    ]  # fmt: skip
    return {
        "questions": len(register),
        "priority_questions": len(top),
        "top10_injected": int(top["injected"].sum()),
        "top10_recording_defects_as_need": int(top["defect"].sum()),
        "first_lockdown_referrals_priority": (
            int(referrals["priority"].min()) if len(referrals) else None
        ),
        "high_confidence_questions": int((register["confidence"] == "high").sum()),
        "high_confidence_in_top10": int((top["confidence"] == "high").sum()),
        "register_seconds": round(seconds, 2),
        "top10": [
            f"{int(r.priority)}. {r.indicator_id} {r.breakdown_value} {r.direction}"
            f" {r.first_month}..{r.last_month} {r.percent_change}% {r.confidence}"
            f"{' INJECTED' if r.injected else ''}{' DEFECT' if r.defect else ''}"
            for r in top.itertuples()
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, help="a built warehouse to score")
    parser.add_argument("--truth", type=Path, help="its generator answer key (_truth/)")
    parser.add_argument("--scenario", choices=["england_covid", "no_shock"])
    parser.add_argument("--children", type=int, default=50_000)
    args = parser.parse_args()
    if args.warehouse:
        results = {"warehouse": str(args.warehouse), **score(args.warehouse, args.truth)}
    else:
        from bench_expected import build

        with tempfile.TemporaryDirectory() as base:
            work = build(Path(base), args.scenario, args.children)
            results = {
                "scenario": args.scenario,
                "children": args.children,
                **score(work / "warehouse.duckdb", work / "landing" / "_truth"),
            }
    top = results.pop("top10")
    print(json.dumps(results, indent=2))
    print("\n".join(top))


if __name__ == "__main__":
    main()
