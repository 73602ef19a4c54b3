"""The years each SSDA903 code is valid in (seed dbt_project/seeds/ssda903_code_years.csv),
generated from the DfE specifications (data/reference/dfe_schemas/ssda903, read by
orchestration/sources/ssda903_schema.py), so the quality layer judges a return against its
own year's codes as ingestion does: a code retired in 2025 (placement H5) is valid in a
2024 return and invalid in a 2025 one.

    python -m orchestration.transform.ssda903_code_years           # write the seed
    python -m orchestration.transform.ssda903_code_years --check   # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR
from orchestration.sources.ssda903_schema import latest_year, specification

SEED = DBT_PROJECT_DIR / "seeds" / "ssda903_code_years.csv"
FIRST_YEAR = 2017  # the first specification held
# The code lists of dq_code_lists that are SSDA903 fields: (table, column) each reads.
CODE_LISTS = {
    "ssda903_placement_types": ("Episodes", "PLACE"),
    "ssda903_legal_statuses": ("Episodes", "LS"),
}


def code_years() -> list[tuple[str, str, int, int]]:
    """(code_list, code, first_year, last_year): one row per unbroken run of years."""
    rows = []
    years = range(FIRST_YEAR, latest_year() + 1)
    for code_list, (table, column) in CODE_LISTS.items():
        valid = {year: _codes(year, table, column) for year in years}
        for code in sorted(set().union(*valid.values())):
            start = None
            for year in [*years, None]:
                inside = year is not None and code in valid[year]
                if inside and start is None:
                    start = year
                elif not inside and start is not None:
                    rows.append((code_list, code, start, (year or latest_year() + 1) - 1))
                    start = None
    return rows


def _codes(year: int, table: str, column: str) -> set[str]:
    return {str(item["code"]) for item in specification(year)[table][column]["category"]}


def render() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code_list", "code", "first_year", "last_year"])
    writer.writerows(code_years())
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the seed is stale")
    parser.add_argument("--seed", type=Path, default=SEED)
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.seed.read_text(encoding="utf-8") if args.seed.exists() else ""
        print("current" if current == text else f"stale: run python -m {__spec__.name}")
        return 0 if current == text else 1
    args.seed.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
