"""Helpers shared by the synthetic generator tests."""

from __future__ import annotations

from pathlib import Path

from synthetic import GenerationSummary, generate

SMALL = {"seed": 42, "children": 5_000, "start": "2019-04", "end": "2021-03", "la_code": "938"}
# Two whole collection years and a quarter: the returns of 2020 and 2021, and an extract
# made on 1 July 2021 that no return matches.
SSD_RUN = {"seed": 5, "children": 6_000, "start": "2019-04", "end": "2021-06"}
# No shock and no defects: every record as the simulation made it.
CLEAN = "name: clean\nmultipliers: {}\nsources: {}\ndefects: []\n"


def cin_files(summary: GenerationSummary) -> list[Path]:
    return sorted(p for p in summary.files if p.suffix == ".xml")


def generate_clean(folder: Path, **options) -> GenerationSummary:
    """A run under the clean scenario (written into folder), its files in folder/out."""
    scenario = folder / "clean.yaml"
    scenario.write_text(CLEAN, encoding="utf-8")
    return generate(folder / "out", **options, scenario=scenario)
