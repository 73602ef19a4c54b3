from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from synthetic import GenerationSummary, generate
from synthetic.cin_schema import schema_path
from synthetic.cli import main
from synthetic.identifiers import is_valid_upn
from synthetic.period import Period
from synthetic.reference import referral_source_groups
from tests.synthetic.synth_helpers import SMALL, cin_files


def _referrals(files: list[Path]) -> dict[tuple[str, str], str]:
    """Distinct (LAchildID, CINreferralDate) across the returns -> ReferralSource."""
    found: dict[tuple[str, str], str] = {}
    for path in files:
        for _, child in etree.iterparse(str(path), tag="Child"):
            child_id = child.findtext("ChildIdentifiers/LAchildID")
            for details in child.iterfind("CINdetails"):
                key = (child_id, details.findtext("CINreferralDate"))
                found[key] = details.findtext("ReferralSource")
            child.clear()
    return found


def _truth(summary: GenerationSummary, name: str) -> list[dict[str, str]]:
    with (summary.out_dir / "_truth" / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _month(iso_date: str) -> str:
    return iso_date[:7] + "-01"


def _in_period(iso_date: str, start: str, end: str) -> bool:
    return start <= iso_date[:7] <= end


def test_files_written(small_run: GenerationSummary) -> None:
    names = [p.name for p in cin_files(small_run)]
    assert names == ["cin_census_938_2020.xml", "cin_census_938_2021.xml"]
    assert all(p.parent.name == "cin_census" for p in cin_files(small_run))
    assert small_run.referrals > 0


@pytest.mark.parametrize("run", ["small_run", "recent_run"])
def test_every_file_validates_against_its_year_schema(
    run: str, request: pytest.FixtureRequest
) -> None:
    summary = request.getfixturevalue(run)
    for path in cin_files(summary):
        year = int(path.stem[-4:])
        schema = etree.XMLSchema(etree.parse(str(schema_path(year))))
        document = etree.parse(str(path))
        # The default scenario's deliberate invalid ReferralSource codes (ZZ9) are the only
        # errors allowed; test_synth_cin_defects checks they match the truth file.
        if not schema.validate(document):
            assert all("ZZ9" in e.message for e in schema.error_log), (path.name, year)
        assert document.findtext("Header/CollectionDetails/ReferenceDate") == f"{year}-03-31"
        assert document.findtext("Header/Source/LEA") == "938"


def test_sex_replaces_gender_in_recent_schemas(
    small_run: GenerationSummary, recent_run: GenerationSummary
) -> None:
    old = etree.parse(str(cin_files(small_run)[0]))
    new = etree.parse(str(cin_files(recent_run)[-1]))
    assert {e.text for e in old.iter("GenderCurrent")} <= {"0", "1", "2", "9"}
    assert not list(old.iter("Sex"))
    assert {e.text for e in new.iter("Sex")} <= {"M", "F", "U"}
    assert not list(new.iter("GenderCurrent"))
    assert int(cin_files(recent_run)[-1].stem[-4:]) == 2026


def test_identifiers_in_the_returns(small_run: GenerationSummary) -> None:
    document = etree.parse(str(cin_files(small_run)[0]))
    upns = [e.text for e in document.iter("UPN")]
    unknown = list(document.iter("UPNunknown"))
    assert all(is_valid_upn(u) for u in upns)
    assert 0.01 < len(unknown) / (len(upns) + len(unknown)) < 0.08
    assert {e.text for e in document.iter("ReferralNFA")} <= {"0", "1"}


def test_truth_matches_distinct_referrals_in_the_xml(small_run: GenerationSummary) -> None:
    found = _referrals(cin_files(small_run))
    inside = {k: v for k, v in found.items() if _in_period(k[1], SMALL["start"], SMALL["end"])}
    by_month = Counter(_month(d) for _, d in inside)
    truth = _truth(small_run, "cin_referrals_monthly.csv")
    assert len(truth) == 24  # every month, zeros included
    assert {r["la_code"] for r in truth} == {"938"}
    assert {r["month"]: int(r["referrals"]) for r in truth} == {
        r["month"]: by_month.get(r["month"], 0) for r in truth
    }
    assert sum(int(r["referrals"]) for r in truth) == small_run.referrals == len(inside)


def test_truth_by_source_group_matches_the_xml(small_run: GenerationSummary) -> None:
    # The truth is before defects: count only months without CIN defects (the default
    # scenario writes some lockdown referral sources as 10 or ZZ9).
    table = referral_source_groups()
    group_of = dict(zip(table["code"], table["source_group"], strict=True))
    hit = {"2020-04", "2020-05", "2020-06", "2021-01", "2021-02"}
    found = {k: v for k, v in _referrals(cin_files(small_run)).items() if k[1][:7] not in hit}
    counted = Counter(
        (_month(d), group_of[source])
        for (_, d), source in found.items()
        if _in_period(d, SMALL["start"], SMALL["end"])
    )
    truth = _truth(small_run, "cin_referrals_monthly_by_source_group.csv")
    assert {r["source_group"] for r in truth} == set(table["source_group"])
    truth = [r for r in truth if r["month"][:7] not in hit]
    assert {(r["month"], r["source_group"]): int(r["referrals"]) for r in truth} == {
        (r["month"], r["source_group"]): counted.get((r["month"], r["source_group"]), 0)
        for r in truth
    }


def test_open_referrals_repeat_in_the_next_return(small_run: GenerationSummary) -> None:
    first, second = (_episodes(p) for p in cin_files(small_run))
    carried = set(first) & set(second)
    assert carried, "episodes open at 31 March must reappear in the next year's return"
    for key in carried:
        assert first[key] is None  # not closed by the first reference date
        assert key[1] < "2020-04-01"


def _episodes(path: Path) -> dict[tuple[str, str], str | None]:
    out = {}
    for _, child in etree.iterparse(str(path), tag="Child"):
        child_id = child.findtext("ChildIdentifiers/LAchildID")
        for details in child.iterfind("CINdetails"):
            out[(child_id, details.findtext("CINreferralDate"))] = details.findtext(
                "CINclosureDate"
            )
        child.clear()
    return out


def test_same_seed_same_bytes_other_seed_other_bytes(
    small_run: GenerationSummary, tmp_path: Path
) -> None:
    again = generate(tmp_path / "again", **SMALL)
    for a, b in zip(small_run.files, again.files, strict=True):
        assert a.name == b.name
        assert a.read_bytes() == b.read_bytes(), a.name
    other = generate(tmp_path / "other", **{**SMALL, "seed": 43})
    assert cin_files(other)[0].read_bytes() != cin_files(small_run)[0].read_bytes()


def test_schools_shock_is_visible(rate_run: GenerationSummary) -> None:
    rows = _truth(rate_run, "cin_referrals_monthly_by_source_group.csv")
    schools = {r["month"]: int(r["referrals"]) for r in rows if r["source_group"] == "schools"}
    before = schools["2019-04-01"] + schools["2019-05-01"]
    during = schools["2020-04-01"] + schools["2020-05-01"]
    assert before > 30
    assert during < 0.5 * before


def test_annual_referral_rate_is_calibrated(rate_run: GenerationSummary) -> None:
    found = _referrals(cin_files(rate_run))
    # Two pre-pandemic collection years; the population holds about 20,000 under-18s.
    for first, last in (("2017-04-01", "2018-03-31"), ("2018-04-01", "2019-03-31")):
        count = sum(1 for _, d in found if first <= d <= last)
        rate = count / 20_000 * 10_000
        assert 545 * 0.9 <= rate <= 545 * 1.1, (first, rate)


def test_cli_prints_one_line_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "generate",
            "--out",
            str(tmp_path),
            "--seed",
            "1",
            "--children",
            "2000",
            "--start",
            "2020-04",
            "--end",
            "2021-03",
            "--la-code",
            "201",
        ]
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    # One line per file written: every partner extract and truth file.
    assert len(lines) == sum(1 for p in tmp_path.rglob("*") if p.is_file())
    assert (tmp_path / "cin_census" / "cin_census_201_2021.xml").exists()


def test_cli_rejects_bad_la_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--out", str(tmp_path), "--children", "100", "--la-code", "93"]) == 2
    assert "la_code" in capsys.readouterr().err


def test_reference_dates_follow_the_period() -> None:
    assert Period.from_months("2016-04", "2022-03").collection_years() == list(range(2017, 2023))
    assert Period.from_months("2016-04", "2022-03").end == date(2022, 3, 31)
