"""Degraded recording in the CIN census XML: where, how much, and written down."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from synthetic import GenerationSummary, generate
from synthetic.cin_schema import schema_path
from synthetic.defects import INVALID_CODE
from tests.synthetic.synth_helpers import SMALL, cin_files

CLEAN = Path(__file__).parents[2] / "synthetic" / "scenarios" / "england_covid.yaml"
# Bytes of the CIN returns for SMALL with the default scenario minus its defects (seed 42):
# defects draw from their own stream, so turning them off must give exactly these bytes.
# First pinned from the generator before CIN defects existed; re-pinned when the scenario's
# third-lockdown multipliers changed (2026-12-02), which changes the referrals themselves.
OLD_DIGESTS = {
    "cin_census_938_2020.xml": "5ba15a557a5ad2e8",
    "cin_census_938_2021.xml": "fd889511d368b7a2",
}
LOCKDOWN = {"2020-04", "2020-05", "2020-06", "2021-01", "2021-02"}


@pytest.fixture(scope="module")
def clean_cin(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    folder = tmp_path_factory.mktemp("cleancin")
    text = CLEAN.read_text(encoding="utf-8").split("\ndefects:")[0] + "\ndefects: []\n"
    (folder / "s.yaml").write_text(text, encoding="utf-8")
    return generate(folder / "out", **SMALL, scenario=folder / "s.yaml", partner_sources=False)


def _missing_by_month(path: Path) -> Counter:
    """(field, month) -> elements that look missing, recounted from the XML."""
    out: Counter = Counter()
    for _, child in etree.iterparse(str(path), tag="Child"):
        details = list(child.iterfind("CINdetails"))
        latest = max(d.findtext("CINreferralDate") for d in details)[:7]
        if child.findtext("ChildCharacteristics/Ethnicity") == "NOBT":
            out["Ethnicity", latest] += 1
        if child.find("ChildIdentifiers/UPN") is None:
            out["UPN", latest] += 1
        for d in details:
            month = d.findtext("CINreferralDate")[:7]
            out["ReferralSource", month] += d.findtext("ReferralSource") == "10"
            out["PrimaryNeedCode", month] += d.find("PrimaryNeedCode") is None
            out["invalid", month] += d.findtext("ReferralSource") == INVALID_CODE
            closed = d.findtext("CINclosureDate")
            out["date_order", month] += bool(closed) and closed < d.findtext("CINreferralDate")
        child.clear()
    return out


def _truth(summary: GenerationSummary) -> list[dict[str, str]]:
    with (summary.out_dir / "_truth" / "defects.csv").open(encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["source"] == "cin_census"]


def test_defects_in_configured_months_only_and_match_truth(
    small_run: GenerationSummary, clean_cin: GenerationSummary
) -> None:
    truth = _truth(small_run)
    assert {r["table"] for r in truth} == {"cin_details", "cin_child"}
    for dirty, clean in zip(cin_files(small_run), cin_files(clean_cin), strict=True):
        extra = _missing_by_month(dirty)
        extra.subtract(_missing_by_month(clean))
        rows = [r for r in truth if r["location"] == f"cin_census/{dirty.name}"]
        for field in ("ReferralSource", "PrimaryNeedCode", "Ethnicity", "UPN"):
            added = {m: n for (f, m), n in extra.items() if f == field and n}
            assert set(added) <= LOCKDOWN, (dirty.name, field, added)
            expected = sum(
                int(r["rows_affected"])
                for r in rows
                if r["field"] == field and r["kind"] == "missing_field"
            )
            assert sum(added.values()) == expected, (dirty.name, field)
        invalid = sum(int(r["rows_affected"]) for r in rows if r["kind"] == "invalid_code")
        order = sum(int(r["rows_affected"]) for r in rows if r["kind"] == "date_order")
        assert sum(n for (f, _), n in extra.items() if f == "invalid") == invalid
        assert sum(n for (f, _), n in extra.items() if f == "date_order") == order
    # Not vacuous: the 2021 return holds both lockdowns' missing fields (about 20 rows).
    first_year = [r for r in truth if r["location"].endswith("_2021.xml")]
    assert sum(int(r["rows_affected"]) for r in first_year if r["kind"] == "missing_field") >= 10


@pytest.fixture(scope="module")
def larger_cin(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    """CIN returns only, for 40,000 children (about a second): enough referrals in a quarter
    (about 450) that a 12% share is not lost in the noise of a few dozen."""
    folder = tmp_path_factory.mktemp("largercin")
    return generate(folder, **{**SMALL, "children": 40_000}, partner_sources=False)


def test_lockdown_missing_share_is_visible(larger_cin: GenerationSummary) -> None:
    counts = _missing_by_month(cin_files(larger_cin)[1])
    totals: Counter = Counter()
    for _, child in etree.iterparse(str(cin_files(larger_cin)[1]), tag="CINdetails"):
        totals[child.findtext("CINreferralDate")[:7]] += 1
    lockdown = sum(counts["ReferralSource", m] for m in ("2020-04", "2020-05", "2020-06"))
    before = sum(counts["ReferralSource", m] for m in ("2020-07", "2020-08", "2020-09"))
    share = lockdown / sum(totals[m] for m in ("2020-04", "2020-05", "2020-06"))
    assert share > 0.08 and lockdown > 3 * before


def test_xsd_valid_except_deliberate_invalid_codes(small_run: GenerationSummary) -> None:
    truth = _truth(small_run)
    for path in cin_files(small_run):
        schema = etree.XMLSchema(etree.parse(str(schema_path(int(path.stem[-4:])))))
        valid = schema.validate(etree.parse(str(path)))
        invalid = sum(
            int(r["rows_affected"])
            for r in truth
            if r["kind"] == "invalid_code" and r["location"].endswith(path.name)
        )
        if invalid:
            errors = [e.message for e in schema.error_log]
            assert not valid and all(INVALID_CODE in m or "ReferralSource" in m for m in errors)
        else:
            assert valid, (path.name, schema.error_log.last_error)


def test_truth_referral_counts_unchanged_by_defects(
    small_run: GenerationSummary, clean_cin: GenerationSummary
) -> None:
    for name in ("cin_referrals_monthly.csv", "cin_referrals_monthly_by_source_group.csv"):
        a = (small_run.out_dir / "_truth" / name).read_bytes()
        assert a == (clean_cin.out_dir / "_truth" / name).read_bytes()


def test_no_defects_keeps_the_old_bytes(clean_cin: GenerationSummary) -> None:
    digests = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:16] for p in cin_files(clean_cin)
    }
    assert digests == OLD_DIGESTS
