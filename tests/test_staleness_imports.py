"""The import scan behind staleness keys: statements only, the same modules as a full walk."""

from __future__ import annotations

import ast

from ic2analysis import paths, staleness


def _full_walk(code: bytes, filename: str, name: str) -> frozenset[str]:
    """The reference: every node of the tree, as before the statement-only scan."""
    is_pkg = filename.endswith("__init__.py")
    here = name.split(".") if is_pkg else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(code, filename=filename)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = here[: len(here) - node.level + 1] if node.level else []
            base = ".".join(parts + ([node.module] if node.module else []))
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return frozenset(m for m in found if m == "ic2analysis" or m.startswith("ic2analysis."))


def test_statement_scan_finds_the_same_imports_in_every_package_module() -> None:
    root = paths.ROOT / "ic2analysis"
    modules = sorted(root.rglob("*.py"))
    assert len(modules) > 50
    for path in modules:
        rel = path.relative_to(paths.ROOT).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        code = path.read_bytes()
        found = staleness._imports_in(code, str(path), name)
        assert found == _full_walk(code, str(path), name), path


def test_imports_nested_in_blocks_are_found() -> None:
    code = (
        b"def f():\n    try:\n        import ic2analysis.a\n    except ImportError:\n"
        b"        from ic2analysis import b\n    finally:\n        pass\n"
        b"class C:\n    if True:\n        pass\n    else:\n        import ic2analysis.c\n"
        b"match x:\n    case 1:\n        import ic2analysis.d\n"
        b"with open('f') as g:\n    for i in g:\n        import ic2analysis.e\n"
    )
    found = staleness._imports_in(code, "m.py", "ic2analysis.m")
    assert {f"ic2analysis.{m}" for m in "abcde"} <= found
