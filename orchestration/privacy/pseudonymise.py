"""Keyed pseudonymisation of child identifiers, applied at the door of the warehouse.

Identifiers are normalised first so that the same child delivered by two partners with
different formatting (lower-case UPN, spaced NHS number, accented name) gets the same
pseudonym. The identifier kind is part of the hashed message so that, say, a UPN and an LA
child id with the same characters never collide.
"""

from __future__ import annotations

import argparse
import hmac
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from orchestration import settings
from orchestration.privacy.keys import (
    DEMO_FLAG_ENV,
    DEMO_KEY,
    DEMO_LABEL,
    HOW_TO_SET_A_KEY,
    KEY_ENV,
    KEY_FILE_ENV,
    key_fingerprint,
    record_fingerprint_for_labelled_files,
    refuse_demo_key_unless_synthetic,
)

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


# A UK outward code (the postcode district): one or two area letters, the district's digit
# and an optional digit or letter (M1, B33, SW1A, ZZ99). A full postcode adds the inward
# code: a digit and two letters (SW1A 1AA).
OUTWARD_CODE = r"[A-Z]{1,2}[0-9][0-9A-Z]?"
INWARD_CODE = r"[0-9][A-Z]{2}"
COUNTRY_CODES = r"(GB|GBR|UK)"


def _normalise_postcode_district(values: pa.Array) -> pa.Array:
    """The district of a postcode written any common way; null when it is not one, so that a
    value which is no postcode is never kept whole as its own "district"."""
    upper = pc.utf8_upper(values)
    # A country code set apart ('EC1A 1BB GB', 'CR2, UK') is dropped; glued to a full
    # postcode it is too (EC1A1BBGB), where it cannot be read as part of the code.
    apart = _regex(upper, rf"[\s\p{{P}}\p{{S}}]+{COUNTRY_CODES}[\s\p{{P}}\p{{S}}]*$", "")
    compact = _regex(apart, r"[\s\p{P}\p{S}]+", "")
    postcode = rf"^({OUTWARD_CODE})(?:{INWARD_CODE}{COUNTRY_CODES}?)?$"
    is_postcode = pc.fill_null(pc.match_substring_regex(compact, postcode), False)
    return pc.if_else(is_postcode, _regex(compact, postcode, "\\1"), None)


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

    @property
    def fingerprint(self) -> str:
        """Names the key in the manifest and in messages; the key itself is never shown."""
        return key_fingerprint(self._key)

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


def configured_key(environ: Mapping[str, str] | None = None) -> tuple[bytes, str]:
    """The key from the environment, a key file, or the demo key, with where it came from.

    The demo key is used only when explicitly allowed, so a real deployment that forgot to
    configure its key stops instead of hashing real identifiers with a public key.
    """
    env = os.environ if environ is None else environ
    if env.get(KEY_ENV):
        return env[KEY_ENV].encode(), f"env:{KEY_ENV}"
    if env.get(KEY_FILE_ENV):
        key_path = Path(env[KEY_FILE_ENV])
        if not key_path.is_file():
            raise MissingKeyError(f"{KEY_FILE_ENV} points to {key_path}, which is not a file.")
        return key_path.read_bytes().strip(), f"file:{key_path.name}"
    if env.get(DEMO_FLAG_ENV) == "1":
        return DEMO_KEY, DEMO_LABEL
    raise MissingKeyError(
        f"No pseudonymisation key. {HOW_TO_SET_A_KEY} For synthetic data only, set "
        f"{DEMO_FLAG_ENV}=1 to use the public demo key."
    )


def load_pseudonymiser(
    landing_dir: Path, environ: Mapping[str, str] | None = None
) -> Pseudonymiser:
    """The pseudonymiser for the extracts in landing_dir: the demo key (however configured)
    is refused unless the generator marked the folder as synthetic."""
    key, label = configured_key(environ)
    if key == DEMO_KEY:
        refuse_demo_key_unless_synthetic(landing_dir)
    return Pseudonymiser(key, key_label=label)


def main(argv: list[str] | None = None) -> int:
    """Print the configured key's fingerprint, to tell which key a warehouse was loaded under;
    optionally record it for files loaded before fingerprints were recorded."""
    parser = argparse.ArgumentParser(prog="python -m orchestration.privacy.pseudonymise")
    parser.add_argument(
        "--record-for-earlier-files",
        action="store_true",
        help="record the fingerprint for the files of the warehouse (CSC_INTEL_WAREHOUSE) "
        "whose manifest names their key only as env:... or file:...; only if that was this key",
    )
    args = parser.parse_args(argv)
    try:
        key, label = configured_key()
        fingerprint = Pseudonymiser(key, label).fingerprint
    except (MissingKeyError, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    print(f"key from {label}: fingerprint {fingerprint}")
    if args.record_for_earlier_files:
        with duckdb.connect(str(settings.warehouse_path())) as con:
            count = record_fingerprint_for_labelled_files(con, fingerprint)
        print(f"recorded for {count} earlier file(s) in {settings.warehouse_path()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
