"""Landing is a boundary: links, special files, oversize files, archives and workbooks built
to expand are refused, most of them unread, each with its reason in raw.file_manifest and
nothing of them loaded."""

import gzip
import io
import os
import threading
import time
import zipfile

import pytest
from openpyxl import Workbook

from orchestration.ingest import loader, xlsx
from orchestration.ingest.formats.cin_census import CinCensusFormat
from orchestration.ingest.formats.contract_csv import ContractCsvFormat
from orchestration.ingest.formats.ssda903 import Ssda903Format
from orchestration.ingest.formats.unrecognised import UnrecognisedFormat
from orchestration.ingest.loader import Ingestor
from orchestration.privacy.pseudonymise import DEMO_KEY, Pseudonymiser
from orchestration.sources.registry import SOURCES_DIR, contract_sources
from tests.unit.hostile_deliveries import zipped

HEADER = (
    "FORCE_CODE,LA_CODE,INCIDENT_REF,INCIDENT_DATE,INCIDENT_TYPE,CHILDREN_PRESENT,"
    "NOTIFIED_TO_CSC,CHILD_FORENAME,CHILD_SURNAME,CHILD_DOB,CHILD_POSTCODE,RECORDED_AT"
)
ROW = "37,938,INC1,03/04/2020,domestic_abuse,2,Y,Zebedee,Quuxworth,07/03/2012,QX4 1AB,"
POLICE_CSV = f"{HEADER}\n{ROW}\n"
SECRET = "KEY-FIRST-LINE-3f9a7c1e"


@pytest.fixture
def landing(tmp_path):
    (tmp_path / "landing" / "police_incidents").mkdir(parents=True)
    return tmp_path / "landing"


@pytest.fixture
def opened(monkeypatch):
    """Paths whose content was hashed or parsed: a refused-unread entry must not be here."""
    seen = []
    hash_file = loader.file_sha256
    monkeypatch.setattr(
        loader, "file_sha256", lambda path, *also: seen.append(path) or hash_file(path, *also)
    )
    return seen


def ingest(con, landing, fmt=None, folder=None, skip=()):
    fmt = fmt or ContractCsvFormat(SOURCES_DIR / "police_incidents.yaml")
    ingestor = Ingestor(fmt, con, Pseudonymiser(DEMO_KEY, "DEMO"), landing)
    return ingestor.ingest(folder or landing / fmt.source, skip)


def manifest(con):
    return con.execute(
        "select file_path, file_sha256, status, error, fix from raw.file_manifest order by 1"
    ).fetchall()


def loaded_rows(con):
    return con.execute("select count(*) from raw.police_incidents").fetchone()[0]


def everything_recorded(con) -> str:
    tables = ("file_manifest", "rejected_rows", "schema_findings", "police_incidents")
    return repr([con.execute(f"select * from raw.{t}").fetchall() for t in tables])


def test_a_link_to_a_file_outside_landing_is_refused_unread(con, landing, tmp_path, opened):
    outside = tmp_path / "elsewhere.csv"
    outside.write_text(POLICE_CSV)
    (landing / "police_incidents" / "april.csv").symlink_to(outside)
    ingest(con, landing)
    [(path, sha, status, error, fix)] = manifest(con)
    assert (path, sha, status) == ("police_incidents/april.csv", None, "failed")
    assert "symbolic link" in error and "Copy the file itself" in fix
    assert loaded_rows(con) == 0 and opened == []


def test_a_linked_folder_is_refused_and_not_descended(con, landing, tmp_path, opened):
    outside = tmp_path / "share"
    outside.mkdir()
    (outside / "april.csv").write_text(POLICE_CSV)
    (landing / "police_incidents" / "2020").symlink_to(outside, target_is_directory=True)
    ingest(con, landing)
    assert [row[:3] for row in manifest(con)] == [("police_incidents/2020", None, "failed")]
    assert loaded_rows(con) == 0 and opened == []


def test_a_source_folder_that_is_a_link_is_refused(con, tmp_path, opened):
    outside = tmp_path / "share"
    outside.mkdir()
    (outside / "april.csv").write_text(POLICE_CSV)
    (tmp_path / "landing").mkdir()
    (tmp_path / "landing" / "police_incidents").symlink_to(outside, target_is_directory=True)
    ingest(con, tmp_path / "landing")
    [(path, _, status, error, _)] = manifest(con)
    assert (path, status) == ("police_incidents", "failed") and "symbolic link" in error
    assert loaded_rows(con) == 0 and opened == []


