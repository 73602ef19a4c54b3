"""Synthetic person identifiers: UPNs, NHS numbers and local authority child ids.

All identifiers pass the checks the real ones must pass, so parsers and validation rules
exercise their normal paths, while the choices below keep them from colliding with real
people: NHS numbers come from the 999 range that NHS England reserves for testing, and
the LA child ids and UPN serials are random.
"""

from __future__ import annotations

import numpy as np

UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_WEIGHTS = np.arange(2, 14)
_NHS_WEIGHTS = np.arange(10, 1, -1)
NHS_TEST_PREFIX = "999"
# The range has about 909,000 valid numbers; stay well below so drawing stays quick.
NHS_TEST_CAPACITY = 600_000


def upn_check_letter(body: str) -> str:
    """Check letter for the 12 characters after it (LA, establishment, year, serial)."""
    if len(body) != 12 or not body.isdigit():
        raise ValueError(f"UPN body must be 12 digits, got {body!r}")
    total = sum(int(ch) * w for ch, w in zip(body, range(2, 14), strict=True))
    return UPN_CHECK_LETTERS[total % 23]


def is_valid_upn(upn: str) -> bool:
    """True for a permanent UPN (13 characters, all digits after a correct check letter)."""
    if len(upn) != 13 or not upn[1:].isdigit():
        return False
    return upn[0] == upn_check_letter(upn[1:])


def nhs_check_digit(first_nine: str) -> int | None:
    """Modulus 11 check digit, or None when the nine digits can never form a valid number."""
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError(f"expected nine digits, got {first_nine!r}")
    total = sum(int(ch) * w for ch, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 10:
        return None
    return 0 if check == 11 else check


def is_valid_nhs_number(number: str) -> bool:
    if len(number) != 10 or not number.isdigit():
        return False
    return nhs_check_digit(number[:9]) == int(number[9])


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """Decimal digits of non-negative integers as an (n, width) matrix, most significant first."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (np.asarray(values, dtype=np.int64)[:, None] // powers) % 10


def _join_columns(*parts: np.ndarray) -> np.ndarray:
    out = np.asarray(parts[0], dtype=object)
    for part in parts[1:]:
        out = out + np.asarray(part, dtype=object)
    return out


def make_upns(
    la_code: str, establishment: np.ndarray, year2: np.ndarray, serial: np.ndarray
) -> np.ndarray:
    """Vectorised permanent UPNs from their parts (establishment 4, year 2, serial 3 digits)."""
    body = int(la_code) * 10**9 + establishment * 10**5 + year2 * 10**3 + serial
    total = _digits(body, 12) @ _UPN_WEIGHTS
    letters = np.array(list(UPN_CHECK_LETTERS), dtype=object)[total % 23]
    return _join_columns(letters, np.char.zfill(body.astype(str), 12))


def make_nhs_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct valid NHS numbers from the reserved 999 test range, in random order."""
    if n > NHS_TEST_CAPACITY:
        raise ValueError(f"the 999 test range holds too few NHS numbers for {n:,} people")
    prefix = int(NHS_TEST_PREFIX) * 10**6
    found = np.empty(0, dtype=np.int64)
    while found.size < n:
        # About one candidate in eleven fails the check; draw with margin and top up if short.
        candidates = prefix + rng.integers(0, 10**6, size=int(n * 1.2) + 16)
        check = 11 - (_digits(candidates, 9) @ _NHS_WEIGHTS) % 11
        keep = check != 10
        full = candidates[keep] * 10 + np.where(check[keep] == 11, 0, check[keep])
        merged = np.concatenate([found, full])
        _, first = np.unique(merged, return_index=True)
        found = merged[np.sort(first)]
    return np.char.zfill(found[:n].astype(str), 10).astype(object)


def make_la_child_ids(rng: np.random.Generator, n: int, prefix: str = "LA") -> np.ndarray:
    """n distinct ids of the form prefix + 8 digits, in random order."""
    numbers = rng.choice(90_000_000, size=n, replace=False) + 10_000_000
    return _join_columns(np.full(n, prefix, dtype=object), numbers.astype(str))
