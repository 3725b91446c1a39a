"""The import scan behind staleness keys: statements only, never fewer modules than a full walk."""

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
        full = _full_walk(code, str(path), name)
        assert found >= full, path  # never less than the parse
        # more only where a docstring shows an import line (e.g. progress.py's usage example)
        docs = ast.get_docstring(ast.parse(code)) or ""
        assert all(m.rsplit(".", 1)[0] in docs for m in found - full), (path, found - full)


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


def test_the_line_scan_parses_only_import_statements_and_agrees_with_the_full_parse() -> None:
    code = (
        b'"""Docs.\n\nimport nothing here: this line does not parse alone.\n"""\n'
        b"from ic2analysis import (\n    a,\n    b,\n)\nimport ic2analysis.c, \\\n"
        b"    ic2analysis.d\nx = 1\n"
    )
    assert staleness._import_statements(code) is None  # the docstring line: full parse
    plain = (
        b"from ic2analysis import (\n    a,\n    b,\n)\n"
        b"import ic2analysis.c, \\\n    ic2analysis.d\n"
    )
    statements = staleness._import_statements(plain + b"def f():\n    from . import e\n")
    assert statements is not None and len(statements) == 3
    found = staleness._imports_in(plain, "m.py", "ic2analysis.m")
    assert found == _full_walk(plain, "m.py", "ic2analysis.m")
    assert {"ic2analysis.a", "ic2analysis.b", "ic2analysis.c", "ic2analysis.d"} <= found


def test_an_import_after_a_colon_on_one_line_sends_the_file_to_the_full_parse() -> None:
    code = b"try: import ic2analysis.a\nexcept ImportError: pass\nif x: from ic2analysis import b\n"
    assert staleness._import_statements(code) is None
    found = staleness._imports_in(code, "m.py", "ic2analysis.m")
    assert {"ic2analysis.a", "ic2analysis.b"} <= found


def test_the_notebooks_imports_agree_with_the_full_parse() -> None:
    for path in sorted(paths.NOTEBOOKS.glob("*.py")):
        code = path.read_bytes()
        assert staleness._import_statements(code) is not None, path  # the fast path
        name = "notebooks." + path.stem
        assert staleness._imports_in(code, str(path), name) == _full_walk(code, str(path), name)
