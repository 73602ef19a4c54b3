"""Contacts and early help for the Standard Safeguarding Dataset (SSD) extracts, of the same
children as the CIN census.

Every CIN referral is preceded by a contact of the same child from the same source, on the
referral's day or up to three days before (REFERRAL_LEAD_DAYS). The other contacts lead to
no referral: drawn as referrals are (the referral model's ages, family risk, each source's
weekly and seasonal rhythm and the scenario's multipliers by source group, so the Covid
shock reaches contacts by source), NON_REFERRAL_PER_REFERRAL of them per referral, none in
the REFERRAL_WINDOW_DAYS before a referral of the same child (that contact would be the
referral's: fct_contacts would count it as leading to one). Some of them open an early help
episode, which ends when its work is done, or on the day a referral steps the child up to
social care. One early help episode at a time per child.

The draws come from the stream "ssd" (synthetic/streams.py), so no other source's files move.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from synthetic.calendar import NO_DATE, month_index
from synthetic.calibration import Calibration
from synthetic.journeys import Episodes
from synthetic.period import Period
from synthetic.population import Population
from synthetic.referrals import ReferralModel, draw_sources, primary_referrals

# An assumption inside the range the platform's brief gives (1.5 to 2 contacts without a
# referral per referral, 2.5 to 3 contacts a referral in all), not a measured rate: ADCS
# Safeguarding Pressures phase 8 counts more, 2.77 million initial contacts to 650,270
# referrals in England in 2021-22 (about 4.3 a referral), but its contacts include repeats
# about the same child and event that an authority's SSD may record as one.
NON_REFERRAL_PER_REFERRAL = 1.75
# ADCS Safeguarding Pressures phase 8: an estimated 282,320 early help assessments to
# 650,270 referrals in 2021-22, about 0.43 a referral; each starts an episode here.
EARLY_HELP_PER_REFERRAL = 0.43
REFERRAL_WINDOW_DAYS = 30
# Days from the contact to its referral (assumption: most are decided the day they arrive).
REFERRAL_LEAD_DAYS = np.array([0, 1, 2, 3])
REFERRAL_LEAD_WEIGHTS = np.array([0.6, 0.25, 0.1, 0.05])
# Early help (assumption): starts within four weeks of its contact, lasts a median of about
# five months, never over a year.
EARLY_HELP_START_WITHIN_DAYS = 28
EARLY_HELP_MEDIAN_DAYS = 150
EARLY_HELP_SIGMA = 0.5
EARLY_HELP_DAYS = (14, 360)
EARLY_HELP_REASONS = (
    "Parenting support",
    "Emotional wellbeing",
    "Domestic abuse",
    "School attendance",
    "Behaviour",
    "Housing or money",
)
EARLY_HELP_ENDS = ("Outcomes met", "Family declined further support", "Moved out of area")
STEPPED_UP = "Step up to children's social care"
EARLY_HELP_TEAMS = ("Family Hub North", "Family Hub South", "Family Hub Central", "School")
WORKERS = 40


@dataclass(frozen=True)
class Contacts:
    child: np.ndarray
    day: np.ndarray
    minute: np.ndarray  # minutes after midnight the contact was received
    source: np.ndarray  # DfE referral source code, as SSD's contact source takes
    led_to_referral: np.ndarray


@dataclass(frozen=True)
class EarlyHelp:
    contact: np.ndarray  # index into Contacts of the contact that opened it
    child: np.ndarray
    start: np.ndarray
    end: np.ndarray  # may lie after the run: the episode is then open in the last extract
    reason: np.ndarray
    end_reason: np.ndarray
    organisation: np.ndarray
    worker: np.ndarray


def next_referral(episodes: Episodes, child: np.ndarray, day: np.ndarray) -> np.ndarray:
    """The day of each child's first referral on or after the given day, NO_DATE if none."""
    found = np.full(child.size, NO_DATE, dtype=np.int64)
    if not len(episodes) or not child.size:
        return found
    order = np.lexsort((episodes.referral, episodes.child))
    referred, referral_day = episodes.child[order], episodes.referral[order]
    base = min(referral_day.min(), day.min())
    span = int(max(referral_day.max(), day.max()) - base) + 1
    keys = referred.astype(np.int64) * span + (referral_day - base)
    at = np.searchsorted(keys, child.astype(np.int64) * span + (day - base))
    inside = at < keys.size
    at = at.clip(max=keys.size - 1)
    same = inside & (referred[at] == child)
    found[same] = referral_day[at][same]
    return found


