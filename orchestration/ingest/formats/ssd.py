"""Standard Safeguarding Dataset (SSD) extracts: one CSV (or XLSX) per SSD object, for
example ssd_contacts.csv or 938_ssd_contacts_2021-04-01.csv, under data/landing/ssd/,
recognised by its header against the specification's fields (ssd_spec.py), loaded into
raw.<object> (raw.ssd_contacts...).

The authority is the three-digit LA code of the folder or file name, as for SSDA903. A
date in the file name is the day the extract was made, else the day it was delivered: the
period is the months its dated records cover, up to the month before that day
(periods.complete_months): contacts and conferences by their day, episodes (of children in
need, early help, care, a child missing), assessments, enquiries, plans, placements, legal
statuses and immigration statuses by their end, or when still open by the extract's last
complete month (ssd_dates.py says why). ssd_person and ssd_linked_identifiers hold no
events: theirs is the extract's last complete month, the month before that day.

Identifiers are pseudonymised as the CIN census pseudonymises the same child's: every
person id (pers_person_id and the foreign keys to it) with the kind of the census's
LAchildID, dates of birth as dates of birth (their month in the clear), the NHS number of
ssd_person as an NHS number; an ssd_linked_identifiers value by its type, into a column per
kind (UPN, NHS number, or else a local id, pseudonymised with the LA child id's kind, as
the authority's own numbering); a placement's postcode as the SSDA903 return's PL_POST, its
pseudonym with the postcode district beside it in the clear. Names are never read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from orchestration.ingest.delimited import (
    column_summary,
    header_key,
    match_header,
    not_a_header,
    read_batches,
)
from orchestration.ingest.delivered import DeliveredFile
from orchestration.ingest.formats.cin_census_tables import CHILD
from orchestration.ingest.formats.ssd_checks import DuplicateKeys, check_fields, iso_datetimes
from orchestration.ingest.formats.ssd_dates import EVENT_DATES, event_sql, month_before
from orchestration.ingest.formats.ssd_spec import LOADED_OBJECTS, SsdObject, objects
from orchestration.ingest.model import Batch, Delivery, FileRejected, RawTable
from orchestration.ingest.periods import (
    bulk_months_sql,
    complete_months,
    delivered_on,
    outside_period,
)

SOURCE = "ssd"
PERSON_ID_KIND = CHILD.table.identifiers["la_child_id"]
NAME_FIELDS = frozenset({"pers_forename", "pers_surname"})
# Identifiers besides the person ids: pers_common_child_id is the NHS number, and the legacy
# id is the person id of an earlier system. Where a child is placed is never kept in full:
# only its district, beside the pseudonym (clap_cla_placement_postcode_district).
OTHER_IDENTIFIERS = {
    "pers_dob": "date_of_birth",
    "pers_expected_dob": "date_of_birth",
    "pers_common_child_id": "nhs_number",
    "pers_legacy_id": PERSON_ID_KIND,
    "clap_cla_placement_postcode": "postcode_district",
}
LINKED = "ssd_linked_identifiers"
LINK_TYPE, LINK_VALUE = "link_identifier_type", "link_identifier_value"
VALUE_KINDS = {"upn": "upn", "nhs_number": "nhs_number", "local_id": PERSON_ID_KIND}
FIX = (
    "Export the object from the SSD extract as CSV with the specification's field names "
    "(data/reference/ssd_data_model/objects/), header row first, and re-deliver it."
)


def what(name: str) -> str:
    return f"the SSD specification of {name} (data/reference/ssd_data_model/objects/{name}.yml)"


def value_column(kind: str) -> str:
    return f"{LINK_VALUE}_{kind}"


def kept_columns(obj: SsdObject) -> tuple[str, ...]:
    """The object's fields that reach the warehouse: names never do, and a linked
    identifier's value is split into one column per kind of identifier."""
    columns: list[str] = []
    for name in obj.field_names:
        if name == LINK_VALUE:
            columns += [value_column(kind) for kind in VALUE_KINDS]
        elif name not in NAME_FIELDS:
            columns.append(name)
    return tuple(columns)


def identifiers(obj: SsdObject) -> dict[str, str]:
    kept = kept_columns(obj)
    found = {name: PERSON_ID_KIND for name in obj.person_ids()}
    found |= {name: kind for name, kind in OTHER_IDENTIFIERS.items() if name in kept}
    found |= {value_column(k): kind for k, kind in VALUE_KINDS.items() if value_column(k) in kept}
    return found


def identifier_kind(types: pa.Array) -> pa.Array:
    """Which kind each linked identifier is, by its type as written (Unique Pupil Number,
    UPN, Former UPN; NHS Number; anything else a local id)."""
    upper = pc.utf8_upper(pc.fill_null(types, ""))
    is_upn = pc.or_(
        pc.match_substring(upper, "PUPIL"), pc.match_substring_regex(upper, r"(^|[^A-Z])UPN")
    )
    is_nhs = pc.match_substring(upper, "NHS")
    return pc.if_else(is_upn, "upn", pc.if_else(is_nhs, "nhs_number", "local_id"))


def split_linked_values(frame: pa.Table) -> pa.Table:
    kinds = identifier_kind(frame[LINK_TYPE])
    values = frame[LINK_VALUE]
    frame = frame.drop_columns([LINK_VALUE])
    for kind in VALUE_KINDS:
        mine = pc.if_else(pc.equal(kinds, kind), values, pa.scalar(None, pa.string()))
        frame = frame.append_column(value_column(kind), mine)
    return frame


