"""The Standard Safeguarding Dataset extracts of one authority: one extract a collection year
(April to March, cut to the run's period), made on the first day after it, each holding the
year's contacts, the early help episodes under way in it (an episode open at one extract
and ended by the next is in both, with its end only once it ended), the children in need
episodes, assessments, section 47 enquiries, conferences and plans of the CIN census return
of the same year (synthetic/writers/ssd_cin.py), the episodes of care and missing episodes
of the SSDA903 return of the same year and their placements, legal statuses and
unaccompanied asylum-seeking children's immigration statuses (synthetic/writers/ssd_cla.py,
ssd_cla_placement.py), the people of those records and their UPN (from the September they
start school) and NHS number, as <la>_ssd_<object>_<extract day>.csv under ssd/. Columns in
the specification's order (data/reference/ssd_data_model, read through the ingestion's
reader of it).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from orchestration.ingest.formats.ssd_spec import objects
from synthetic import ssd
from synthetic.calendar import collection_year, from_day, to_day
from synthetic.calibration import Calibration
from synthetic.journeys import Episodes
from synthetic.looked_after import LookedAfter
from synthetic.period import Period
from synthetic.population import Population
from synthetic.reference import referral_source_groups
from synthetic.referrals import ReferralModel
from synthetic.ssd import Contacts, EarlyHelp
from synthetic.writers.csv_out import iso, timestamps, write_csv
from synthetic.writers.ssd_cin import cin_ids, cin_tables
from synthetic.writers.ssd_cla import cla_ids, cla_tables
from synthetic.writers.ssd_cla_placement import ReturnedPlaces

SSD_DIR = "ssd"
OUTCOME_FLAGS = (
    "NEW_REFERRAL_FLAG",
    "EXISTING_REFERRAL_FLAG",
    "CP_ENQUIRY_FLAG",
    "NFA_FLAG",
    "NON_AGENCY_ADOPTION_FLAG",
    "PRIVATE_FOSTERING_FLAG",
    "ADVICE_FLAG",
    "MISSING_FLAG",
    "OLA_CP_FLAG",
    "OTHER_OUTCOMES_EXIST_FLAG",
)


def extract_years(period: Period) -> list[tuple[int, int]]:
    """First and last day of each extract's year: April to March, within the period."""
    years = []
    for year in range(period.start.year, period.end.year + 2):
        first = max(to_day(date(year - 1, 4, 1)), period.start_day)
        last = min(to_day(date(year, 3, 31)), period.end_day)
        if first <= last:
            years.append((first, last))
    return years


def outcome(led_to_referral: bool, early_help: bool) -> str:
    """cont_contact_outcome_json with every key, as the specification lays it out."""
    flags = dict.fromkeys(OUTCOME_FLAGS, "N")
    if led_to_referral:
        flags["NEW_REFERRAL_FLAG"] = "Y"
    elif early_help:
        flags["OTHER_OUTCOMES_EXIST_FLAG"] = "Y"
    else:
        flags["ADVICE_FLAG"] = "Y"
    return json.dumps(flags, separators=(",", ":"))


def school_start(dob: np.ndarray) -> np.ndarray:
    """1 September of the school year a child starts in (the year they turn 5)."""
    born = [from_day(int(day)) for day in dob.tolist()]
    return np.array([to_day(date(b.year + 4 + (b.month >= 9), 9, 1)) for b in born], dtype=np.int64)


def write(path: Path, name: str, data: dict[str, object], rows: int) -> int:
    columns = objects()[name].field_names
    filled = {c: data.get(c, np.full(rows, "", dtype=object)) for c in columns}
    return write_csv(path, columns, filled)


def simulate_and_write(
    out_dir: Path,
    rng: np.random.Generator,
    model: ReferralModel,
    episodes: Episodes,
    population: Population,
    calibration: Calibration,
    period: Period,
    la_code: str,
    looked_after: LookedAfter | None = None,
    returned_places: dict[int, ReturnedPlaces] | None = None,
) -> tuple[list[tuple[Path, int, str]], list[list[object]]]:
    """The authority's contacts and early help (synthetic/ssd.py), its extracts and their
    answer key rows. looked_after: the simulation the SSDA903 returns were written from
    (None: no looked-after objects); returned_places: per collection year, the URN and
    PL_POST those returns write of each episode's placement."""
    contacts = ssd.simulate_contacts(rng, model, episodes, population, calibration, period)
    early_help = ssd.simulate_early_help(rng, contacts, episodes, period)
    files = write_extracts(
        out_dir,
        la_code,
        period,
        population,
        contacts,
        early_help,
        episodes,
        looked_after,
        returned_places,
    )
    return files, ssd.monthly_truth(la_code, period, contacts, early_help)


def numbered(prefix: str, width: int, count: int) -> np.ndarray:
    return np.array([f"{prefix}{n:0{width}d}" for n in range(1, count + 1)], dtype=object)


