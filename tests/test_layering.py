"""The three layers, enforced on a static import graph of the project's own modules.

- the shared core, ``rcpdb.core``, imports no app of the project (nor the site, nor the project's
  settings and URLs);
- the data apps, ``processes`` and ``workshops``, build on the core; ``workshops`` may import
  ``processes``, never the reverse; neither reaches the site layer;
- the site layer, ``rcpdb.site``, assembles everything below it; only the project package's own
  modules (settings, URLs, WSGI/ASGI) sit above it.

Every check follows imports transitively (a module reaches what its imports reach), at any level,
including imports inside functions.
"""

import ast
import re
import sys
from pathlib import Path

import pytest

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


CORE = "rcpdb.core"
SITE = "rcpdb.site"
DATA_APPS = ("processes", "workshops")
# The project package's own modules, above every layer.
PROJECT_MODULES = {
    "rcpdb",
    "rcpdb.settings",
    "rcpdb.settings_for_tests",
    "rcpdb.urls",
    "rcpdb.wsgi",
    "rcpdb.asgi",
}


def layer(name):
    if name == CORE or name.startswith(CORE + "."):
        return "core"
    if name == SITE or name.startswith(SITE + "."):
        return "site"
    if name.split(".")[0] in DATA_APPS:
        return name.split(".")[0]
    if name in PROJECT_MODULES or name.startswith("rcpdb.formats"):
        return "project"
    return "misplaced"


def offenders(graph, modules_of, forbidden):
    """``{module: [forbidden modules it reaches]}`` for the modules ``modules_of`` selects."""
    found = {}
    for name in graph:
        if modules_of(name):
            bad = sorted(target for target in reachable(graph, name) if forbidden(target))
            if bad:
                found[name] = bad
    return found


def test_the_core_imports_no_app_nor_the_site():
    graph = build_graph()

    assert offenders(graph, lambda n: layer(n) == "core", lambda t: layer(t) != "core") == {}


def test_data_apps_never_reach_the_site_layer_or_the_project():
    graph = build_graph()

    assert (
        offenders(
            graph,
            lambda n: layer(n) in DATA_APPS,
            lambda t: layer(t) in ("site", "project", "misplaced"),
        )
        == {}
    )


def test_processes_never_reaches_workshops():
    graph = build_graph()

    assert offenders(graph, lambda n: layer(n) == "processes", lambda t: layer(t) == "workshops") == {}


def test_every_module_of_the_project_package_belongs_to_a_layer():
    modules = build_graph()

    assert sorted(name for name in modules if layer(name) == "misplaced") == []


def test_the_checks_see_the_real_graph():
    """The graph is not empty and knows the edges the layers are built on (a guard against a walker
    that silently finds nothing)."""
    graph = build_graph()

    assert "processes.filters" in graph
    assert "rcpdb.core.filtering" in graph["processes.filters"]
    assert "processes.models" in graph["workshops.models"]
    assert "workshops.search" in graph["rcpdb.site.search"]


def test_no_admin_module_is_imported_by_a_service():
    graph = build_graph()
    services = [name for name in graph if name.rsplit(".", 1)[-1] in ("services", "demo")]

    assert services
    assert sorted(m for name in services for m in graph[name] if "admin" in m) == []


def site_references(template_dir):
    """{template: [what names the site layer]} for the templates of one data app: a site template
    included or extended by name, a site tag library loaded, a site URL reversed."""
    site_libraries = {path.stem for path in (ROOT / "rcpdb" / "site" / "templatetags").glob("*.py")}
    site_libraries.discard("__init__")
    pattern = re.compile(
        r"""\{%\s*(?:include|extends)\s+["']site/[^"']*["']"""
        r"""|\{%\s*load\s+[^%]*\b(?:""" + "|".join(sorted(site_libraries)) + r""")\b[^%]*%\}"""
        r"""|\{%\s*url\s+["'](?:site|api):"""
    )
    found = {}
    for path in sorted((ROOT / "templates" / template_dir).rglob("*.html")):
        hits = pattern.findall(path.read_text(encoding="utf-8"))
        if hits:
            found[str(path.relative_to(ROOT))] = hits
    return found


@pytest.mark.parametrize("template_dir", ["processes", "workshops"])
def test_data_apps_templates_name_nothing_of_the_site_layer(template_dir):
    # The site's parts come in through the page_parts context (rcpdb/site/context_processors.py).
    assert site_references(template_dir) == {}


def test_the_template_check_finds_a_site_reference(tmp_path, monkeypatch):
    (tmp_path / "templates" / "processes").mkdir(parents=True)
    (tmp_path / "rcpdb" / "site" / "templatetags").mkdir(parents=True)
    (tmp_path / "rcpdb" / "site" / "templatetags" / "linked_data.py").write_text("")
    page = tmp_path / "templates" / "processes" / "page.html"
    page.write_text('{% load i18n linked_data %}{% include "site/_cite.html" %}{% url "site:feed" %}')
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)

    assert site_references("processes") == {
        "templates/processes/page.html": [
            "{% load i18n linked_data %}",
            '{% include "site/_cite.html"',
            '{% url "site:',
        ]
    }
