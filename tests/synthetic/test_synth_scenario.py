from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from synthetic import generate
from synthetic.reference import source_group_profile
from synthetic.scenario import DEFAULT_SCENARIO, load_scenario

GROUPS = tuple(source_group_profile()["source_group"])


def _month(year: int, month: int) -> int:
    return year * 12 + month - 1


def test_default_scenario_shapes_the_lockdowns() -> None:
    scenario = load_scenario(None, GROUPS)
    months = np.array([_month(2019, 4), _month(2020, 4), _month(2020, 5), _month(2021, 1)])
    matrix = scenario.matrix(GROUPS, months)
    schools, police = matrix[GROUPS.index("schools")], matrix[GROUPS.index("police")]
    assert schools[0] == 1.0
    assert schools[1] == pytest.approx(0.2) and schools[2] == pytest.approx(0.2)
    assert schools[3] == pytest.approx(0.43)
    assert police[1] > 1.0
    assert DEFAULT_SCENARIO.read_text(encoding="utf-8").startswith("#")


def test_month_ranges_and_the_all_group(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        'name: t\nmultipliers:\n  all:\n    "2020-01..2020-03": 0.5\n  police:\n    "2020-02": 2\n',
        encoding="utf-8",
    )
    matrix = load_scenario(path, GROUPS).matrix(
        GROUPS, np.array([_month(2020, m) for m in (1, 2, 4)])
    )
    police, schools = matrix[GROUPS.index("police")], matrix[GROUPS.index("schools")]
    assert police.tolist() == [0.5, 1.0, 1.0]
    assert schools.tolist() == [0.5, 0.5, 1.0]


@pytest.mark.parametrize(
    "body",
    [
        'multipliers:\n  teachers:\n    "2020-04": 0.5\n',
        'multipliers:\n  schools:\n    "2020-13": 0.5\n',
        'multipliers:\n  schools:\n    "2020-04": -1\n',
    ],
)
def test_bad_scenarios_are_rejected(tmp_path: Path, body: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError):
        load_scenario(path, GROUPS)


def test_flat_scenario_has_no_school_shock(tmp_path: Path) -> None:
    flat = tmp_path / "flat.yaml"
    flat.write_text("name: flat\nmultipliers: {}\n", encoding="utf-8")
    summary = generate(
        tmp_path / "out", seed=5, children=20_000, start="2019-04", end="2020-06", scenario=flat
    )
    with (summary.out_dir / "_truth" / "cin_referrals_monthly_by_source_group.csv").open() as f:
        rows = [r for r in csv.DictReader(f) if r["source_group"] == "schools"]
    count = {r["month"]: int(r["referrals"]) for r in rows}
    before = count["2019-04-01"] + count["2019-05-01"]
    during = count["2020-04-01"] + count["2020-05-01"]
    assert during > 0.6 * before
