"""The package's imports follow the data's one-way flow and have no cycle (grimp's graph).

Layers, from the bottom: core (paths, files, errors, config, params, text, progress, forked,
gcpause) <- cleaning <- analysis <- reporting (which may read analysis tables through
``analysis.store`` but never import a module that computes) <- orchestration (runner,
runstate, sweep, paramfiles, cli).
"""

from __future__ import annotations

import itertools

import grimp
import pytest

PKG = "ic2analysis"
CORE = {
    f"{PKG}.{m}"
    for m in (
        "paths",
        "files",
        "errors",
        "config",
        "params",
        "text",
        "progress",
        "forked",
        "gcpause",
    )
}
READABLE_ANALYSIS = {f"{PKG}.analysis.store"}  # tables only: reporting may import it


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(PKG, cache_dir=None, exclude_type_checking_imports=True)


def layer(module: str) -> str:
    parts = module.split(".")
    if module in CORE or module == PKG:
        return "core"
    if len(parts) > 1 and parts[1] in ("cleaning", "analysis", "reporting"):
        return parts[1]
    return "orchestration"


FORBIDDEN = {
    "core": {"cleaning", "analysis", "reporting", "orchestration"},
    "cleaning": {"analysis", "reporting", "orchestration"},
    "analysis": {"reporting", "orchestration"},
    "reporting": {"orchestration"},
}


def test_no_import_points_up_the_flow(graph):
    bad = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            a, b = layer(importer), layer(imported)
            if b in FORBIDDEN.get(a, set()):
                bad.append(f"{importer} ({a}) imports {imported} ({b})")
            if a == "reporting" and b == "analysis" and imported not in READABLE_ANALYSIS:
                bad.append(f"{importer} imports {imported}, which computes an analysis")
    assert not bad, "\n".join(bad)


def test_no_import_cycle(graph):
    modules = sorted(m for m in graph.modules if m != PKG)
    cycles = [
        " -> ".join(graph.find_shortest_chain(a, b) + graph.find_shortest_chain(b, a)[1:])
        for a, b in itertools.combinations(modules, 2)
        if graph.chain_exists(a, b) and graph.chain_exists(b, a)
    ]
    assert not cycles, "\n".join(cycles)


@pytest.mark.parametrize(
    ("importer", "imported", "check"),
    [
        ("cleaning.clean", "reporting.figures", test_no_import_points_up_the_flow),
        ("reporting.report", "analysis.topics", test_no_import_points_up_the_flow),
        ("paths", "cli", test_no_import_cycle),
    ],
)
def test_the_checks_catch_what_they_forbid(graph, importer, imported, check):
    """The rules are not vacuous: an added arrow up the flow, or a cycle, is caught."""
    a, b = f"{PKG}.{importer}", f"{PKG}.{imported}"
    graph.add_import(importer=a, imported=b)
    try:
        with pytest.raises(AssertionError, match=importer):
            check(graph)
    finally:
        graph.remove_import(importer=a, imported=b)
