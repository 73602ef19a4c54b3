"""The school census as schools' management systems export it to the local authority: one
census (a collection year's autumn, spring or summer census) as one CSV per table, every
column of the table's layout in that year and term (data/reference/dfe_schemas/
school_census, read by orchestration/ingest/formats/school_census_layout.py), the values
as the systems write them: dates as 2011-Nov-02 00:00:00, sex or gender as the year names
it, the exclusion categories of the year (FIXD before suspensions were named SUSP).

Every school's rows of a table go in one file of the census's folder, the authority's
export, or each school's in a folder of its own below it; table ids are the school's URN
and a number ("<urn>-<n>"), unique across the schools of a folder. Names and the address
beyond the postcode are filled with invented values: ingestion never reads them.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from orchestration.ingest.formats import school_census_layout as layout
from synthetic.writers.csv_out import write_csv

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TERM_CODES = {"autumn": "AUT", "spring": "SPR", "summer": "SUM"}
# The columns that cannot be blank and no pupil value fills.
FILLER = {"sourceid": "1", "softwarecode": "SIMS", "name": "School Census", "collection": "SC"}
# A pupil's values (columns of `pupils`), by the layout column each fills; the columns a
# year names otherwise are chosen in _pupil_values.
PUPIL_COLUMNS = {
    "upn": "upn", "dob": "dob", "forename": "forename", "surname": "surname",
    "termlysessionspossible": "possible", "termlysessionsauthorised": "authorised",
    "termlysessionsunauthorised": "unauthorised", "summerhalfterm2sessionspossible": "possible2",
    "summerhalfterm2sessionsauthorised": "authorised2",
    "summerhalfterm2sessionsunauthorised": "unauthorised2", "leavingdate": "leavingdate",
}  # fmt: skip
ADDRESS_COLUMNS = ("postcode", "paon", "street", "town")
# What the session details say of an absence: I (illness) the authorised, O (unauthorised
# other) the rest; the indicators read the pupil's totals, which these add up to.
ABSENCE_REASONS = (("I", "authorised"), ("O", "unauthorised"))


def census_day(collection_year: int, term: str) -> date:
    """The census day: the first Thursday of October, the third of January and of May."""
    month = {"autumn": 10, "spring": 1, "summer": 5}[term]
    first = date(collection_year - (term == "autumn"), month, 1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    return thursday + timedelta(weeks=0 if term == "autumn" else 2)


def export_dates(values: np.ndarray) -> np.ndarray:
    """yyyy-mm-dd text as the export writes dates (2011-11-02: 2011-Nov-02 00:00:00); any
    other text left as it is."""
    values = np.asarray(values, dtype=object)
    unique, inverse = np.unique(values.astype(str), return_inverse=True)
    parsed = pd.to_datetime(pd.Series(unique), format="%Y-%m-%d", errors="coerce")
    text = [
        f"{d.year}-{MONTHS[d.month - 1]}-{d.day:02d} 00:00:00" if not pd.isna(d) else raw
        for d, raw in zip(parsed, unique, strict=True)
    ]
    return np.array(text, dtype=object)[inverse.ravel()]


def write_table(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """One file of given rows (a table the census writer does not make)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _table(name: str, urn: np.ndarray, values: dict[str, object]) -> dict[str, object]:
    """Every column of a table: the values given (by lower-case column), the row's own id
    and order (numbered within its school), the filler of a not-blank column, else blank."""
    number = pd.Series(urn).groupby(urn).cumcount().to_numpy() + 1
    text = number.astype(str).astype(object)
    own = {f"{name}tableid": urn + "-" + text, f"{name}orderseqcolumn": text, "nativeid": text}
    return own | values


def _write(folder: Path, year: int, term: str, name: str, data: dict) -> tuple[Path, int]:
    columns = tuple(layout.layout(year, term)[name])
    path = folder / f"{name}.csv"
    values = {c: data.get(c.lower(), FILLER.get(c.lower(), "")) for c in columns}
    return path, write_csv(path, columns, values)


