"""The SSD's looked-after objects of one extract (ssd_cla_episodes, ssd_missing, and the
placements, legal statuses and immigration statuses of synthetic/writers/ssd_cla_placement.py,
whose placement id each episode carries), written from the very looked-after simulation the
SSDA903 returns are written from (synthetic/looked_after.py, care_episodes.py), so the case
system and the return agree on a child's care and the platform can read either.

The selection and what is known mirror the SSDA903 writer (synthetic/writers/ssda903.py
build_year) exactly: an extract whose last day is 31 March holds the episodes that year's
Episodes table holds (under way at some time from 1 April to 31 March, open ones from
earlier years included), each with its ceased date and reason only once it ceased by the
extract's last day, and the missing episodes that year's Missing table holds (begun in the
year), each with its end only once it ended by that day. An extract cut short by the end of
the run holds the same from the collection year's 1 April to its last day. The records are
the clean ones: the SSDA903 defects are the return's degraded recording, and the SSD is
another system. No random draws: ids are numbered once over the run (a record keeps its id
from extract to extract), in the simulation's order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from synthetic.calendar import NO_DATE, collection_year, to_day
from synthetic.looked_after import LookedAfter
from synthetic.population import Population
from synthetic.writers.csv_out import iso
from synthetic.writers.ssd_cla_placement import (
    CareSpells,
    ReturnedPlaces,
    care_spells,
    immigration_status_table,
    legal_status_table,
    numbered,
    placement_table,
)
from synthetic.writers.ssda903 import year_codes


@dataclass(frozen=True)
class ClaIds:
    """The case system's ids: each episode of care, each period of care, each missing
    episode, and the placements, legal statuses and immigration statuses with theirs."""

    episode: np.ndarray
    period: np.ndarray
    missing: np.ndarray
    spells: CareSpells


def cla_ids(cla: LookedAfter) -> ClaIds:
    return ClaIds(
        episode=numbered("CE", cla.episodes.start.size),
        period=numbered("CL", len(cla.periods)),
        missing=numbered("MI", cla.missing_start.size),
        spells=care_spells(cla),
    )


def cla_tables(
    cla: LookedAfter,
    population: Population,
    ids: ClaIds,
    last: int,
    places: ReturnedPlaces | None = None,
) -> tuple[dict[str, dict[str, object]], np.ndarray]:
    """The looked-after objects of the extract ending on `last`, and the children they are
    about. places: what the SSDA903 return of its year writes of each episode's placement
    (None: no such return)."""
    year = int(collection_year(last))
    first = to_day(date(year - 1, 4, 1))
    ep = cla.episodes
    # As build_year: started by the last day and not ceased before the year began.
    e = np.flatnonzero((ep.start <= last) & ((ep.end == NO_DATE) | (ep.end >= first)))
    ceased = (ep.end[e] != NO_DATE) & (ep.end[e] <= last)
    period = ep.period[e]
    person = population.la_child_id
    tables: dict[str, dict[str, object]] = {
        "ssd_cla_episodes": {
            "clae_cla_episode_id": ids.episode[e],
            "clae_person_id": person[ep.child[e]],
            "clae_cla_episode_start_date": iso(ep.start[e]),
            "clae_cla_episode_start_reason": ep.rne[e],
            "clae_cla_primary_need_code": ep.need[e],
            "clae_cla_episode_ceased_date": np.where(ceased, iso(ep.end[e]), ""),
            # The return's codes (a code its year lacks by its fallback), so the two agree.
            "clae_cla_episode_ceased_reason": np.where(
                ceased, year_codes(ep.reason_ceased[e], year, "REC"), ""
            ),
            "clae_cla_id": ids.period[period],
            "clae_cla_placement_id": ids.spells.placements.ids[ids.spells.placements.of_episode[e]],
            "clae_entered_care_date": iso(cla.periods.start[period]),
        }
    }
    m = np.flatnonzero((cla.missing_start >= first) & (cla.missing_start <= last))
    ended = cla.missing_end[m] <= last
    tables["ssd_missing"] = {
        "miss_table_id": ids.missing[m],
        "miss_person_id": person[cla.missing_child[m]],
        "miss_missing_episode_start_date": iso(cla.missing_start[m]),
        "miss_missing_episode_type": cla.missing_kind[m],
        "miss_missing_episode_end_date": np.where(ended, iso(cla.missing_end[m]), ""),
    }
    spells = ids.spells
    tables["ssd_cla_placement"] = placement_table(
        cla, person, ids.period, spells, e, last, year, places
    )
    tables["ssd_legal_status"] = legal_status_table(cla, person, spells, e, last)
    tables["ssd_immigration_status"] = immigration_status_table(cla, population, spells, e)
    return tables, np.concatenate([ep.child[e], cla.missing_child[m]])
