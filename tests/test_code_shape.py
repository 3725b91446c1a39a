"""Small modules with one job: no module over ~300 lines, no function over 60 (issue #17).

``config.py`` is exempt from the module limit: it is declarative, one field per parameter of
every notebook, and splitting it would scatter the one definition of the parameters.
"""

import ast

import pytest

from ic2analysis import paths

PACKAGE = paths.ROOT / "ic2analysis"
MAX_MODULE_LINES = 320
MAX_FUNCTION_LINES = 60
EXEMPT = {"config.py"}
MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_and_function_sizes(module):
    text = module.read_text(encoding="utf-8")
    if module.name not in EXEMPT:
        assert len(text.splitlines()) <= MAX_MODULE_LINES
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []
