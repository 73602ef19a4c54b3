"""The evidence the demo county's partners gather for the questions under enquiry: a staff
survey (counts by role and by locality, each group's answers summing to its respondents),
focus-group and interview themes, and an audit of case files of children the county's CIN
census returns hold (their LAchildID, as an authority's auditors would write it).

Every row is a dict of the sheet's columns (returns.yaml); every choice is drawn from the
generator given, so the same seed writes the same rows."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from orchestration.partnership.spec import load_returns
from synthetic import partnership_wording as words
from synthetic.generate import CIN_DIR
from synthetic.partnership_story import SEEDS, Decision

SECTORS = ("social_care", "schools")


def attach(families: tuple[str, ...], under_enquiry: list[Decision]) -> str:
    """The question a piece of evidence bears on: the first under enquiry of its families."""
    for decision in under_enquiry:
        if decision.question["family"] in families:
            return decision.question["question_id"]
    return under_enquiry[0].question["question_id"]


def relevant_first(items: tuple, under_enquiry: list[Decision], limits: tuple[int, int],
                   rng: np.random.Generator) -> list:  # fmt: skip
    """Between limits[0] and limits[1] of the items, those bearing on a family under enquiry
    first."""
    families = {decision.question["family"] for decision in under_enquiry}
    ordered = sorted(items, key=lambda item: not families & set(item.families))
    return ordered[: int(rng.integers(limits[0], limits[1] + 1))]


def check_codes(list_name: str, codes: object) -> None:
    unknown = set(codes) - set(load_returns().lists[list_name])
    if unknown:
        raise ValueError(f"not codes of the list {list_name} (returns.yaml): {sorted(unknown)}")


def survey_rows(under_enquiry: list[Decision], rng: np.random.Generator) -> list[dict]:
    """Each statement's answers counted by role and, separately, by locality."""
    check_codes("respondents", [words.SURVEY_RESPONDENTS])
    localities = load_returns().lists["locality"]
    size = int(rng.integers(words.SURVEY_SIZE[0], words.SURVEY_SIZE[1]))
    names = list(words.SURVEY_ROLES)
    weights = np.array([weight for _, weight in words.SURVEY_ROLES.values()], dtype=float)
    roles = rng.choice(names, size=size, p=weights / weights.sum())
    locality_share = rng.dirichlet(np.full(len(localities), 8.0))
    places = rng.choice(localities, size=size, p=locality_share)
    sectors = np.array([words.SURVEY_ROLES[role][0] for role in roles])
    rows = []
    for statement in relevant_first(words.SURVEY_STATEMENTS, under_enquiry,
                                    words.STATEMENTS_ASKED, rng):  # fmt: skip
        answers = np.empty(size, dtype=object)
        for sector in SECTORS:
            mine = sectors == sector
            answers[mine] = rng.choice(
                words.RESPONSE_OPTIONS, size=int(mine.sum()), p=getattr(statement, sector)
            )
        asked = {
            "survey_name": words.SURVEY_NAME,
            "question_id": attach(statement.families, under_enquiry),
            "respondents": words.SURVEY_RESPONDENTS,
            "survey_question": statement.text,
        }
        for column, groups, values in (("role", names, roles), ("locality", localities, places)):
            for group in groups:
                in_group = values == group
                if not in_group.any():  # a group nobody answered for is left out, not 0
                    continue
                for option in words.RESPONSE_OPTIONS:
                    count = int((answers[in_group] == option).sum())
                    rows.append({**asked, "response_option": option, column: group,
                                 "count": count})  # fmt: skip
    return rows


def theme_rows(under_enquiry: list[Decision], rng: np.random.Generator) -> list[dict]:
    themes = relevant_first(words.THEMES, under_enquiry, words.THEMES_HEARD, rng)
    check_codes("evidence_method", {theme.method for theme in themes})
    check_codes("respondents", {theme.respondents for theme in themes})
    return [
        {
            "question_id": attach(theme.families, under_enquiry),
            "method": theme.method,
            "respondents": theme.respondents,
            "theme": theme.theme,
            "times_raised": int(rng.integers(theme.times_raised[0], theme.times_raised[1] + 1)),
            "quote": theme.quote,
        }
        for theme in themes
    ]


def cin_referrals(landing: Path, area_code: str, years: set[int]) -> pd.DataFrame:
    """One row per referral in the CIN census returns of the LA and collection years:
    child_id, referral_date, source, need, birth (ISO text as the returns give them)."""
    rows = []
    for path in sorted((landing / CIN_DIR).glob("*.xml")):
        rows += list(_referrals_in(path, area_code, years))
    columns = ["child_id", "referral_date", "source", "need", "birth"]
    return pd.DataFrame(rows, columns=columns).drop_duplicates()


