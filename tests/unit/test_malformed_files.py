"""No delivered file, however malformed, ends in a traceback or stops the other files of its
source. Valid files of every format (each SSDA903 table, the CIN census XML, each contract
CSV) are mutated by hypothesis (encodings, line endings, truncation, swapped or missing
columns, odd and future dates, huge fields, binary bytes) and delivered before an intact file
of the same source: ingestion must end cleanly, the mutated file loaded or failed (with a
reason and a fix that quote no value), the intact one loaded, and a loaded file's rows
reconciled (rows loaded + rows rejected = the data rows in the file)."""

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

from orchestration.ingest.formats.cin_census import CinCensusFormat
from orchestration.ingest.formats.contract_csv import ContractCsvFormat
from orchestration.ingest.formats.ssda903 import Ssda903Format
from orchestration.ingest.loader import Ingestor
from orchestration.privacy.pseudonymise import DEMO_KEY, Pseudonymiser
from orchestration.sources.registry import contract_sources
from orchestration.sources.ssda903_schema import specification
from tests.cin_builder import Child, Episode, cin_return

PSEUDONYMISER = Pseudonymiser(DEMO_KEY, "DEMO (synthetic data only)")
# Planted in every identifier and free value: no message may quote it.
MARKER = "QZXMARK"
ODD_DATES = ["31/02/2021", "00/00/0000", "01/01/2099", "2099-12-31", "01/01/1900", "1/1/21", ""]
CONTRACTS = [entry.path for entry in contract_sources()]
SSDA903_TABLES = sorted(specification(2024))


@dataclass
class Table:
    """A delimited file before it is written: header and rows of cells."""

    header: list[str]
    rows: list[list[str]]
    date_columns: list[int]


def ssda903_value(column: str, definition: dict, row: int) -> str:
    if "date" in definition:
        return f"{10 + row:02d}/0{5 + row % 4}/2023"
    if definition.get("category"):
        return str(definition["category"][0]["code"])
    if "numeric" in definition:
        return "1"
    return f"{MARKER}{row}" if column in ("CHILD", "UPN", "SW_ID") else "X1"


def ssda903_table(table: str) -> Table:
    spec = specification(2024)[table]
    header = list(spec)
    rows = [[ssda903_value(c, spec[c], row) for c in header] for row in range(4)]
    return Table(header, rows, [i for i, c in enumerate(header) if "date" in spec[c]])


def contract_table(contract: Path) -> Table:
    columns = yaml.safe_load(contract.read_text())["columns"]

    def value(column: dict, row: int) -> str:
        if column["name"] == "LA_CODE":
            return "938"
        if column.get("codes"):
            return str(next(iter(column["codes"])))
        if column.get("identifier"):
            return {"date_of_birth": "07/03/2012", "postcode_district": "QX4 1AB"}.get(
                column["identifier"], f"{MARKER}{row}"
            )
        return {
            "date": f"{3 + row:02d}/04/2020",
            "datetime": "2020-04-03 10:00:00",
            "integer": "1",
            "flag": "Y",
        }.get(column["type"], f"{MARKER}{row}")

    header = [column["name"] for column in columns]
    rows = [[value(column, row) for column in columns] for row in range(4)]
    dates = [i for i, c in enumerate(columns) if c["type"] in ("date", "datetime")]
    return Table(header, rows, dates)


def cin_children(count: int) -> list[Child]:
    return [
        Child(
            f"{MARKER}{i}",
            birth_date="2012-05-17",
            episodes=[Episode("2020-05-01", closure_date="2020-09-01", closure_reason="RC1")],
        )
        for i in range(count)
    ]


# --- mutations ------------------------------------------------------------------------------


@st.composite
def table_mutations(draw: st.DrawFn, table: Table) -> Table:
    """Swapped or missing columns, odd dates, huge fields, all on the cells."""
    header, rows = list(table.header), [list(row) for row in table.rows]
    for kind in draw(
        st.lists(st.sampled_from(["swap", "drop", "date", "huge", "reorder"]), max_size=2)
    ):
        width = len(header)
        if kind == "swap" and width > 1:  # the header names swapped, not the values
            a, b = draw(st.integers(0, width - 1)), draw(st.integers(0, width - 1))
            header[a], header[b] = header[b], header[a]
        elif kind == "reorder" and width > 1:  # whole columns moved: still a valid file
            a = draw(st.integers(0, width - 1))
            header.append(header.pop(a))
            for row in rows:
                row.append(row.pop(a))
        elif kind == "drop" and width > 1:
            a = draw(st.integers(0, width - 1))
            del header[a]
            for row in rows:
                del row[a]
        elif kind == "date" and rows and table.date_columns:
            row, column = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, width - 1))
            rows[row][column] = draw(st.sampled_from(ODD_DATES))
        elif kind == "huge" and rows:
            row, column = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, width - 1))
            rows[row][column] = MARKER * draw(st.sampled_from([20_000, 300_000]))
    return Table(header, rows, table.date_columns)


@st.composite
def xml_mutations(draw: st.DrawFn, text: str) -> str:
    """Missing or swapped elements, odd dates and huge values in a CIN return."""
    for kind in draw(st.lists(st.sampled_from(["drop", "swap", "date", "huge"]), max_size=3)):
        if kind == "drop":
            tag = draw(st.sampled_from(["PrimaryNeedCode", "LAchildID", "Header", "Year"]))
            text = re.sub(rf"<{tag}>.*?</{tag}>", "", text, count=1, flags=re.DOTALL)
        elif kind == "swap":
            text = re.sub(
                r"(<LAchildID>.*?</LAchildID>)(<PersonBirthDate>.*?</PersonBirthDate>)",
                r"\2\1",
                text,
                count=1,
            )
        elif kind == "date":
            odd = draw(st.sampled_from(["2099-12-31", "1900-01-01", "2021-02-30", "31/02/2021"]))
            text = text.replace("2020-05-01", odd, 1)
        elif kind == "huge":
            text = text.replace(f"{MARKER}0<", MARKER * 30_000 + "<", 1)
    return text


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252"]
BREAKS = ["\n", "\r\n", "\r", "mixed"]


