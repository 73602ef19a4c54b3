"""The project's own partner contracts (health, police, education, population): one format
per contract source of the registry (data/reference/sources/), recognised by its header,
loaded into raw.<source>.
"""

from collections.abc import Iterator
from pathlib import Path

from orchestration.ingest.content_rules import ColumnRule, check_batch
from orchestration.ingest.delimited import (
    column_summary,
    match_header,
    parse_date_sql,
    read_batches,
)
from orchestration.ingest.delivered import DeliveredFile
from orchestration.ingest.model import Batch, Delivery, FileRejected, RawTable
from orchestration.ingest.periods import (
    bulk_months_sql,
    complete_months,
    delivered_on,
    outside_period,
)
from orchestration.sources.registry import SOURCES_DIR, contract_sources, load_source


class ContractCsvFormat:
    """A CSV or XLSX extract described by a contract YAML."""

    def __init__(self, contract_path: Path) -> None:
        self.contract_path = contract_path
        self.registered = load_source(contract_path)
        self.contract = self.registered.spec
        self.source: str = self.registered.name
        self.family: str = self.registered.partner
        self.max_file_bytes = int(self.contract["max_file_mb"]) * 2**20
        self.what = self.registered.relative_path
        self.description = (
            f"{self.contract['title']} (data/landing/{self.source}/), per the contract {self.what}."
        )
        self.fix = (
            f"Export the extract with the columns of {self.what} (header row first) and "
            "re-deliver it."
        )
        columns = self.registered.columns
        self.columns = [column.name for column in columns]
        self.required = [column.name for column in columns if column.required]
        self.output_names = {name: name.lower() for name in self.columns}
        self.event_column = self.contract["event_date"].lower()
        identifiers = {c.name.lower(): c.identifier for c in columns if c.identifier}
        self.tables = (RawTable(self.source, tuple(self.output_names.values()), identifiers),)
        self.rules = [
            ColumnRule(
                column.name.lower(),
                column.type,
                frozenset(column.codes) if column.codes else None,
                column.required,
            )
            for column in columns
        ]

    def detect(self, delivered: DeliveredFile) -> Delivery:
        path = delivered.path
        with delivered.delimited() as file:
            mapping, _ = match_header(
                file.header, self.columns, self.required, path.name, self.fix, self.what
            )
            event = parse_date_sql(mapping[self.contract["event_date"]])
            area_column = mapping.get("LA_CODE")
            area_sql = (
                f'string_agg(distinct trim("{area_column}"), \'+\' order by trim("{area_column}"))'
                if area_column
                else "null"
            )
            delivered_day = delivered_on(path)
            areas, rows, first, last, dated = column_summary(
                file,
                f"select {area_sql}, count(*), {bulk_months_sql(event, delivered_day)}"
                " from ({file})",
            )
        if rows == 0:
            raise FileRejected(
                f"{path.name} has a header but no rows",
                "Re-export the extract for the period it should cover; if there really was no "
                "activity, say so to the platform team rather than sending an empty file.",
            )
        if not dated:
            raise FileRejected(
                f"{path.name} has no readable date in {self.contract['event_date']}",
                "Dates must be dd/mm/yyyy or yyyy-mm-dd. " + self.fix,
            )
        if first is None:
            raise FileRejected(
                f"every date in {self.contract['event_date']} of {path.name} is after the day "
                "the file was delivered",
                "Check the dates (day and month swapped, a wrong year) and the clock of the "
                "exporting system, then re-deliver. " + self.fix,
            )
        # The bulk of the dates, not their extremes: a stray row loads as a finding (read).
        return Delivery(
            self.source, areas or "unknown", complete_months(first, last, delivered_day)
        )

    def read(self, delivered: DeliveredFile, delivery: Delivery, file_key: str) -> Iterator[Batch]:
        path = delivered.path
        with delivered.delimited() as file:
            mapping, findings = match_header(
                file.header, self.columns, self.required, path.name, self.fix, self.what
            )
            findings = file.findings + findings
            for frame, rejections in read_batches(file, mapping, self.output_names):
                findings += check_batch(frame, self.rules, self.what)
                findings += outside_period(
                    frame, self.event_column, delivery.collection_period, self.what
                )
                yield Batch({self.source: frame}, frame.num_rows, rejections, findings)
                findings = []


def contract_formats(directory: Path = SOURCES_DIR) -> list[ContractCsvFormat]:
    """A format for each contract source of the registry."""
    return [ContractCsvFormat(entry.path) for entry in contract_sources(directory)]