def _referrals_in(path: Path, area_code: str, years: set[int]) -> Iterator[tuple]:
    """The file's referrals, none when its header names another LA or year (the header comes
    before the children, so such a file is left after its first lines)."""
    for _, element in ET.iterparse(path, events=("end",)):
        if element.tag == "LEA" and (element.text or "").strip() != area_code:
            return
        if element.tag == "Year" and int((element.text or "0").strip()) not in years:
            return
        if element.tag != "Child":
            continue
        child_id = element.findtext("ChildIdentifiers/LAchildID")
        birth = element.findtext("ChildIdentifiers/PersonBirthDate")
        for details in element.iter("CINdetails"):
            yield (
                child_id,
                details.findtext("CINreferralDate"),
                details.findtext("ReferralSource"),
                details.findtext("PrimaryNeedCode"),
                birth,
            )
        element.clear()


def _source_group(referrals: pd.DataFrame) -> pd.Series:
    groups = pd.read_csv(SEEDS / "cin_referral_sources.csv", dtype=str)
    return referrals["source"].map(groups.set_index("code")["source_group"])


def _age_band(referrals: pd.DataFrame) -> pd.Series:
    referred = pd.to_datetime(referrals["referral_date"], errors="coerce")
    born = pd.to_datetime(referrals["birth"], errors="coerce")
    before_birthday = (referred.dt.month < born.dt.month) | (
        (referred.dt.month == born.dt.month) & (referred.dt.day < born.dt.day)
    )
    age = referred.dt.year - born.dt.year - before_birthday.astype(int)
    bands = pd.read_csv(SEEDS / "age_bands.csv")
    band = pd.Series(None, index=referrals.index, dtype=object)
    for row in bands[bands["min_age"] >= 0].itertuples():
        band[(age >= row.min_age) & (age <= row.max_age)] = row.age_band
    return band


# A breakdown of the register read from a referral; a breakdown not here selects by months.
BREAKDOWN_OF: dict[str, Callable[[pd.DataFrame], pd.Series]] = {
    "source_group": _source_group,
    "age_band": _age_band,
    "primary_need_code": lambda referrals: referrals["need"],
}


def audit_cases(landing: Path, question: dict, rng: np.random.Generator) -> list[str]:
    """Thirty children referred in the question's months (in its breakdown where enough
    were), in the order drawn."""
    months = pd.period_range(question["first_month"], question["last_month"], freq="M")
    years = {month.year + (month.month >= 4) for month in months}  # the year ending in March
    referrals = cin_referrals(landing, question["area_code"], years)
    in_months = referrals[
        pd.to_datetime(referrals["referral_date"], errors="coerce").dt.to_period("M").isin(months)
    ]
    breakdown = BREAKDOWN_OF.get(question["breakdown_dimension"])
    chosen = in_months
    if breakdown is not None:
        matching = in_months[breakdown(in_months) == question["breakdown_value"]]
        chosen = matching if matching["child_id"].nunique() >= words.CASES_AUDITED else in_months
    children = sorted(chosen["child_id"].dropna().unique())
    if not children:
        raise ValueError(f"no child in {landing / CIN_DIR} was referred in {question['months']}")
    size = min(words.CASES_AUDITED, len(children))
    return [str(child) for child in rng.choice(children, size=size, replace=False)]


def audit_rows(landing: Path, decision: Decision, rng: np.random.Generator) -> list[dict]:
    """One row per case and finding: the grade first, then findings of concern and of good
    practice in the numbers the grade has (partnership_wording.GRADES)."""
    findings = load_returns().lists["audit_finding"]
    check_codes("audit_finding", words.CONCERNS)
    check_codes("audit_grade", words.GRADES)
    concerns = list(words.CONCERNS)
    concern_weights = np.array([weight for weight, _ in words.CONCERNS.values()], dtype=float)
    good_practice = [code for code in findings if code not in words.CONCERNS]
    grades = list(words.GRADES)
    grade_weights = np.array([spec[0] for spec in words.GRADES.values()], dtype=float)
    rows = []
    for case in audit_cases(landing, decision.question, rng):
        grade = str(rng.choice(grades, p=grade_weights / grade_weights.sum()))
        _, worried, good = words.GRADES[grade]
        found = list(
            rng.choice(
                concerns,
                size=int(rng.integers(worried[0], worried[1] + 1)),
                replace=False,
                p=concern_weights / concern_weights.sum(),
            )
        )
        found += list(rng.choice(good_practice, size=int(rng.integers(good[0], good[1] + 1)),
                                 replace=False))  # fmt: skip
        audited = decision.decided_on + timedelta(days=21 + int(rng.integers(0, 43)))
        for finding in found or [str(rng.choice(good_practice))]:
            rows.append({
                "case_reference": case, "question_id": decision.question["question_id"],
                "audited_on": audited, "finding": str(finding), "grade": grade,
                "note": words.CONCERNS.get(str(finding), (0, None))[1],
            })  # fmt: skip
    return rows


def audited_question(under_enquiry: list[Decision], indicators: pd.DataFrame) -> Decision:
    """The first question under enquiry the CIN census counts: its children are the ones
    the county's auditors can look up by LAchildID."""
    counted_by_cin = set(indicators.loc[indicators["source"] == CIN_DIR, "indicator_id"])
    return next(
        (d for d in under_enquiry if d.question["indicator_id"] in counted_by_cin),
        under_enquiry[0],
    )
