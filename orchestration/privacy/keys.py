"""Which key may protect which landing folder, and whether it is the key the warehouse holds.

The public demo key protects synthetic data only, so it is accepted only where the generator
marked the landing folder as its own. Pseudonyms link only under the key that made them, so
a run under another key than the one the loaded files were protected with stops before it
loads anything. A key is named by its fingerprint, never by itself.
"""

from __future__ import annotations

import hmac
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

KEY_ENV = "CSC_INTEL_PSEUDONYMISATION_KEY"
KEY_FILE_ENV = "CSC_INTEL_PSEUDONYMISATION_KEY_FILE"
DEMO_FLAG_ENV = "CSC_INTEL_DEMO_KEY"
# Public on purpose: it protects synthetic data only and must never be used for real extracts.
DEMO_KEY = b"csc-intel DEMO key - synthetic data only - not for real children's data"
DEMO_LABEL = "DEMO (synthetic data only)"
# A name starting with '_' is never read as a delivery.
SYNTHETIC_MARKER = "_synthetic.json"
# Every pseudonym hashes '<kind>:<value>'; this label has no ':', so a fingerprint can never
# equal a pseudonym.
FINGERPRINT_LABEL = b"csc-intel pseudonymisation key fingerprint"
FINGERPRINT_HEX_CHARS = 16
HOW_TO_SET_A_KEY = (
    'Create a key with `python -c "import secrets; print(secrets.token_urlsafe(32))"`, '
    "save it in a file outside the repository readable only by the account that runs the "
    f"platform (chmod 600) and set {KEY_FILE_ENV} to that file's path (or {KEY_ENV} to the "
    "key)."
)


class KeyRefused(RuntimeError):
    """The configured key may not protect this landing folder or this warehouse."""


def key_fingerprint(key: bytes) -> str:
    """Names a key without disclosing it: a keyed hash of a fixed label, truncated."""
    return hmac.digest(key, FINGERPRINT_LABEL, "sha256").hex()[:FINGERPRINT_HEX_CHARS]


DEMO_FINGERPRINT = key_fingerprint(DEMO_KEY)


def mark_synthetic(landing_dir: Path, written_by: str = "csc-intel generate") -> Path:
    """Mark a landing folder as holding synthetic extracts only (the generator does this)."""
    landing_dir.mkdir(parents=True, exist_ok=True)
    marker = landing_dir / SYNTHETIC_MARKER
    marker.write_text(
        json.dumps({"synthetic": True, "written_by": written_by}, indent=2) + "\n",
        encoding="utf-8",
    )
    return marker


def is_marked_synthetic(landing_dir: Path) -> bool:
    marker = landing_dir / SYNTHETIC_MARKER
    if not marker.is_file() or marker.is_symlink():
        return False
    try:
        content = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(content, dict) and content.get("synthetic") is True


def refuse_demo_key_unless_synthetic(landing_dir: Path) -> None:
    """The demo key is public: pseudonyms made with it are reversed in seconds (a date of
    birth has a few thousand possible values), so it may protect generated data only."""
    if not is_marked_synthetic(landing_dir):
        raise KeyRefused(
            f"The public demo key ({DEMO_FLAG_ENV}=1) protects synthetic data only, and "
            f"{landing_dir} was not written by the generator (it has no {SYNTHETIC_MARKER}): "
            f"pseudonyms made with a public key can be reversed. {HOW_TO_SET_A_KEY} Then unset "
            f"{DEMO_FLAG_ENV}. For synthetic data, write the landing folder with `csc-intel "
            "generate --out <folder>`."
        )


def _loaded_under(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Fingerprints (or, before fingerprints were recorded, key labels) of the loaded files."""
    has_manifest = con.execute(
        "select count(*) from information_schema.tables"
        " where table_schema = 'raw' and table_name = 'file_manifest'"
    ).fetchone()[0]
    if not has_manifest:
        return set()
    rows = con.execute(
        "select distinct pseudonymisation_key from raw.file_manifest"
        " where status = 'loaded' and pseudonymisation_key is not null"
    ).fetchall()
    # The demo label can only ever have meant the demo key.
    return {DEMO_FINGERPRINT if key == DEMO_LABEL else key for (key,) in rows}


def _warehouse_file(con: duckdb.DuckDBPyConnection) -> str:
    [(path,)] = con.execute(
        "select coalesce(path, ':memory:') from duckdb_databases()"
        " where database_name = current_database()"
    ).fetchall()
    return path


def record_fingerprint_for_labelled_files(con: duckdb.DuckDBPyConnection, fingerprint: str) -> int:
    """Record a fingerprint for the loaded files whose manifest names their key only by where
    it came from (warehouses loaded before fingerprints): the operator vouches it is their
    key. Returns how many files."""
    [(count,)] = con.execute(
        "update raw.file_manifest set pseudonymisation_key = ? where status = 'loaded'"
        " and (pseudonymisation_key like 'env:%' or pseudonymisation_key like 'file:%')",
        [fingerprint],
    ).fetchall()
    return count


def require_same_key(con: duckdb.DuckDBPyConnection, fingerprint: str, key_label: str) -> None:
    """Stop before loading when the warehouse's files were protected by another key: the new
    pseudonyms would silently never link to the old ones."""
    recorded = _loaded_under(con)
    labels = sorted(key for key in recorded if not re.fullmatch(r"[0-9a-f]{16}", key))
    others = sorted(recorded - {fingerprint} - set(labels))
    if not labels and not others:
        return
    warehouse = _warehouse_file(con)
    rekey = (
        f"or re-key: keep every delivery in the landing folder, stop the platform, delete "
        f"{warehouse} (and {warehouse}.wal if present) and run refresh_all, which loads every "
        "file again under the new key and republishes the outputs and the analyst copy."
    )
    if labels:
        raise KeyRefused(
            f"The files in {warehouse} were loaded before key fingerprints were recorded: "
            f"the manifest names their key only by where it came from ({', '.join(labels)}), "
            f"so this run cannot tell whether its key (from {key_label}) is the same, and "
            "nothing was loaded. If the key has not changed since, record its fingerprint for "
            "those files once, with nothing else running and the key configured as for the "
            "platform: `.venv/bin/python -m orchestration.privacy.pseudonymise "
            f"--record-for-earlier-files`; {rekey}"
        )
    raise KeyRefused(
        f"This run's pseudonymisation key (from {key_label}, fingerprint {fingerprint}) is "
        f"not the key the files in {warehouse} were loaded under (fingerprint "
        f"{', '.join(others)}): pseudonyms made under two keys never link, so nothing was "
        "loaded. Either restore the previous key (`.venv/bin/python -m "
        "orchestration.privacy.pseudonymise` prints the fingerprint of the configured key), "
        f"{rekey}"
    )