def _pupil_values(year: int, term: str, table: str, pupils: pd.DataFrame) -> dict[str, object]:
    columns = {c.lower() for c in layout.layout(year, term)[table]}
    values = {column: pupils[key].to_numpy(object) for column, key in PUPIL_COLUMNS.items()}
    values["sex" if "sex" in columns else "gender"] = pupils["sex"].to_numpy(object)
    year_group = "ncyearactual" if table == "pupilonroll" else "ncyearleaving"
    values[year_group] = pupils["ncyear"].to_numpy(object)
    if table == "pupilonroll":
        values["enrolstatus"] = "C"  # single registration: the pupil's only school
    return {k: v for k, v in values.items() if k in columns}


def write_census(
    folder: Path,
    year: int,
    term: str,
    la_code: str,
    pupils: pd.DataFrame,
    exclusions: pd.DataFrame,
    school_folders: bool = False,
) -> list[tuple[Path, int]]:
    """One census's tables under folder (or folder/<urn>/ per school). pupils: a row per
    pupil and school, text ("" blank) in columns urn, on_roll (bool: on roll at the census,
    else left since), upn, dob, sex, ncyear, forename, surname, postcode, paon, street,
    town, possible, authorised, unauthorised (the termly sessions), possible2, authorised2,
    unauthorised2 (the summer term's second half, autumn census only) and leavingdate;
    exclusions: pupil (row position in pupils), category (SUSP or PERM), startdate,
    sessions and reason. Tables without rows are left out but for the census's own five.
    Returns each file written and its rows."""
    if school_folders:
        written = []
        for urn, mine in pupils.groupby("urn", sort=True):
            position = pd.Series(np.arange(len(mine)), index=mine.index)
            theirs = exclusions[exclusions["pupil"].isin(mine.index)]
            theirs = theirs.assign(pupil=position[theirs["pupil"]].to_numpy())
            school = mine.reset_index(drop=True)
            written += write_census(folder / str(urn), year, term, la_code, school, theirs)
        return written
    pupils = pupils.reset_index(drop=True)
    tables = layout.layout(year, term)
    schools = np.unique(pupils["urn"].to_numpy(str)).astype(object)
    day = census_day(year, term)
    stamp = f"{day.year}-{MONTHS[day.month - 1]}-{day.day:02d}"
    census = _table("schoolcensus", schools, {
        "term": TERM_CODES[term], "year": str(year), "lea": la_code, "urn": schools,
        "estab": np.array([u[-4:].zfill(4) for u in schools], dtype=object),
        "referencedate": f"{stamp} 00:00:00", "datetime": f"{stamp} 16:00:00",
        "sourcelevel": "S",
    })  # fmt: skip
    census_of = dict(zip(schools, census["schoolcensustableid"], strict=True))
    written = [_write(folder, year, term, "schoolcensus", census)]
    pupil_ids = np.empty(len(pupils), dtype=object)
    for on_roll, pupil_table in ((True, "pupilonroll"), (False, "pupilnolongeronroll")):
        mine = pupils[pupils["on_roll"] == on_roll]
        if not on_roll and mine.empty:
            break
        urn = mine["urn"].to_numpy(object)
        values = _pupil_values(year, term, pupil_table, mine)
        values["schoolcensustableid"] = np.array([census_of[u] for u in urn], dtype=object)
        data = _table(pupil_table, urn, values)
        pupil_ids[mine.index] = ids = data[f"{pupil_table}tableid"]
        written.append(_write(folder, year, term, pupil_table, data))
        suffix = "onroll" if on_roll else "offroll"
        address = next((a for a in (f"addresses{suffix}", "addresses") if a in tables), None)
        if address and (on_roll or address != "addresses"):
            place = {c: mine[c].to_numpy(object) for c in ADDRESS_COLUMNS}
            place[f"{pupil_table}tableid"] = ids
            written.append(_write(folder, year, term, address, _table(address, urn, place)))
        for half, key in (("termly", ""), ("summerhalfterm2", "2")):
            details = f"{half}sessiondetails{suffix}"
            if details in tables and (half == "termly" or (mine[f"possible{key}"] != "").any()):
                data = _session_details(details, tables[details], mine, ids, key)
                written.append(_write(folder, year, term, details, data))
        ours = exclusions[exclusions["pupil"].isin(mine.index)]
        data = _exclusions(f"termlyexclusions{suffix}", tables, pupils["urn"], ours)
        data[f"{pupil_table}tableid"] = pupil_ids[ours["pupil"].to_numpy(int)]
        written.append(_write(folder, year, term, f"termlyexclusions{suffix}", data))
    return written


