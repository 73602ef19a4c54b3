"""The school census gives the same attendance, absence and exclusion figures whichever layout
arrives: the project's contract file (one row per pupil and term) or the tables schools'
systems export, where a census carries the term before it (absence one term in arrears) and
exclusions are placed by their start date."""

import csv
from pathlib import Path

import duckdb
import pytest

from synthetic.writers.school_census_export import write_term
from tests.warehouse import dbt_build, ingest_landing

pytestmark = pytest.mark.slow

# A term: its name, its first day in the contract file and an exclusion's start in the export.
AUTUMN = ("autumn", "2020-09-03", "2020-Oct-12 00:00:00")
SPRING = ("spring", "2021-01-04", "2021-Feb-01 00:00:00")
# The census after each term: the spring census of 2021 reports the autumn term, the summer
# census the spring term.
CENSUS_AFTER = {"autumn": "spring", "spring": "summer"}
SCHOOLS = ("2001", "2002")


def pupil(school: str, number: int, term: str) -> dict:
    """A pupil whose figures differ by school, number and term, some persistently absent, some
    suspended (once or twice) and one permanently excluded in the spring term."""
    shift = number + (3 if term == "spring" else 0) + int(school[-1])
    suspensions = shift % 3 if number % 2 else 0
    permanent = (school, number, term) == ("2002", 3, "spring")
    start = AUTUMN[2] if term == "autumn" else SPRING[2]
    return {
        "upn": f"A{school}{number:07d}B", "dob": f"2010-0{1 + number % 9}-1{number % 10}",
        "sex": "MF"[number % 2], "ncyear": str(5 + number % 6),
        "postcode": f"QX{1 + number % 4} 1AB", "street": "QZXLANE", "town": "QZXTOWN",
        "surname": "QZXSURNAME", "possible": 120 + shift, "authorised": 2 * shift % 9,
        "unauthorised": 3 * shift % 14, "suspensions": suspensions, "permanent": permanent,
        "exclusion_starts": [start] * (suspensions + permanent),
    }  # fmt: skip


def pupils(school: str, term: str) -> list[dict]:
    return [pupil(school, number, term) for number in range(1, 7)]


def write_contract(landing: Path) -> None:
    folder = landing / "school_census"
    folder.mkdir(parents=True)
    for term, first_day, _ in (AUTUMN, SPRING):
        with (folder / f"school_census_938_2020-21_{term}.csv").open("w", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(
                ["LA_CODE", "ACADEMIC_YEAR", "TERM", "TERM_START_DATE", "URN", "UPN",
                 "PERSON_BIRTH_DATE", "SEX", "POSTCODE_DISTRICT", "NCYEAR_ACTUAL",
                 "SESSIONS_POSSIBLE", "SESSIONS_ATTENDED", "SESSIONS_AUTHORISED_ABSENCE",
                 "SESSIONS_UNAUTHORISED_ABSENCE", "SUSPENSIONS", "PERMANENT_EXCLUSION"]
            )  # fmt: skip
            for school in SCHOOLS:
                for p in pupils(school, term):
                    attended = p["possible"] - p["authorised"] - p["unauthorised"]
                    out.writerow(
                        ["938", "2020/21", term, first_day, school, p["upn"], p["dob"],
                         p["sex"], p["postcode"].split()[0], p["ncyear"], p["possible"],
                         attended, p["authorised"], p["unauthorised"], p["suspensions"],
                         "Y" if p["permanent"] else "N"]
                    )  # fmt: skip


def reported_again(spring: dict, autumn: dict) -> dict:
    """The summer census's pupil: the spring term's sessions and exclusions, and the autumn
    term's suspensions reported a second time (two terms in arrears)."""
    starts = autumn["exclusion_starts"][: autumn["suspensions"]]
    return {
        **spring,
        "suspensions": spring["suspensions"] + autumn["suspensions"],
        "exclusion_starts": starts + spring["exclusion_starts"],
    }


def write_export(landing: Path) -> None:
    for term, _, _ in (AUTUMN, SPRING):
        census = CENSUS_AFTER[term]
        for school in SCHOOLS:
            folder = landing / "school_census_export" / "938" / "2021" / census / school
            reported = pupils(school, term)
            if term == "spring":
                reported = list(map(reported_again, reported, pupils(school, "autumn")))
            write_term(folder, 2021, census, "938", school, reported)


FIGURES = """
    select academic_year, term, term_end_month, school_urn, upn_pseudonym, sex, year_group,
        sessions_possible, sessions_attended, sessions_authorised_absence,
        sessions_unauthorised_absence, attendance_rate, is_persistently_absent, suspensions,
        is_permanently_excluded
    from marts.fct_school_attendance
    order by all
"""
INDICATORS = """
    select indicator_id, month, breakdown_dimension, breakdown_value, numerator, denominator,
        value
    from marts.fct_indicator_monthly__education
    order by all
"""


def built(root: Path, write) -> dict[str, list[tuple]]:
    write(root / "landing")
    warehouse = ingest_landing(root)
    dbt_build(root, ["+fct_indicator_monthly__education"])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {query: con.execute(query).fetchall() for query in (FIGURES, INDICATORS)}


def test_the_exported_layout_gives_the_contract_file_s_figures(tmp_path):
    contract = built(tmp_path / "contract", write_contract)
    exported = built(tmp_path / "export", write_export)
    assert len(contract[FIGURES]) == 24
    assert exported[FIGURES] == contract[FIGURES]
    suspended = sum(row[13] for row in contract[FIGURES])
    assert suspended == sum(pupil(s, n, t)["suspensions"] for s in SCHOOLS for n in range(1, 7)
                            for t in ("autumn", "spring"))  # fmt: skip
    assert sum(row[14] for row in contract[FIGURES]) == 1
    assert contract[INDICATORS] and exported[INDICATORS] == contract[INDICATORS]
