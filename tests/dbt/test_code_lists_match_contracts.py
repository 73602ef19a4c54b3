"""A partner code list written in two homes, the contract (what ingestion checks) and a seed
(what the marts decode and label with), must hold the same codes: until the source registry
makes one of them generated, this test is what keeps them from drifting."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[2]
CONTRACTS = ROOT / "data" / "reference" / "contracts"
SEEDS = ROOT / "dbt_project" / "seeds"
# seed -> (contract, field)
PAIRS = {
    "ae_chief_complaints": ("ae_attendances", "CHIEF_COMPLAINT"),
    "admission_methods": ("hospital_admissions", "ADMISSION_METHOD"),
    "police_incident_types": ("police_incidents", "INCIDENT_TYPE"),
}


def contract_codes(contract: str, field: str) -> set[str]:
    text = yaml.safe_load((CONTRACTS / f"{contract}.yaml").read_text(encoding="utf-8"))
    (column,) = [c for c in text["columns"] if c["name"] == field]
    return {str(code) for code in column["codes"]}


def seed_codes(seed: str) -> set[str]:
    with (SEEDS / f"{seed}.csv").open(newline="", encoding="utf-8") as handle:
        return {row["code"] for row in csv.DictReader(handle)}


@pytest.mark.parametrize("seed", sorted(PAIRS))
def test_the_seed_and_the_contract_hold_the_same_codes(seed: str) -> None:
    contract, field = PAIRS[seed]
    codes = contract_codes(contract, field)
    assert len(codes) >= 4
    assert seed_codes(seed) == codes
