"""The platform's Python reads one way: no import loop, and no import that climbs back.

Every module under orchestration/ is parsed (not imported) and each import of an
orchestration module is an edge, wherever it stands: at the top, in a function, or under
TYPE_CHECKING (a type-only import that climbs back still ties the lower floor to the upper).
Importing a module runs its package's __init__, but that is not counted as an edge.

The floors, from the ground up (a module may import its own floor and those below):
 0. settings, sources, operations, run_checks, event_store: paths, the source registry,
    operations.yaml, run records, Dagster's event storage; no platform import above them.
 1. privacy: the pseudonymisation key, its checks, pseudonyms and clear parts.
 2. resources, alerts: what every step is given (warehouse, data folders, dbt, key) and the
    run-failure alert.
 3. expected, benchmarks: the statistics dbt's Python models call; they import no stage.
 4. ingest: landing, formats, the loader, the ingestion assets, freshness and the sensor
    (which names its job rather than importing it).
 5. retention: deletes from raw what the policy no longer keeps, after ingestion.
 6. transform: the dbt assets, which run after retention.
 7. quality: checks on what ingestion and dbt built.
 8. outputs, partnership: files built from the marts, and the partnership stage between the
    questions register and the briefing (its template, returns, marts and audit sample), which
    reads outputs and is read by them.
 9. automation: the jobs over every asset, schedules, the executor.
10. definitions: every stage's Definitions, merged.
11. cli, ui: the command line and the UI launcher, which load the definitions.
"""

import ast
from pathlib import Path

from tests.conftest import PROJECT_ROOT

PACKAGE = "orchestration"
FLOORS = [
    {"settings", "sources", "operations", "run_checks", "event_store"},
    {"privacy"},
    {"resources", "alerts"},
    {"expected", "benchmarks"},
    {"ingest"},
    {"retention"},
    {"transform"},
    {"quality"},
    {"outputs", "partnership"},
    {"automation"},
    {"definitions"},
    {"cli", "ui"},
]
FLOOR_OF = {part: floor for floor, parts in enumerate(FLOORS) for part in parts}


def module_files() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    modules = {}
    for path in (PROJECT_ROOT / PACKAGE).rglob("*.py"):
        parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def imported_modules(path: Path, modules: dict[str, Path]) -> set[str]:
    """The orchestration modules a file imports: `from a.b import c` is a.b.c when c is a
    module, else a.b."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if name in modules else node.module)
    return {name for name in found if name in modules}


def import_graph() -> dict[str, set[str]]:
    modules = module_files()
    return {
        name: imported_modules(path, modules) - {name} for name, path in sorted(modules.items())
    }


def floor(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:  # the package itself
        return 0
    assert parts[1] in FLOOR_OF, f"{module} is on no floor: add orchestration.{parts[1]} to FLOORS"
    return FLOOR_OF[parts[1]]


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for imported in graph[todo.pop()] - seen:
            seen.add(imported)
            todo.append(imported)
    return seen


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import one another, each through the others: a module is
    in a group with every module it reaches and is reached from."""
    reach = {module: reachable(graph, module) for module in graph}
    groups = {
        tuple(sorted({module} | {m for m in reach[module] if module in reach[m]}))
        for module in graph
        if module in reach[module]
    }
    return [list(group) for group in sorted(groups)]


def test_every_module_is_on_a_floor_and_imports_nothing_above_it():
    graph = import_graph()
    climbing = [
        f"{module} (floor {floor(module)}) imports {imported} (floor {floor(imported)})"
        for module, imports in graph.items()
        for imported in sorted(imports)
        if floor(imported) > floor(module)
    ]
    assert not climbing, "\n".join(climbing)


def test_no_module_imports_itself_through_others():
    found = loops(import_graph())
    assert not found, "\n".join(" <-> ".join(group) for group in found)


def test_the_checks_see_what_they_look_for():
    """The parser finds the imports the checks rest on, and the loop search finds a loop."""
    graph = import_graph()
    assert "orchestration.privacy.pseudonymise" in graph["orchestration.resources"]
    assert "orchestration.definitions" in graph["orchestration.cli.run"]  # inside a function
    assert "orchestration.ingest.delivered" in graph["orchestration.ingest.robust"]  # typing
    assert loops({"a": {"b"}, "b": {"c", "d"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]
    assert floor("orchestration.ingest.loader") < floor("orchestration.transform.assets")
