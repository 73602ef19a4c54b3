"""Shared synthetic runs: generated once per test session, small enough to be quick."""

from __future__ import annotations

import pytest

from synthetic import GenerationSummary, generate
from tests.synthetic.synth_helpers import SMALL, SSD_RUN, generate_clean


@pytest.fixture(scope="session")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    return generate(tmp_path_factory.mktemp("small"), **SMALL)


@pytest.fixture(scope="session")
def recent_run(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    """Collection years 2025 and 2026: the schemas with Sex instead of GenderCurrent."""
    return generate(
        tmp_path_factory.mktemp("recent"), seed=7, children=5_000, start="2024-04", end="2026-03"
    )


@pytest.fixture(scope="session")
def rate_run(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    return generate(
        tmp_path_factory.mktemp("rate"), seed=42, children=20_000, start="2017-04", end="2021-03"
    )


@pytest.fixture(scope="session")
def ssd_run(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    """The clean county whose SSD extracts the test_synth_ssd_* modules hold against its
    returns; read only."""
    return generate_clean(tmp_path_factory.mktemp("ssd"), **SSD_RUN)