def test_a_path_escaping_with_dot_dot_is_refused(con, landing, tmp_path, opened):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "april.csv").write_text(POLICE_CSV)
    escaping = landing / "police_incidents" / ".." / ".." / "outside"
    ingest(con, landing, folder=escaping)
    [(path, _, status, error, _)] = manifest(con)
    assert status == "failed" and "resolves outside data/landing/" in error
    # A relative link climbing out is a link like any other.
    (landing / "police_incidents" / "up.csv").symlink_to("../../outside/april.csv")
    ingest(con, landing)
    assert ("police_incidents/up.csv", None, "failed") in [row[:3] for row in manifest(con)]
    assert loaded_rows(con) == 0 and opened == []


def test_a_link_to_a_key_file_leaves_no_trace_of_the_key(con, landing, tmp_path, opened):
    key = tmp_path / "secrets" / "pseudonymisation.key"
    key.parent.mkdir()
    key.write_text(f"{SECRET}\nsecond line\n")
    (landing / "police_incidents" / "extract.csv").symlink_to(key)
    (landing / "ssda903" / "938").mkdir(parents=True)
    (landing / "ssda903" / "938" / "Header.csv").symlink_to(key)
    (landing / "stray.csv").symlink_to(key)
    ingest(con, landing)
    ingest(con, landing, Ssda903Format())
    sources = ["police_incidents", "ssda903"]
    ingest(con, landing, UnrecognisedFormat(sources), landing, sources)
    assert [row[2] for row in manifest(con)] == ["failed"] * 3
    assert SECRET not in everything_recorded(con) and opened == []


def test_a_fifo_is_refused_without_being_opened(con, landing, opened):
    fifo = landing / "police_incidents" / "pipe.csv"
    os.mkfifo(fifo)
    worker = threading.Thread(target=ingest, args=(con, landing), daemon=True)
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():  # release the blocked reader before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("ingestion blocked on a FIFO")
    [(path, sha, status, error, _)] = manifest(con)
    assert (path, sha, status) == ("police_incidents/pipe.csv", None, "failed")
    assert "named pipe (FIFO)" in error and opened == []


def test_a_file_larger_than_its_contract_allows_is_refused_unread(con, landing, opened):
    fmt = ContractCsvFormat(SOURCES_DIR / "police_incidents.yaml")
    fmt.max_file_bytes = 2**20
    (landing / "police_incidents" / "big.csv").write_text(POLICE_CSV + ROW * 20_000)
    ingest(con, landing, fmt)
    [(_, sha, status, error, fix)] = manifest(con)
    assert (sha, status) == (None, "failed")
    assert "1.5 MB, more than the 1.0 MB its source accepts" in error and "max_file_mb" in fix
    assert loaded_rows(con) == 0 and opened == []


def test_every_format_has_a_size_limit():
    formats = [CinCensusFormat(), Ssda903Format(), UnrecognisedFormat([])]
    formats += [ContractCsvFormat(path) for path in [entry.path for entry in contract_sources()]]
    limits = {fmt.source: fmt.max_file_bytes for fmt in formats}
    assert all(limit >= 64 * 2**20 for limit in limits.values()), limits
    assert limits["unrecognised"] >= max(limits.values())


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("april.csv.gz", gzip.compress(POLICE_CSV.encode())),
        ("april.zip", zipped({"april.csv": POLICE_CSV.encode()})),
        ("april.csv", zipped({"april.csv": POLICE_CSV.encode()})),  # a zip under a CSV name
        ("april.7z", b"7z\xbc\xaf\x27\x1c" + bytes(32)),
    ],
    ids=["gzip", "zip", "zip_named_csv", "7z"],
)
def test_archives_are_refused(con, landing, name, content):
    (landing / "police_incidents" / name).write_bytes(content)
    ingest(con, landing)
    [(_, _, status, error, fix)] = manifest(con)
    assert status == "failed" and "compressed archive" in error and "Extract the files" in fix
    assert loaded_rows(con) == 0


def workbook_bytes(rows) -> bytes:
    book, buffer = Workbook(), io.BytesIO()
    for row in rows:
        book.active.append(row)
    book.save(buffer)
    return buffer.getvalue()


def with_member(workbook: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(workbook))
    members = {info.filename: source.read(info) for info in source.infolist()}
    return zipped({**members, name: content})


