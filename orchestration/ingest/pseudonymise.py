"""Keyed pseudonymisation of child identifiers, applied at the door of the warehouse.

Identifiers are normalised first so that the same child delivered by two partners with
different formatting (lower-case UPN, spaced NHS number, accented name) gets the same
pseudonym. The identifier kind is part of the hashed message so that, say, a UPN and an LA
child id with the same characters never collide.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

KEY_ENV = "CSC_INTEL_PSEUDONYMISATION_KEY"
KEY_FILE_ENV = "CSC_INTEL_PSEUDONYMISATION_KEY_FILE"
DEMO_FLAG_ENV = "CSC_INTEL_DEMO_KEY"
# Public on purpose: it protects synthetic data only and must never be used for real extracts.
DEMO_KEY = b"csc-intel DEMO key - synthetic data only - not for real children's data"
PSEUDONYM_HEX_CHARS = 32


class MissingKeyError(RuntimeError):
    """No pseudonymisation key is configured."""


def _normalise_upn(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def _normalise_nhs_number(value: str) -> str:
    return re.sub(r"\D", "", value)


def _normalise_name(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z]", "", letters.casefold())


def _normalise_date(value: str) -> str:
    text = value.strip()
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:
        day, month, year = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return text[:10]


def _normalise_postcode_district(value: str) -> str:
    compact = re.sub(r"\s+", "", value).upper()
    # A full postcode ends in a three-character inward code; the district is what precedes it.
    return compact[:-3] if len(compact) >= 5 else compact


def _normalise_local_id(value: str) -> str:
    return value.strip().upper()


NORMALISERS: dict[str, Callable[[str], str]] = {
    "upn": _normalise_upn,
    "nhs_number": _normalise_nhs_number,
    "name": _normalise_name,
    "date_of_birth": _normalise_date,
    "postcode_district": _normalise_postcode_district,
    "la_child_id": _normalise_local_id,
}


def normalise(kind: str, value: str) -> str:
    """Return the canonical form of an identifier of the given kind."""
    return NORMALISERS[kind](value)


class Pseudonymiser:
    """HMAC-SHA256 over normalised identifiers; blanks stay null."""

    def __init__(self, key: bytes, key_label: str) -> None:
        if len(key) < 16:
            raise ValueError("The pseudonymisation key must be at least 16 bytes long.")
        self._key = key
        self.key_label = key_label

    def pseudonymise(self, kind: str, value: str | None) -> str | None:
        if value is None:
            return None
        canonical = NORMALISERS[kind](value)
        if not canonical:
            return None
        digest = hmac.new(self._key, f"{kind}:{canonical}".encode(), hashlib.sha256)
        return digest.hexdigest()[:PSEUDONYM_HEX_CHARS]

    def pseudonymise_many(self, kind: str, values: Iterable[str | None]) -> list[str | None]:
        return [self.pseudonymise(kind, value) for value in values]


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