def extract_day(path: Path) -> date:
    """The day the extract was made: a date in the file name (938_ssd_contacts_2021-04-01,
    ssd_contacts_20210401), else the day it was delivered; never after delivery."""
    delivered = delivered_on(path)
    found = re.search(r"(?<!\d)(20\d{2})-?(\d{2})-?(\d{2})(?!\d)", path.stem)
    try:
        named = date(int(found[1]), int(found[2]), int(found[3])) if found else None
    except ValueError:
        named = None
    return min(named, delivered) if named else delivered


class SsdFormat:
    """SSD extracts, one CSV per object."""

    source = SOURCE
    family = "social_care"
    description = (
        "Standard Safeguarding Dataset extracts (data/landing/ssd/), one CSV per object "
        "recognised by its fields, checked against the SSD specification, identifiers "
        "pseudonymised as the CIN census's, names never read."
    )
    # A large authority's six years of contacts (about 50,000 a year) are under 100 MB.
    max_file_bytes = 512 * 2**20

    def __init__(self) -> None:
        self.tables = tuple(
            RawTable(name, kept_columns(obj), identifiers(obj)) for name, obj in objects().items()
        )

    def detect(self, delivered: DeliveredFile) -> Delivery:
        path = delivered.path
        day = extract_day(path)
        with delivered.delimited() as file:
            name = recognise(path.name, file.header)
            obj = objects()[name]
            mapping, _ = match_header(
                file.header, list(obj.field_names), list(obj.necessary), path.name, FIX, what(name)
            )
            event = event_sql(name, mapping, day)
            rows, first, last, dated = column_summary(
                file, f"select count(*), {bulk_months_sql(event, day)} from ({{file}})"
            )
        if rows == 0:
            raise FileRejected(
                f"{path.name} has a header but no rows",
                "Re-export the object for the extract; if it really holds no records, leave "
                "the file out of the delivery rather than sending it empty.",
            )
        if name not in EVENT_DATES:
            return Delivery(SOURCE, None, f"{month_before(day)}..{month_before(day)}", part=name)
        fields = " or ".join(EVENT_DATES[name])
        if not dated:
            raise FileRejected(
                f"{path.name} ({name}) has no readable date in {fields}",
                "Dates must be yyyy-mm-dd (with a time if need be) or dd/mm/yyyy. " + FIX,
            )
        if first is None:
            raise FileRejected(
                f"every date in {fields} of {path.name} is after the day the extract was made",
                "Check the dates (day and month swapped, a wrong year), the date in the file "
                "name and the clock of the exporting system, then re-deliver. " + FIX,
            )
        return Delivery(SOURCE, None, complete_months(first, last, day), part=name)

    def read(self, delivered: DeliveredFile, delivery: Delivery, file_key: str) -> Iterator[Batch]:
        name = delivery.part
        obj = objects()[name]
        spec = what(name)
        with delivered.delimited() as file:
            mapping, findings = match_header(
                file.header, list(obj.field_names), list(obj.necessary), file.path.name, FIX, spec
            )
            findings = file.findings + findings
            output = {field: field for field in obj.field_names if field not in NAME_FIELDS}
            duplicates = DuplicateKeys(obj, spec)
            events = EVENT_DATES.get(name, ())
            # A record dated by one date only is checked against the period: an episode may
            # start before the extract's months and belong to them all the same.
            single_date = events if len(events) == 1 else ()
            for frame, rejections in read_batches(file, mapping, output):
                frame = iso_datetimes(frame, obj)
                findings += check_fields(frame, obj, spec)
                for column in single_date:
                    findings += outside_period(frame, column, delivery.collection_period, spec)
                duplicates.add(frame)
                if name == LINKED:
                    frame = split_linked_values(frame)
                yield Batch({name: frame}, frame.num_rows, rejections, findings)
                findings = []
            repeated = duplicates.findings()
            if repeated:  # a key repeated across batches is only known once all are read
                yield Batch({}, 0, [], repeated)


def recognise(file_name: str, header: list[str]) -> str:
    """The object whose fields the header names most, when it has the object's key and
    required fields; otherwise the file is refused, naming the closest object."""
    delivered = {header_key(name) for name in header}

    def named(obj: SsdObject) -> int:
        return sum(1 for field in obj.field_names if header_key(field) in delivered)

    closest = max(objects().values(), key=named)
    if not named(closest):
        expected = "the SSD field names, for example ssd_contacts' " + ", ".join(
            objects()["ssd_contacts"].field_names[:3]
        )
        loaded = ", ".join(LOADED_OBJECTS)
        raise FileRejected(
            not_a_header(file_name, len(header), f"an SSD object loaded ({loaded})", expected),
            FIX,
        )
    lacking = [f for f in closest.necessary if header_key(f) not in delivered]
    if lacking:
        raise FileRejected(
            f"{file_name} is no SSD object the platform loads: {named(closest)} of the "
            f"{len(header)} cells of its header name fields of the specification, and the "
            f"closest object, {closest.name}, lacks its key or required field(s) "
            f"{', '.join(lacking)}",
            FIX,
            1,
        )
    return closest.name
