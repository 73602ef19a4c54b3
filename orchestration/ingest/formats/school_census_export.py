"""The school census as schools' management systems export it to the local authority: per
term a set of CSV tables (pupilonroll, termlysessiondetailsonroll, termlyexclusionsonroll,
addressesonroll, ...), each recognised by its columns against the layout of its year and
term (school_census_layout.py), loaded into raw.school_census_export_<table>.

The term and the collection year (the academic year's ending year, as the DfE names the
layouts: 2021, or 2020-21, is 2020/21, whose autumn term is in 2020) come from the file name
or the two folders above it, for example 938/2021/spring/pupilonroll.csv or
938_spring_2021_pupilonroll.csv; the delivery's period is the term's months. Names are never read
and an address keeps only its postcode, pseudonymised with its district in the clear.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from orchestration.ingest.content_rules import check_batch
from orchestration.ingest.delimited import match_header, not_a_header, read_batches
from orchestration.ingest.delivered import DeliveredFile
from orchestration.ingest.formats import school_census_layout as layout
from orchestration.ingest.model import Batch, Delivery, FileRejected, RawTable
from orchestration.ingest.periods import year_in_path

SOURCE = "school_census_export"
# Personal columns never read: the names (linkage goes by the pseudonymised UPN) and, in
# the address tables, every part but the postcode.
NAME_COLUMNS = frozenset(
    {"surname", "forename", "middlenames", "preferredsurname", "formersurname"}
)
ADDRESS_KEPT = ("postcode",)
IDENTIFIERS = {
    "upn": "upn",
    "formerupn": "upn",
    "dob": "date_of_birth",
    "postcode": "postcode_district",
}
# Unique learner numbers identify a pupil outside the census and nothing here needs them.
DROPPED = NAME_COLUMNS | {"uniquelearnernumber"}
FIX = (
    "Export the census tables from the school's management system as CSV with their "
    "column names (see data/reference/dfe_schemas/school_census) and re-deliver them."
)
EXPORT_DATE = "%Y-%b-%d %H:%M:%S"
PATH_FIX = (
    "Deliver each term's tables in a folder named after the collection year and term, for "
    "example data/landing/school_census_export/938/2021/spring/pupilonroll.csv, or name "
    "the files so, for example 938_spring_2021_pupilonroll.csv."
)


# The tables the platform loads: the pupils, their sessions, exclusions, free school meals,
# SEN needs and addresses, and the school and return they belong to. The others of the
# layout (learning aims, nationalities, classes...) feed no indicator and are refused.
LOADED = (
    "schoolcensus", "school", "pupilonroll", "pupilnolongeronroll",
    "termlysessiondetailsonroll", "termlysessiondetailsoffroll",
    "summerhalfterm2sessiondetailsonroll", "summerhalfterm2sessiondetailsoffroll",
    "termlyexclusionsonroll", "termlyexclusionsoffroll", "fsmperiodsonroll", "fsmperiod",
    "senneeds", "addressesonroll", "addressesoffroll", "addresses",
)  # fmt: skip
# The months each term's records cover, within the collection year (its academic year):
# the period ingestion, freshness and the ledger read is months, as for the contracts.
TERM_MONTHS = {"autumn": (-1, 9, 12), "spring": (0, 1, 3), "summer": (0, 4, 7)}


def collection_period(year: int, term: str) -> str:
    offset, first, last = TERM_MONTHS[term]
    return f"{year + offset}-{first:02d}..{year + offset}-{last:02d}"


def year_and_term(period: str) -> tuple[int, str]:
    """The collection year and term of a period collection_period wrote."""
    start_year, start_month = int(period[:4]), int(period[5:7])
    term = next(t for t, (_, first, _) in TERM_MONTHS.items() if first == start_month)
    return start_year - TERM_MONTHS[term][0], term


def kept_columns(table: str) -> tuple[str, ...]:
    """The table's columns that reach the warehouse."""
    columns = layout.all_columns(table)
    if table.startswith("addresses"):
        return tuple(c for c in columns if _is_key(c, table) or c in ADDRESS_KEPT)
    return tuple(c for c in columns if c not in DROPPED)


def _is_key(column: str, table: str) -> bool:
    return column.endswith("tableid") or column in (
        "nativeid",
        "sourceid",
        f"{table}orderseqcolumn",
    )


def raw_table_name(table: str) -> str:
    return f"{SOURCE}_{table}"


# A table's name that holds a term's name (the second half of the summer term, reported by
# the autumn census): not the file's term.
TERM_IN_TABLE_NAME = "summerhalfterm2"


def _term_in(name: str) -> str | None:
    name = name.lower().replace(TERM_IN_TABLE_NAME, "")
    return next((t for t in layout.TERMS if t in name), None)


def _year_beside_term(name: str) -> int | None:
    # Only the year next to the term: a school's number (2001, 2025...) looks like a year.
    terms = "|".join(layout.TERMS)
    name = name.lower().replace(TERM_IN_TABLE_NAME, "")
    match = re.search(rf"({terms})[ _-]*(20\d{{2}})|(20\d{{2}})[ _-]*({terms})", name)
    return int(match[2] or match[3]) if match else None


def term_and_year(path: Path) -> tuple[str | None, int | None]:
    """The term and collection year of a file: from its name (938_spring_2021_pupilonroll),
    else from its term folder and the year folder above it (938/2021/spring/, with one
    school's folder below the term's allowed: 938/2021/spring/2001/)."""
    if _term_in(path.stem):
        return _term_in(path.stem), _year_beside_term(path.stem)
    term_folder = path.parent if not school_folder(path) else path.parent.parent
    year = _year_beside_term(term_folder.name) or year_in_path(Path(term_folder.parent.name))
    return _term_in(term_folder.name), year


