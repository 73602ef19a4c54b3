"""An independent oracle: social-care indicators computed straight from the CIN census XML
with lxml and pandas, and school census figures from the landing files of either layout,
sharing no code with the ingestion or the dbt models, only the DfE definitions."""

from pathlib import Path

import pandas as pd
from dateutil.easter import easter
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


# The school census's term of the sessions a census reports: the term before it.
REPORTED_TERM = {"spring": "autumn", "summer": "spring", "autumn": "summer"}
PUPIL_TERM = ["academic_year", "term", "urn", "upn"]


def _label(year_end: int) -> str:
    return f"{year_end - 1}/{year_end % 100:02d}"


def _contract_terms(landing: Path) -> pd.DataFrame:
    files = sorted((landing / "school_census").glob("*.csv"))
    frame = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in files])
    return pd.DataFrame(
        {
            "academic_year": frame["ACADEMIC_YEAR"],
            "term": frame["TERM"],
            "urn": frame["URN"],
            "upn": frame["UPN"],
            "possible": frame["SESSIONS_POSSIBLE"].astype(int),
            "authorised": frame["SESSIONS_AUTHORISED_ABSENCE"].astype(int),
            "unauthorised": frame["SESSIONS_UNAUTHORISED_ABSENCE"].astype(int),
            "suspensions": frame["SUSPENSIONS"].astype(int),
            "permanent": frame["PERMANENT_EXCLUSION"] == "Y",
        }
    )


def _read(folder: Path, table: str) -> pd.DataFrame:
    path = folder / f"{table}.csv"
    return pd.read_csv(path, dtype=str).rename(columns=str.lower) if path.exists() else None


def _exported_census(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A census's pupils (with the reported term's sessions) and exclusions."""
    census_year, term = int(folder.parent.name), folder.name
    schools = _read(folder, "schoolcensus").set_index("schoolcensustableid")["urn"]
    pupils, exclusions = [], []
    for roll, excluded in (("pupilonroll", "onroll"), ("pupilnolongeronroll", "offroll")):
        table = _read(folder, roll)
        if table is None:
            continue
        table["urn"] = table["schoolcensustableid"].map(schools)
        for measure in ("possible", "authorised", "unauthorised"):
            sessions = pd.to_numeric(table[f"termlysessions{measure}"])
            if term == "autumn":  # the summer term's second half, apart
                sessions += pd.to_numeric(table[f"summerhalfterm2sessions{measure}"]).fillna(0)
            table[measure] = sessions
        pupils.append(table.dropna(subset=["possible"]))
        found = _read(folder, f"termlyexclusions{excluded}")
        by_id = table.set_index(f"{roll}tableid")
        found[["urn", "upn"]] = by_id.loc[found[f"{roll}tableid"], ["urn", "upn"]].to_numpy()
        exclusions.append(found.assign(census=folder))
    pupils = pd.concat(pupils).assign(
        academic_year=_label(census_year - (term == "autumn")), term=REPORTED_TERM[term]
    )
    return pupils, pd.concat(exclusions)


def _exclusion_terms(exclusions: pd.DataFrame) -> pd.DataFrame:
    """Exclusions in the term they started (autumn from August, spring to Easter Sunday);
    one reported by two censuses counted once (the most any census gave for the pupil, day
    and category)."""
    start = pd.to_datetime(exclusions["startdate"], format="%Y-%b-%d %H:%M:%S")
    easter_monday = start.dt.year.map(lambda y: pd.Timestamp(easter(y)) + pd.Timedelta(days=1))
    autumn = start.dt.month >= 8
    frame = exclusions.assign(
        start=start,
        suspension=exclusions["category"].isin(["SUSP", "FIXD"]),
        permanent=exclusions["category"] == "PERM",
        term=autumn.map({True: "autumn"}).fillna(
            (start < easter_monday).map({True: "spring", False: "summer"})
        ),
        academic_year=(start.dt.year + autumn).map(_label),
    )
    per_census = frame.groupby(PUPIL_TERM + ["start", "category", "census"]).agg(
        suspensions=("suspension", "sum"), permanent=("permanent", "any")
    )
    once = per_census.groupby(PUPIL_TERM + ["start", "category"]).max()
    return once.groupby(PUPIL_TERM).agg(
        suspensions=("suspensions", "sum"), permanent=("permanent", "any")
    )


def school_terms(landing: Path) -> pd.DataFrame:
    """One row per pupil, school and term from the school census as delivered, in the
    contract file or as schools export it: academic_year, term, urn, upn, sessions possible,
    authorised and unauthorised absence, suspensions and permanent exclusion."""
    frames = [_contract_terms(landing)] if (landing / "school_census").exists() else []
    censuses = sorted((landing / "school_census_export").glob("*/*/*/schoolcensus.csv"))
    if censuses:
        read = [_exported_census(path.parent) for path in censuses]
        pupils = pd.concat([p for p, _ in read])[
            PUPIL_TERM + ["possible", "authorised", "unauthorised"]
        ]
        excluded = _exclusion_terms(pd.concat([e for _, e in read]))
        pupils = pupils.merge(excluded, on=PUPIL_TERM, how="left")
        pupils = pupils.fillna({"suspensions": 0, "permanent": False})
        counts = ("possible", "authorised", "unauthorised", "suspensions")
        frames.append(pupils.astype({**dict.fromkeys(counts, int), "permanent": bool}))
    return pd.concat(frames, ignore_index=True)


def school_figures(landing: Path) -> pd.DataFrame:
    """Per academic year, term and school: pupils, sessions possible, attended and absent,
    persistent absentees (attended under 90% of possible), suspensions, permanent
    exclusions."""
    terms = school_terms(landing)
    attended = terms["possible"] - terms["authorised"] - terms["unauthorised"]
    terms = terms.assign(attended=attended, persistent=attended * 10 < terms["possible"] * 9)
    return (
        terms.groupby(["academic_year", "term", "urn"])
        .agg(
            pupils=("upn", "size"),
            possible=("possible", "sum"),
            attended=("attended", "sum"),
            authorised=("authorised", "sum"),
            unauthorised=("unauthorised", "sum"),
            persistent=("persistent", "sum"),
            suspensions=("suspensions", "sum"),
            permanent=("permanent", "sum"),
        )
        .reset_index()
    )
