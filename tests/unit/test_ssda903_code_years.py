"""The SSDA903 codes' valid years (seed ssda903_code_years) are current with the DfE
specifications, and say what the specifications say about a retired and an added code."""

from __future__ import annotations

from orchestration.transform import ssda903_code_years
from orchestration.transform.ssda903_code_years import SEED, code_years


def test_the_seed_is_current() -> None:
    assert SEED.read_text(encoding="utf-8") == ssda903_code_years.render(), (
        "run python -m orchestration.transform.ssda903_code_years"
    )
    assert ssda903_code_years.main(["--check"]) == 0


def test_retired_and_added_placement_codes_have_their_years() -> None:
    years = {(row[0], row[1]): row[2:] for row in code_years()}
    assert years[("ssda903_placement_types", "H5")] == (2017, 2024)  # retired in 2025
    assert years[("ssda903_placement_types", "K3")][0] == 2025  # added in 2025
    assert years[("ssda903_legal_statuses", "C2")] == (2017, ssda903_code_years.latest_year())


def test_a_stale_seed_is_reported(tmp_path) -> None:
    stale = tmp_path / "seed.csv"
    stale.write_text("code_list,code,first_year,last_year\n", encoding="utf-8")
    assert ssda903_code_years.main(["--check", "--seed", str(stale)]) == 1
