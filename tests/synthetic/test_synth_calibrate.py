"""--calibrate-to: a real authority's published yearly volumes, reproduced."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from lxml import etree

from synthetic import generate
from synthetic.calibrate_la import la_targets
from synthetic.cli import main

LA = "806"  # Middlesbrough: about 33,000 children, volumes large enough to be stable


def _year(iso: str) -> int:
    return int(iso[:4]) + (int(iso[5:7]) >= 4)


def test_reproduces_published_volumes_2017_to_2021(tmp_path: Path) -> None:
    summary = generate(tmp_path, seed=42, calibrate_to=LA, start="2016-04", end="2021-03")
    assert summary.la_code == LA
    seen: dict[str, set] = {m: set() for m in ("referrals", "s47", "icpc", "cpp_starts")}
    for path in sorted((tmp_path / "cin_census").glob("*.xml")):
        for _, child in etree.iterparse(str(path), tag="Child"):
            cid = child.findtext("ChildIdentifiers/LAchildID")
            for d in child.iterfind("CINdetails"):
                seen["referrals"].add((cid, d.findtext("CINreferralDate")))
                for s47 in d.iterfind("Section47"):
                    seen["s47"].add((cid, s47.findtext("S47ActualStartDate")))
                    if s47.findtext("DateOfInitialCPC"):
                        seen["icpc"].add((cid, s47.findtext("DateOfInitialCPC")))
                for plan in d.iterfind("ChildProtectionPlans"):
                    seen["cpp_starts"].add((cid, plan.findtext("CPPstartDate")))
            child.clear()
    starts: dict[int, int] = {}
    with (tmp_path / "_truth" / "ssda903_monthly.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["measure"] == "starts":
                year = _year(row["month"])
                starts[year] = starts.get(year, 0) + int(row["value"])
    targets = la_targets(LA)
    for year in range(2017, 2022):
        for measure, found in seen.items():
            got = sum(1 for _, day in found if day and _year(day) == year)
            assert got == pytest.approx(targets.value(measure, year), rel=0.10), (measure, year)
        assert starts[year] == pytest.approx(targets.value("cla_starts", year), rel=0.10), year


def test_fallback_for_years_a_table_lacks() -> None:
    targets = la_targets(LA)
    assert 2018 not in targets.volumes["cla_starts"]  # the CLA LA table starts in 2019
    # 2019 value times the national change 2018/2019 (32,190 / 31,780).
    assert targets.value("cla_starts", 2018) == pytest.approx(205 * 32190 / 31780)
    assert 30_000 < targets.population < 36_000


def test_unknown_code_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(ValueError, match="old_la_code"):
        generate(tmp_path, calibrate_to="999")
    assert main(["generate", "--out", str(tmp_path), "--calibrate-to", "999"]) == 2
    assert "la_annual_volumes.csv" in capsys.readouterr().err
