"""Hand-made SSD extracts (and the SSDA903 returns of the same children) for the ingest tests
of test_ssd*.py, and what their ingest left in the warehouse's ledgers. Every value is made
up: the identifiers start QZX so that a test can look for them anywhere."""

import csv
from pathlib import Path

import duckdb

from orchestration.ingest.delivered import SourceFormat
from orchestration.ingest.formats.ssd import SsdFormat
from orchestration.ingest.loader import Ingestor
from orchestration.ingest.model import IngestReport
from orchestration.privacy.keys import mark_synthetic
from orchestration.privacy.pseudonymise import load_pseudonymiser

CHILD_ID, OTHER_ID = "QZX0001", "QZX0002"
CASE_NUMBER = "QZXCASE77"
# The day an extract was made, in its file name: its last complete month is 2021-03.
DAY = "2021-04-01"
EPISODES_HEADER = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)


def write(landing: Path, name: str, rows: list[dict], folder: str = "938") -> Path:
    path = landing / "ssd" / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_ssda903_2021(landing: Path, **tables: list[str]) -> None:
    """Authority 938's SSDA903 return of 2021: each table's lines, its header first."""
    year = landing / "ssda903" / "938" / "2021"
    year.mkdir(parents=True)
    for table, lines in tables.items():
        (year / f"{table}.csv").write_text("\n".join(lines) + "\n")


def ingest(
    con: duckdb.DuckDBPyConnection, landing: Path, fmt: SourceFormat | None = None
) -> IngestReport:
    """Ingest the landing folder's files of one format (the SSD's unless named)."""
    mark_synthetic(landing)
    fmt = fmt or SsdFormat()
    return Ingestor(fmt, con, load_pseudonymiser(landing), landing).ingest(landing / fmt.source)


def early_help(episode_id: str, start: str, end: str) -> dict:
    return {
        "earl_episode_id": episode_id,
        "earl_person_id": CHILD_ID,
        "earl_episode_start_date": start,
        "earl_episode_end_date": end,
    }


def findings(con: duckdb.DuckDBPyConnection, rule: str) -> list[tuple]:
    return con.execute(
        "select element, line, message from raw.schema_findings where rule = ? order by line",
        [rule],
    ).fetchall()


def manifest(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select part, area, collection_period from raw.file_manifest order by part"
    ).fetchall()


def raw_text(con: duckdb.DuckDBPyConnection) -> str:
    """Every value of every raw table of the SSD, as text."""
    return "\n".join(
        str(con.execute(f"select * from raw.{table.name}").fetchall())
        for table in SsdFormat().tables
    )
