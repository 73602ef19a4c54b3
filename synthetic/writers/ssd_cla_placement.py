"""The SSD's placements, legal statuses and immigration statuses of one extract
(ssd_cla_placement, ssd_legal_status, ssd_immigration_status), cut from the very episodes of
care the SSDA903 returns and ssd_cla_episodes are written from (synthetic/care_episodes.py),
so that a placement or legal status read from the SSD is the one the return's episodes make.

A placement starts with the first episode of a period of care and with every later episode
whose reason for new episode changes the placement (P, B, T or U); an episode with RNE L
changes only the legal status and stays in the placement. This is how the warehouse reads
the return's placements (int_looked_after__episodes), and the two must stay the same. A
legal-status spell is a run of consecutive episodes of one period with the same legal
status. An immigration status is an unaccompanied asylum-seeking child's period of care
(route UASC): from its start to the day the child ceases to be one (the UASC table's DUC,
known from the start, so written in every extract).

An extract holds the placements and spells of the episodes it holds, and the statuses of
the UASC periods whose episodes it holds; an end only once it came by the extract's last
day. Codes are the return's of the same year; the URN and postcode are those the return of
the same year writes for the placement's first episode, as written before any defect (blank
where that return does not hold the episode, as in an extract the run cuts short). No
random draws: ids are numbered once over the run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synthetic.calendar import NO_DATE
from synthetic.care_episodes import CareEpisodes
from synthetic.care_starts import ROUTE_UASC, uasc_until
from synthetic.looked_after import LookedAfter
from synthetic.population import Population
from synthetic.writers.csv_out import iso
from synthetic.writers.ssda903 import year_codes

ID_WIDTH = 7
PLACEMENT_CHANGES = ("P", "B", "T", "U")
UASC_STATUS = "UASC"


@dataclass(frozen=True)
class ReturnedPlaces:
    """The URN and PL_POST one year's SSDA903 return writes for each episode it holds, in
    episode order, as built before the scenario's defects degrade the return."""

    episode: np.ndarray
    urn: np.ndarray
    postcode: np.ndarray

    @classmethod
    def of(cls, episodes: dict[str, object]) -> ReturnedPlaces:
        """From the return's Episodes table as build_year gives it."""
        copied = (np.array(episodes[c], dtype=object) for c in ("URN", "PL_POST"))
        return cls(np.asarray(episodes["_episode"], dtype=np.int64), *copied)

    def written(self, episode: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The URN and postcode written for each episode, "" where the return lacks it."""
        blank = np.full(episode.size, "", dtype=object)
        if not self.episode.size:
            return blank, blank
        at = np.searchsorted(self.episode, episode).clip(max=self.episode.size - 1)
        held = self.episode[at] == episode
        return np.where(held, self.urn[at], blank), np.where(held, self.postcode[at], blank)


def numbered(prefix: str, count: int) -> np.ndarray:
    """The case system's ids of `count` records, in order (CE0000001...)."""
    return np.array([f"{prefix}{n:0{ID_WIDTH}d}" for n in range(1, count + 1)], dtype=object)


@dataclass(frozen=True)
class Runs:
    """Runs of consecutive episodes: each episode's run, each run's first and last episode,
    and the case system's id of each run."""

    of_episode: np.ndarray
    first: np.ndarray
    last: np.ndarray
    ids: np.ndarray

    @classmethod
    def starting(cls, starts: np.ndarray, prefix: str) -> Runs:
        """The runs beginning at each episode where `starts` is true."""
        first = np.flatnonzero(starts)
        last = np.r_[first[1:] - 1, starts.size - 1][: first.size].astype(np.int64)
        return cls(np.cumsum(starts) - 1, first, last, numbered(prefix, first.size))


@dataclass(frozen=True)
class CareSpells:
    """The placements and legal-status spells of every episode, and the UASC periods."""

    placements: Runs
    legal_statuses: Runs
    uasc_periods: np.ndarray  # index into CarePeriods
    uasc_ids: np.ndarray


def care_spells(cla: LookedAfter) -> CareSpells:
    """Every placement, legal-status spell and UASC status of the run, numbered once."""
    # Episodes come in period order, each period's by start (care_episodes.draw_episodes).
    ep = cla.episodes
    first_of_period = np.r_[True, ep.period[1:] != ep.period[:-1]][: ep.period.size]
    moves = np.isin(ep.rne, PLACEMENT_CHANGES)
    changed = np.r_[True, ep.legal_status[1:] != ep.legal_status[:-1]][: ep.period.size]
    uasc = np.flatnonzero(cla.periods.route == ROUTE_UASC)
    return CareSpells(
        Runs.starting(first_of_period | moves, "PL"),
        Runs.starting(first_of_period | changed, "LS"),
        uasc,
        numbered("IM", uasc.size),
    )


def _ended(ep: CareEpisodes, last_episode: np.ndarray, last: int) -> np.ndarray:
    """The end of each run's last episode, "" unless it came by the extract's last day."""
    end = ep.end[last_episode]
    return np.where((end != NO_DATE) & (end <= last), iso(end), "")


def placement_table(
    cla: LookedAfter,
    person: np.ndarray,
    period_ids: np.ndarray,
    spells: CareSpells,
    held: np.ndarray,
    last: int,
    year: int,
    places: ReturnedPlaces | None,
) -> dict[str, object]:
    """ssd_cla_placement of the extract holding the episodes `held` (row numbers, in order)."""
    ep, runs = cla.episodes, spells.placements
    p = np.unique(runs.of_episode[held])
    first, final = runs.first[p], runs.last[p]
    urn, postcode = places.written(first) if places else ("", "")
    # The next placement of the same period begins with the episode after this one's last;
    # its reason for the change is known once it began.
    after = np.minimum(final + 1, ep.period.size - 1)
    moved = (final + 1 < ep.period.size) & (ep.period[after] == ep.period[final])
    moved &= ep.start[after] <= last
    return {
        "clap_cla_placement_id": runs.ids[p],
        "clap_cla_placement_start_date": iso(ep.start[first]),
        "clap_cla_placement_type": year_codes(ep.place[first], year, "PLACE"),
        "clap_cla_placement_urn": urn,
        "clap_cla_id": period_ids[ep.period[first]],
        "clap_cla_placement_provider": ep.provider[first],
        "clap_cla_placement_postcode": postcode,
        "clap_cla_placement_end_date": _ended(ep, final, last),
        "clap_cla_placement_change_reason": np.where(moved, ep.reason_place_change[after], ""),
        "clap_person_id": person[ep.child[first]],
    }


def legal_status_table(
    cla: LookedAfter, person: np.ndarray, spells: CareSpells, held: np.ndarray, last: int
) -> dict[str, object]:
    """ssd_legal_status of the extract holding the episodes `held`."""
    ep, runs = cla.episodes, spells.legal_statuses
    s = np.unique(runs.of_episode[held])
    first = runs.first[s]
    return {
        "lega_legal_status_id": runs.ids[s],
        "lega_person_id": person[ep.child[first]],
        "lega_legal_status": ep.legal_status[first],
        "lega_legal_status_start_date": iso(ep.start[first]),
        "lega_legal_status_end_date": _ended(ep, runs.last[s], last),
    }


def immigration_status_table(
    cla: LookedAfter, population: Population, spells: CareSpells, held: np.ndarray
) -> dict[str, object]:
    """ssd_immigration_status of the extract holding the episodes `held`."""
    u = np.flatnonzero(np.isin(spells.uasc_periods, cla.episodes.period[held]))
    periods = spells.uasc_periods[u]
    child = cla.periods.child[periods]
    return {
        "immi_person_id": population.la_child_id[child],
        "immi_immigration_status_id": spells.uasc_ids[u],
        "immi_immigration_status": np.full(u.size, UASC_STATUS, dtype=object),
        "immi_immigration_status_start_date": iso(cla.periods.start[periods]),
        "immi_immigration_status_end_date": iso(uasc_until(population.dob[child])),
    }
