"""Writes pupils' census values in the layout schools' systems export, for one term of one
collection year: schoolcensus, pupilonroll, termlysessiondetailsonroll,
termlyexclusionsonroll and the address table of the term, every column of the layout."""

import csv
from pathlib import Path

from orchestration.ingest.formats import school_census_layout as layout

# Values of the not-blank columns no pupil value fills.
FILLER = {"estab": "2001", "softwarecode": "SIMS", "nativeid": "1", "sourceid": "1"}


def _row(table: str, columns: list[str], number: object, values: dict[str, str]) -> list[str]:
    row = []
    for column in columns:
        key = column.lower()
        if key in values:
            row.append(values[key])
        elif key == f"{table}tableid":
            row.append(f"{table}-{number}")
        elif key.endswith("orderseqcolumn"):
            row.append(str(number).rpartition("-")[2])
        else:
            row.append(FILLER.get(key, ""))
    return row


def write_table(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_term(folder: Path, year: int, term: str, la_code: str, urn: str, pupils: list[dict]):
    """Each pupil: upn, dob (yyyy-mm-dd), sex, ncyear, postcode, street, town, surname,
    possible, authorised, unauthorised, suspensions, permanent (bool), and optionally
    exclusion_starts (each exclusion's start date as the export writes it, the suspensions'
    first and the permanent exclusion's last). The sessions are
    written as given: a census carries the term before it, so a caller writing term T's
    sessions passes the census after T."""
    tables = layout.layout(year, term)
    rows: dict[str, list[list[str]]] = {name: [] for name in tables}
    census = {"lea": la_code, "urn": urn, "term": term[:3].upper(), "year": str(year)}
    # Table ids are the exporting system's own, distinct per school's export.
    rows["schoolcensus"].append(
        _row("schoolcensus", list(tables["schoolcensus"]), f"{urn}-1", census)
    )
    address_table = "addressesonroll" if "addressesonroll" in tables else "addresses"
    sex_column = "sex" if "sex" in tables["pupilonroll"] else "gender"
    for number, pupil in enumerate(pupils, start=1):
        pupil_id = f"pupilonroll-{urn}-{number}"
        pupil_values = {
            "pupilonrolltableid": pupil_id,
            "schoolcensustableid": f"schoolcensus-{urn}-1",
            "upn": pupil["upn"],
            "dob": pupil["dob"],
            sex_column: pupil["sex"],
            "ncyearactual": pupil["ncyear"],
            "surname": pupil["surname"],
            "termlysessionspossible": str(pupil["possible"]),
            "termlysessionsauthorised": str(pupil["authorised"]),
            "termlysessionsunauthorised": str(pupil["unauthorised"]),
        }
        rows["pupilonroll"].append(
            _row("pupilonroll", list(tables["pupilonroll"]), f"{urn}-{number}", pupil_values)
        )
        address = {
            "pupilonrolltableid": pupil_id,
            "postcode": pupil["postcode"],
            "street": pupil["street"],
            "town": pupil["town"],
        }
        rows[address_table].append(
            _row(address_table, list(tables[address_table]), f"{urn}-{number}", address)
        )
        sessions = [("O", pupil["unauthorised"]), ("I", pupil["authorised"])]
        for code, count in sessions:
            detail = {"pupilonrolltableid": pupil_id, "attendancereason": code}
            detail[
                "sessions"
                if "sessions" in tables["termlysessiondetailsonroll"]
                else "absencesessions"
            ] = str(count)
            table = "termlysessiondetailsonroll"
            rows[table].append(
                _row(table, list(tables[table]), f"{urn}-{len(rows[table]) + 1}", detail)
            )
        exclusions = ["SUSP"] * pupil["suspensions"] + (["PERM"] if pupil["permanent"] else [])
        starts = pupil.get("exclusion_starts", [""] * len(exclusions))
        for category, start in zip(exclusions, starts, strict=True):
            table = "termlyexclusionsonroll"
            codes = {c["code"] for c in tables[table]["category"]["category"]}
            value = {
                "pupilonrolltableid": pupil_id,
                "category": _code(category, codes),
                "startdate": start,
            }
            rows[table].append(
                _row(table, list(tables[table]), f"{urn}-{len(rows[table]) + 1}", value)
            )
    written = (
        "schoolcensus",
        "pupilonroll",
        address_table,
        "termlysessiondetailsonroll",
        "termlyexclusionsonroll",
    )
    return [write_table(folder / f"{name}.csv", list(tables[name]), rows[name]) for name in written]


def _code(category: str, codes: set[str]) -> str:
    # Suspensions were fixed-period exclusions (FIXD) before the DfE renamed them.
    return category if category in codes else "FIXD"
