"""Tables that summarise a cleaning run: per-file outcomes, merges, counts, completeness."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import pandas as pd

from ..text import REGIONS

if TYPE_CHECKING:
    from .clean import CleanResult

ROW_OUTCOMES = ("kept", "merged", "rejected")  # one per raw row; 'warning' and 'info' are notes


def by_file(result: CleanResult) -> pd.DataFrame:
    """Per file and in total: raw rows, kept, merged, rejected and warnings (for the index)."""
    log = result.log
    rows = []
    for name in [*result.files, "total"]:
        part = log if name == "total" else log[log["file"] == name]
        c = Counter(part["outcome"])
        raw = sum(c[o] for o in ROW_OUTCOMES)
        rows.append({"file": name, "raw": raw, **{o: c[o] for o in ROW_OUTCOMES}})
        rows[-1]["warnings"] = c["warning"]
    return pd.DataFrame(rows, columns=["file", "raw", *ROW_OUTCOMES, "warnings"])


def merges(result: CleanResult) -> pd.DataFrame:
    """Rows merged into another item, with the item they were merged into."""
    m = result.log[result.log["outcome"] == "merged"]
    return m[["file", "row", "raw_id", "title", "item_id", "reason"]].reset_index(drop=True)


def region_kind(table: pd.DataFrame) -> pd.DataFrame:
    """Items by region and kind, with totals."""
    tab = pd.crosstab(table["region"], table["kind"], margins=True, margins_name="total")
    return tab.reset_index().rename_axis(columns=None)


COMPLETENESS_FIELDS = (
    "title_local",
    "acronym",
    "subtype",
    "year_start",
    "year_end",
    "lead_body",
    "status",
    "doc_no",
    "amount",
    "scale",
    "perspectives",
    "keywords",
)


def completeness(table: pd.DataFrame) -> pd.DataFrame:
    """Share of items per region with a value in each optional field (field x region)."""
    filled = table[list(COMPLETENESS_FIELDS)].apply(
        lambda c: (
            c.notna() & (c.astype(str) != "")
            if c.dtype == object or str(c.dtype) in ("str", "string")
            else c.notna()
        )
    )
    out = filled.groupby(table["region"]).mean().T.round(3)
    out.index.name = "field"
    return out[[r for r in REGIONS if r in out.columns]]


def findings(result: CleanResult) -> list[str]:
    """What notebook 01 found, in sentences written from the run's own numbers."""
    c, t = result.counts, result.table
    lines = [
        f"{c['raw']} raw rows were read: {c['kept']} items kept, {c['merged']} merged into an "
        f"item reported by another row, {c['rejected']} rejected, and {c.get('warnings', 0)} "
        "warnings on kept rows (all in tables/cleaning_log.csv)."
    ]
    per_region = t.groupby("region").size()
    lines.append("Items per region: " + ", ".join(f"{r} {n}" for r, n in per_region.items()) + ".")
    no_year = t.groupby("region")["year_start"].apply(lambda s: int(s.isna().sum()))
    lines.append(
        "Items without a confirmed start year (left empty, not guessed): "
        + ", ".join(f"{r} {n}" for r, n in no_year.items())
        + "."
    )
    both = int((t["regions_reported"].astype(str).str.contains(";")).sum())
    if both:
        lines.append(f"{both} items were reported by both desks and are kept once.")
    return lines
