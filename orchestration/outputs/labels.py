"""Readable names for everything the briefing and its charts label: a breakdown, a group of a
breakdown, a unit, a source and a span of months. A code is named by its code list (the seeds
in dbt_project/seeds, loaded as reference.*, or a partner contract's codes, as
`breakdown_code_lists` in dbt_project.yml says). A value its list lacks is never an error: a
decoded breakdown's (dbt_project.yml `decoded_breakdowns`, whose values come from the seeds)
is shown as "Code X (not in the code list)"; any other is "Invalid or unknown code", never
itself, as the marts do (a name typed into a delivered code field must not be published)."""

from __future__ import annotations

import csv
from functools import cache

import pandas as pd
import yaml

from orchestration.settings import DBT_PROJECT_DIR
from orchestration.sources.registry import label_of, source

SEEDS_DIR = DBT_PROJECT_DIR / "seeds"

DIMENSIONS = {
    "all": "All",
    "age_band": "Age band",
    "ethnicity_major_group": "Ethnicity",
    "factor_group": "Assessment factor",
    "incident_type_code": "Incident type",
    "initial_category_of_abuse_code": "Initial category of abuse",
    "is_uasc": "Unaccompanied asylum-seeking",
    "legal_status_group": "Legal status",
    "locality": "Locality",
    "missing_type_code": "Missing or away",
    "primary_need_code": "Primary need",
    "reason_ceased_group": "Reason care ended",
    "referral_source_code": "Referral source",
    "school_phase": "School phase",
    "sex": "Sex",
    "source_group": "Referral source",
}
# What the marts write where a value could not be decoded (decoded_or_reason,
# known_breakdown_value in the dbt macros).
REASON_LABELS = {
    "invalid_code": "Invalid or unknown code",
    "not_recorded": "Not recorded",
    "not_known": "Not known",
}
BOOLEANS = {"true": "Yes", "false": "No"}
# Breakdowns whose values are themselves names: the seed column that lists them.
NAMED_BY = {
    "ethnicity_major_group": ("ethnicities", "major_group"),
    "locality": ("localities", "locality"),
}
# Breakdowns by a grouping column of a seed (its codes have labels, its groups do not) or by
# age band (age_bands has bounds, no label): the seed says which groups exist, GROUP_LABELS
# names them (tests/outputs/test_briefing_parts.py holds the two together, both ways).
GROUPED_BY = {
    "source_group": ("cin_referral_sources", "source_group"),
    "legal_status_group": ("ssda903_legal_statuses", "legal_status_group"),
    "reason_ceased_group": ("ssda903_reasons_episode_ceased", "reason_group"),
    "factor_group": ("cin_assessment_factors", "factor_group"),
    "age_band": ("age_bands", "age_band"),
}
GROUP_LABELS = {
    "source_group": {
        "individual": "Individual", "schools": "Schools",
        "education_services": "Education services", "health": "Health services",
        "housing": "Housing", "la_services": "LA services", "police": "Police",
        "other_legal_agency": "Other legal agency", "other": "Other", "anonymous": "Anonymous",
        "unknown": "Unknown",
    },
    "legal_status_group": {
        "care_order": "Care order", "placement_order": "Placement order",
        "voluntary_s20": "Voluntary (section 20)", "short_breaks": "Short breaks",
        "emergency_protection": "Emergency protection", "youth_justice": "Youth justice",
    },
    "reason_ceased_group": {
        "adopted": "Adopted", "child_arrangements_order": "Child arrangements order",
        "continues_in_care": "Continues in care", "died": "Died",
        "independent_living": "Independent living", "other": "Other",
        "returned_home": "Returned home", "transferred": "Transferred",
        "special_guardianship_order": "Special guardianship order",
        "youth_justice": "Youth justice",
    },
    "factor_group": {
        "abuse_neglect": "Abuse or neglect", "domestic_abuse": "Domestic abuse",
        "exploitation": "Exploitation", "harmful_practices": "Harmful practices",
        "learning_disability": "Learning disability", "mental_health": "Mental health",
        "missing": "Going missing", "no_factors": "No factors", "other": "Other",
        "physical_disability_illness": "Physical disability or illness",
        "privately_fostered": "Privately fostered", "self_harm": "Self-harm",
        "socially_unacceptable_behaviour": "Socially unacceptable behaviour",
        "substance_misuse": "Substance misuse", "uasc": "Unaccompanied asylum-seeking",
        "young_carer": "Young carer",
    },
    "age_band": {
        "unborn": "Unborn", "under_1": "Under 1", "1_to_4": "1 to 4", "5_to_9": "5 to 9",
        "10_to_15": "10 to 15", "16_and_over": "16 and over",
    },
}  # fmt: skip
SEX = {"M": "Male", "F": "Female", "U": "Not known or indeterminate"}  # decode_sex
UNITS = {
    "count": "Number",
    "percent": "Per cent",
    "per_10000": "Per 10,000 children",
    "days": "Days",
}
PERIOD_TYPES = {"lockdown": "Lockdown", "recovery": "After a lockdown"}


