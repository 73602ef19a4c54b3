"""The evidence the demo county's partners gather for the questions under enquiry: a staff
survey (counts by role and by locality, each group's answers summing to its respondents),
focus-group and interview themes, and an audit of case files of children the county's CIN
census returns hold (their LAchildID, as an authority's auditors would write it).

Every row is a dict of the sheet's columns (returns.yaml); every choice is drawn from the
generator given, so the same seed writes the same rows."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from orchestration.partnership.spec import load_returns
from synthetic import partnership_wording as words
from synthetic.cin_returns import CIN_DIR
from synthetic.partnership_story import SEEDS, Decision

# A Dirichlet concentration: nearly every locality holds a third to twice an even share.
LOCALITY_EVENNESS = 8.0


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
    roles, places = respondents(localities, rng)
    statements = relevant_first(words.SURVEY_STATEMENTS, under_enquiry, words.STATEMENTS_ASKED, rng)
    rows = []
    for statement in statements:
        answers = answered(statement, roles, rng)
        asked = {
            "survey_name": words.SURVEY_NAME,
            "question_id": attach(statement.families, under_enquiry),
            "respondents": words.SURVEY_RESPONDENTS,
            "survey_question": statement.text,
        }
        rows += counted(asked, "role", list(words.SURVEY_ROLES), roles, answers)
        rows += counted(asked, "locality", localities, places, answers)
    return rows


def respondents(localities: list[str], rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """The role and the locality of each respondent."""
    size = int(rng.integers(words.SURVEY_SIZE[0], words.SURVEY_SIZE[1]))
    weights = weights_of(weight for _, weight in words.SURVEY_ROLES.values())
    roles = rng.choice(list(words.SURVEY_ROLES), size=size, p=weights)
    # Localities of unequal size, none of them empty: shares drawn around an even split.
    shares = rng.dirichlet(np.full(len(localities), LOCALITY_EVENNESS))
    return roles, rng.choice(localities, size=size, p=shares)


def answered(statement: words.SurveyStatement, roles: np.ndarray,
             rng: np.random.Generator) -> np.ndarray:  # fmt: skip
    """Each respondent's answer, drawn with the shares of their sector's staff."""
    sectors = np.array([words.SURVEY_ROLES[role][0] for role in roles])
    answers = np.empty(len(roles), dtype=object)
    for sector in sorted(set(sectors)):
        mine = sectors == sector
        shares = getattr(statement, sector)
        answers[mine] = rng.choice(words.RESPONSE_OPTIONS, size=int(mine.sum()), p=shares)
    return answers


def counted(asked: dict, column: str, groups: list[str], members: np.ndarray,
            answers: np.ndarray) -> list[dict]:  # fmt: skip
    """Rows of each group's answers to one statement; a group nobody belongs to is left out
    rather than counted as 0 respondents."""
    rows = []
    for group in groups:
        in_group = members == group
        if not in_group.any():
            continue
        for option in words.RESPONSE_OPTIONS:
            count = int((answers[in_group] == option).sum())
            rows.append({**asked, "response_option": option, column: group, "count": count})
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
    """One row per case and finding, each case graded and its findings drawn to go with the
    grade."""
    check_codes("audit_finding", words.CONCERNS)
    check_codes("audit_grade", words.GRADES)
    grades = list(words.GRADES)
    grade_weights = weights_of(spec[0] for spec in words.GRADES.values())
    rows = []
    for case in audit_cases(landing, decision.question, rng):
        grade = str(rng.choice(grades, p=grade_weights))
        audited = decision.decided_on + timedelta(days=21 + int(rng.integers(0, 43)))
        for finding in case_findings(grade, rng):
            rows.append({
                "case_reference": case, "question_id": decision.question["question_id"],
                "audited_on": audited, "finding": finding, "grade": grade,
                "note": words.CONCERNS.get(finding, (0, None))[1],
            })  # fmt: skip
    return rows


def weights_of(weights: Iterable[float]) -> np.ndarray:
    """Weights as probabilities."""
    array = np.fromiter(weights, dtype=float)
    return array / array.sum()


def case_findings(grade: str, rng: np.random.Generator) -> list[str]:
    """Findings of concern and of good practice (the audit list's other codes) in the
    numbers the grade has (partnership_wording.GRADES); a case has at least one."""
    _, concerns, good = words.GRADES[grade]
    good_practice = [c for c in load_returns().lists["audit_finding"] if c not in words.CONCERNS]
    worried = rng.choice(
        list(words.CONCERNS),
        size=int(rng.integers(concerns[0], concerns[1] + 1)),
        replace=False,
        p=weights_of(weight for weight, _ in words.CONCERNS.values()),
    )
    praised = rng.choice(good_practice, size=int(rng.integers(good[0], good[1] + 1)), replace=False)
    found = [str(code) for code in (*worried, *praised)]
    return found or [str(rng.choice(good_practice))]


def audited_question(under_enquiry: list[Decision], indicators: pd.DataFrame) -> Decision:
    """The first question under enquiry the CIN census counts: its children are the ones
    the county's auditors can look up by LAchildID."""
    counted_by_cin = set(indicators.loc[indicators["source"] == CIN_DIR, "indicator_id"])
    return next(
        (d for d in under_enquiry if d.question["indicator_id"] in counted_by_cin),
        under_enquiry[0],
    )
