"""The SSD's children in need objects of one extract (ssd_cin_episodes, ssd_cin_assessments,
ssd_s47_enquiry, ssd_initial_cp_conference, ssd_cp_plans), written from the very episodes
the CIN census returns hold (synthetic/journeys.py), so the two systems agree on a child's
journey and the platform can feed the children in need indicators from either.

The selection and what is known mirror the CIN census writer (synthetic/writers/cin_census.py,
cin_details.py) exactly: an extract whose last day is 31 March holds the referrals the return
of that collection year holds, open ones from earlier years included, each module present
in that year's return with the dates the return gives it (an end, authorisation or
closure only once it happened by the extract's last day). An extract cut short by the end of
the run holds the episodes open from the collection year's 1 April to its last day. The
episodes are the clean ones: the CIN defects are the return's degraded recording, and the
SSD is another system. No random draws: ids are numbered once over the run (a record keeps
its id from extract to extract), in the episodes' order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from synthetic.calendar import NO_DATE, collection_year, to_day
from synthetic.journeys import Episodes
from synthetic.population import Population
from synthetic.reference import referral_source_groups
from synthetic.writers.cin_census import episodes_in_year
from synthetic.writers.csv_out import iso

ID_WIDTH = 7


@dataclass(frozen=True)
class CinIds:
    """Each episode's record ids in the case system, "" where it has no such module."""

    referral: np.ndarray
    assessment: np.ndarray
    s47: np.ndarray
    icpc: np.ndarray
    plan: np.ndarray


def _numbered(prefix: str, has: np.ndarray) -> np.ndarray:
    ids = np.full(has.size, "", dtype=object)
    ids[has] = [f"{prefix}{n:0{ID_WIDTH}d}" for n in range(1, int(has.sum()) + 1)]
    return ids


def cin_ids(episodes: Episodes) -> CinIds:
    return CinIds(
        referral=_numbered("RF", np.ones(len(episodes), dtype=bool)),
        assessment=_numbered("AS", episodes.assessment_start != NO_DATE),
        s47=_numbered("SE", episodes.s47_start != NO_DATE),
        icpc=_numbered("IC", episodes.icpc != NO_DATE),
        plan=_numbered("CP", episodes.cpp_start != NO_DATE),
    )


def extract_episodes(episodes: Episodes, last: int) -> np.ndarray:
    """Row numbers of the episodes an extract ending on `last` holds: those the CIN return of
    its collection year holds, referred by that day."""
    held = episodes_in_year(episodes, int(collection_year(last))) & (episodes.referral <= last)
    return np.flatnonzero(held)


def _known(days: np.ndarray, last: int) -> np.ndarray:
    return (days != NO_DATE) & (days <= last)


def _active(start: np.ndarray, end: np.ndarray, first: int, last: int) -> np.ndarray:
    """As the return's CollectionYear.active: started by the last day, not ended before the
    collection year began."""
    return (start != NO_DATE) & (start <= last) & (end >= first)


def _when(days: np.ndarray, present: np.ndarray) -> np.ndarray:
    return np.where(present, iso(days), "")


def cin_tables(
    episodes: Episodes, population: Population, ids: CinIds, last: int
) -> tuple[dict[str, dict[str, object]], np.ndarray]:
    """The five objects of the extract ending on `last`, and the children they are about."""
    rows = extract_episodes(episodes, last)
    eps = episodes.take(rows)
    first = to_day(date(int(collection_year(last)) - 1, 4, 1))
    person = population.la_child_id[eps.child]
    referral = ids.referral[rows]
    labels = dict(referral_source_groups()[["code", "label"]].itertuples(index=False))
    closed = _known(eps.closure, last)
    tables: dict[str, dict[str, object]] = {
        "ssd_cin_episodes": {
            "cine_referral_id": referral,
            "cine_person_id": person,
            "cine_referral_date": iso(eps.referral),
            "cine_cin_primary_need_code": eps.need,
            "cine_referral_source_code": eps.source,
            "cine_referral_source_desc": np.array(
                [labels.get(code, "") for code in eps.source.tolist()], dtype=object
            ),
            "cine_referral_nfa": np.where(eps.nfa, "Y", "N"),
            "cine_close_reason": np.where(closed, eps.closure_reason, ""),
            "cine_close_date": _when(eps.closure, closed),
        }
    }
    a = _active(eps.assessment_start, eps.assessment_end, first, last)
    tables["ssd_cin_assessments"] = {
        "cina_assessment_id": ids.assessment[rows][a],
        "cina_person_id": person[a],
        "cina_referral_id": referral[a],
        "cina_assessment_start_date": iso(eps.assessment_start[a]),
        "cina_assessment_auth_date": _when(
            eps.assessment_end[a], _known(eps.assessment_end[a], last)
        ),
    }
    s = _active(eps.s47_start, eps.s47_end, first, last)
    tables["ssd_s47_enquiry"] = {
        "s47e_s47_enquiry_id": ids.s47[rows][s],
        "s47e_referral_id": referral[s],
        "s47e_person_id": person[s],
        "s47e_s47_start_date": iso(eps.s47_start[s]),
        "s47e_s47_end_date": _when(eps.s47_end[s], _known(eps.s47_end[s], last)),
    }
    # A conference is in the extract whose return gives its date: held by the last day, in
    # an enquiry of the year. Its plan id once a plan followed (the plan starts at it).
    c = s & _known(eps.icpc, last)
    followed = eps.cpp_start[c] != NO_DATE
    tables["ssd_initial_cp_conference"] = {
        "icpc_icpc_id": ids.icpc[rows][c],
        "icpc_s47_enquiry_id": ids.s47[rows][c],
        "icpc_person_id": person[c],
        "icpc_cp_plan_id": ids.plan[rows][c],
        "icpc_referral_id": referral[c],
        "icpc_icpc_target_date": iso(eps.icpc_target[c]),
        "icpc_icpc_date": iso(eps.icpc[c]),
        "icpc_icpc_outcome_cp_flag": np.where(followed, "Y", "N"),
    }
    p = _active(eps.cpp_start, eps.cpp_end, first, last)
    tables["ssd_cp_plans"] = {
        "cppl_cp_plan_id": ids.plan[rows][p],
        "cppl_referral_id": referral[p],
        "cppl_icpc_id": ids.icpc[rows][p],
        "cppl_person_id": person[p],
        "cppl_cp_plan_start_date": iso(eps.cpp_start[p]),
        "cppl_cp_plan_end_date": _when(eps.cpp_end[p], _known(eps.cpp_end[p], last)),
        "cppl_cp_plan_initial_category": eps.cpp_initial[p],
        "cppl_cp_plan_latest_category": eps.cpp_latest[p],
    }
    return tables, eps.child
