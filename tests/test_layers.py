"""Every import in partnernet points one way: no import circle, no module importing from a layer above it.

The imports are read from the source with :mod:`ast` (module-level and
function-level, relative and absolute), so an import hidden inside a function
to keep ``--help`` fast counts like any other. Layers, bottom to top:

====  ==========================================================================
0     leaves: errors, schema, defaults, text, slug, memo, names (and the package's
      ``__init__``, which holds only the version)
1     io
2     dataset, validate, load
3     graph, summary
4     metrics
5     views
6     export, render
7     publish
8     cli, __main__
====  ==========================================================================

A module may import from its own layer (if that makes no circle) or below.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent / "partnernet"

LAYERS: dict[str, int] = {
    "partnernet": 0, "errors": 0, "schema": 0, "defaults": 0, "text": 0, "slug": 0, "memo": 0, "names": 0,
    "io": 1,
    "dataset": 2, "validate": 2, "load": 2,
    "graph": 3, "summary": 3,
    "metrics": 4,
    "views": 5,
    "export": 6, "render": 6,
    "publish": 7,
    "cli": 8, "__main__": 8,
}

#: Imports allowed to break the rules: none (the publish/ package ended the pipeline <-> parallel circle).
#: Nothing may be added to it.
ALLOWED: frozenset[tuple[str, str]] = frozenset()


# --- the checker ---------------------------------------------------------------------------------


def module_name(path: Path, root: Path) -> str:
    """``partnernet/metrics/centrality.py`` -> ``partnernet.metrics.centrality`` (a package is its ``__init__``)."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool, known: Iterable[str]) -> set[str]:
    """The modules of ``known`` that ``source`` (the text of ``module``) imports, anywhere in it.

    ``from X import name`` counts as importing ``X.name`` when that is a module, else ``X``.
    """
    known = set(known)
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()

    def add(name: str) -> None:
        while name and name not in known:  # `import partnernet.io.csvread.x` -> the nearest known module
            name = name.rpartition(".")[0]
        if name:
            found.add(name)

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                add(sub if sub in known else target)
    found.discard(module)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the package's modules it imports."""
    files = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    return {m: imported_modules(p.read_text(encoding="utf-8"), m, p.name == "__init__.py", files)
            for m, p in files.items()}


def layer(module: str, layers: Mapping[str, int] = LAYERS) -> int:
    """The layer of a module: that of its first component below ``partnernet``."""
    parts = module.split(".")
    return layers[parts[1] if len(parts) > 1 else parts[0]]


def upward_imports(graph: Mapping[str, set[str]], layers: Mapping[str, int] = LAYERS,
                   allowed: frozenset[tuple[str, str]] = frozenset()) -> list[tuple[str, str]]:
    """Every import of a module from a higher layer, sorted."""
    return sorted((a, b) for a, targets in graph.items() for b in targets
                  if layer(b, layers) > layer(a, layers) and (a, b) not in allowed)


def import_circles(graph: Mapping[str, set[str]], allowed: frozenset[tuple[str, str]] = frozenset()) -> list[list[str]]:
    """The strongly connected groups of modules (each an import circle), sorted."""
    g = nx.DiGraph()
    g.add_nodes_from(graph)
    g.add_edges_from((a, b) for a, targets in graph.items() for b in targets if (a, b) not in allowed)
    return sorted(sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1)


# --- the package ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph():
    return import_graph(ROOT)


def test_every_module_has_a_layer(graph):
    unknown = sorted(m for m in graph if (m.split(".") + [""])[1] not in LAYERS and m != "partnernet")
    assert unknown == [], "give these modules a layer in LAYERS (and the README's Design section)"


def test_no_import_circle(graph):
    assert import_circles(graph, ALLOWED) == []


def test_no_module_imports_from_a_layer_above(graph):
    assert upward_imports(graph, allowed=ALLOWED) == []


def test_the_allow_list_holds_only_imports_that_exist(graph):
    """An allowed import that is gone must leave the list (so the list only shrinks)."""
    assert sorted(e for e in ALLOWED if e[1] not in graph.get(e[0], set())) == []


def test_leaves_import_only_leaves(graph):
    leaves = [m for m in graph if layer(m) == 0]
    assert sorted((a, b) for a in leaves for b in graph[a] if layer(b) != 0) == []


# --- the checker itself, on small fake packages -----------------------------------------------------


FAKE_LAYERS = {"pkg": 0, "low": 0, "mid": 1, "top": 2}


def test_checker_finds_an_upward_import_and_a_circle():
    graph = {"pkg.low": {"pkg.mid"}, "pkg.mid": {"pkg.top", "pkg.low"}, "pkg.top": {"pkg.mid"}}
    assert upward_imports(graph, FAKE_LAYERS) == [("pkg.low", "pkg.mid"), ("pkg.mid", "pkg.top")]
    assert import_circles(graph) == [["pkg.low", "pkg.mid", "pkg.top"]]
    allowed = frozenset({("pkg.low", "pkg.mid"), ("pkg.top", "pkg.mid")})
    assert import_circles(graph, allowed) == []
    assert upward_imports(graph, FAKE_LAYERS, allowed) == [("pkg.mid", "pkg.top")]


def test_checker_accepts_a_clean_graph():
    graph = {"pkg.low": set(), "pkg.mid": {"pkg.low"}, "pkg.top": {"pkg.mid", "pkg.low"}}
    assert upward_imports(graph, FAKE_LAYERS) == [] and import_circles(graph) == []


def test_checker_reads_every_kind_of_import(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "low.py").write_text("X = 1\n")
    (pkg / "top.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from .inner import f\n")
    (pkg / "sub" / "inner.py").write_text("def f():\n    from ..top import y\n    return y\n")
    (pkg / "mid.py").write_text("import pkg.low\nfrom . import sub\nfrom .sub import inner\n"
                                "def g():\n    import pkg.top as t\n    return t\n")
    graph = import_graph(pkg)
    assert graph["pkg.mid"] == {"pkg.low", "pkg.sub", "pkg.sub.inner", "pkg.top"}
    assert graph["pkg.sub"] == {"pkg.sub.inner"}
    assert graph["pkg.sub.inner"] == {"pkg.top"}  # a function-level relative import counts
    layers = {"pkg": 0, "low": 0, "top": 0, "sub": 1, "mid": 2}
    assert upward_imports(graph, layers) == []
    layers["top"] = 3
    assert upward_imports(graph, layers) == [("pkg.mid", "pkg.top"), ("pkg.sub.inner", "pkg.top")]