def simulate_contacts(
    rng: np.random.Generator,
    model: ReferralModel,
    episodes: Episodes,
    population: Population,
    calibration: Calibration,
    period: Period,
) -> Contacts:
    lead = rng.choice(REFERRAL_LEAD_DAYS, size=len(episodes), p=REFERRAL_LEAD_WEIGHTS)
    referral_day = episodes.referral - lead
    rates = calibration.referrals
    # primary_referrals draws (1 - follow-ups) x boost of the model's rate: scaled so that
    # the draws are NON_REFERRAL_PER_REFERRAL times the referrals.
    scale = NON_REFERRAL_PER_REFERRAL / ((1 - rates.follow_up_probability) * rates.primary_boost)
    scaled = replace(model, band_rate=model.band_rate * scale)
    drawn = primary_referrals(rng, scaled, population, rates, calibration.population)
    next_day = next_referral(episodes, drawn.child, drawn.day)
    clear = next_day - drawn.day > REFERRAL_WINDOW_DAYS
    other = drawn.take(np.flatnonzero(clear))
    child = np.concatenate([episodes.child, other.child])
    day = np.concatenate([referral_day, other.day])
    source = np.concatenate(
        [episodes.source, draw_sources(rng, model.groups, other.group, other.day)]
    )
    led = np.r_[np.ones(len(episodes), dtype=bool), np.zeros(len(other), dtype=bool)]
    inside = (day >= period.start_day) & (day <= period.end_day)
    order = np.flatnonzero(inside)[np.lexsort((child[inside], day[inside]))]
    minute = 8 * 60 + rng.integers(0, 10 * 60, size=order.size)
    return Contacts(child[order], day[order], minute, source[order], led[order])


def simulate_early_help(
    rng: np.random.Generator, contacts: Contacts, episodes: Episodes, period: Period
) -> EarlyHelp:
    candidates = np.flatnonzero(~contacts.led_to_referral)
    share = EARLY_HELP_PER_REFERRAL / NON_REFERRAL_PER_REFERRAL
    chosen = candidates[rng.random(candidates.size) < share]
    child = contacts.child[chosen]
    start = contacts.day[chosen] + rng.integers(0, EARLY_HELP_START_WITHIN_DAYS + 1, chosen.size)
    days = rng.lognormal(np.log(EARLY_HELP_MEDIAN_DAYS), EARLY_HELP_SIGMA, chosen.size)
    end = start + np.clip(np.round(days), *EARLY_HELP_DAYS).astype(np.int64)
    step_up = next_referral(episodes, child, start)
    stepped = step_up <= end
    end = np.where(stepped, step_up, end)
    keep = _one_at_a_time(child, start, end) & (start <= period.end_day)
    n = int(keep.sum())
    ended = rng.choice(np.array(EARLY_HELP_ENDS, dtype=object), size=n)
    return EarlyHelp(
        contact=chosen[keep],
        child=child[keep],
        start=start[keep],
        end=end[keep],
        reason=rng.choice(np.array(EARLY_HELP_REASONS, dtype=object), size=n),
        end_reason=np.where(stepped[keep], STEPPED_UP, ended),
        organisation=rng.choice(np.array(EARLY_HELP_TEAMS, dtype=object), size=n),
        worker=rng.integers(1, WORKERS + 1, size=n),
    )


def _one_at_a_time(child: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Which episodes to keep: per child, in date order, each starting after the last kept
    one ended (a child is not in two early help episodes at once)."""
    keep = np.zeros(child.size, dtype=bool)
    last_end: dict[int, int] = {}
    for index in np.lexsort((start, child)).tolist():
        kid = int(child[index])
        if start[index] > last_end.get(kid, -NO_DATE):
            keep[index] = True
            last_end[kid] = int(end[index])
    return keep


def monthly_truth(
    la_code: str, period: Period, contacts: Contacts, early_help: EarlyHelp
) -> list[list[object]]:
    """The answer key's rows (la_code, month, measure, value): contacts, those that led to a
    referral, and early help episodes started, per month of the period."""
    measures = {
        "contacts": contacts.day,
        "contacts_led_to_referral": contacts.day[contacts.led_to_referral],
        "early_help_starts": early_help.start,
    }
    first = month_index(np.array([period.start_day]))[0]
    months = len(period.months())
    rows = []
    for measure, days in measures.items():
        inside = days[(days >= period.start_day) & (days <= period.end_day)]
        counts = np.bincount(month_index(inside) - first, minlength=months)
        for offset, count in enumerate(counts.tolist()):
            month = first + offset
            rows.append([la_code, f"{month // 12:04d}-{month % 12 + 1:02d}", measure, count])
    return rows
