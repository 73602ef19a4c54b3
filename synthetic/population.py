"""The synthetic child population of one local authority.

Every partner source draws on the same children, so identifiers and characteristics the
CIN census does not use (NHS number, postcode district) are still made here: health,
police and education extracts added later link through them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthetic.calendar import to_day
from synthetic.calibration import PopulationRates
from synthetic.identifiers import make_la_child_ids, make_nhs_numbers, make_upns
from synthetic.period import Period
from synthetic.reference import code_mix, draw_index, postcode_districts
from synthetic.rows import Rows

DAYS_PER_YEAR = 365.25
# Children start school, and so get a UPN, in the September after their fourth birthday.
_UPN_ALLOCATION_AGE_YEARS = 5
# Serials are three digits; keep each (establishment, year) group well below 1,000.
_CHILDREN_PER_ESTABLISHMENT_YEAR = 400
_FIRST_ESTABLISHMENT = 2001


@dataclass(frozen=True)
class Population(Rows):
    """One row per child; arrays are aligned, index = child number."""

    la_child_id: np.ndarray
    upn: np.ndarray
    nhs_number: np.ndarray
    sex: np.ndarray  # "M" / "F"
    dob: np.ndarray  # day numbers; some births fall just after the period (expected births)
    ethnicity: np.ndarray
    postcode_district: np.ndarray
    locality: np.ndarray
    disability: np.ndarray  # "NONE" or one DfE disability code
    risk: np.ndarray  # relative social-care risk (family frailty x district), mean about 1
    # Names come from their own random stream (synthetic.names.add_names) so that adding
    # them left every other field's draws unchanged.
    forename: np.ndarray | None = None
    surname: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.dob)

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.columns())
        frame["dob"] = frame["dob"].astype("datetime64[D]")
        return frame


def build_population(
    rng: np.random.Generator, children: int, period: Period, la_code: str, rates: PopulationRates
) -> Population:
    """children aged 0-17 at the period start, plus the births during the period."""
    dob = _dates_of_birth(rng, children, period, rates)
    n = dob.size
    districts = postcode_districts()
    district = draw_index(rng, districts["child_share"].to_numpy(float), n)
    return Population(
        la_child_id=make_la_child_ids(rng, n),
        upn=_upns(rng, dob, la_code),
        nhs_number=make_nhs_numbers(rng, n),
        sex=code_mix("sex").draw(rng, n),
        dob=dob,
        ethnicity=code_mix("ethnicity").draw(rng, n),
        postcode_district=districts["district"].to_numpy(object)[district],
        locality=districts["locality"].to_numpy(object)[district],
        disability=_disabilities(rng, n, rates.disabled),
        risk=_risk(rng, district, districts["relative_risk"].to_numpy(float), rates),
    )


def _dates_of_birth(
    rng: np.random.Generator, children: int, period: Period, rates: PopulationRates
) -> np.ndarray:
    start = period.start_day
    oldest = to_day(period.start.replace(year=period.start.year - 18)) + 1
    # Births run a little past the end so unborn children can be referred up to the end.
    last_birth = period.end_day + rates.days_before_birth_referrable
    per_day = children / (start - oldest + 1)
    births = int(round(per_day * (last_birth - start)))
    existing = rng.integers(oldest, start + 1, size=children)
    born = rng.integers(start + 1, last_birth + 1, size=births)
    return np.concatenate([existing, born]).astype(np.int64)


def _upns(rng: np.random.Generator, dob: np.ndarray, la_code: str) -> np.ndarray:
    birth_year = (dob.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)) + 1970
    year2 = (birth_year + _UPN_ALLOCATION_AGE_YEARS) % 100
    cohort = np.bincount(birth_year - birth_year.min()).max()
    n_estab = max(20, int(np.ceil(cohort / _CHILDREN_PER_ESTABLISHMENT_YEAR)))
    establishment = _FIRST_ESTABLISHMENT + rng.integers(0, n_estab, size=dob.size)
    serial = _rank_within_groups(establishment * 100 + year2) + 1
    return make_upns(la_code, establishment, year2, serial)


def _rank_within_groups(keys: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each group of equal keys, in input order."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    first = np.maximum.accumulate(np.where(starts, np.arange(keys.size), 0))
    rank = np.empty(keys.size, dtype=np.int64)
    rank[order] = np.arange(keys.size) - first
    return rank


def _disabilities(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    codes = np.full(n, "NONE", dtype=object)
    disabled = rng.random(n) < share
    codes[disabled] = code_mix("disability").draw(rng, int(disabled.sum()))
    return codes


def _risk(
    rng: np.random.Generator,
    district: np.ndarray,
    district_risk: np.ndarray,
    rates: PopulationRates,
) -> np.ndarray:
    frailty = rng.gamma(rates.frailty_shape, 1.0 / rates.frailty_shape, size=district.size)
    area = district_risk[district]
    return frailty * area / area.mean()
