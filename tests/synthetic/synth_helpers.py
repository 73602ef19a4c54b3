"""Helpers shared by the synthetic generator tests."""

from __future__ import annotations

from pathlib import Path

from synthetic import GenerationSummary

SMALL = {"seed": 42, "children": 5_000, "start": "2019-04", "end": "2021-03", "la_code": "938"}


def cin_files(summary: GenerationSummary) -> list[Path]:
    return sorted(p for p in summary.files if p.suffix == ".xml")
