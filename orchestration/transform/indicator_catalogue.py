"""The indicator catalogue (seed dbt_project/seeds/indicators.csv), generated from the
indicator registry (dbt_project/macros/indicators/), where each indicator is one entry: its
catalogue row and how it is computed. dbt reads the registry at parse time; Python readers
and the seed read this generated file, which tests/dbt/test_add_indicator.py keeps current.

    python -m orchestration.transform.indicator_catalogue           # write the seed
    python -m orchestration.transform.indicator_catalogue --check   # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from orchestration.settings import DBT_PROJECT_DIR

COLUMNS = (
    "indicator_id",
    "label",
    "family",
    "source",
    "numerator",
    "denominator",
    "unit",
    "direction_of_concern",
    "breakdowns",
    "months_covered",
    "history_months",
    "fields_used",
)
# Each registry file holds one YAML document inside `{%- set <name> -%} ... {%- endset -%}`.
YAML_BLOCK = re.compile(r"\{%-?\s*set\s+\w+\s*-?%\}(.*?)\{%-?\s*endset\s*-?%\}", re.DOTALL)


def registry_dir(project_dir: Path = DBT_PROJECT_DIR) -> Path:
    return project_dir / "macros" / "indicators"


def catalogue_path(project_dir: Path = DBT_PROJECT_DIR) -> Path:
    return project_dir / "seeds" / "indicators.csv"


def yaml_block(path: Path) -> Any:
    """The YAML document a registry macro file holds."""
    found = YAML_BLOCK.search(path.read_text(encoding="utf-8"))
    if found is None:
        raise ValueError(f"{path}: no {{% set %}} block holding the registry's YAML")
    return yaml.safe_load(found.group(1))


def registry_groups(project_dir: Path = DBT_PROJECT_DIR) -> dict[str, list[dict[str, Any]]]:
    """Each group's entries (computed by marts.fct_indicator_monthly__<group>), the groups in
    catalogue order (macro indicator_groups)."""
    folder = registry_dir(project_dir)
    return {
        group: yaml_block(folder / f"{group}.sql") for group in yaml_block(folder / "registry.sql")
    }


def registry(project_dir: Path = DBT_PROJECT_DIR) -> list[dict[str, Any]]:
    """Every indicator entry, in catalogue order."""
    return [entry for entries in registry_groups(project_dir).values() for entry in entries]


def catalogue_row(entry: dict[str, Any]) -> list[str]:
    """The seed's row of an entry: lists |-joined, 'all' first among the breakdowns."""
    row = {
        **{column: entry.get(column) for column in COLUMNS},
        "breakdowns": "|".join(["all", *entry.get("breakdowns", [])]),
        "months_covered": entry.get("months_covered", 1),
        "history_months": entry.get("history_months", 0),
        "fields_used": "|".join(entry.get("fields_used", [])),
    }
    return ["" if row[column] is None else str(row[column]) for column in COLUMNS]


def catalogue_text(project_dir: Path = DBT_PROJECT_DIR) -> str:
    """The seed's text as generated from the registry."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(catalogue_row(entry) for entry in registry(project_dir))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project-dir", type=Path, default=DBT_PROJECT_DIR)
    parser.add_argument("--check", action="store_true", help="fail if the seed is stale")
    args = parser.parse_args(argv)
    target = catalogue_path(args.project_dir)
    text = catalogue_text(args.project_dir)
    if args.check:
        if target.read_text(encoding="utf-8") != text:
            print(f"{target} is stale: run python -m {__spec__.name}", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
