"""Adding an indicator is one entry in the indicator registry (dbt_project/macros/indicators/):
the seed indicators.csv is generated from it and current, and a new entry reaches the model
of its group, the union and the catalogue with no other file edited."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.transform import indicator_catalogue
from tests.conftest import PROJECT_ROOT

DBT_PROJECT = PROJECT_ROOT / "dbt_project"
NEW_ENTRY = """
- indicator_id: ae_attendances_by_known_children
  label: A&E attendances by children known to social care
  family: health
  source: ae_attendances
  numerator: A&E attendances of under-18s in the month by a child known to children's social care
  unit: count
  direction_of_concern: up
  breakdowns: [age_band]
  compute:
    events: fct_ae_attendances
    month: arrival_month
    numerator: case when is_known_to_social_care then 1 else 0 end
"""


def test_the_seed_is_generated_from_the_registry_and_current():
    generated = indicator_catalogue.catalogue_text()
    assert generated == indicator_catalogue.catalogue_path().read_text(encoding="utf-8"), (
        "run: python -m orchestration.transform.indicator_catalogue"
    )
    assert len(generated.splitlines()) == len(indicator_catalogue.registry()) + 1 > 40


def copy_project(root: Path) -> Path:
    """The dbt project under root, with the published figures its seed-paths reach (../data)."""
    project = root / "dbt_project"
    shutil.copytree(
        DBT_PROJECT, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages")
    )
    figures = Path("data") / "reference" / "published_statistics"
    shutil.copytree(PROJECT_ROOT / figures, root / figures)
    return project


def add_to_registry(project: Path, group: str, entry: str) -> None:
    path = indicator_catalogue.registry_dir(project) / f"{group}.sql"
    text = path.read_text(encoding="utf-8")
    end = text.index("{%- endset -%}")
    path.write_text(text[:end] + entry + text[end:], encoding="utf-8")


def dbt_compile(project: Path, *select: str) -> None:
    command = [os.path.join(os.path.dirname(sys.executable), "dbt"), "compile", "--quiet"]
    command += ["--project-dir", str(project), "--profiles-dir", str(project)]
    command += ["--select", *select]
    completed = subprocess.run(
        command,
        cwd=project,
        env={**os.environ, "CSC_INTEL_WAREHOUSE": str(project.parent / "warehouse.duckdb")},
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout[-4000:]


@pytest.mark.slow
def test_one_registry_entry_adds_an_indicator(tmp_path):
    project = copy_project(tmp_path)
    add_to_registry(project, "health", NEW_ENTRY)
    assert indicator_catalogue.main(["--project-dir", str(project)]) == 0
    dbt_compile(project, "fct_indicator_monthly", "fct_indicator_monthly__health")

    compiled = project / "target" / "compiled" / "csc_intel" / "models" / "marts" / "indicators"
    group = (compiled / "fct_indicator_monthly__health.sql").read_text()
    assert "'ae_attendances_by_known_children' as indicator_id" in group
    assert "case when is_known_to_social_care then 1 else 0 end" in group
    union = (compiled / "fct_indicator_monthly.sql").read_text()
    assert "('ae_attendances_by_known_children', 'count', 'health')" in union
    rows = indicator_catalogue.catalogue_path(project).read_text(encoding="utf-8").splitlines()
    ids = [row.split(",")[0] for row in rows]
    # In the catalogue's order: the health group's last entry.
    added = ids.index("ae_attendances_by_known_children")
    assert added == ids.index("camhs_referrals_accepted") + 1
    assert rows[added].endswith("social care,,count,up,all|age_band,1,0,")
