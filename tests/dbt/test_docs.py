"""`dbt docs generate` works offline and documents every model and every column the
warehouse really holds (the catalog, not only what the YAML lists)."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT
from tests.warehouse import ingest_landing

pytestmark = pytest.mark.slow


def dbt(root, *arguments):
    command = [os.path.join(os.path.dirname(sys.executable), "dbt"), *arguments]
    command += ["--project-dir", "dbt_project", "--profiles-dir", "dbt_project"]
    command += ["--target-path", str(root / "target"), "--log-path", str(root / "logs")]
    return subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env={**os.environ, "CSC_INTEL_WAREHOUSE": str(root / "warehouse.duckdb")},
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    """Docs of a warehouse with every raw table empty: the models' columns do not depend on
    rows, and seeds plus models without their tests is the cheapest full build. The build
    compiles the manifest, so docs generate only adds the catalog and the site."""
    root = tmp_path_factory.mktemp("docs")
    (root / "landing").mkdir()
    ingest_landing(root)
    built = dbt(
        root, "build", "--resource-type", "seed", "--resource-type", "model", "--threads", "4"
    )
    assert built.returncode == 0, built.stdout[-4000:]
    generated = dbt(root, "docs", "generate", "--no-compile")
    assert generated.returncode == 0, generated.stdout[-4000:]
    return root / "target"


def models_in_catalog(target):
    catalog = json.loads((target / "catalog.json").read_text())
    manifest = json.loads((target / "manifest.json").read_text())
    return [
        (manifest["nodes"][uid], entry["columns"])
        for uid, entry in catalog["nodes"].items()
        if uid.startswith("model.")
    ]


def test_docs_site_is_written(docs):
    assert (docs / "index.html").stat().st_size > 100_000
    assert len(json.loads((docs / "catalog.json").read_text())["errors"] or []) == 0


def test_every_built_model_is_in_the_catalog_and_described(docs):
    models = models_in_catalog(docs)
    manifest = json.loads((docs / "manifest.json").read_text())
    project_models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert len(models) == len(project_models) > 40
    assert [node["name"] for node, _ in models if not node["description"].strip()] == []


def test_every_column_of_every_model_is_described(docs):
    missing = []
    columns = 0
    for node, catalog_columns in models_in_catalog(docs):
        described = {
            name.lower()
            for name, column in node["columns"].items()
            if (column.get("description") or "").strip()
        }
        columns += len(catalog_columns)
        missing += [
            f"{node['name']}.{name}" for name in catalog_columns if name.lower() not in described
        ]
    assert columns > 1000
    assert missing == [], f"{len(missing)} columns without a description:\n" + "\n".join(missing)
