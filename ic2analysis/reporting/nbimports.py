"""Import the notebook libraries (nbformat, papermill, nbconvert) without an unused 1.4 s cost.

jsonschema, under nbformat, imports ``rfc3987_syntax`` when it is installed (jupyter-events,
needed by ``make lab``, pulls it in). That module builds an Earley grammar at import, 1.4 s in
every process that reads a notebook, only to check the "iri" string format, which no notebook
schema uses. Marked absent before the first import, jsonschema skips that one check.
"""

from __future__ import annotations

import sys

SKIPPED = "rfc3987_syntax"


def prepare() -> None:
    """Call before importing nbformat, papermill or nbconvert (a no-op once they are loaded)."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault(SKIPPED, None)
