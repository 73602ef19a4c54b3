"""Files generated from the source registry, so dbt reads the same facts as Python without
a second home: the seed of sources and partners (partner_sources.csv), each contract code
list that has a seed (ae_chief_complaints.csv...), and the macros the quality layer and the
breakdowns and the indicators call (dbt_project/macros/source_registry.sql: dq_catalogue,
contract_codes, source_feeds).
tests/unit/test_source_registry.py keeps them current.

    python -m orchestration.sources.generated           # write them
    python -m orchestration.sources.generated --check   # exit 1 if any is stale
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path
from typing import Any

from orchestration.settings import DBT_PROJECT_DIR
from orchestration.sources.registry import SOURCES_DIR, Source, by_partner, sources

MACRO_FILE = Path("macros") / "source_registry.sql"
# Month expressions a registry entry may name: a macro over one column, or SQL as written.
MONTH_MACROS = ("parse_date", "ssd_date")


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def partner_sources_text(directory: Path) -> str:
    rows = [["source", "partner", "is_service_contact", "label"]]
    for entry in by_partner(directory):
        rows.append([entry.name, entry.partner, str(entry.is_service_contact).lower(), entry.label])
    return _csv(rows)


def code_list_seeds(registry: dict[str, Source]) -> dict[str, str]:
    """Seed name -> text, for every contract column whose codes have a seed."""
    seeds = {}
    for entry in registry.values():
        for column in entry.columns:
            if column.seed:
                attributes = list(next(iter(column.codes.values())))
                rows = [["code", *attributes]]
                rows += [
                    [code, *(attrs[a] for a in attributes)] for code, attrs in column.codes.items()
                ]
                seeds[column.seed] = _csv(rows)
    return seeds


class Expression(str):
    """Jinja code to write as it is (a macro call), not as a string literal."""


def jinja(value: Any) -> str:
    """A value as a Jinja literal."""
    if isinstance(value, Expression):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(jinja(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{jinja(k)}: {jinja(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Jinja literal for {value!r}")


def _month(spec: dict[str, str]) -> str:
    ((kind, text),) = spec.items()
    if kind == "sql":
        return text
    if kind not in MONTH_MACROS:
        raise ValueError(f"month: {kind} is none of sql, {', '.join(MONTH_MACROS)}")
    return Expression(f"{kind}({jinja(text)})")


def _field(entry: Source, raw: dict[str, Any]) -> dict[str, Any]:
    field = {"field": raw["field"], "column": raw.get("column", raw["field"].lower())}
    field["label"] = raw["label"]
    seed = entry.column(raw["field"]).seed if entry.is_contract else None
    if raw.get("code_list") or seed:
        field["code_list"] = raw.get("code_list") or seed
    if "start_field" in raw:
        field["start_column"] = raw["start_field"].lower()
    for key in ("start_column", "start_label", "missing_codes", "optional", "rules"):
        if key in raw:
            field[key] = raw[key]
    return field


def catalogue_entry(entry: Source, raw: dict[str, Any]) -> dict[str, Any]:
    """One table of the quality catalogue (see dbt macro dq_catalogue): a contract source's
    defaults (its partner's dbt source, its event date, its recorded-at) filled in."""
    table = {"source": entry.name, "table_name": raw.get("table", entry.name), "noun": raw["noun"]}
    if "from_ref" in raw:
        table["from_ref"] = raw["from_ref"]
    else:
        table["from_source"] = raw.get("from_source", [entry.partner, entry.name])
    table["month"] = _month(raw.get("month") or {"parse_date": entry.spec["event_date"].lower()})
    if "months_spanned" in raw:
        table["months_spanned"] = raw["months_spanned"]
    if "key" in raw:
        table["key"] = raw["key"].lower()
    if entry.is_contract and entry.spec.get("recorded_at"):
        table["recorded_at"] = entry.spec["recorded_at"].lower()
    table["fields"] = [_field(entry, field) for field in raw["fields"]]
    return table


def _table_lines(table: dict[str, Any]) -> list[str]:
    """A catalogue table as Jinja, a field a line."""
    head = jinja({key: value for key, value in table.items() if key != "fields"})
    fields = [f"        {jinja(field)}," for field in table["fields"]]
    return [f"    {head[:-1]}, 'fields': [", *fields, "    ]},"]


def macro_text(registry: dict[str, Source]) -> str:
    tables = [catalogue_entry(e, raw) for e in registry.values() for raw in e.quality_tables()]
    codes = {
        e.name: {c.name: list(c.codes) for c in e.columns if c.codes}
        for e in registry.values()
        if e.is_contract
    }
    feeds = {
        returned: {"source": e.name, **feed}
        for e in registry.values()
        for returned, feed in e.feeds().items()
    }
    lines = [
        "{#- Generated by orchestration/sources/generated.py from the source registry",
        "    (data/reference/sources/*.yaml): edit the registry and regenerate, not this file.",
        "    dq_catalogue: what the data-quality layer watches, one entry per delivered table",
        "    (its keys: data/reference/sources/README.md); contract_codes: a contract field's",
        "    allowed codes; source_feeds: the returns another source also holds, which of the",
        "    two feeds the indicators (return -> source, rule, covered_by). -#}",
        "{% macro dq_catalogue() %}",
        "{{ return([",
        *(line for table in tables for line in _table_lines(table)),
        "]) }}",
        "{% endmacro %}",
        "",
        "{% macro contract_codes(source_name, field) %}",
        f"{{{{ return({jinja(codes)}[source_name][field]) }}}}",
        "{% endmacro %}",
        "",
        "{% macro source_feeds() %}",
        f"{{{{ return({jinja(feeds)}) }}}}",
        "{% endmacro %}",
        "",
    ]
    return "\n".join(lines)


def generated_files(
    project_dir: Path = DBT_PROJECT_DIR, directory: Path = SOURCES_DIR
) -> dict[Path, str]:
    """Each generated file's path and the text the registry gives it."""
    registry = sources(directory)
    seeds = project_dir / "seeds"
    files = {seeds / "partner_sources.csv": partner_sources_text(directory)}
    files |= {seeds / f"{name}.csv": text for name, text in code_list_seeds(registry).items()}
    files[project_dir / MACRO_FILE] = macro_text(registry)
    return files


def stale_files(project_dir: Path = DBT_PROJECT_DIR, directory: Path = SOURCES_DIR) -> list[Path]:
    return [
        path
        for path, text in generated_files(project_dir, directory).items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project-dir", type=Path, default=DBT_PROJECT_DIR)
    parser.add_argument("--check", action="store_true", help="fail if a file is stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files(args.project_dir)
        for path in stale:
            print(f"{path} is stale: run python -m {__spec__.name}", file=sys.stderr)
        return 1 if stale else 0
    for path, text in generated_files(args.project_dir).items():
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
