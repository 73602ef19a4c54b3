"""The demo county's school census as schools export it, from a first academic year on:
which census reports which pupils and terms (the tables are written by
synthetic/writers/school_census_export.py).

A census carries the term before it, as the DfE collects it: the spring census the autumn
term's sessions, the summer census the spring term's, the autumn census the summer term's
(its first half in the termly counts, its second in summerhalfterm2*). Since 2019 it also
reports the exclusions of the term before that again, so one exclusion arrives twice. Its
roll is the school's pupils on the census day; a pupil the school had in a reported term
who left since (a move to secondary school, the end of schooling) is no longer on roll.
The values are the contract file's rows of the same terms (synthetic/education.py), so
both layouts give the same figures; only exclusion start dates, the summer term's halves
and the invented addresses are drawn, from a stream of their own. A term reported by a
census whose layout is not held (data/reference/dfe_schemas/school_census) keeps the
contract file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from orchestration.ingest.formats import school_census_layout as layout
from synthetic import education
from synthetic.calendar import Calendar, to_day
from synthetic.period import Period
from synthetic.population import Population
from synthetic.writers.csv_out import iso
from synthetic.writers.school_census_export import census_day, export_dates, write_census

SOURCE = "school_census_export"
# The contract file's session counts, by the name a census's pupil carries them under.
SESSION_MEASURES = {
    "possible": "SESSIONS_POSSIBLE",
    "authorised": "SESSIONS_AUTHORISED_ABSENCE",
    "unauthorised": "SESSIONS_UNAUTHORISED_ABSENCE",
}
# Invented streets for the addresses (never read: only the postcode is).
STREETS = ("Mill Lane", "Church Road", "Station Road", "The Green", "Orchard Close", "Elm Way")
POSTCODE_LETTERS = list("ABDEFGHJLNPQRSTUWXYZ")  # the letters a postcode's unit may hold
KEY = ["child", "urn"]
TERMS = ("autumn", "spring", "summer")
# The first collection year whose censuses report exclusions two terms in arrears as well.
EXCLUSIONS_TWICE_FROM = 2019


def previous_term(academic_year: int, term: str) -> tuple[int, str]:
    index = TERMS.index(term)
    return (academic_year, TERMS[index - 1]) if index else (academic_year - 1, TERMS[-1])


def reporting_census(academic_year: int, term: str) -> tuple[int, str]:
    """The census (collection year, term) that reports a term: the one after it."""
    index = TERMS.index(term)
    if index < len(TERMS) - 1:
        return academic_year + 1, TERMS[index + 1]
    return academic_year + 2, TERMS[0]


class ExportedCensuses:
    """One authority's censuses reporting the terms of first_year (the September it starts)
    and after, each written once the term it is held in has been simulated (add_term, terms
    in order); a census whose day falls outside the run is not delivered, as in life."""

    def __init__(
        self,
        out_dir: Path,
        la: str,
        first_year: int,
        period: Period,
        calendar: Calendar,
        population: Population,
        suspension: np.ndarray,
        rng: np.random.Generator,
    ) -> None:
        self.folder, self.la, self.first_year = out_dir / SOURCE / la, la, first_year
        self.period, self.calendar, self.suspension, self.rng = period, calendar, suspension, rng
        self.terms: dict[tuple[int, str], dict] = {}
        n = len(population)
        letters = rng.choice(POSTCODE_LETTERS, size=(n, 2)).astype(object)
        unit = rng.integers(1, 10, n).astype(str).astype(object) + letters[:, 0] + letters[:, 1]
        blank = np.full(n, "", dtype=object)
        # Each child's invented address and names, the same in every census.
        self.child = pd.DataFrame(
            {
                "postcode": population.postcode_district.astype(object) + " " + unit,
                "paon": rng.integers(1, 200, n).astype(str).astype(object),
                "street": rng.choice(STREETS, n).astype(object),
                "town": f"Town {la}",
                "forename": blank if population.forename is None else population.forename,
                "surname": blank if population.surname is None else population.surname,
            }
        )

    def exported(self, academic_year: int, term: str) -> bool:
        """A term from first_year on comes as exported if the layout of the census that
        reports it is held; a later collection year keeps the contract file."""
        census_year, _ = reporting_census(academic_year, term)
        return academic_year >= self.first_year and census_year <= layout.latest_year()

    def add_term(self, academic_year: int, term: str, rows: dict) -> list[tuple[Path, int]]:
        """Keep a simulated term (its contract rows) for the censuses that report it, and
        write the census held in it if that reports an exported term and falls in the run.
        Returns the files written and their rows."""
        if academic_year < self.first_year - 1:
            return []
        days = education.exclusion_days(self.calendar, academic_year, term)
        multiplier = self.suspension[days - self.calendar.first_day]
        second_half = None
        if term == "summer":
            second_half = education.summer_second_half(self.rng, rows, self.calendar, academic_year)
        held = {
            "rows": rows,
            "exclusions": education.exclusion_starts(self.rng, rows, days, multiplier),
            "last_day": int(days[-1]),
            "second_half": second_half,
        }
        self.terms[(academic_year, term)] = held
        for older in list(self.terms)[:-3]:  # a census reads two terms back at most
            del self.terms[older]
        year, reported = academic_year + 1, previous_term(academic_year, term)
        day = to_day(census_day(year, term))
        if not self.exported(*reported) or reported not in self.terms:
            return []
        if not self.period.start_day <= day <= self.period.end_day:
            return []
        earlier = None
        if year >= EXCLUSIONS_TWICE_FROM:
            earlier = self.terms.get(previous_term(*reported))
        pupils, exclusions = self._census(held, self.terms[reported], earlier)
        folder = self.folder / str(year) / term
        return write_census(folder, year, term, self.la, pupils, exclusions)

    def _census(
        self, held: dict, reported: dict, earlier: dict | None
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The census's pupils and their exclusions: every pupil on its roll, with the
        reported term's sessions where the pupil was at the school then; as no longer on
        roll, the reported term's pupils who left the school since, and the earlier term's
        excluded pupils who did."""
        roll = _places(held).merge(_places(reported), on=KEY, how="left", suffixes=("", "_then"))
        pupils = [self._pupils(held, roll["row"], reported, roll["row_then"], on_roll=True)]
        reporting = [reported] + ([earlier] if earlier is not None else [])
        placed = roll[KEY]
        for term in reporting:
            places = _places(term)
            if term is earlier:
                places = places[places["row"].isin(term["exclusions"]["row"])]
            gone = places.merge(placed, on=KEY, how="left", indicator=True)
            gone = gone[gone["_merge"] == "left_only"]
            sessions = gone["row"] if term is reported else None
            pupils.append(self._pupils(term, gone["row"], reported, sessions, on_roll=False))
            placed = pd.concat([placed, gone[KEY]])
        census = pd.concat(pupils, ignore_index=True)
        position = census[KEY].assign(pupil=np.arange(len(census)))
        exclusions = [_exclusions(term).merge(position, on=KEY) for term in reporting]
        return census, pd.concat(exclusions, ignore_index=True)

    def _pupils(
        self,
        term: dict,
        row: pd.Series,
        reported: dict,
        reported_row: pd.Series | None,
        on_roll: bool,
    ) -> pd.DataFrame:
        """Pupils of a term's rows, with their details as that term has them, and the
        sessions of the reported term's rows given (none or NaN: not at the school then)."""
        rows, row = term["rows"], row.to_numpy()
        child = rows["_child"][row]
        left = "" if on_roll else export_dates(iso(np.array([term["last_day"]])))[0]
        details = (
            self.child.iloc[child]
            .reset_index(drop=True)
            .assign(
                child=child,
                urn=rows["URN"][row],
                on_roll=on_roll,
                upn=rows["UPN"][row],
                dob=export_dates(rows["PERSON_BIRTH_DATE"][row]),
                sex=rows["SEX"][row],
                ncyear=rows["NCYEAR_ACTUAL"][row],
                leavingdate=left,
            )
        )
        return pd.concat([details, _sessions(reported, reported_row, len(details))], axis=1)


