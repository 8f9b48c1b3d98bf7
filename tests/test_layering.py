"""Dependencies run one way: workshops → processes, and the site (rcpdb) → both.

A static import graph of the project's own modules: no module of ``processes`` may reach ``workshops``,
directly or through a shared module (e.g. a helper in ``rcpdb`` that itself imports ``workshops``).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("processes", "workshops", "rcpdb")


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_imports(path):
    """The project modules a file imports (at any level, including inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            names = [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(name for name in names if name.split(".")[0] in PACKAGES)
    return found


def build_graph():
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                modules[module_name(path)] = path
    return {name: {m for m in project_imports(path) if m in modules} for name, path in modules.items()}


def reachable(graph, start):
    seen, todo = set(), [start]
    while todo:
        current = todo.pop()
        for target in graph.get(current, ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_processes_never_reaches_workshops():
    graph = build_graph()

    offenders = {
        name: sorted(m for m in reachable(graph, name) if m.split(".")[0] == "workshops")
        for name in graph
        if name.split(".")[0] == "processes"
    }

    assert {name: mods for name, mods in offenders.items() if mods} == {}


def test_core_history_helpers_import_no_rcpdb_app():
    graph = build_graph()

    apps = {"processes", "workshops"}
    reached = reachable(graph, "rcpdb.core.history")

    assert sorted(m for m in reached if m.split(".")[0] in apps or m.startswith("rcpdb.site")) == []


def test_no_admin_module_is_imported_by_a_service():
    graph = build_graph()

    assert sorted(m for m in graph["workshops.services"] if "admin" in m) == []