def school_folder(path: Path) -> str:
    """The folder of one school's export below the term folder (938/2021/spring/2001/), or
    "" for files in the term folder itself (the authority's export of every school)."""
    if _term_in(path.stem) or _term_in(path.parent.name):
        return ""
    return path.parent.name if _term_in(path.parent.parent.name) else ""


def iso_dates(frame: pa.Table, columns: list[str]) -> pa.Table:
    """The layout's dates (2012-Mar-14 00:00:00, as the systems export them) as yyyy-mm-dd,
    so a date of birth has the same pseudonym and birth month as in every other source.
    A value that does not print back the same (2012-Feb-30 would roll into March) and any
    other form are left as delivered, for the date rule to report."""
    for column in columns:
        text = frame[column]
        parsed = pc.strptime(text, format=EXPORT_DATE, unit="s", error_is_null=True)
        same = pc.fill_null(pc.equal(pc.strftime(parsed, format=EXPORT_DATE), text), False)
        iso = pc.if_else(same, pc.strftime(parsed, format="%Y-%m-%d"), text)
        frame = frame.set_column(frame.schema.get_field_index(column), column, iso)
    return frame


class SchoolCensusExportFormat:
    """School census tables as exported by schools' systems, one CSV per table and term."""

    source = SOURCE
    family = "education"
    description = (
        "School census tables as schools' systems export them (data/landing/"
        "school_census_export/<LA>/<year>/<term>/), recognised by their columns, identifiers "
        "pseudonymised, addresses reduced to the postcode district."
    )
    # One school's table of one term is well under a MB; an authority's merged export of
    # every school's pupils (~350,000) is under 200 MB.
    max_file_bytes = 512 * 2**20

    def __init__(self) -> None:
        self.tables = tuple(
            RawTable(
                raw_table_name(table),
                kept_columns(table),
                {c: kind for c, kind in IDENTIFIERS.items() if c in kept_columns(table)},
            )
            for table in LOADED
        )

    def detect(self, delivered: DeliveredFile) -> Delivery:
        path = delivered.path
        term, year = term_and_year(path)
        if term is None or year is None:
            missing = " and ".join(w for w, v in (("term", term), ("year", year)) if v is None)
            raise FileRejected(f"{path.name}: its name and folders name no {missing}", PATH_FIX)
        if not layout.FIRST_YEAR < year <= layout.latest_year():
            raise FileRejected(
                f"{path.name} names collection year {year}, outside the school census layouts "
                f"held ({layout.FIRST_YEAR + 1} to {layout.latest_year()})",
                "Check the year folder or file name and re-deliver. " + PATH_FIX,
            )
        with delivered.delimited() as file:
            table = self._table(path.name, file.header, year, term)
        if table not in LOADED:
            raise FileRejected(
                f"{path.name} is the school census {table} table, which no indicator reads: "
                "it was not loaded",
                "Leave it out of what is delivered to data/landing/school_census_export/ (the "
                f"tables loaded are {', '.join(LOADED)}).",
            )
        # Each school's table of a term replaces only that school's earlier delivery of it.
        part = "/".join(filter(None, (school_folder(path), table)))
        return Delivery(SOURCE, None, collection_period(year, term), part=part)

    def _table(self, file_name: str, header: list[str], year: int, term: str) -> str:
        table = layout.recognise(header, year, term)
        if table is not None:
            return table
        known = {c.lower() for cols in layout.layout(year, term).values() for c in cols}
        named = sum(1 for name in header if name.strip().lower() in known)
        if not named:
            raise FileRejected(
                not_a_header(
                    file_name,
                    len(header),
                    f"a {term} {year} school census table",
                    "the exported column names, for example pupilonroll's pupilonrolltableid, "
                    "upn, dob",
                ),
                FIX,
            )
        closest, lacking = layout.closest(header, year, term)
        raise FileRejected(
            f"{file_name} is no {term} {year} school census table: {named} of the "
            f"{len(header)} cells of its header name census columns, but no table's full set "
            f"(the closest, {closest}, lacks {', '.join(lacking)})",
            FIX,
            1,
        )

    def read(self, delivered: DeliveredFile, delivery: Delivery, file_key: str) -> Iterator[Batch]:
        year, term = year_and_term(delivery.collection_period)
        table = delivery.part.rpartition("/")[2]
        what = f"the {term} {year} school census {table} layout"
        kept = kept_columns(table)
        defined = {c.lower(): c for c in layout.layout(year, term)[table]}
        # Every column of the layout must be there (recognition asked for them all), but only
        # the kept ones are read; a kept column of other years only loads blank.
        with delivered.delimited() as file:
            mapping, findings = match_header(
                file.header,
                list(defined.values()),
                list(defined.values()),
                file.path.name,
                FIX,
                what,
            )
            findings = file.findings + findings
            output = {defined.get(column, column): column for column in kept}
            rules = layout.rules(year, term, table, kept)
            dates = [rule.column for rule in rules if rule.kind == "date"]
            for frame, rejections in read_batches(file, mapping, output):
                frame = iso_dates(frame, dates)
                findings += check_batch(frame, rules, what)
                yield Batch({raw_table_name(table): frame}, frame.num_rows, rejections, findings)
                findings = []
