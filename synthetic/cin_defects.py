"""Degraded recording in the CIN census returns, from the scenario's ``defects`` section.

Entries with ``source: cin_census`` act on the XML returns. What "missing" looks like
follows what real returns do, so the files stay valid against the XSD:

- ReferralSource (required by the XSD): written as code ``10`` (Unknown);
- PrimaryNeedCode (optional in the XSD): the element is left out (DfE rule 8610 flags it
  for a referral that led to further action);
- Ethnicity (required by the XSD): written as ``NOBT`` (information not yet obtained);
- UPN: left out, with a ``UPNunknown`` reason as the XSD requires.

``invalid_code`` puts :data:`synthetic.defects.INVALID_CODE` in ReferralSource,
PrimaryNeedCode or Ethnicity (the file then fails the XSD, on purpose); ``date_order``
puts CINclosureDate 1 to 29 days before CINreferralDate (valid XSD, DfE rule error).

Which month a row belongs to: for CINdetails fields (table ``cin_details``) the month of
CINreferralDate, or of the true closure date for ``date_order``; for child fields (table
``cin_child``: Ethnicity, UPN) the month of the child's latest CINreferralDate in that
return. Decisions are made once per episode, so an episode open across two collection
years carries the same defect in both returns; ``rows_affected`` in the truth file counts
the CINdetails (or Child) elements changed in each return file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from synthetic.calendar import NO_DATE
from synthetic.defects import INVALID_CODE, Defect

SOURCE = "cin_census"
MISSING_REFERRAL_SOURCE = "10"
MISSING_ETHNICITY = "NOBT"
# Field -> (table, kinds allowed on it).
FIELDS = {
    "ReferralSource": ("cin_details", ("missing_field", "invalid_code")),
    "PrimaryNeedCode": ("cin_details", ("missing_field", "invalid_code")),
    "CINclosureDate": ("cin_details", ("date_order",)),
    "Ethnicity": ("cin_child", ("missing_field", "invalid_code")),
    "UPN": ("cin_child", ("missing_field",)),
}
MISSING_LOOKS_LIKE = {
    "ReferralSource": f"written as code {MISSING_REFERRAL_SOURCE} (Unknown)",
    "PrimaryNeedCode": "element left out",
    "Ethnicity": f"written as {MISSING_ETHNICITY} (information not yet obtained)",
    "UPN": "UPN left out, UPNunknown reason given",
}


def check_cin_defects(defects: list[Defect]) -> list[Defect]:
    """The CIN census entries of the scenario, checked; raises ValueError on a bad one."""
    mine = [d for d in defects if d.source == SOURCE]
    for d in mine:
        if d.field not in FIELDS:
            raise ValueError(
                f"defect {d.defect_id}: cin_census field must be one of {sorted(FIELDS)}, "
                f"got {d.field!r}"
            )
        table, kinds = FIELDS[d.field]
        if d.kind not in kinds:
            raise ValueError(
                f"defect {d.defect_id}: kind {d.kind!r} cannot act on cin_census {d.field} "
                f"(allowed: {', '.join(kinds)})"
            )
        if d.table and d.table != table:
            raise ValueError(f"defect {d.defect_id}: {d.field} is in table {table!r}")
    return [
        replace(d, table=FIELDS[d.field][0], description=d.description or describe(d)) for d in mine
    ]


def describe(d: Defect) -> str:
    if d.kind == "missing_field":
        what = f"{d.field} missing on a share {d.size} of rows in the months"
        return f"{what}: {MISSING_LOOKS_LIKE[d.field]}"
    if d.kind == "invalid_code":
        return (
            f"{int(d.size)} rows of {d.field} carry the invalid code {INVALID_CODE} (XSD-invalid)"
        )
    return f"{int(d.size)} CINclosureDate values put 1-29 days before CINreferralDate"


@dataclass(frozen=True)
class CinDefectPlan:
    """Per defect, which episodes it hits (decided once for all returns)."""

    defects: tuple[Defect, ...]
    hit: tuple[np.ndarray, ...]  # boolean per episode, one array per defect
    closure_text_day: np.ndarray  # date_order: the closure day to write; NO_DATE otherwise

    def __bool__(self) -> bool:
        return bool(self.defects)


def plan_cin_defects(
    rng: np.random.Generator, defects: list[Defect], referral: np.ndarray, closure: np.ndarray
) -> CinDefectPlan:
    """Draw which episodes each CIN defect hits; referral/closure are episode day numbers."""
    n = referral.size
    hits = []
    closure_text = np.full(n, NO_DATE, dtype=np.int64)
    for d in defects:
        day = closure if d.kind == "date_order" else referral
        in_months = (day >= d.first_day) & (day <= d.last_day)
        if d.kind == "date_order":
            in_months &= closure > referral  # a same-day closure cannot go before itself
        hit = np.zeros(n, dtype=bool)
        if d.kind == "missing_field":
            hit = in_months & (rng.random(n) < d.size)
        else:
            candidates = np.flatnonzero(in_months)
            k = min(int(d.size), candidates.size)
            if k:
                hit[rng.choice(candidates, size=k, replace=False)] = True
        if d.kind == "date_order":
            closure_text[hit] = referral[hit] - rng.integers(1, 30, int(hit.sum()))
        hits.append(hit)
    return CinDefectPlan(tuple(defects), tuple(hits), closure_text)


@dataclass
class ReturnOverrides:
    """What one return writes instead of the true values, and what each defect changed."""

    source: np.ndarray  # per episode in the return
    need_present: np.ndarray
    need: np.ndarray
    closure_day: np.ndarray
    ethnicity: np.ndarray  # per child in the return
    upn_missing: np.ndarray
    changed: list[int]


def overrides_for_return(
    plan: CinDefectPlan,
    index: np.ndarray,
    source: np.ndarray,
    need: np.ndarray,
    closure_day: np.ndarray,
    closure_known: np.ndarray,
    latest: np.ndarray,
    ethnicity: np.ndarray,
    no_upn: np.ndarray,
) -> ReturnOverrides:
    """Apply the plan to one return.

    index: the return's episodes as indices into the plan's episodes; latest: for each child
    in the return, the position (in the return) of its latest episode; ethnicity, no_upn:
    per child. Defects on one field act in order; a row already changed is left alone.
    """
    source = np.asarray(source, dtype=object).copy()
    need = np.asarray(need, dtype=object).copy()
    need_present = need != ""
    closure_day = closure_day.copy()
    ethnicity = np.asarray(ethnicity, dtype=object).copy()
    upn_missing = np.zeros(latest.size, dtype=bool)
    done_rows: dict[str, np.ndarray] = {}
    changed = []
    for d, hit_all in zip(plan.defects, plan.hit, strict=True):
        hit = hit_all[index]
        if FIELDS[d.field][0] == "cin_child":
            hit = hit[latest]
        done = done_rows.setdefault(d.field, np.zeros(hit.size, dtype=bool))
        if d.field == "ReferralSource":
            hit = hit & ~done & (source != MISSING_REFERRAL_SOURCE)
            source[hit] = MISSING_REFERRAL_SOURCE if d.kind == "missing_field" else INVALID_CODE
        elif d.field == "PrimaryNeedCode":
            hit = hit & ~done & need_present
            if d.kind == "missing_field":
                need_present &= ~hit
            else:
                need[hit] = INVALID_CODE
        elif d.field == "Ethnicity":
            hit = hit & ~done & (ethnicity != MISSING_ETHNICITY)
            ethnicity[hit] = MISSING_ETHNICITY if d.kind == "missing_field" else INVALID_CODE
        elif d.field == "UPN":
            hit = hit & ~done & ~no_upn
            upn_missing |= hit
        else:  # CINclosureDate, date_order: only where the closure shows in this return
            hit = hit & ~done & closure_known
            closure_day[hit] = plan.closure_text_day[index][hit]
        done |= hit
        changed.append(int(hit.sum()))
    return ReturnOverrides(source, need_present, need, closure_day, ethnicity, upn_missing, changed)
