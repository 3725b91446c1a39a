"""The notebook libraries load without the unused IRI grammar, and still validate notebooks."""

import subprocess
import sys

CHECK = """
import sys
from ic2analysis.reporting import nbimports
nbimports.prepare()
import nbformat
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
nbformat.validate(nb)
nb.cells[0]["cell_type"] = "not a cell type"
try:
    nbformat.validate(nb)
except nbformat.ValidationError:
    print("rejected")
print(sys.modules["rfc3987_syntax"])
"""


def test_prepare_skips_the_grammar_and_validation_still_works():
    out = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["rejected", "None"]


def test_prepare_changes_nothing_once_jsonschema_is_loaded(monkeypatch):
    import jsonschema  # noqa: F401

    from ic2analysis.reporting import nbimports

    monkeypatch.delitem(sys.modules, nbimports.SKIPPED, raising=False)
    nbimports.prepare()
    assert nbimports.SKIPPED not in sys.modules
