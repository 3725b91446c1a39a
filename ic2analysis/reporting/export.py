"""Notebook export: standalone HTML pages, with and without code, that open offline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import paths
from . import nbimports

if TYPE_CHECKING:
    import nbformat


def export_html(nb: nbformat.NotebookNode, with_code: bool) -> str:
    """The notebook as a standalone HTML page (the reader version hides code cells)."""
    nbimports.prepare()
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="offline", extra_template_basedirs=[str(paths.RESOURCES / "nbconvert")]
    )
    if not with_code:
        exporter.exclude_input = True
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    return body


def warm_up() -> None:
    """Import nbconvert and render an empty notebook once, so that templates and filters are
    loaded (run in a thread while a notebook executes; the page itself is discarded)."""
    nbimports.prepare()
    import nbformat

    export_html(nbformat.v4.new_notebook(), with_code=True)
