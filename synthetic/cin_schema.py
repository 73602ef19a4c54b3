"""What each year's DfE CIN census schema allows, read from the XSDs themselves.

The schemas change between years (new codes such as referral source 5D from 2023, the
CINPlanDates module from 2022, Sex replacing GenderCurrent from 2025), so the generator
asks the schema of the year rather than keeping its own copy of those facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from lxml import etree

XSD_DIR = (
    Path(__file__).resolve().parents[1] / "data" / "reference" / "dfe_schemas" / "cin_census_xsd"
)
_XS = {"xs": "http://www.w3.org/2001/XMLSchema"}
_FILE_YEAR = re.compile(r"CIN_schema_(\d{4})\.xsd$")

# Generator field -> the XSD simple type that lists its codes.
FIELD_TYPES = {
    "referral_source": "referralsourcetype",
    "primary_need": "primaryneedcodetype",
    "closure_reason": "reasonforclosuretype",
    "category_of_abuse": "categoryofabusetype",
    "assessment_factor": "assessmentfactorstype",
    "ethnicity": "ethnicitytype",
    "disability": "disabilitytype",
    "upn_unknown": "unknownupntype",
}


@dataclass(frozen=True)
class CinSchemaProfile:
    year: int
    path: Path
    sex_element: str  # "GenderCurrent" (1/2/0/9) or "Sex" (M/F/U)
    has_cin_plan_dates: bool
    enumerations: dict[str, frozenset[str]]

    def allows(self, field: str, code: str) -> bool:
        return code in self.enumerations[FIELD_TYPES[field]]


def schema_path(year: int, xsd_dir: Path = XSD_DIR) -> Path:
    return xsd_dir / f"CIN_schema_{year}.xsd"


@cache
def available_years(xsd_dir: Path = XSD_DIR) -> tuple[int, ...]:
    years = sorted(
        int(m.group(1)) for p in xsd_dir.glob("*.xsd") if (m := _FILE_YEAR.search(p.name))
    )
    if not years:
        raise FileNotFoundError(f"no CIN_schema_<YEAR>.xsd files in {xsd_dir}")
    return tuple(years)


def nearest_schema_year(year: int, xsd_dir: Path = XSD_DIR) -> int:
    """The schema year to use for a collection year outside the ones we hold."""
    years = available_years(xsd_dir)
    return min(max(year, years[0]), years[-1])


@cache
def load_profile(year: int, xsd_dir: Path = XSD_DIR) -> CinSchemaProfile:
    path = schema_path(nearest_schema_year(year, xsd_dir), xsd_dir)
    tree = etree.parse(str(path))
    enumerations = {
        node.get("name"): frozenset(node.xpath(".//xs:enumeration/@value", namespaces=_XS))
        for node in tree.xpath("//xs:simpleType[@name]", namespaces=_XS)
    }
    identifiers = tree.xpath(
        "//xs:complexType[@name='childidentifierstype']//xs:element/@name", namespaces=_XS
    )
    return CinSchemaProfile(
        year=year,
        path=path,
        sex_element="Sex" if "Sex" in identifiers else "GenderCurrent",
        has_cin_plan_dates=bool(tree.xpath("//xs:element[@name='CINPlanDates']", namespaces=_XS)),
        enumerations=enumerations,
    )


def apply_fallbacks(
    field: str, codes: np.ndarray, years: np.ndarray, fallback: dict[str, str]
) -> np.ndarray:
    """Replace codes that the schema of each event's year does not know by their fallback.

    A code is checked against the year the event happened in; codes only ever get added to
    the lists, so a code valid then stays valid in every later year's return.
    """
    out = np.asarray(codes, dtype=object).copy()
    for code, replacement in fallback.items():
        is_code = out == code
        if not is_code.any():
            continue
        for year in np.unique(years[is_code]).tolist():
            if not load_profile(int(year)).allows(field, code):
                out[is_code & (years == year)] = replacement
    return out