GOOD_XLSX = workbook_bytes([HEADER.split(","), ROW.split(",")])
SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEADER_CELLS = "".join(
    f'<c r="{column}1" t="inlineStr"><is><t>{name}</t></is></c>'
    for column, name in zip("ABCDEFGHIJKL", HEADER.split(","), strict=True)
)


def sheet_xml(rows: str = "", dimension: str | None = None) -> bytes:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f"<worksheet {NS}>{declared}<sheetData>"
        f'<row r="1">{HEADER_CELLS}</row>{rows}</sheetData></worksheet>'
    ).encode()


WIDE_ROW = '<row r="2"><c r="A2"><v>37</v></c><c r="XFD2"><v>1</v></c></row>'
LONG_ROW = '<row r="2">' + '<c r="A2"><v>1</v></c>' * 17_000 + "</row>"
BOMBS = {  # member, its content, what the refusal says
    # 34 MB of shared strings deflated to ~35 KB: the memory bomb.
    "shared-strings": ("xl/sharedStrings.xml", lambda: b"<si><t>x</t></si>" * 2_000_000, "bomb"),
    # A sheet declaring every cell of Excel, which the reader would fill in.
    "dimension": (SHEET, lambda: sheet_xml(dimension="A1:XFD1048576"), "declares 1,048,576"),
    # A cell in the last column: the row would be 16,384 values wide.
    "wide-row": (SHEET, lambda: sheet_xml(WIDE_ROW), "has 16,384 columns in row 2"),
    # 17,000 cells in one row, which the reader would hold at once.
    "long-row": (SHEET, lambda: sheet_xml(LONG_ROW), "more cells than it may in row 2"),
    "entities": (SHEET, lambda: b'<!DOCTYPE w [<!ENTITY a "b">]>' + sheet_xml(), "document type"),
    "nested-workbook": ("xl/embeddings/other.xlsx", lambda: GOOD_XLSX, "embedded file"),
}


@pytest.mark.parametrize(("member", "content", "expected"), BOMBS.values(), ids=BOMBS)
def test_workbooks_built_to_expand_are_refused_quickly(con, landing, member, content, expected):
    workbook = with_member(GOOD_XLSX, member, content())
    (landing / "police_incidents" / "april.xlsx").write_bytes(workbook)
    started = time.monotonic()
    ingest(con, landing)
    assert time.monotonic() - started < 5
    [(_, sha, status, error, fix)] = manifest(con)
    assert sha is not None and status == "failed" and expected in error
    assert "CSV" in fix and loaded_rows(con) == 0


@pytest.mark.parametrize(
    ("limit", "value", "expected"),
    [
        ("MAX_EXPANDED_BYTES", 1_000, "more than the 0 MB a workbook may"),
        ("MAX_SECONDS", -1, "took more than -1 s to read"),
        ("MAX_CELLS", 5, "has more cells than it may in row 1"),
        ("MAX_MEMBERS", 3, "archive members"),
    ],
)
def test_each_workbook_limit_refuses_with_its_reason(
    con, landing, monkeypatch, limit, value, expected
):
    monkeypatch.setattr(xlsx, limit, value)
    (landing / "police_incidents" / "april.xlsx").write_bytes(GOOD_XLSX)
    ingest(con, landing)
    [(_, _, status, error, _)] = manifest(con)
    assert status == "failed" and expected in error and loaded_rows(con) == 0


def test_a_workbook_within_the_limits_loads(con, landing):
    (landing / "police_incidents" / "april.xlsx").write_bytes(GOOD_XLSX)
    [outcome] = ingest(con, landing).outcomes
    assert (outcome.status, outcome.rows_loaded) == ("loaded", 1)


def test_refusals_are_recorded_once_and_a_real_file_then_loads(con, landing, tmp_path):
    outside = tmp_path / "elsewhere.csv"
    outside.write_text(POLICE_CSV)
    link = landing / "police_incidents" / "april.csv"
    link.symlink_to(outside)
    os.mkfifo(landing / "police_incidents" / "pipe.csv")
    ingest(con, landing)
    first = manifest(con)
    ingest(con, landing)
    assert [row[:3] for row in manifest(con)] == [row[:3] for row in first] and len(first) == 2
    link.unlink()
    link.write_text(POLICE_CSV)
    statuses = [outcome.status for outcome in ingest(con, landing).outcomes]
    assert sorted(statuses) == ["failed", "loaded"] and loaded_rows(con) == 1
