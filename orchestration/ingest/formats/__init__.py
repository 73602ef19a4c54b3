"""Every delivered format the platform reads, one module each, on one framework."""

from orchestration.ingest.delivered import SourceFormat
from orchestration.ingest.formats.cin_census import CinCensusFormat
from orchestration.ingest.formats.contract_csv import contract_formats
from orchestration.ingest.formats.school_census_export import SchoolCensusExportFormat
from orchestration.ingest.formats.ssd import SsdFormat
from orchestration.ingest.formats.ssda903 import Ssda903Format


def all_formats() -> list[SourceFormat]:
    """The partner sources, in the order they are ingested."""
    return [
        CinCensusFormat(),
        Ssda903Format(),
        *contract_formats(),
        SchoolCensusExportFormat(),
        SsdFormat(),
    ]
