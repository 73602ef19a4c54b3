"""A dbt model's Dagster code version follows the macros that write it: editing the indicator
registry (dbt_project/macros/indicators/) marks the indicator models changed in the UI."""

from __future__ import annotations

from orchestration.transform.assets import CscDbtTranslator, macros_called, manifest

GROUP_MODEL = "model.csc_intel.fct_indicator_monthly__health"
HEALTH_GROUP = "macro.csc_intel.indicators__health"


def test_an_indicator_model_changes_version_when_its_registry_entry_does() -> None:
    nodes, macros = manifest()["nodes"], manifest()["macros"]
    translator = CscDbtTranslator()
    props = nodes[GROUP_MODEL]
    assert HEALTH_GROUP in macros_called(GROUP_MODEL)  # called by name, found all the same
    before = translator.get_code_version(props)
    assert before != props["checksum"]["checksum"]
    original = macros[HEALTH_GROUP]["macro_sql"]
    try:
        macros[HEALTH_GROUP]["macro_sql"] = original + "\n# a new indicator\n"
        assert translator.get_code_version(props) != before
    finally:
        macros[HEALTH_GROUP]["macro_sql"] = original
    assert translator.get_code_version(props) == before


def test_a_model_without_project_macros_keeps_its_file_checksum() -> None:
    nodes = manifest()["nodes"]
    translator = CscDbtTranslator()
    plain = [
        props for uid, props in nodes.items()
        if props["resource_type"] == "model" and not macros_called(uid)
    ]  # fmt: skip
    assert len(plain) >= 10
    for props in plain:
        assert translator.get_code_version(props) == props["checksum"]["checksum"]
