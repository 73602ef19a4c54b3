"""An independent oracle: social-care indicators computed straight from the CIN census XML
with lxml and pandas, sharing no code with the dbt models, only the DfE definitions."""

from pathlib import Path

import pandas as pd
from lxml import etree

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"


def _text(element, path):
    value = element.findtext(path)
    return value.strip() if value and value.strip() else None


def read_returns(landing: Path) -> dict[str, pd.DataFrame]:
    rows = {"referrals": [], "assessments": [], "s47": [], "plans": []}
    for path in sorted((landing / "cin_census").glob("*.xml")):
        tree = etree.parse(str(path))
        year = int(tree.findtext("Header/CollectionDetails/Year"))
        for child in tree.iter("Child"):
            child_id = _text(child, "ChildIdentifiers/LAchildID")
            for details in child.iterfind("CINdetails"):
                referral = _text(details, "CINreferralDate")
                common = {"child": child_id, "referral_date": referral, "year": year}
                rows["referrals"].append(
                    {
                        **common,
                        "source": _text(details, "ReferralSource"),
                        "nfa": _text(details, "ReferralNFA") in ("1", "true"),
                    }
                )
                for assessment in details.iterfind("Assessments"):
                    factors = {
                        code.text.strip()
                        for code in assessment.iterfind(
                            "FactorsIdentifiedAtAssessment/AssessmentFactors"
                        )
                        if code.text and code.text.strip()
                    }
                    rows["assessments"].append(
                        {
                            **common,
                            "start": _text(assessment, "AssessmentActualStartDate"),
                            "authorised": _text(assessment, "AssessmentAuthorisationDate"),
                            "factors": factors,
                        }
                    )
                for s47 in details.iterfind("Section47"):
                    rows["s47"].append(
                        {
                            **common,
                            "start": _text(s47, "S47ActualStartDate"),
                            "icpc": _text(s47, "DateOfInitialCPC"),
                        }
                    )
                for plan in details.iterfind("ChildProtectionPlans"):
                    rows["plans"].append(
                        {
                            **common,
                            "start": _text(plan, "CPPstartDate"),
                            "end": _text(plan, "CPPendDate"),
                        }
                    )
    frames = {name: pd.DataFrame(table) for name, table in rows.items()}
    for frame in frames.values():
        for column in ("referral_date", "start", "authorised", "icpc", "end"):
            if column in frame:
                frame[column] = pd.to_datetime(frame[column], errors="coerce")
    return frames


def _latest(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    frame = frame.dropna(subset=keys)
    return frame.sort_values("year").drop_duplicates(keys, keep="last")


def _month(dates: pd.Series) -> pd.Series:
    return dates.dt.to_period("M").dt.to_timestamp()


def indicators(landing: Path) -> pd.DataFrame:
    """Long table (indicator_id, month, numerator, denominator) of thirteen indicators
    (a breakdown's value after a colon)."""
    returns = read_returns(landing)
    sources = pd.read_csv(SEEDS / "cin_referral_sources.csv", dtype=str)
    group = dict(zip(sources["code"], sources["source_group"], strict=True))
    factor_codes = pd.read_csv(SEEDS / "cin_assessment_factors.csv", dtype=str)
    domestic_abuse = set(factor_codes.loc[factor_codes["factor_group"] == "domestic_abuse", "code"])

    referrals = _latest(returns["referrals"], ["child", "referral_date"]).copy()
    referrals["month"] = _month(referrals["referral_date"])
    referrals = referrals.sort_values(["child", "referral_date"])
    previous = referrals.groupby("child")["referral_date"].shift()
    referrals["re_referral"] = previous > referrals["referral_date"] - pd.DateOffset(months=12)
    s47_referrals = set(zip(returns["s47"]["child"], returns["s47"]["referral_date"], strict=True))
    referrals["led_to_s47"] = [
        (c, d) in s47_referrals
        for c, d in zip(referrals["child"], referrals["referral_date"], strict=True)
    ]
    referrals["schools"] = referrals["source"].map(group) == "schools"

    assessments = _latest(returns["assessments"], ["child", "start"]).copy()
    completed = assessments.dropna(subset=["authorised"]).copy()
    completed["month"] = _month(completed["authorised"])
    completed["any_factor"] = [bool(codes - {"21"}) for codes in completed["factors"]]
    completed["domestic_abuse"] = [bool(codes & domestic_abuse) for codes in completed["factors"]]
    s47 = _latest(returns["s47"], ["child", "start"]).copy()
    plans = _latest(returns["plans"], ["child", "start"])

    def count(frame, date_column, indicator):
        months = _month(frame[date_column].dropna())
        return (
            months.value_counts()
            .rename_axis("month")
            .reset_index(name="numerator")
            .assign(indicator_id=indicator, denominator=float("nan"))
        )

    def share(frame, flag, indicator):
        grouped = frame.groupby("month")[flag].agg(["sum", "count"]).reset_index()
        return grouped.rename(columns={"sum": "numerator", "count": "denominator"}).assign(
            indicator_id=indicator
        )

    s47["month"] = _month(s47["start"])
    s47["has_icpc"] = s47["icpc"].notna()
    parts = [
        count(referrals, "referral_date", "referrals"),
        count(referrals[referrals["schools"]], "referral_date", "referrals:schools"),
        share(referrals, "re_referral", "re_referrals_within_12_months"),
        share(referrals, "nfa", "referrals_with_no_further_action"),
        share(referrals, "led_to_s47", "referrals_leading_to_s47"),
        count(assessments, "start", "assessments_started"),
        count(s47, "start", "s47_enquiries"),
        count(s47, "icpc", "icpcs"),
        share(s47, "has_icpc", "s47_leading_to_icpc"),
        count(plans, "start", "cp_plans_started"),
        count(plans, "end", "cp_plans_ended"),
        share(completed, "any_factor", "assessment_factors"),
        share(completed, "domestic_abuse", "assessment_factors:domestic_abuse"),
    ]
    return pd.concat(parts, ignore_index=True)