def _places(term: dict) -> pd.DataFrame:
    """Each row of a term: the child, the school and the row's position."""
    rows = term["rows"]
    return pd.DataFrame(
        {"child": rows["_child"], "urn": rows["URN"], "row": np.arange(len(rows["_child"]))}
    )


def _sessions(reported: dict, row: pd.Series | None, n: int) -> pd.DataFrame:
    """The reported term's sessions of pupils at the school then (the others blank): the
    summer term's first half in the termly counts and its second in summerhalfterm2*."""
    text = {
        f"{m}{half}": np.full(n, "", dtype=object) for half in ("", "2") for m in SESSION_MEASURES
    }
    if row is not None:
        there = row.notna().to_numpy()
        at = row.to_numpy()[there].astype(np.int64)
        second = reported["second_half"]
        for measure, column in SESSION_MEASURES.items():
            total = reported["rows"][column][at].astype(np.int64)
            if second is not None:
                text[f"{measure}2"][there] = second[measure][at].astype(str)
                total = total - second[measure][at]
            text[measure][there] = total.astype(str)
    return pd.DataFrame(text)


def _exclusions(term: dict) -> pd.DataFrame:
    """A term's exclusions, by child and school, as the export writes them."""
    found, rows = term["exclusions"], term["rows"]
    category = found["category"]
    return pd.DataFrame(
        {
            "child": rows["_child"][found["row"]],
            "urn": rows["URN"][found["row"]],
            "category": category,
            "startdate": export_dates(iso(found["day"])),
            "sessions": np.where(category == "PERM", "", found["sessions"].astype(str)),
            "reason": found["reason"],
        }
    )
