"""Children looked after: periods of care, their episodes, reviews and missing episodes.

Children start to be looked after from their CIN journeys: mostly during a child
protection plan, some straight after a section 47 enquiry (police protection or an
emergency order), a few from a CIN plan; plus a few unaccompanied asylum-seeking children
and, at the simulation start, children already in care for years. A period of care is cut
into SSDA903 episodes at every change of legal status or placement. Starts are calibrated
per collection year to a rate per 10,000 (or an authority's published numbers) before the
scenario's monthly multipliers, which then shape the months (the lockdown fall).

Dates are day numbers; NO_DATE means still open.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from synthetic.calendar import NO_DATE, Calendar, collection_year, month_index
from synthetic.calibration import LookedAfterRates
from synthetic.journeys import ADULT_AGE_DAYS, Episodes
from synthetic.period import Period
from synthetic.population import DAYS_PER_YEAR, Population
from synthetic.reference import code_mix

ROUTE_CPP, ROUTE_S47, ROUTE_CIN, ROUTE_UASC, ROUTE_STOCK = range(5)
_CLA_NEEDS = ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"]


@dataclass(frozen=True)
class CarePeriods:
    child: np.ndarray
    start: np.ndarray
    end: np.ndarray  # the day care ceased; NO_DATE if open past the simulation end
    route: np.ndarray
    reason: np.ndarray  # REC of the last episode ("" while open)
    adopted: np.ndarray  # ends in adoption (E11/E12)
    placement_order: np.ndarray  # day of the decision to place for adoption, or NO_DATE

    def __len__(self) -> int:
        return self.child.size

    def take(self, index: np.ndarray) -> CarePeriods:
        return CarePeriods(**{f.name: getattr(self, f.name)[index] for f in fields(self)})


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


@dataclass(frozen=True)
class LookedAfter:
    periods: CarePeriods
    episodes: CareEpisodes
    review_child: np.ndarray
    review_day: np.ndarray
    review_code: np.ndarray
    missing_child: np.ndarray
    missing_start: np.ndarray
    missing_end: np.ndarray
    missing_kind: np.ndarray


def simulate_looked_after(
    rng: np.random.Generator,
    cin: Episodes,
    population: Population,
    calendar: Calendar,
    period: Period,
    rates: LookedAfterRates,
    shock: np.ndarray,
    children: int,
    year_targets: dict[int, float] | None = None,
) -> LookedAfter:
    """shock: multiplier per calendar day (index day - calendar.first_day) on care starts."""
    cand_child, cand_day, cand_route, cand_need = _candidates(rng, cin, population, rates)
    cand_day = np.maximum(cand_day, population.dob[cand_child])
    age = (cand_day - population.dob[cand_child]) / DAYS_PER_YEAR
    ok = (age < 17.8) & (cand_day >= calendar.first_day) & (cand_day <= calendar.last_day)
    cand_child, cand_day, cand_route, cand_need, age = (
        a[ok] for a in (cand_child, cand_day, cand_route, cand_need, age)
    )
    weight = _age_reweight(
        np.where(cand_route == ROUTE_CPP, rates.weight_cpp, 0.0)
        + np.where(cand_route == ROUTE_S47, rates.weight_s47_only, 0.0)
        + np.where(cand_route == ROUTE_CIN, rates.weight_cin_plan, 0.0),
        age,
        rates,
    )
    day_shock = shock[cand_day - calendar.first_day]
    year = collection_year(cand_day)
    target_per_year = rates.starts_per_10k * children / 10_000 * (1 - rates.uasc_share)
    u = rng.random(cand_day.size)
    # Per collection year, scale the weights so the expected starts meet the target;
    # repeat after overlaps are removed (a child already in care cannot start again).
    scale = {}
    for y in np.unique(year).tolist():
        in_year = year == y
        base = weight[in_year] * (day_shock[in_year] if year_targets else 1.0)
        target = (year_targets or {}).get(y, target_per_year)
        scale[y] = target / max(base.sum(), 1e-9)
    for _ in range(3):
        prob = weight * day_shock * np.vectorize(scale.get, otypes=[float])(year)
        chosen = np.flatnonzero(u < prob)
        starts = _build_starts(rng, chosen, cand_child, cand_day, cand_route, cand_need)
        periods_try = _periods(rng, starts, population, calendar, rates)
        kept_year = collection_year(periods_try.start[periods_try.route != ROUTE_STOCK])
        for y in scale:
            got = int((kept_year == y).sum())
            target = (year_targets or {}).get(y, target_per_year)
            want = target if year_targets else target * _mean_shock_year(day_shock, year, y)
            if got > 0:
                scale[y] *= float(np.clip(want / got, 0.8, 1.25))
    uasc = _uasc_starts(rng, population, calendar, rates, shock, children)
    stock = _initial_stock(rng, population, calendar, rates, children)
    starts = tuple(np.concatenate(parts) for parts in zip(starts, uasc, stock, strict=True))
    periods = _periods(rng, starts, population, calendar, rates)
    episodes = _episodes(rng, periods, starts[3], population, rates)
    reviews = _reviews(rng, periods, population, calendar)
    missing = _missing(rng, periods, population, calendar, rates)
    return LookedAfter(periods, episodes, *reviews, *missing)


def _mean_shock_year(day_shock: np.ndarray, year: np.ndarray, y: int) -> float:
    sel = year == y
    return float(day_shock[sel].mean()) if sel.any() else 1.0


def _candidates(
    rng: np.random.Generator, cin: Episodes, population: Population, rates: LookedAfterRates
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n = len(cin)
    has_cpp = cin.cpp_start != NO_DATE
    s47_only = (cin.s47_start != NO_DATE) & ~has_cpp
    cin_plan = (cin.plan_start != NO_DATE) & ~has_cpp
    u = rng.random(n)
    cpp_day = cin.cpp_start + (u * np.maximum(cin.cpp_end - cin.cpp_start, 1) * 0.6).astype(
        np.int64
    )
    s47_day = cin.s47_start + (u * 5).astype(np.int64)
    plan_day = cin.plan_start + (u * np.maximum(cin.plan_end - cin.plan_start, 1)).astype(np.int64)
    parts = []
    for mask, day, route in (
        (has_cpp, cpp_day, ROUTE_CPP),
        (s47_only, s47_day, ROUTE_S47),
        (cin_plan, plan_day, ROUTE_CIN),
    ):
        idx = np.flatnonzero(mask)
        parts.append((cin.child[idx], day[idx], np.full(idx.size, route), cin.need[idx]))
    return tuple(np.concatenate(p) for p in zip(*parts, strict=True))


def _age_reweight(weight: np.ndarray, age: np.ndarray, rates: LookedAfterRates) -> np.ndarray:
    """Rescale the weights within each age band so starts follow the published age mix."""
    out = weight.copy()
    total = weight.sum()
    for lo, hi, share in rates.start_age_bands:
        band = (age >= lo) & (age < hi)
        mass = weight[band].sum()
        if mass > 0:
            out[band] = weight[band] * share * total / mass
    return out


def _build_starts(
    rng: np.random.Generator,
    chosen: np.ndarray,
    child: np.ndarray,
    day: np.ndarray,
    route: np.ndarray,
    need: np.ndarray,
) -> tuple[np.ndarray, ...]:
    return child[chosen], day[chosen], route[chosen], need[chosen]


def _uasc_starts(
    rng: np.random.Generator,
    population: Population,
    calendar: Calendar,
    rates: LookedAfterRates,
    shock: np.ndarray,
    children: int,
) -> tuple[np.ndarray, ...]:
    days = calendar.n_days
    expected = rates.starts_per_10k * children / 10_000 * rates.uasc_share * days / DAYS_PER_YEAR
    # Drawn at the highest rate the scenario asks for and thinned, so a multiplier above 1
    # raises its months without lowering the others.
    envelope = max(float(shock.max()), 1.0)
    n = rng.poisson(expected * envelope)
    day = calendar.first_day + rng.integers(0, days, n)
    keep = rng.random(n) < shock[day - calendar.first_day] / envelope
    day = day[keep]
    # A child of the population aged 15-17 on that day (arrivals are modelled as residents).
    age = rng.uniform(15.0, 17.5, day.size)
    birth = day - np.round(age * DAYS_PER_YEAR).astype(np.int64)
    order = np.argsort(population.dob, kind="stable")
    pos = np.searchsorted(population.dob[order], birth).clip(max=len(population) - 1)
    child = order[pos]
    return child, day, np.full(day.size, ROUTE_UASC), np.full(day.size, "N1", dtype=object)


def _initial_stock(
    rng: np.random.Generator,
    population: Population,
    calendar: Calendar,
    rates: LookedAfterRates,
    children: int,
) -> tuple[np.ndarray, ...]:
    n = rng.poisson(rates.initial_stock_per_10k * children / 10_000)
    first = calendar.first_day
    age_then = (first - population.dob) / DAYS_PER_YEAR
    eligible = np.flatnonzero((age_then > 1.0) & (age_then < 17.0))
    child = rng.choice(eligible, size=min(n, eligible.size), replace=False)
    child.sort()
    span = first - population.dob[child]
    day = first - 1 - (rng.random(child.size) * np.minimum(span, 3650)).astype(np.int64)
    need = code_mix("primary_need").draw(rng, child.size)
    return child, day, np.full(child.size, ROUTE_STOCK), need


def _lognormal_days(
    rng: np.random.Generator, median: float, n: int, sigma: float = 0.8
) -> np.ndarray:
    return np.maximum(np.round(median * np.exp(sigma * rng.standard_normal(n))), 1).astype(np.int64)


def _periods(
    rng: np.random.Generator,
    starts: tuple[np.ndarray, ...],
    population: Population,
    calendar: Calendar,
    rates: LookedAfterRates,
) -> CarePeriods:
    child, day, route, _need = starts
    n = child.size
    kind = rng.random(n)
    short = kind < rates.short_share
    medium = ~short & (kind < rates.short_share + rates.medium_share)
    length = np.where(
        short,
        _lognormal_days(rng, rates.short_median_days, n),
        np.where(
            medium,
            _lognormal_days(rng, rates.medium_median_days, n, 0.5),
            _lognormal_days(rng, rates.long_median_days, n, 0.5),
        ),
    )
    stock = route == ROUTE_STOCK
    length = np.where(stock, np.maximum(length, calendar.first_day - day + 30), length)
    adult = population.dob[child] + ADULT_AGE_DAYS
    end = np.minimum(day + length, adult)
    age_start = (day - population.dob[child]) / DAYS_PER_YEAR
    adopted = ~short & ~medium & (age_start < 4) & (route != ROUTE_UASC)
    end = np.where(adopted, np.minimum(day + np.maximum(length, 420), adult), end)
    reason = np.where(
        short,
        code_mix("cla_ceased_short").draw(rng, n),
        code_mix("cla_ceased_medium").draw(rng, n),
    ).astype(object)
    reason[~short & ~medium] = code_mix("cla_ceased_medium").draw(
        rng, int((~short & ~medium).sum())
    )
    reason[adopted] = np.where(rng.random(int(adopted.sum())) < 0.3, "E11", "E12")
    at_adult = end >= adult
    reason[at_adult] = code_mix("cla_ceased_adult").draw(rng, int(at_adult.sum()))
    placement_order = np.where(adopted, end - 180 - rng.integers(0, 240, n), NO_DATE)
    placement_order = np.where(adopted, np.maximum(placement_order, day + 60), placement_order)
    open_ = end > calendar.last_day
    end = np.where(open_, NO_DATE, end)
    reason[open_] = ""
    periods = CarePeriods(child, day, end, route, reason, adopted & ~open_, placement_order)
    return _drop_overlaps(periods)


def _drop_overlaps(periods: CarePeriods) -> CarePeriods:
    """A child is in one period of care at a time: keep each that starts after the last ended."""
    order = np.lexsort((periods.start, periods.child))
    child, start, end = periods.child[order], periods.start[order], periods.end[order]
    keep = np.ones(order.size, dtype=bool)
    while True:
        idx = np.flatnonzero(keep)
        clash = (child[idx][1:] == child[idx][:-1]) & (start[idx][1:] <= end[idx][:-1])
        if not clash.any():
            break
        rows = idx[1:][clash]
        first = np.r_[True, child[rows][1:] != child[rows][:-1]]
        keep[rows[first]] = False
    return periods.take(order[keep])


def _episodes(
    rng: np.random.Generator,
    periods: CarePeriods,
    _need: np.ndarray,
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


def _reviews(
    rng: np.random.Generator, periods: CarePeriods, population: Population, calendar: Calendar
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """20 working days after the start, three months later, then every six months."""
    stop = np.where(periods.end == NO_DATE, calendar.last_day, periods.end)
    first = calendar.add_working_days(periods.start, np.full(len(periods), 20))
    span = stop - first
    count = np.where(span < 0, 0, 1 + np.where(span >= 91, 1 + (span - 91) // 182, 0))
    idx = np.repeat(np.arange(len(periods)), count)
    k = np.arange(idx.size) - np.repeat(np.cumsum(count) - count, count)
    day = (
        first[idx]
        + np.where(k == 0, 0, 91 + (k - 1) * 182)
        + rng.integers(-7, 8, idx.size) * (k > 0)
    )
    day = np.minimum(day, stop[idx])
    child = periods.child[idx]
    age = (day - population.dob[child]) / DAYS_PER_YEAR
    code = code_mix("cla_review_code").draw(rng, idx.size).astype(object)
    code[age < 4] = "PN0"
    return child, day, code


def _missing(
    rng: np.random.Generator,
    periods: CarePeriods,
    population: Population,
    calendar: Calendar,
    rates: LookedAfterRates,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    stop = np.where(periods.end == NO_DATE, calendar.last_day, periods.end)
    age = (periods.start - population.dob[periods.child]) / DAYS_PER_YEAR
    years = np.maximum(stop - periods.start, 0) / DAYS_PER_YEAR
    misser = (age >= 10) & (rng.random(len(periods)) < rates.misser_share_teen)
    lam = np.where(misser, rates.missing_per_year_misser, rates.missing_per_year_other)
    lam = np.where(age >= 10, lam, 0.0) * years
    count = rng.poisson(lam)
    idx = np.repeat(np.arange(len(periods)), count)
    start = periods.start[idx] + (rng.random(idx.size) * (stop[idx] - periods.start[idx])).astype(
        np.int64
    )
    length = np.minimum(rng.geometric(0.6, idx.size) - 1, 30)
    end = np.minimum(start + length, stop[idx])
    kind = np.where(rng.random(idx.size) < 0.85, "M", "A").astype(object)
    return periods.child[idx], start, end, kind


def month_counts(days: np.ndarray, period: Period) -> np.ndarray:
    """Events per month of the period."""
    first = period.start.year * 12 + period.start.month - 1
    n = len(period.months())
    inside = (days >= period.start_day) & (days <= period.end_day)
    return np.bincount(month_index(days[inside]) - first, minlength=n)
