"""The dbt project keeps its conventions: every model described with a primary-key test,
layers named and read as dbt-labs style says."""

import json
import re

from tests.conftest import PROJECT_ROOT

MANIFEST = PROJECT_ROOT / "dbt_project" / "target" / "manifest.json"
KEY_TESTS = {"unique", "unique_combination_of_columns"}


def project_nodes():
    manifest = json.loads(MANIFEST.read_text())
    models = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["package_name"] == "csc_intel"
    }
    return manifest, models


def test_every_model_has_a_description_and_a_primary_key_test():
    manifest, models = project_nodes()
    keyed = {
        node["attached_node"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and node.get("test_metadata", {}).get("name") in KEY_TESTS
    }
    assert len(models) > 40
    assert [n["name"] for n in models.values() if not n["description"].strip()] == []
    assert [n["name"] for uid, n in models.items() if uid not in keyed] == []


def test_layers_are_named_and_read_in_order():
    manifest, models = project_nodes()
    prefixes = {
        "staging": "stg_",
        "intermediate": "int_",
        "marts": ("fct_", "dim_", "rpt_"),
        "quality": "dq_",
    }
    for node in models.values():
        layer = node["fqn"][1]
        assert node["name"].startswith(prefixes[layer]), node["name"]
        depends = node["depends_on"]["nodes"]
        if layer == "staging":
            assert not any(d.startswith("model.") for d in depends), node["name"]
        elif layer == "quality":
            pass  # measures deliveries as delivered: reads raw sources and any layer
        else:
            assert not any(d.startswith("source.") for d in depends), node["name"]


# DuckDB dialect that PostgreSQL or Spark would reject; such SQL belongs in a dispatched macro.
ENGINE_SPECIFIC = re.compile(
    r"\b(qualify|try_cast|try_strptime|strftime|strptime)\b|::|\binterval\s+\d",
    re.IGNORECASE,
)


def test_models_and_tests_keep_engine_specific_sql_in_dispatched_macros():
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}:{number}: {line.strip()}"
        for folder in ("models", "tests")
        for path in sorted((PROJECT_ROOT / "dbt_project" / folder).rglob("*.sql"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ENGINE_SPECIFIC.search(line)
    ]
    assert offenders == []


def test_staging_keeps_postcode_districts_by_ingestion_s_own_pattern():
    """The dbt guard on postcode districts and ingestion's normaliser accept the same shape."""
    from orchestration.privacy.pseudonymise import OUTWARD_CODE

    macros = (PROJECT_ROOT / "dbt_project" / "macros" / "parsing.sql").read_text()
    guard = macros[macros.index("macro default__postcode_district_or_null") :]
    assert f"'{OUTWARD_CODE}'" in guard.split("endmacro")[0]
    assert f"'^{OUTWARD_CODE}$'" in macros[macros.index("macro postgres__postcode_district_or") :]
