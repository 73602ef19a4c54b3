"""What of an identifier stays in the clear beside its pseudonym, and the protection of a
batch at the door: clear parts derived, then every identifier replaced by its pseudonym."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

import pyarrow as pa
import pyarrow.compute as pc

from orchestration.privacy.pseudonymise import Pseudonymiser, normalise_array


def _birth_month(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    canonical = normalise_array("date_of_birth", values)
    is_date = pc.fill_null(pc.match_substring_regex(canonical, r"^\d{4}-\d{2}-\d{2}$"), False)
    return pc.if_else(is_date, pc.utf8_slice_codeunits(canonical, 0, 7), None)


# What of an identifier may stay in the clear, beside its pseudonym: the month of a date of
# birth (ages need it, linkage does not) and the district of a postcode (localities need it).
CLEAR_PARTS: dict[str, tuple[str, Callable[[pa.Array], pa.Array]]] = {
    "date_of_birth": ("_month", _birth_month),
    "postcode_district": ("_district", partial(normalise_array, "postcode_district")),
}


def dropped_postcodes(
    identifiers: Mapping[str, str], frame: pa.Table
) -> list[tuple[int | None, str, str, str]]:
    """(line, column, rule, message) of a finding per postcode column of a batch whose clear
    district (already derived) is null where a value was delivered: such a value is dropped
    with its pseudonym. The message counts the values and never quotes one."""
    findings = []
    suffix = CLEAR_PARTS["postcode_district"][0]
    for column in (c for c, kind in identifiers.items() if kind == "postcode_district"):
        delivered = pc.fill_null(pc.not_equal(pc.utf8_trim_whitespace(frame[column]), ""), False)
        dropped = pc.and_(delivered, pc.is_null(frame[column + suffix]))
        count = pc.sum(dropped).as_py() or 0
        if not count:
            continue
        first = pc.filter(frame["_record_line"], dropped)[:5].to_pylist()
        findings.append(
            (
                first[0],
                column,
                "postcode_district",
                f"{count} value(s) of {column} are not a UK postcode or postcode district "
                f"(such as SW1A 1AA or SW1A) and were dropped; first at line(s) "
                f"{', '.join(str(line) for line in first)}. Fix: correct them in the source "
                "system and re-deliver; meanwhile the rows are loaded without a district.",
            )
        )
    return findings


def clear_columns(identifiers: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Clear column name -> (identifier column, kind), for identifier column -> kind."""
    return {
        f"{column}{CLEAR_PARTS[kind][0]}": (column, kind)
        for column, kind in identifiers.items()
        if kind in CLEAR_PARTS
    }


def protect(
    frame: pa.Table, identifiers: Mapping[str, str], pseudonymiser: Pseudonymiser
) -> tuple[pa.Table, list[tuple[int | None, str, str, str]]]:
    """The batch with its clear parts added and every identifier replaced by its pseudonym,
    and the findings (as dropped_postcodes gives them) for postcodes with no district to keep."""
    for clear_column, (column, kind) in clear_columns(identifiers).items():
        frame = frame.append_column(clear_column, CLEAR_PARTS[kind][1](frame[column]))
    findings = dropped_postcodes(identifiers, frame)
    for column, kind in identifiers.items():
        hashed = pseudonymiser.pseudonymise_array(kind, frame[column])
        frame = frame.set_column(frame.schema.get_field_index(column), column, hashed)
    return frame, findings
