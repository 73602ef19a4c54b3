"""Keyed pseudonymisation of child identifiers, applied at the door of the warehouse.

Identifiers are normalised first so that the same child delivered by two partners with
different formatting (lower-case UPN, spaced NHS number, accented name) gets the same
pseudonym. The identifier kind is part of the hashed message so that, say, a UPN and an LA
child id with the same characters never collide.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable, Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

KEY_ENV = "CSC_INTEL_PSEUDONYMISATION_KEY"
KEY_FILE_ENV = "CSC_INTEL_PSEUDONYMISATION_KEY_FILE"
DEMO_FLAG_ENV = "CSC_INTEL_DEMO_KEY"
# Public on purpose: it protects synthetic data only and must never be used for real extracts.
DEMO_KEY = b"csc-intel DEMO key - synthetic data only - not for real children's data"
PSEUDONYM_HEX_CHARS = 32
# Canonical identifiers remembered with their pseudonyms (about 100 bytes each); the memo
# lives only in the process that ingests and is dropped when it grows past this.
MEMO_LIMIT = 2_000_000


class MissingKeyError(RuntimeError):
    """No pseudonymisation key is configured."""


def _regex(values: pa.Array, pattern: str, replacement: str) -> pa.Array:
    return pc.replace_substring_regex(values, pattern=pattern, replacement=replacement)


def _normalise_upn(values: pa.Array) -> pa.Array:
    return pc.utf8_upper(_regex(values, r"\s+", ""))


def _normalise_nhs_number(values: pa.Array) -> pa.Array:
    return _regex(values, r"\D", "")


def _normalise_name(values: pa.Array) -> pa.Array:
    without_accents = _regex(pc.utf8_normalize(values, "NFKD"), r"\pM", "")
    return _regex(pc.utf8_lower(without_accents), "[^a-z]", "")


def _normalise_date(values: pa.Array) -> pa.Array:
    """dd/mm/yyyy (or d/m/yyyy) becomes yyyy-mm-dd; anything else keeps its first 10
    characters, so ISO dates and timestamps agree."""
    text = pc.utf8_trim_whitespace(values)
    padded = _regex(_regex(text, r"^(\d)/", "0\\1/"), r"/(\d)/", "/0\\1/")
    iso = _regex(padded, r"^(\d{2})/(\d{2})/(\d{4})$", "\\3-\\2-\\1")
    return pc.utf8_slice_codeunits(iso, 0, 10)


def _normalise_postcode_district(values: pa.Array) -> pa.Array:
    compact = pc.utf8_upper(_regex(values, r"\s+", ""))
    # A full postcode ends in its inward code (a digit and two letters): the district is
    # what precedes it. An outward code alone is already a district.
    return _regex(compact, r"^([A-Z]{1,2}[0-9][0-9A-Z]?)[0-9][A-Z]{2}$", "\\1")


def _normalise_local_id(values: pa.Array) -> pa.Array:
    return pc.utf8_upper(pc.utf8_trim_whitespace(values))


NORMALISERS: dict[str, Callable[[pa.Array], pa.Array]] = {
    "upn": _normalise_upn,
    "nhs_number": _normalise_nhs_number,
    "name": _normalise_name,
    "date_of_birth": _normalise_date,
    "postcode_district": _normalise_postcode_district,
    "la_child_id": _normalise_local_id,
}


def per_distinct(
    transform: Callable[[pa.Array], pa.Array], values: pa.Array | pa.ChunkedArray
) -> pa.Array:
    """An element-wise transform computed once per distinct value and spread back: the same
    children and dates recur row after row (a pupil in every termly census), so regular
    expressions over the distinct values cost a fraction of running them over every row."""
    distinct = pc.unique(values)
    return pc.take(transform(distinct), pc.index_in(values, value_set=distinct))


def normalise_array(kind: str, values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Canonical forms of identifiers of one kind, vectorised; blanks become null."""

    def canonical(distinct: pa.Array) -> pa.Array:
        normalised = NORMALISERS[kind](distinct)
        return pc.if_else(pc.equal(normalised, ""), pa.scalar(None, pa.string()), normalised)

    return per_distinct(
        canonical, pa.array(values, type=pa.string()) if isinstance(values, list) else values
    )


def normalise(kind: str, value: str) -> str:
    """The canonical form of one identifier (the same rules as normalise_array)."""
    return normalise_array(kind, pa.array([value], type=pa.string()))[0].as_py() or ""


class Pseudonymiser:
    """HMAC-SHA256 over normalised identifiers; blanks stay null."""

    def __init__(self, key: bytes, key_label: str) -> None:
        if len(key) < 16:
            raise ValueError("The pseudonymisation key must be at least 16 bytes long.")
        self._key = key
        self.key_label = key_label
        self._memo: dict[str, dict[str, str]] = {}

    def pseudonymise_array(self, kind: str, values: pa.Array | pa.ChunkedArray) -> pa.Array:
        """Pseudonyms of a column: normalised in bulk, each distinct value hashed once and
        remembered, since the same children recur in file after file."""
        canonical = normalise_array(kind, values)
        distinct = pc.unique(canonical).drop_null()
        known = self._memo.setdefault(kind, {})
        if sum(len(memo) for memo in self._memo.values()) > MEMO_LIMIT:
            self._memo.clear()
            known = self._memo.setdefault(kind, {})
        prefix = f"{kind}:".encode()
        pseudonyms = []
        for value in distinct.to_pylist():
            pseudonym = known.get(value)
            if pseudonym is None:
                digest = hmac.digest(self._key, prefix + value.encode(), "sha256")
                pseudonym = known[value] = digest.hex()[:PSEUDONYM_HEX_CHARS]
            pseudonyms.append(pseudonym)
        hashed = pa.array(pseudonyms, type=pa.string())
        return pc.take(hashed, pc.index_in(canonical, value_set=distinct))

    def pseudonymise(self, kind: str, value: str | None) -> str | None:
        return self.pseudonymise_array(kind, pa.array([value], type=pa.string()))[0].as_py()

    def pseudonymise_many(self, kind: str, values: Iterable[str | None]) -> list[str | None]:
        return self.pseudonymise_array(kind, pa.array(list(values), type=pa.string())).to_pylist()


def load_pseudonymiser(environ: dict[str, str] | None = None) -> Pseudonymiser:
    """Build the pseudonymiser from the key in the environment, a key file, or the demo key.

    The demo key is used only when explicitly allowed, so a real deployment that forgot to
    configure its key stops instead of hashing real identifiers with a public key.
    """
    env = os.environ if environ is None else environ
    if env.get(KEY_ENV):
        return Pseudonymiser(env[KEY_ENV].encode(), key_label=f"env:{KEY_ENV}")
    if env.get(KEY_FILE_ENV):
        key_path = Path(env[KEY_FILE_ENV])
        if not key_path.is_file():
            raise MissingKeyError(f"{KEY_FILE_ENV} points to {key_path}, which is not a file.")
        return Pseudonymiser(key_path.read_bytes().strip(), key_label=f"file:{key_path.name}")
    if env.get(DEMO_FLAG_ENV) == "1":
        return Pseudonymiser(DEMO_KEY, key_label="DEMO (synthetic data only)")
    raise MissingKeyError(
        f"No pseudonymisation key. Set {KEY_ENV} to a secret of at least 16 characters, or "
        f"{KEY_FILE_ENV} to a file outside the repository holding one; for synthetic data "
        f"only, set {DEMO_FLAG_ENV}=1 to use the public demo key."
    )
