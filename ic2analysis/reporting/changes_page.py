"""The page of what changed since a release (written by ``make diff``), in both languages."""

from __future__ import annotations

import pandas as pd

from .. import files, paths
from . import site


def write(out: paths.RunPaths, rev: str, table: pd.DataFrame, counts: dict) -> list[str]:
    """Write ``tables/changes.csv`` and ``changes.html`` / ``changes.zh.html``."""
    written = [files.write_csv(out.tables / "changes.csv", table)]
    rows = table.head(2000).to_dict("records")
    for lang in site.LANGS:
        page = site.render(
            "changes.html.j2",
            lang,
            root="",
            stem="changes",
            rev=rev,
            counts=counts,
            rows=rows,
            total=len(table),
            has_catalogue=True,
        )
        written.append(files.write_text(out.reports / site.page_name("changes", lang), page))
    return [paths.rel_to_root(p) for p in written]