@st.composite
def byte_mutations(draw: st.DrawFn, text: str) -> bytes:
    """Encoding and line endings of the whole file, then truncation and binary bytes."""
    breaks = draw(st.sampled_from(BREAKS))
    if breaks == "mixed":
        lines = text.split("\n")
        ends = draw(st.lists(st.sampled_from(BREAKS[:3]), min_size=len(lines), max_size=len(lines)))
        text = "".join(line + end for line, end in zip(lines, ends, strict=True))
    else:
        text = text.replace("\n", breaks)
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if draw(st.integers(0, 3)) == 0:
        data = data[: draw(st.integers(len(data) // 3, len(data)))]
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        at = draw(st.integers(0, len(data)))
        noise = draw(st.binary(min_size=1, max_size=8))
        data = data[:at] + noise + data[at:]
    return data


@dataclass
class Delivery:
    fmt: object
    folder: str
    mutated: bytes
    intact: bytes
    suffix: str


def csv_text(table: Table) -> str:
    return "".join(",".join(row) + "\n" for row in [table.header, *table.rows])


@st.composite
def deliveries(draw: st.DrawFn) -> Delivery:
    kind = draw(st.sampled_from(["ssda903", "cin_census", "contract"]))
    if kind == "cin_census":
        text = draw(xml_mutations(cin_return(2021, cin_children(draw(st.integers(1, 4))))))
        intact = cin_return(2019, cin_children(2)).encode()
        return Delivery(CinCensusFormat(), "cin_census", draw(byte_mutations(text)), intact, "xml")
    if kind == "ssda903":
        table = ssda903_table(draw(st.sampled_from(SSDA903_TABLES)))
        # The intact file is another table, so that neither can replace the other.
        other = ssda903_table(
            "Header" if table.header != ssda903_table("Header").header else "UASC"
        )
        text = csv_text(draw(table_mutations(table)))
        mutated = draw(byte_mutations(text))
        return Delivery(
            Ssda903Format(), "ssda903/938/2024", mutated, csv_text(other).encode(), "csv"
        )
    contract = draw(st.sampled_from(CONTRACTS))
    table = contract_table(contract)
    intact = csv_text(table).replace("/04/2020", "/01/2019").replace("2020-04-03", "2019-01-03")
    text = csv_text(draw(table_mutations(table)))
    fmt = ContractCsvFormat(contract)
    return Delivery(fmt, fmt.source, draw(byte_mutations(text)), intact.encode(), "csv")


# --- the oracle -----------------------------------------------------------------------------


def data_rows(delivery: Delivery, data: bytes) -> int:
    """Rows in a file that loaded: children of a CIN return; lines after the header that are
    not blank, in whatever encoding and line endings, of a CSV."""
    if delivery.suffix == "xml":
        return len(etree.fromstring(data).findall("Children/Child"))
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\xff\xfe", "utf-16")):
        if data.startswith(bom):
            text = data.decode(codec)
            break
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return sum(1 for line in lines[1:] if line)


def check_clean(tmp_path: Path, delivery: Delivery) -> list[tuple]:
    landing = tmp_path / "landing"
    folder = landing / delivery.folder
    folder.mkdir(parents=True)
    (folder / f"a_mutated.{delivery.suffix}").write_bytes(delivery.mutated)
    (folder / f"b_intact.{delivery.suffix}").write_bytes(delivery.intact)
    with duckdb.connect() as con:
        fmt = delivery.fmt
        report = Ingestor(fmt, con, PSEUDONYMISER, landing).ingest(landing / fmt.source)
        manifest = con.execute(
            "select file_path, status, rows_loaded, rows_rejected, error, fix"
            " from raw.file_manifest order by file_path"
        ).fetchall()
        messages = con.execute(
            "select string_agg(reason || fix, ' ') from raw.rejected_rows"
            " union all select string_agg(message, ' ') from raw.schema_findings"
        ).fetchall()
    outcomes = {o.file_path.rsplit("/", 1)[-1]: o for o in report.outcomes}
    assert outcomes[f"b_intact.{delivery.suffix}"].status == "loaded", manifest
    mutated = outcomes[f"a_mutated.{delivery.suffix}"]
    assert mutated.status in ("loaded", "failed"), manifest
    assert [row[1] for row in manifest] == [mutated.status, "loaded"], manifest
    _, status, loaded, rejected, error, fix = manifest[0]
    if status == "failed":
        assert error and fix and MARKER not in error + fix, (error, fix)
    else:
        assert loaded + rejected == data_rows(delivery, delivery.mutated), manifest
    assert not any(MARKER in (text or "") for (text,) in messages), messages
    return manifest


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(delivery=deliveries())
def test_a_mutated_file_loads_or_fails_cleanly_and_the_next_file_loads(tmp_path_factory, delivery):
    manifest = check_clean(tmp_path_factory.mktemp("landing"), delivery)
    # Shown by --hypothesis-show-statistics: how the examples ended, per format.
    event(f"{delivery.fmt.source if delivery.folder != 'cin_census' else 'cin'}: {manifest[0][1]}")
