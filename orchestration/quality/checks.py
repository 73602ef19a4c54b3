"""The data-quality metric rules (seed dq_thresholds) as Dagster asset checks on
quality/dq_findings: one check per rule, WARN and non-blocking, because degraded recording
is expected and travels with the indicators as a caveat rather than stopping a run.

Each check's metadata shows, per source, table and field, the worst failing share (or lag,
or rows), the months affected and example row references (file:line, never an identifier).
"""

import dagster as dg

from orchestration.resources import WarehouseResource

FINDINGS_ASSET = dg.AssetKey(["quality", "dq_findings"])
EXAMPLES_SHOWN = 5

# What each rule of seed dq_thresholds looks for, for the check's description.
RULES = {
    "completeness": "a field blank (or 'not known') far more often than in its baseline",
    "validity": "codes outside the DfE or contract code list",
    "date_order": "end dates before their start dates",
    "timeliness": "events recorded later than in the baseline (RECORDED_AT)",
    "volume": "months with almost no rows against the baseline: possible extract gaps",
    "duplicates": "records delivered twice and months delivered more than once",
    "linkage": "a linkage rate far below the source's baseline",
}

FINDINGS_BY_FIELD = """
select
    source,
    table_name,
    field,
    count(*) as months,
    string_agg(strftime(month, '%Y-%m'), ', ' order by month) as months_affected,
    max(observed) as worst,
    max(baseline) as baseline,
    any_value(unit) as unit,
    string_agg(example_row, ', ' order by month)
        filter (where example_row is not null) as example_rows
from quality.dq_findings
where check_name = ?
group by source, table_name, field
order by source, table_name, field
"""


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "share":
        return f"{100 * value:.1f}%"
    return f"{value:.1f} {unit}"


def findings_markdown(rows: list[tuple]) -> str:
    lines = [
        "| source | table | field | months | worst | baseline | months affected | example rows |",
        "|---|---|---|---:|---:|---:|---|---|",
    ]
    for source, table, field, months, affected, worst, baseline, unit, examples in rows:
        shown = ", ".join((examples or "").split(", ")[:EXAMPLES_SHOWN])
        lines.append(
            f"| {source} | {table} | {field} | {months} | {_value(worst, unit)} "
            f"| {_value(baseline, unit)} | {affected} | {shown} |"
        )
    return "\n".join(lines)


def build_rule_check(rule: str, looks_for: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=FINDINGS_ASSET,
        name=f"dq_{rule}",
        description=f"Data quality, {rule}: {looks_for} (thresholds: seed dq_thresholds). "
        "WARN: the findings travel with the indicators as dq_caveat.",
        blocking=False,
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as con:
            rows = con.execute(FINDINGS_BY_FIELD, [rule]).fetchall()
        months = sorted({m for row in rows for m in row[4].split(", ")})
        return dg.AssetCheckResult(
            passed=not rows,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "fields_affected": len(rows),
                "months_affected": dg.MetadataValue.text(", ".join(months)),
                "findings": dg.MetadataValue.md(findings_markdown(rows)),
            },
        )

    return _check


def rule_checks() -> list[dg.AssetChecksDefinition]:
    return [build_rule_check(rule, looks_for) for rule, looks_for in RULES.items()]
