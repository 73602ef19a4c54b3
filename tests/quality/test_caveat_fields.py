"""Each indicator declares the delivered fields its figures read (seed indicators,
fields_used), in the quality catalogue's names, so that a finding caveats only the figures it
can affect: every declared field is one the catalogue watches in the indicator's source, every
declared dimension one of the indicator's breakdowns, and every breakdown dimension is tied to
the field it decodes, the same way in every indicator that has it."""

import csv
import re

from orchestration.sources.registry import sources
from tests.conftest import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "dbt_project" / "seeds"
LINKAGE = "linkage"  # the person linkage of the source's records (the linkage check)
ENTRY = re.compile(r"^(\w+):(\w+)$")

# Each breakdown of the catalogue, per delivered source: the watched fields its groups are
# decoded from (empty: from fields the quality layer does not watch, such as a birth date).
# A new breakdown fails the test until it is placed here.
DIMENSION_FIELDS = {
    ("cin_census", "source_group"): {"ReferralSource"},
    ("cin_census", "primary_need_code"): {"PrimaryNeedCode"},
    ("cin_census", "ethnicity_major_group"): {"Ethnicity"},
    # the latest postcode district any partner holds, through the person linkage (UPN first)
    ("cin_census", "locality"): {"UPN", LINKAGE},
    ("cin_census", "age_band"): set(),
    ("cin_census", "sex"): set(),
    ("cin_census", "factor_group"): set(),
    ("cin_census", "initial_category_of_abuse_code"): set(),
    ("ssd", "source_group"): {"cont_contact_source_code"},
    ("ssda903", "ethnicity_major_group"): {"ETHNIC"},
    ("ssda903", "legal_status_group"): {"LS"},
    ("ssda903", "age_band"): set(),
    ("ssda903", "is_uasc"): set(),
    ("ssda903", "missing_type_code"): set(),
    ("ssda903", "reason_ceased_group"): set(),
    ("camhs_referrals", "referral_source_code"): {"SOURCE_OF_REFERRAL"},
    ("police_incidents", "incident_type_code"): {"INCIDENT_TYPE"},
    ("ae_attendances", "age_band"): set(),
    ("hospital_admissions", "age_band"): set(),
    ("school_attendance_daily", "school_phase"): set(),
}


def watched_fields() -> dict[str, set[str]]:
    """Per source, the fields the quality catalogue watches (the registry's quality blocks)."""
    return {
        name: {field["field"] for table in entry.quality_tables() for field in table["fields"]}
        for name, entry in sources().items()
        if entry.quality_tables()
    }


def catalogue() -> list[dict]:
    with (SEEDS / "dq_source_aliases.csv").open(newline="") as handle:
        aliases = {r["catalogue_source"]: r["delivered_source"] for r in csv.DictReader(handle)}
    with (SEEDS / "indicators.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["delivered"] = aliases.get(row["source"], row["source"])
        row["dimensions"] = row["breakdowns"].split("|")
        row["declared"] = [e for e in row["fields_used"].split("|") if e]
    return rows


def declared(row: dict) -> dict[str, set[str]]:
    """dimension -> the fields declared for it."""
    by_dimension: dict[str, set[str]] = {}
    for entry in row["declared"]:
        dimension, field = ENTRY.match(entry).groups()
        by_dimension.setdefault(dimension, set()).add(field)
    return by_dimension


def test_every_declared_field_is_watched_in_the_indicator_s_source():
    watched = watched_fields()
    assert watched["cin_census"] >= {"ReferralSource", "Ethnicity"} and watched["ssda903"]
    unknown = []
    for row in catalogue():
        assert [e for e in row["declared"] if not ENTRY.match(e)] == [], row["indicator_id"]
        for dimension, fields in declared(row).items():
            if dimension not in row["dimensions"]:
                unknown.append((row["indicator_id"], dimension, "not a breakdown"))
            known = watched.get(row["delivered"], set()) | {LINKAGE}
            unknown += [(row["indicator_id"], dimension, f) for f in fields - known]
    assert unknown == []


def test_every_breakdown_dimension_is_tied_to_its_field_in_every_indicator():
    watched = watched_fields()
    for (source, dimension), fields in DIMENSION_FIELDS.items():
        assert fields <= watched.get(source, set()) | {LINKAGE}, (source, dimension)
    wrong = []
    for row in catalogue():
        by_dimension = declared(row)
        for dimension in row["dimensions"][1:]:
            expected = DIMENSION_FIELDS.get((row["delivered"], dimension))
            if expected is None or by_dimension.get(dimension, set()) != expected:
                wrong.append((row["indicator_id"], dimension, by_dimension.get(dimension)))
    assert wrong == []


def test_the_totals_read_what_their_definition_reads():
    rows = {row["indicator_id"]: declared(row) for row in catalogue()}
    # a blank ethnicity or referral source does not touch the count of referrals
    assert rows["referrals"].get("all", set()) == set()
    # the police figures of one incident type read the type; the linked shares the linkage
    for indicator in ("domestic_abuse_incidents_with_children", "missing_child_reports"):
        assert rows[indicator]["all"] == {"INCIDENT_TYPE"}
    for indicator in (
        "ae_attendances_known_to_social_care",
        "referrals_known_to_other_partners",
        "domestic_abuse_incidents_with_known_children",
    ):
        assert LINKAGE in rows[indicator]["all"], indicator
    assert rows["emergency_admissions"]["all"] == {"ADMISSION_METHOD"}
    assert rows["cla_ceased"]["all"] == {"DEC"}