def readable(name: object) -> str:
    """A name that has no label anywhere, made readable: 'placement_group' -> 'Placement group'."""
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def seed_rows(seed: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / f"{seed}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def project_vars() -> dict:
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return project["vars"]


@cache
def code_lists() -> dict[str, dict[str, str]]:
    """Breakdown dimension -> {value: label}: what each breakdown's values may be, named."""
    lists: dict[str, dict[str, str]] = {}
    for dimension, spec in project_vars()["breakdown_code_lists"].items():
        if "seed" in spec:
            lists[dimension] = {r[spec["column"]]: r["label"] for r in seed_rows(spec["seed"])}
        else:
            lists[dimension] = source(spec["contract"]).column(spec["field"]).code_labels()
    for dimension, (seed, column) in NAMED_BY.items():
        lists[dimension] = {r[column]: r[column] for r in seed_rows(seed)}
    for dimension, (seed, column) in GROUPED_BY.items():
        names = GROUP_LABELS[dimension]
        lists[dimension] = {
            r[column]: names[r[column]] for r in seed_rows(seed) if r[column] in names
        }
    return lists | {"sex": SEX}


def dimension_label(dimension: str) -> str:
    """'source_group' -> 'Referral source'."""
    return DIMENSIONS.get(dimension) or readable(dimension.removesuffix("_code"))


def label(dimension: str, value: object) -> str:
    """A breakdown's group by its code list: ('source_group', 'la_services') -> 'LA services',
    ('is_uasc', 'true') -> 'Yes'; for a value its list lacks, see the module's docstring."""
    text = str(value)
    if dimension == "all":
        return "All"
    if text in REASON_LABELS:
        return REASON_LABELS[text]
    if text.lower() in BOOLEANS:
        return BOOLEANS[text.lower()]
    known = code_lists().get(dimension, {})
    if text in known:
        return known[text]
    if dimension in project_vars()["decoded_breakdowns"]:
        return f"Code {text} (not in the code list)"
    return REASON_LABELS["invalid_code"]


def unit_label(unit: object) -> str:
    """The y-axis title of an indicator's unit: 'per_10000' -> 'Per 10,000 children'."""
    return UNITS.get(str(unit)) or readable(unit)


@cache
def source_label(name: str) -> str:
    """A source (or a layout of its return) by its registry label: 'cin_census' -> 'Children in
    need census (DfE)'."""
    return label_of(name) or readable(name)


def month_runs(months: list[pd.Timestamp]) -> str:
    """Months, compactly and in order: 'Apr 2016; Apr, Nov 2019; Jan, Apr–Jun 2020'."""
    runs: list[list[pd.Timestamp]] = []
    for month in sorted({pd.Timestamp(m) for m in months}):
        previous = runs[-1][-1] if runs else None
        if (
            previous is not None
            and month == previous + pd.DateOffset(months=1)
            and (month.year == previous.year)
        ):
            runs[-1].append(month)
        else:
            runs.append([month])
    years: dict[int, list[str]] = {}
    for run in runs:
        text = f"{run[0]:%b}" if len(run) == 1 else f"{run[0]:%b}–{run[-1]:%b}"
        years.setdefault(run[0].year, []).append(text)
    return "; ".join(f"{', '.join(parts)} {year}" for year, parts in years.items())


def period_of_months(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """'April 2016 to March 2022'."""
    return f"{first:%B %Y}" if first == last else f"{first:%B %Y} to {last:%B %Y}"