def _session_details(
    name: str, columns: dict, pupils: pd.DataFrame, ids: np.ndarray, key: str
) -> dict:
    """A row per pupil and kind of absence with any sessions of it."""
    parent, reason, count = [], [], []
    for code, kind in ABSENCE_REASONS:
        sessions = pupils[f"{kind}{key}"].to_numpy(object)
        some = (sessions != "") & (sessions != "0")
        parent.append(ids[some])
        reason.append(np.full(int(some.sum()), code, dtype=object))
        count.append(sessions[some])
    parent = np.concatenate(parent)
    owner = "pupilonrolltableid" if name.endswith("onroll") else "pupilnolongeronrolltableid"
    sessions = "sessions" if "sessions" in columns else "absencesessions"
    values = {owner: parent, "attendancereason": np.concatenate(reason)}
    values[sessions] = np.concatenate(count)
    return _table(name, np.array([p.rpartition("-")[0] for p in parent], dtype=object), values)


def _exclusions(name: str, tables: dict, urn_of: pd.Series, ours: pd.DataFrame) -> dict:
    codes = {c["code"] for c in tables[name]["category"]["category"]}
    category = ours["category"].to_numpy(object)
    # Suspensions were fixed-period exclusions (FIXD) before the DfE renamed them.
    category = np.where(np.isin(category, list(codes)), category, "FIXD").astype(object)
    reason = "reason1" if "reason1" in tables[name] else "reason"
    urn = urn_of.to_numpy(object)[ours["pupil"].to_numpy(int)]
    return _table(name, urn, {
        "startdate": ours["startdate"].to_numpy(object), "category": category,
        "sessions": ours["sessions"].to_numpy(object), reason: ours["reason"].to_numpy(object),
    })  # fmt: skip


def write_term(
    folder: Path, year: int, term: str, la_code: str, urn: str, pupils: list[dict]
) -> list[Path]:
    """One school's census of given pupils, all on roll: each a dict of upn, dob (yyyy-mm-dd
    or as exported), sex, ncyear, postcode, street, town, surname, possible, authorised,
    unauthorised, suspensions, permanent (bool) and optionally exclusion_starts (each
    exclusion's start as exported: the suspensions' then the permanent exclusion's).
    Written as given: a census carries the term before it, so a term's sessions go in the
    census after it. The census's tables in order: schoolcensus, pupilonroll, its address,
    termly sessions and exclusions."""
    frame = pd.DataFrame(pupils).astype({"possible": str, "authorised": str})
    frame = frame.astype({"unauthorised": str}).assign(urn=urn, on_roll=True)
    frame["dob"] = export_dates(frame["dob"].to_numpy())
    for column in ("forename", "paon", "possible2", "authorised2", "unauthorised2", "leavingdate"):
        frame[column] = ""
    rows = []
    for position, pupil in enumerate(pupils):
        kinds = ["SUSP"] * pupil["suspensions"] + ["PERM"] * pupil["permanent"]
        starts = pupil.get("exclusion_starts", [""] * len(kinds))
        rows += [(position, kind, start) for kind, start in zip(kinds, starts, strict=True)]
    exclusions = pd.DataFrame(rows, columns=["pupil", "category", "startdate"])
    exclusions = exclusions.assign(sessions="", reason="")
    return [path for path, _ in write_census(folder, year, term, la_code, frame, exclusions)]
