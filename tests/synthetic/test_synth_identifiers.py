from __future__ import annotations

import numpy as np
import pytest

from synthetic.calibration import PopulationRates
from synthetic.identifiers import (
    is_valid_nhs_number,
    is_valid_upn,
    make_la_child_ids,
    make_nhs_numbers,
    make_upns,
    nhs_check_digit,
    upn_check_letter,
)
from synthetic.period import Period
from synthetic.population import build_population


@pytest.mark.parametrize(
    ("body", "letter"),
    [
        # 9*2 + 3*3 + 8*4 + 2*5 + 0 + 0 + 0 + 1*9 + 8*10 + 0 + 0 + 1*13 = 171; 171 mod 23 = 10 -> L
        ("938200018001", "L"),
        # 2*2 + 0 + 1*4 + 1*5 + 2*6 + 3*7 + 4*8 + 5*9 + 6*10 + 7*11 + 8*12 + 9*13 = 473;
        # 473 mod 23 = 13 -> P (the letters skip I and O)
        ("201123456789", "P"),
        # all zeros: 0 mod 23 = 0 -> A
        ("000000000000", "A"),
    ],
)
def test_upn_check_letter_hand_computed(body: str, letter: str) -> None:
    assert upn_check_letter(body) == letter
    assert is_valid_upn(letter + body)


def test_upn_validation_rejects_wrong_letter_and_shape() -> None:
    assert not is_valid_upn("A938200018001")
    assert not is_valid_upn("L93820001800")
    assert not is_valid_upn("L93820001800X")


def test_vectorised_upns_match_the_scalar_rule() -> None:
    upns = make_upns("938", np.array([2001, 2450]), np.array([18, 7]), np.array([1, 999]))
    # 938200118001: sum 179, mod 23 = 18 -> V;  938245007999: sum 522, mod 23 = 16 -> T
    assert upns.tolist() == ["V938200118001", "T938245007999"]


@pytest.mark.parametrize(
    ("first_nine", "check"),
    [
        # 9*10 + 4*9 + 3*8 + 4*7 + 7*6 + 6*5 + 5*4 + 9*3 + 1*2 = 299; 299 mod 11 = 2; 11 - 2 = 9
        ("943476591", 9),
        # 9*10 + 9*9 + 9*8 + 0 + 0 + 0 + 0 + 0 + 1*2 = 245; 245 mod 11 = 3; 11 - 3 = 8
        ("999000001", 8),
        # 9*10 + 9*9 + 9*8 + 0 ... + 0 = 243; 243 mod 11 = 1; 11 - 1 = 10 -> never valid
        ("999000000", None),
    ],
)
def test_nhs_check_digit_hand_computed(first_nine: str, check: int | None) -> None:
    assert nhs_check_digit(first_nine) == check


def test_nhs_validation() -> None:
    assert is_valid_nhs_number("9434765919")
    assert not is_valid_nhs_number("9434765918")
    assert not is_valid_nhs_number("943476591")


def test_generated_identifiers_are_valid_and_unique() -> None:
    rng = np.random.default_rng(3)
    nhs = make_nhs_numbers(rng, 20_000)
    assert len(set(nhs)) == nhs.size
    assert all(is_valid_nhs_number(n) and n.startswith("999") for n in nhs)
    ids = make_la_child_ids(rng, 20_000)
    assert len(set(ids)) == ids.size
    assert all(len(i) == 10 and i.startswith("LA") and i[2:].isdigit() for i in ids)


def test_population_identifiers() -> None:
    period = Period.from_months("2019-04", "2021-03")
    pop = build_population(np.random.default_rng(1), 10_000, period, "938", PopulationRates())
    assert len(pop) > 10_000  # plus births
    assert len(set(pop.upn)) == len(pop)
    assert all(is_valid_upn(u) and u[1:4] == "938" for u in pop.upn)
    assert all(is_valid_nhs_number(n) for n in pop.nhs_number)
    assert len(set(pop.la_child_id)) == len(pop)
    assert 0.68 < np.mean(pop.ethnicity == "WBRI") < 0.76
    assert set(pop.postcode_district) <= {f"QX{k}" for k in range(1, 13)}