def write_extracts(
    out_dir: Path,
    la_code: str,
    period: Period,
    population: Population,
    contacts: Contacts,
    early_help: EarlyHelp,
    episodes: Episodes,
    looked_after: LookedAfter | None = None,
    returned_places: dict[int, ReturnedPlaces] | None = None,
) -> list[tuple[Path, int, str]]:
    written = []
    # Ids numbered once over the run, so a record keeps its id from extract to extract.
    contact_ids = numbered("CT", 8, contacts.day.size)
    episode_ids = numbered("EH", 7, early_help.start.size)
    referral_ids = cin_ids(episodes)
    care_ids = cla_ids(looked_after) if looked_after is not None else None
    opened_early_help = np.zeros(contacts.day.size, dtype=bool)
    opened_early_help[early_help.contact] = True
    for first, last in extract_years(period):
        made = from_day(last) + timedelta(days=1)
        c = np.flatnonzero((contacts.day >= first) & (contacts.day <= last))
        e = np.flatnonzero((early_help.start <= last) & (early_help.end >= first))
        cin, referred = cin_tables(episodes, population, referral_ids, last)
        cla: dict[str, dict[str, object]] = {}
        cared_for = np.zeros(0, dtype=np.int64)
        if looked_after is not None and care_ids is not None:
            places = (returned_places or {}).get(int(collection_year(last)))
            cla, cared_for = cla_tables(looked_after, population, care_ids, last, places)
        people = np.unique(
            np.concatenate([contacts.child[c], early_help.child[e], referred, cared_for])
        )
        tables = {
            "ssd_contacts": contact_table(population, contacts, c, contact_ids, opened_early_help),
            "ssd_early_help_episodes": early_help_table(
                population, early_help, e, episode_ids, last
            ),
            **cin,
            **cla,
            **person_tables(population, people, to_day(made)),
        }
        for name, data in tables.items():
            rows = len(data[objects()[name].field_names[0]])
            if not rows:
                continue  # a quiet year in a tiny county: no header-only file
            path = out_dir / SSD_DIR / f"{la_code}_{name}_{made.isoformat()}.csv"
            written.append((path, write(path, name, data, rows), f"SSD {name} to {made}"))
    return written


def contact_table(
    population: Population,
    contacts: Contacts,
    rows: np.ndarray,
    ids: np.ndarray,
    opened_early_help: np.ndarray,
) -> dict[str, object]:
    labels = dict(referral_source_groups()[["code", "label"]].itertuples(index=False))
    led, helped = contacts.led_to_referral[rows].tolist(), opened_early_help[rows].tolist()
    return {
        "cont_contact_id": ids[rows],
        "cont_person_id": population.la_child_id[contacts.child[rows]],
        "cont_contact_date": timestamps(contacts.day[rows], contacts.minute[rows]),
        "cont_contact_source_code": contacts.source[rows],
        "cont_contact_source_desc": np.array(
            [labels.get(code, "") for code in contacts.source[rows].tolist()], dtype=object
        ),
        "cont_contact_outcome_json": np.array(
            [outcome(a, b) for a, b in zip(led, helped, strict=True)], dtype=object
        ),
    }


def early_help_table(
    population: Population, early_help: EarlyHelp, rows: np.ndarray, ids: np.ndarray, last: int
) -> dict[str, object]:
    """An episode's end and end reason only once it ended by the extract's last day."""
    ended = early_help.end[rows] <= last
    return {
        "earl_episode_id": ids[rows],
        "earl_person_id": population.la_child_id[early_help.child[rows]],
        "earl_episode_start_date": iso(early_help.start[rows]),
        "earl_episode_end_date": np.where(ended, iso(early_help.end[rows]), ""),
        "earl_episode_reason": early_help.reason[rows],
        "earl_episode_end_reason": np.where(ended, early_help.end_reason[rows], ""),
        "earl_episode_organisation": early_help.organisation[rows],
        "earl_episode_worker_id": np.array(
            [f"EHW{w:03d}" for w in early_help.worker[rows].tolist()], dtype=object
        ),
    }


def person_tables(population: Population, people: np.ndarray, made: int) -> dict[str, dict]:
    """ssd_person and ssd_linked_identifiers for the people of one extract, as at the day it
    was made: a child not yet born has an expected date of birth and no NHS number, one not
    yet at school no UPN (UN1)."""
    dob = population.dob[people]
    born = dob <= made
    at_school = school_start(dob) <= made
    names = population.forename is not None
    person = {
        "pers_person_id": population.la_child_id[people],
        "pers_forename": population.forename[people] if names else "",
        "pers_surname": population.surname[people] if names else "",
        "pers_sex": population.sex[people],
        "pers_gender": np.where(population.sex[people] == "M", "01", "02"),
        "pers_ethnicity": population.ethnicity[people],
        "pers_dob": np.where(born, iso(dob), ""),
        "pers_expected_dob": np.where(born, "", iso(dob)),
        "pers_common_child_id": np.where(born, population.nhs_number[people], ""),
        "pers_upn_unknown": np.where(at_school, "", "UN1"),
        "pers_is_mother": np.full(people.size, "N", dtype=object),
    }
    upn, nhs = people[at_school], people[born]
    linked = {
        "link_table_id": np.concatenate(
            [[f"LI{k:07d}U" for k in upn.tolist()], [f"LI{k:07d}N" for k in nhs.tolist()]]
        ).astype(object),
        "link_person_id": np.concatenate(
            [population.la_child_id[upn], population.la_child_id[nhs]]
        ),
        "link_identifier_type": np.array(
            ["Unique Pupil Number"] * upn.size + ["NHS Number"] * nhs.size, dtype=object
        ),
        "link_identifier_value": np.concatenate([population.upn[upn], population.nhs_number[nhs]]),
        "link_valid_from_date": np.concatenate(
            [iso(school_start(population.dob[upn])), iso(population.dob[nhs])]
        ),
    }
    return {"ssd_person": person, "ssd_linked_identifiers": linked}
