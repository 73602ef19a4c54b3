"""How well the data-quality layer finds the generator's injected defects.

Compares quality.dq_findings and quality.dq_summary with the answer key
landing/_truth/defects.csv and prints, per defect kind, how many defects were injected,
detected and missed, and how many clean baseline source-months were flagged:

    python -m orchestration.quality.detection_report --landing DIR --warehouse FILE

A defect is detected when a finding names its source, table and field (no field for a
duplicate delivery or a gap month) in one of its months. A clean baseline source-month is
a month outside every period of interest, inside the generated span, for which the truth
file lists no defect of that source; it is a false alarm when its traffic light is not green.
"""

from __future__ import annotations

import argparse
import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb

# The check that answers each kind of injected defect.
CHECK_FOR_KIND = {
    "missing_field": "completeness",
    "invalid_code": "validity",
    "date_order": "date_order",
    "recording_lag": "timeliness",
    "duplicate_delivery": "duplicates",
    "gap_month": "volume",
}


@dataclass(frozen=True)
class InjectedDefect:
    """A row of the answer key's defects, as far as detecting it goes (the generator's own
    Defect is one with its size and description)."""

    defect_id: str
    kind: str
    source: str
    table: str
    field: str
    first_month: str  # YYYY-MM
    last_month: str

    def covers(self, month: str) -> bool:
        return self.first_month <= month <= self.last_month


@dataclass(frozen=True)
class Finding:
    source: str
    table: str
    field: str
    check: str
    month: str


@dataclass(frozen=True)
class DetectionResult:
    defects: list[InjectedDefect]
    detected: set[str]  # defect ids
    clean_source_months: int
    false_alarms: list[tuple[str, str, str]]  # (source, month, reasons)

    @property
    def detection_rate(self) -> float:
        return len(self.detected) / len(self.defects) if self.defects else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return (
            len(self.false_alarms) / self.clean_source_months if self.clean_source_months else 0.0
        )


def read_defects(landing: Path) -> list[InjectedDefect]:
    with (landing / "_truth" / "defects.csv").open(encoding="utf-8") as handle:
        return [
            InjectedDefect(
                row["defect_id"],
                row["kind"],
                row["source"],
                row["table"],
                row["field"],
                row["first_month"],
                row["last_month"],
            )
            for row in csv.DictReader(handle)
        ]


def generated_span(landing: Path) -> tuple[str, str]:
    """First and last month the generator simulated (from its monthly referral counts)."""
    with (landing / "_truth" / "cin_referrals_monthly.csv").open(encoding="utf-8") as handle:
        months = [row["month"][:7] for row in csv.DictReader(handle)]
    return min(months), max(months)


def is_detected(defect: InjectedDefect, findings: list[Finding]) -> bool:
    return any(
        f.source == defect.source
        and f.table == defect.table
        and f.field == defect.field
        and f.check == CHECK_FOR_KIND[defect.kind]
        and defect.covers(f.month)
        for f in findings
    )


def evaluate(landing: Path, con: duckdb.DuckDBPyConnection) -> DetectionResult:
    defects = read_defects(landing)
    findings = [
        Finding(*row)
        for row in con.execute(
            "select source, table_name, field, check_name, strftime(month, '%Y-%m') "
            "from quality.dq_findings"
        ).fetchall()
    ]
    first, last = generated_span(landing)
    baseline = con.execute(
        "select summary.source, strftime(summary.month, '%Y-%m'), summary.traffic_light, "
        "summary.reasons from quality.dq_summary as summary "
        "inner join marts.dim_month as months on summary.month = months.month "
        "where months.period_id is null and strftime(summary.month, '%Y-%m') between ? and ?",
        [first, last],
    ).fetchall()
    clean = [
        (source, month, light, reasons)
        for source, month, light, reasons in baseline
        if not any(d.source == source and d.covers(month) for d in defects)
    ]
    return DetectionResult(
        defects=defects,
        detected={d.defect_id for d in defects if is_detected(d, findings)},
        clean_source_months=len(clean),
        false_alarms=[(s, m, r) for s, m, light, r in clean if light != "green"],
    )


def detection_table(result: DetectionResult) -> str:
    """The table as Markdown: per defect kind, injected, detected, missed."""
    lines = [
        "| defect kind | injected | detected | missed |",
        "|---|---:|---:|---:|",
    ]
    for kind in CHECK_FOR_KIND:
        ids = [d.defect_id for d in result.defects if d.kind == kind]
        found = sum(1 for i in ids if i in result.detected)
        lines.append(f"| {kind} | {len(ids)} | {found} | {len(ids) - found} |")
    total = len(result.defects)
    found = len(result.detected)
    lines.append(f"| **all** | {total} | {found} | {total - found} |")
    missed = [d for d in result.defects if d.defect_id not in result.detected]
    lines += [
        "",
        f"Detected {found} of {total} injected defects ({100 * result.detection_rate:.1f}%).",
        f"False alarms: {len(result.false_alarms)} of {result.clean_source_months} clean "
        f"baseline source-months flagged ({100 * result.false_alarm_rate:.1f}%).",
    ]
    lines += [
        f"- missed {d.defect_id}: {d.kind} {d.source}.{d.table}.{d.field} "
        f"{d.first_month}..{d.last_month}"
        for d in missed
    ]
    lines += [
        f"- false alarm {source} {month}: {reasons}"
        for source, month, reasons in result.false_alarms
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landing", type=Path, required=True, help="generated landing folder")
    parser.add_argument("--warehouse", type=Path, required=True, help="built warehouse file")
    args = parser.parse_args(argv)
    with duckdb.connect(str(args.warehouse), read_only=True) as con:
        print(detection_table(evaluate(args.landing, con)))


if __name__ == "__main__":
    main()
