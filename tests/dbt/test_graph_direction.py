"""The dbt graph reads one way: staging -> intermediate -> marts (fct_, dim_) -> quality (dq_)
-> reports (rpt_). A model refs its own layer or one below; staging reads sources only; seeds
are reference data, readable from any layer. Read from dbt's manifest (the session's
conftest parses the project first)."""

import json
from collections.abc import Mapping
from typing import Any

from tests.conftest import PROJECT_ROOT

MANIFEST = PROJECT_ROOT / "dbt_project" / "target" / "manifest.json"
LAYERS = ("staging", "intermediate", "marts", "quality", "reports")


def layer(node: Mapping[str, Any]) -> str:
    """A model's layer: its top folder under models/, reports being the rpt_ marts."""
    folder = node["fqn"][1]
    return "reports" if folder == "marts" and node["name"].startswith("rpt_") else folder


def climbing_refs(manifest: Mapping[str, Any]) -> list[str]:
    """'model -> what it reads' for every ref against the direction, sorted."""
    nodes = manifest["nodes"]
    found = []
    for node in nodes.values():
        if node["resource_type"] != "model":
            continue
        rank = LAYERS.index(layer(node))
        for parent_id in node["depends_on"]["nodes"]:
            parent = nodes.get(parent_id)
            if parent is None or parent["resource_type"] == "seed":
                continue  # a source, or reference data
            if rank == 0 or LAYERS.index(layer(parent)) > rank:
                found.append(f"{layer(node)}.{node['name']} -> {layer(parent)}.{parent['name']}")
    return sorted(found)


def test_no_ref_climbs_back_a_layer():
    manifest = json.loads(MANIFEST.read_text())
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert {layer(n) for n in models} == set(LAYERS)
    assert climbing_refs(manifest) == []


def test_a_climbing_ref_is_found():
    def model(name: str, folder: str, *parents: str) -> dict[str, Any]:
        return {
            "resource_type": "model",
            "name": name,
            "fqn": ["csc_intel", folder, name],
            "depends_on": {"nodes": [f"model.csc_intel.{p}" for p in parents]},
        }

    nodes = [
        model("stg_a", "staging"),
        model("stg_b", "staging", "stg_a"),
        model("int_a", "intermediate", "stg_a"),
        model("fct_a", "marts", "int_a"),
        model("int_b", "intermediate", "fct_a"),
        model("dq_a", "quality", "fct_a"),
        model("rpt_a", "marts", "dq_a"),
        model("fct_b", "marts", "rpt_a"),
    ]
    manifest = {"nodes": {f"model.csc_intel.{n['name']}": n for n in nodes}}
    assert climbing_refs(manifest) == [
        "intermediate.int_b -> marts.fct_a",
        "marts.fct_b -> reports.rpt_a",
        "staging.stg_b -> staging.stg_a",
    ]
