"""The source registry (data/reference/sources/): one file per source, read by one reader.
The files generated from it (seeds, the quality catalogue macro) are current; every entry is
consistent with the formats that ingest it; and a new contract source is one file: with
nothing else edited it is ingested, listed among the partners' sources, given its code list
seed and watched by the quality layer."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from orchestration.ingest.formats import all_formats
from orchestration.ingest.formats.contract_csv import contract_formats
from orchestration.ingest.loader import Ingestor
from orchestration.operations import overdue_after_days, same_return
from orchestration.privacy.keys import mark_synthetic
from orchestration.privacy.pseudonymise import load_pseudonymiser
from orchestration.sources import generated
from orchestration.sources.registry import PARTNERS, SOURCES_DIR, contract_sources, sources
from tests.conftest import PROJECT_ROOT

NEW_SOURCE = """source: youth_justice_outcomes
partner: youth_justice
label: Youth justice outcomes of children
is_service_contact: true
overdue_after_days: 100
title: Outcomes of children in the youth justice system
grain: one outcome of one child
event_date: OUTCOME_DATE
max_file_mb: 64
columns:
  - {name: LA_CODE, type: string, required: true, description: DfE three-digit LA code}
  - {name: OUTCOME_ID, type: string, required: true, description: Outcome identifier}
  - {name: NHS_NUMBER, type: string, identifier: nhs_number, description: NHS number}
  - {name: OUTCOME_DATE, type: date, required: true, description: Date of the outcome}
  - name: OUTCOME_TYPE
    type: string
    required: true
    description: Outcome
    seed: youth_justice_outcome_types
    codes: {caution: Youth caution, referral_order: Referral order, custody: Custody}
quality:
  - noun: outcomes
    key: OUTCOME_ID
    fields:
      - {field: OUTCOME_TYPE, label: outcome type}
"""


def test_the_generated_files_are_current():
    stale = generated.stale_files()
    assert not stale, f"run: python -m orchestration.sources.generated ({stale})"


def test_every_source_is_one_file_of_its_name_with_a_partner_and_a_label():
    registry = sources()
    assert len(registry) == 10 and len(contract_sources()) == 7
    delivering = {fmt.source for fmt in all_formats()}
    for name, entry in registry.items():
        assert entry.path == SOURCES_DIR / f"{name}.yaml"
        assert entry.partner in PARTNERS
        assert entry.label and name in delivering
        assert set(entry.layouts) <= delivering
        if entry.is_contract:
            names = {column.name for column in entry.columns}
            assert entry.spec["event_date"] in names
            for table in entry.quality_tables():
                assert {field["field"] for field in table["fields"]} <= names
        else:
            assert (PROJECT_ROOT / entry.spec["schema"]).exists()
    assert {fmt.source: fmt.family for fmt in contract_formats()} == {
        entry.name: entry.partner for entry in contract_sources()
    }


def test_freshness_limits_come_from_the_registry_and_a_layout_shares_its_return():
    assert overdue_after_days("cin_census") == 490
    assert overdue_after_days("school_census_export") == overdue_after_days("school_census") == 150
    assert overdue_after_days("ae_attendances") == 40  # the default of operations.yaml
    assert same_return("school_census_export") == ["school_census", "school_census_export"]
    assert same_return("police_incidents") == ["police_incidents"]


def test_a_coded_field_with_a_seed_is_that_seed_generated():
    admission = sources()["hospital_admissions"].column("ADMISSION_METHOD")
    seed = PROJECT_ROOT / "dbt_project" / "seeds" / f"{admission.seed}.csv"
    rows = list(csv.DictReader(seed.open(encoding="utf-8")))
    assert [row["code"] for row in rows] == list(admission.codes)
    assert {row["code"]: row["is_emergency"] for row in rows}["2A"] == "true"
    assert {row["code"]: row["method_group"] for row in rows}["31"] == "maternity"


def registry_with_a_new_source(tmp_path: Path) -> Path:
    directory = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, directory)
    (directory / "youth_justice_outcomes.yaml").write_text(NEW_SOURCE, encoding="utf-8")
    return directory


def test_a_new_contract_source_is_one_file(tmp_path, con):
    directory = registry_with_a_new_source(tmp_path)
    (fmt,) = [f for f in contract_formats(directory) if f.source == "youth_justice_outcomes"]
    landing = tmp_path / "landing"
    (landing / fmt.source).mkdir(parents=True)
    (landing / fmt.source / "outcomes.csv").write_text(
        "LA_CODE,OUTCOME_ID,NHS_NUMBER,OUTCOME_DATE,OUTCOME_TYPE\n"
        "938,O1,9434765919,2021-05-03,caution\n938,O2,,2021-05-20,curfew\n",
        encoding="utf-8",
    )
    mark_synthetic(landing)
    ingestor = Ingestor(fmt, con, load_pseudonymiser(landing), landing)
    (outcome,) = ingestor.ingest(landing / fmt.source).outcomes
    assert (outcome.status, outcome.rows_loaded) == ("loaded", 2)
    loaded = con.execute("select outcome_id, nhs_number from raw.youth_justice_outcomes").fetchall()
    assert [row[0] for row in loaded] == ["O1", "O2"] and loaded[0][1] != "9434765919"
    findings = con.execute("select count(*) from raw.schema_findings").fetchone()[0]
    assert findings == 1  # curfew is not a code of OUTCOME_TYPE

    project = tmp_path / "dbt_project"
    (project / "seeds").mkdir(parents=True)
    files = {
        path.relative_to(project): text
        for path, text in generated.generated_files(project, directory).items()
    }
    partners = list(csv.DictReader(io.StringIO(files[Path("seeds/partner_sources.csv")])))
    assert {
        "source": "youth_justice_outcomes",
        "partner": "youth_justice",
        "is_service_contact": "true",
        "label": "Youth justice outcomes of children",
    } in partners
    assert files[Path("seeds/youth_justice_outcome_types.csv")] == (
        "code,label\ncaution,Youth caution\nreferral_order,Referral order\ncustody,Custody\n"
    )
    catalogue = files[generated.MACRO_FILE]
    assert (
        "{'source': 'youth_justice_outcomes', 'table_name': 'youth_justice_outcomes', "
        "'noun': 'outcomes', 'from_source': ['youth_justice', 'youth_justice_outcomes'], "
        "'month': parse_date('outcome_date'), 'key': 'outcome_id', 'fields': ["
    ) in catalogue
    assert (
        "{'field': 'OUTCOME_TYPE', 'column': 'outcome_type', 'label': 'outcome type', "
        "'code_list': 'youth_justice_outcome_types'}"
    ) in catalogue
