"""SSDA903 episodes of a period of care: a new episode at every change of legal status or
placement (RNE L, P or T), with the status, placement, provider and need carried forward.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from synthetic.calendar import NO_DATE
from synthetic.calibration import LookedAfterRates
from synthetic.care_periods import CarePeriods
from synthetic.care_starts import ROUTE_CPP, ROUTE_S47, ROUTE_STOCK, ROUTE_UASC
from synthetic.population import DAYS_PER_YEAR, Population
from synthetic.reference import code_mix

_CLA_NEEDS = ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"]


@dataclass(frozen=True)
class CareEpisodes:
    period: np.ndarray  # index into CarePeriods
    child: np.ndarray
    start: np.ndarray
    end: np.ndarray  # NO_DATE while open
    rne: np.ndarray
    legal_status: np.ndarray
    place: np.ndarray
    provider: np.ndarray
    reason_ceased: np.ndarray  # X1 between episodes, the period's reason at its end
    reason_place_change: np.ndarray
    need: np.ndarray
    pl_inside: np.ndarray  # placed inside the authority


def draw_episodes(
    rng: np.random.Generator,
    periods: CarePeriods,
    population: Population,
    rates: LookedAfterRates,
) -> CareEpisodes:
    n = len(periods)
    need = code_mix("primary_need").draw(rng, n)
    need[~np.isin(need, _CLA_NEEDS)] = "N1"  # SSDA903 has no N0 (not stated)
    need[periods.route == ROUTE_UASC] = "N8"  # absent parenting
    stop = np.where(periods.end == NO_DATE, periods.start + 4000, periods.end)
    age0 = (periods.start - population.dob[periods.child]) / DAYS_PER_YEAR
    # Events: 0 start, 1 legal status change, 2 placement move (one episode each).
    ev_period = [np.arange(n)]
    ev_day = [periods.start]
    ev_kind = [np.zeros(n, dtype=np.int64)]
    ls0 = _initial_legal_status(rng, periods.route, age0)
    # Emergency statuses and interim care orders are followed by a new legal status.
    emergency = np.isin(ls0, ["L1", "L2"])
    interim = ls0 == "C2"
    change_day = np.where(
        emergency, periods.start + rng.integers(3, 28, n), periods.start + rng.integers(120, 300, n)
    )
    has_change = (emergency | interim) & (change_day < stop)
    new_ls = np.where(emergency, np.where(rng.random(n) < 0.6, "C2", "V2"), "C1").astype(object)
    adopt_order = periods.adopted | (periods.placement_order != NO_DATE)
    po_change = (
        adopt_order & (periods.placement_order < stop) & (periods.placement_order > periods.start)
    )
    idx = np.flatnonzero(has_change)
    ev_period.append(idx)
    ev_day.append(change_day[idx])
    ev_kind.append(np.ones(idx.size, dtype=np.int64))
    idx_po = np.flatnonzero(po_change)
    ev_period.append(idx_po)
    ev_day.append(np.maximum(periods.placement_order[idx_po], change_day[idx_po] + 1))
    ev_kind.append(np.full(idx_po.size, 3))  # placement order: E1 and an adoptive placement
    # Placement moves: a Poisson number over the period, more in the first year.
    years = (stop - periods.start) / DAYS_PER_YEAR
    teen = age0 >= 11
    lam = rates.moves_per_year_first * np.minimum(years, 1) + rates.moves_per_year_later * (
        np.maximum(years - 1, 0)
    )
    lam = np.where(teen, lam * 1.5, lam)
    moves = rng.poisson(lam)
    idx = np.repeat(np.arange(n), moves)
    mday = periods.start[idx] + 1 + (rng.random(idx.size) * (stop[idx] - periods.start[idx] - 1))
    ev_period.append(idx)
    ev_day.append(mday.astype(np.int64))
    ev_kind.append(np.full(idx.size, 2))
    p = np.concatenate(ev_period)
    d = np.concatenate(ev_day)
    k = np.concatenate(ev_kind)
    valid = d < stop[p]
    valid |= k == 0
    p, d, k = p[valid], d[valid], k[valid]
    order = np.lexsort((k, d, p))
    p, d, k = p[order], d[order], k[order]
    # Merge same-day events of a period: legal + placement on one day is one episode ("T").
    same = np.r_[False, (p[1:] == p[:-1]) & (d[1:] == d[:-1])]
    group = np.cumsum(~same) - 1
    m = int(group[-1]) + 1 if group.size else 0
    first = np.flatnonzero(~same)
    g_period, g_day = p[first], d[first]
    has_legal = np.zeros(m, bool)
    has_place = np.zeros(m, bool)
    has_start = np.zeros(m, bool)
    has_po = np.zeros(m, bool)
    np.logical_or.at(has_legal, group, k == 1)
    np.logical_or.at(has_place, group, k == 2)
    np.logical_or.at(has_start, group, k == 0)
    np.logical_or.at(has_po, group, k == 3)
    has_legal |= has_po
    has_place |= has_po
    rne = np.where(
        has_start, "S", np.where(has_legal & has_place, "T", np.where(has_legal, "L", "P"))
    ).astype(object)
    # Legal status and placement carried forward within the period.
    ls = np.where(has_start, ls0[g_period], np.where(has_po, "E1", new_ls[g_period])).astype(object)
    age = (g_day - population.dob[periods.child[g_period]]) / DAYS_PER_YEAR
    place = np.where(
        age < 11,
        code_mix("cla_place_young").draw(rng, m),
        code_mix("cla_place_teen").draw(rng, m),
    ).astype(object)
    place[has_po] = np.where(rng.random(int(has_po.sum())) < 0.5, "A5", "A6")
    place[has_start & (periods.route[g_period] == ROUTE_UASC)] = "U6"
    ls = _carry(ls, has_start | has_legal, g_period)
    place = _carry(place, has_start | has_place, g_period)
    provider = code_mix("cla_provider").draw(rng, m).astype(object)
    provider[np.isin(place, ["P1", "P2"])] = "PR0"
    provider = _carry(provider, has_start | has_place, g_period)
    last = np.r_[g_period[1:] != g_period[:-1], True]
    end = np.r_[g_day[1:], 0]
    end = np.where(last, periods.end[g_period], end)
    reason = np.where(last, periods.reason[g_period], "X1").astype(object)
    reason_change = np.where(
        has_place & ~has_start & ~has_po,
        code_mix_draw(rng, ["CARPL", "CHILD", "LAREQ", "PLACE", "STAND", "OTHER"], m),
        "",
    ).astype(object)
    inside = _carry((rng.random(m) < 0.7).astype(object), has_start | has_place, g_period)
    return CareEpisodes(
        period=g_period,
        child=periods.child[g_period],
        start=g_day,
        end=end,
        rne=rne,
        legal_status=ls,
        place=place,
        provider=provider,
        reason_ceased=reason,
        reason_place_change=reason_change,
        need=_carry(need[g_period].astype(object), has_start, g_period),
        pl_inside=inside.astype(bool),
    )


def code_mix_draw(rng: np.random.Generator, codes: list[str], n: int) -> np.ndarray:
    return np.array(codes, dtype=object)[rng.integers(0, len(codes), n)]


def _carry(values: np.ndarray, defined: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Forward-fill values where not defined, within runs of equal group."""
    n = values.size
    first = np.r_[True, group[1:] != group[:-1]] if n else np.zeros(0, bool)
    idx = np.where(defined | first, np.arange(n), 0)
    idx = np.maximum.accumulate(idx) if n else idx
    return values[idx]


def _initial_legal_status(
    rng: np.random.Generator, route: np.ndarray, age: np.ndarray
) -> np.ndarray:
    n = route.size
    out = code_mix("cla_legal_status_other").draw(rng, n).astype(object)
    for r, field in ((ROUTE_CPP, "cla_legal_status_cpp"), (ROUTE_S47, "cla_legal_status_s47")):
        sel = route == r
        out[sel] = code_mix(field).draw(rng, int(sel.sum()))
    young = age < 10
    out[young & np.isin(out, ["J1", "J2"])] = "V2"
    out[route == ROUTE_UASC] = "V2"
    stock = route == ROUTE_STOCK
    out[stock] = np.where(rng.random(int(stock.sum())) < 0.75, "C1", "V2")
    return out
