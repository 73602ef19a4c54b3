"""Loads the generator's own reference data from ``synthetic/data/``.

Each CSV there is the single home of one kind of fact (code lists, mixes, districts); see
``synthetic/data/README.md`` for what each holds and where its numbers come from.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

DATA_DIR = Path(__file__).parent / "data"
# Code lists the platform's models decode with are dbt seeds; the generator draws from the
# same files so that the two can never disagree.
DBT_SEEDS_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"


@cache
def read_data_csv(name: str) -> pd.DataFrame:
    """A CSV from synthetic/data with every column kept as text unless it is numeric, read
    once and shared (callers must not change it)."""
    return pd.read_csv(DATA_DIR / name, dtype={"code": str, "fallback": str}, keep_default_na=False)


@dataclass(frozen=True)
class CodeMix:
    """Codes of one field with their relative weights and optional fallback codes."""

    codes: np.ndarray
    probabilities: np.ndarray
    fallback: dict[str, str]

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.codes[draw_index(rng, self.probabilities, n)]


def draw_index(rng: np.random.Generator, probabilities: np.ndarray, n: int) -> np.ndarray:
    """n draws from a categorical distribution (inverse CDF, one uniform per draw)."""
    cumulative = np.cumsum(probabilities)
    cumulative /= cumulative[-1]
    return np.searchsorted(cumulative, rng.random(n), side="right").clip(max=len(cumulative) - 1)


@cache
def code_mix(field: str, subset: tuple[str, ...] | None = None) -> CodeMix:
    """The weights of one field in code_weights.csv, optionally restricted to some codes."""
    table = read_data_csv("code_weights.csv")
    table = table[table["field"] == field]
    if subset is not None:
        table = table[table["code"].isin(subset)]
    if table.empty:
        raise KeyError(f"no weights for {field!r} in code_weights.csv")
    weights = table["weight"].to_numpy(dtype=float)
    fallback = {c: f for c, f in zip(table["code"], table["fallback"], strict=True) if f}
    return CodeMix(table["code"].to_numpy(dtype=object), weights / weights.sum(), fallback)


@cache
def referral_source_groups() -> pd.DataFrame:
    """Referral source code -> label and source group: the dbt seed the models decode with."""
    return pd.read_csv(DBT_SEEDS_DIR / "cin_referral_sources.csv", dtype=str, keep_default_na=False)


def source_group_profile() -> pd.DataFrame:
    """One row per source group: national share and weekly, holiday and monthly shape."""
    return read_data_csv("referral_source_group_profile.csv")


def referral_age_bands() -> pd.DataFrame:
    return read_data_csv("referral_age_bands.csv")


@cache
def postcode_districts() -> pd.DataFrame:
    """Districts with their share of children and relative risk, and the locality each
    belongs to from the platform's dbt seed (the one home of district -> locality)."""
    localities = pd.read_csv(DBT_SEEDS_DIR / "localities.csv", dtype=str)
    districts = read_data_csv("postcode_districts.csv")
    return districts.merge(
        localities.rename(columns={"postcode_district": "district"}), on="district", how="left"
    )
