"""How close two bodies' subjects are: soft topic memberships and topic-space similarity.

A body's subjects are the consensus topics of the items it leads. Counting only identical
topic labels misses bodies whose items sit in neighbouring topics (a biobank infrastructure
and a genome bank), so the comparison is soft on two counts:

- **memberships**: an item's share of the topic bootstraps (``topic_bootstraps.csv``) in
  which it falls in each consensus topic, a bootstrap topic standing for the consensus topic
  it shares most items with. An item on a topic border is split between its topics; an item
  no bootstrap saw (an instrument, or outside the stability sample) belongs wholly to its own.
- **kernel**: two topics are as close as their centres in the LSA space of notebook 02
  (cosine of the unit mean rows, clipped at 0; 1 on the diagonal).

A body's profile is the sum of its items' memberships; two bodies' topic overlap is the soft
cosine of their profiles under the kernel (Sidorov et al. 2014): ``a'Kb / sqrt(a'Ka b'Kb)``,
which is the plain cosine when the kernel is the identity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def counts(rows: pd.Series, cols: pd.Series, normalize: bool = False) -> pd.DataFrame:
    """``pd.crosstab(rows, cols)`` (sorted labels, rows' share with ``normalize``), counted
    with one bincount instead of a Python call per cell group."""
    keep = (rows.notna() & cols.notna()).to_numpy()
    r, r_labels = pd.factorize(rows[keep], sort=True)
    c, c_labels = pd.factorize(cols[keep], sort=True)
    flat = np.bincount(r * len(c_labels) + c, minlength=len(r_labels) * len(c_labels))
    table = pd.DataFrame(
        flat.reshape(len(r_labels), len(c_labels)).astype(np.int64),
        index=pd.Index(r_labels, name=rows.name),
        columns=pd.Index(c_labels, name=cols.name),
    )
    return table.div(table.sum(axis=1), axis=0) if normalize else table


def hard(items: pd.DataFrame) -> pd.DataFrame:
    """One row per item (index ``id``), one column per topic name: 1 for its own topic."""
    named = items[items["name_en"] != ""]
    table = counts(named["id"], named["name_en"]).astype(float)
    return table.reindex(columns=sorted(table.columns), fill_value=0.0)


def memberships(items: pd.DataFrame, bootstraps: pd.DataFrame | None) -> pd.DataFrame:
    """Each item's share of bootstraps per consensus topic (``items``: id, cluster, name_en)."""
    base = hard(items)
    if bootstraps is None or bootstraps.empty or "cluster" not in items.columns:
        return base
    own = items[["id", "cluster"]].astype({"cluster": int})
    names = items.drop_duplicates("cluster").set_index("cluster")["name_en"]
    seen = bootstraps.merge(own, on="id")
    sizes = seen.groupby(["bootstrap", "topic", "cluster"]).size().rename("n").reset_index()
    sizes = sizes.sort_values(["bootstrap", "topic", "n", "cluster"], ascending=[1, 1, 0, 1])
    aligned = sizes.groupby(["bootstrap", "topic"]).head(1).rename(columns={"cluster": "to"})
    seen = seen.merge(aligned[["bootstrap", "topic", "to"]], on=["bootstrap", "topic"])
    seen["name_en"] = seen["to"].map(names)
    soft = counts(seen["id"], seen["name_en"], normalize=True)
    soft = soft.reindex(columns=base.columns, fill_value=0.0)
    out = base.copy()
    rows = soft.index.intersection(out.index)
    out.loc[rows] = soft.loc[rows].to_numpy()
    return out


def kernel(items: pd.DataFrame, space: np.ndarray, topics: list[str]) -> pd.DataFrame:
    """Topic x topic closeness: cosine of the topics' LSA centres, clipped at 0."""
    labels = items["name_en"].to_numpy()
    centres = np.vstack([space[labels == t].mean(axis=0) for t in topics])
    centres /= np.linalg.norm(centres, axis=1, keepdims=True).clip(1e-12)
    k = np.clip(centres @ centres.T, 0.0, 1.0)
    np.fill_diagonal(k, 1.0)
    return pd.DataFrame(k.round(6), index=topics, columns=topics)


def soft_cosine(a: np.ndarray, b: np.ndarray, k: np.ndarray) -> float:
    """``a'Kb / sqrt(a'Ka b'Kb)``; 0 when either profile is empty."""
    na, nb = float(a @ k @ a), float(b @ k @ b)
    return float(a @ k @ b / np.sqrt(na * nb)) if na > 0 and nb > 0 else 0.0
