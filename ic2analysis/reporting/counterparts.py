"""Each item's closest items in the other region, as the catalogue lists them.

Reads what the bridges step wrote: ``counterparts_by_item`` (one row per item and
counterpart) when it exists, else the Europe-China ``pairs`` of the top opportunities.
"""

from __future__ import annotations

import pandas as pd

ITEM_COLUMNS = (("id", "counterpart_id"), ("item_id", "counterpart_id"))


def _long(table: pd.DataFrame) -> pd.DataFrame:
    """Rows of (id, other, similarity) in both directions."""
    for a, b in ITEM_COLUMNS:
        if {a, b} <= set(table.columns):
            sim = table["similarity"] if "similarity" in table.columns else ""
            return pd.DataFrame({"id": table[a], "other": table[b], "similarity": sim})
    if {"europe_id", "china_id"} <= set(table.columns):
        sim = table["similarity"] if "similarity" in table.columns else ""
        there = pd.DataFrame(
            {"id": table["europe_id"], "other": table["china_id"], "similarity": sim}
        )
        back = pd.DataFrame(
            {"id": table["china_id"], "other": table["europe_id"], "similarity": sim}
        )
        return pd.concat([there, back], ignore_index=True)
    raise ValueError(
        "counterpart table: expected columns id + counterpart_id, or europe_id + china_id; "
        f"found {', '.join(table.columns)}"
    )


def by_item(table: pd.DataFrame | None, top: int = 3) -> dict[str, list[tuple[str, str]]]:
    """``{id: [(counterpart id, similarity as written), ...]}``, most similar first."""
    if table is None or table.empty:
        return {}
    rows = _long(table)
    rows = rows[(rows["id"] != "") & (rows["other"] != "")]
    rows = rows.assign(_s=pd.to_numeric(rows["similarity"], errors="coerce").fillna(0.0))
    rows = rows.sort_values(["id", "_s", "other"], ascending=[True, False, True], kind="stable")
    rows = rows.drop_duplicates(["id", "other"])
    out: dict[str, list[tuple[str, str]]] = {}
    for item, sub in rows.groupby("id", sort=True):
        out[str(item)] = list(zip(sub["other"].head(top), sub["similarity"].head(top), strict=True))
    return out
