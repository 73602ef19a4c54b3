"""Dagster's webserver as the UI test drives it: its GraphQL API (the asset graph, check
results, materializations, launching a run, stopping a sensor) and the processes that
`dagster dev` starts, found by their DAGSTER_HOME so none is left running."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import dagster as dg

ASSET_GRAPH_QUERY = """
{
  assetNodes {
    assetKey { path }
    groupName
    assetChecksOrError { ... on AssetChecks { checks { name } } }
  }
}
"""

CHECK_RESULTS_QUERY = """
{
  assetNodes {
    assetKey { path }
    assetChecksOrError {
      ... on AssetChecks {
        checks {
          name
          executionForLatestMaterialization {
            runId
            status
            evaluation {
              success
              severity
              metadataEntries {
                label
                ... on IntMetadataEntry { intValue }
                ... on TextMetadataEntry { text }
              }
            }
          }
        }
      }
    }
  }
}
"""

MATERIALIZATION_QUERY = """
query($path: [String!]!) {
  assetOrError(assetKey: {path: $path}) {
    ... on Asset {
      assetMaterializations(limit: 1) {
        runId
        metadataEntries {
          label
          ... on IntMetadataEntry { intValue }
          ... on MarkdownMetadataEntry { mdStr }
          ... on PathMetadataEntry { path }
        }
      }
    }
  }
}
"""


def instance_at(home: Path) -> dg.DagsterInstance:
    """The instance of the settings in home/dagster.yaml, opened as the platform's processes
    open theirs, with DAGSTER_HOME naming home: the settings place the storage under
    DAGSTER_HOME (orchestration/dagster.yaml), which this test process may name otherwise."""
    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    try:
        return dg.DagsterInstance.from_config(str(home))
    finally:
        if previous is None:
            os.environ.pop("DAGSTER_HOME")
        else:
            os.environ["DAGSTER_HOME"] = previous


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Dagster:
    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        request = urllib.request.Request(
            f"{self.url}/graphql",
            data=json.dumps({"query": query, "variables": variables or {}}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            body = json.loads(response.read())
        assert "errors" not in body, body["errors"]
        return body["data"]

    def wait_until_loaded(self, timeout: float = 120) -> str:
        """The code location's name, once the webserver answers and the location loaded."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                data = self.graphql(
                    "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus"
                    " locationOrLoadError { __typename ... on PythonError { message } } } } } }"
                )
            except OSError:
                time.sleep(1)
                continue
            [entry] = data["workspaceOrError"]["locationEntries"]
            if entry["loadStatus"] == "LOADED":
                loaded = entry["locationOrLoadError"]
                assert loaded["__typename"] == "RepositoryLocation", loaded
                return entry["name"]
            time.sleep(1)
        raise TimeoutError(f"Dagster did not load the workspace within {timeout} s")

    def launch(self, location: str, job: str) -> str:
        data = self.graphql(
            """mutation($params: ExecutionParams!) {
              launchRun(executionParams: $params) {
                __typename
                ... on LaunchRunSuccess { run { runId } }
                ... on PythonError { message }
                ... on InvalidSubsetError { message }
              }
            }""",
            {
                "params": {
                    "selector": {
                        "repositoryLocationName": location,
                        "repositoryName": "__repository__",
                        "jobName": job,
                    },
                    "runConfigData": {},
                }
            },
        )["launchRun"]
        assert data["__typename"] == "LaunchRunSuccess", data
        return data["run"]["runId"]

    def wait_for_run(self, run_id: str, timeout: float = 600) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.graphql(
                "query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }",
                {"id": run_id},
            )["runOrError"]["status"]
            if status in {"SUCCESS", "FAILURE", "CANCELED"}:
                return status
            time.sleep(2)
        raise TimeoutError(f"Run {run_id} did not finish within {timeout} s")


def processes_with(home: Path) -> list[int]:
    """Every process whose environment names this DAGSTER_HOME: dagster dev, its webserver,
    daemon, code servers and run workers all inherit it."""
    marker = f"DAGSTER_HOME={home}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker in (proc / "environ").read_bytes().split(b"\0"):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def stop_sensor(dagster: Dagster, location: str, name: str) -> None:
    sensor = dagster.graphql(
        """query($selector: SensorSelector!) {
          sensorOrError(sensorSelector: $selector) { ... on Sensor { sensorState { id } } }
        }""",
        {
            "selector": {
                "repositoryLocationName": location,
                "repositoryName": "__repository__",
                "sensorName": name,
            }
        },
    )["sensorOrError"]
    stopped = dagster.graphql(
        """mutation($id: String!) {
          stopSensor(id: $id) { ... on StopSensorMutationResult { instigationState { status } } }
        }""",
        {"id": sensor["sensorState"]["id"]},
    )["stopSensor"]
    assert stopped["instigationState"]["status"] == "STOPPED"


def interrupt(launcher: subprocess.Popen, home: Path) -> list[int]:
    """Ctrl-C as a terminal sends it (to `make ui`, not to Dagster's own process group);
    the processes still running once the launcher has finished, killed so none stays."""
    launcher.send_signal(signal.SIGINT)
    try:
        launcher.wait(timeout=90)
    except subprocess.TimeoutExpired:
        launcher.kill()
    left = processes_with(home)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


def checks_by_key(data: dict) -> dict[tuple[str, str], dict]:
    return {
        ("/".join(node["assetKey"]["path"]), check["name"]): check
        for node in data["assetNodes"]
        for check in (node["assetChecksOrError"] or {}).get("checks", [])
    }


def latest_metadata(dagster: Dagster, path: list[str], run_id: str) -> dict:
    [materialization] = dagster.graphql(MATERIALIZATION_QUERY, {"path": path})["assetOrError"][
        "assetMaterializations"
    ]
    assert materialization["runId"] == run_id
    return {
        entry["label"]: entry.get("intValue", entry.get("mdStr", entry.get("path")))
        for entry in materialization["metadataEntries"]
    }
