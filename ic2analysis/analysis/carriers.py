"""Instruments that could carry a joint action on a subject topic, and why.

The cross-cutting instruments (co-funding mechanisms, S&T agreements, joint calls,
cooperation dialogues; ``instrument`` in clusters.csv) are no candidate topic. Each is
compared with every subject topic's profile (normalised mean TF-IDF row of its items): the
``per_topic`` most similar instruments above ``min_similarity`` are its carriers, with the
terms they share with the topic, and whether the instrument is already open to the other
region (reported by both desks, or of subtype ``cooperation``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.preprocessing import normalize

from .counterparts import top_terms

COLUMNS = ["label", "carrier_rank", "instrument_id", "instrument_title", "instrument_region",
           "similarity", "shared_terms", "why"]  # fmt: skip


def _flag(items: pd.DataFrame) -> np.ndarray:
    col = items["instrument"] if "instrument" in items else pd.Series(False, index=items.index)
    return col.astype(str).str.lower().isin(("true", "1")).to_numpy()


def _open(row: pd.Series) -> str:
    both = ";" in str(row.get("regions_reported", ""))
    coop = str(row.get("subtype", "")) == "cooperation"
    if both:
        return "reported by both desks: already joins Europe and China"
    if coop:
        return "a cooperation framework"
    return f"a {row['region']} instrument"


def carriers(
    items: pd.DataFrame,
    tfidf: sparse.csr_matrix,
    terms: np.ndarray,
    topics: list[str],
    per_topic: int,
    min_similarity: float,
    by: str = "label",
) -> pd.DataFrame:
    """The instruments most similar to each listed subject topic, with reasons."""
    x = sparse.csr_matrix(tfidf)
    inst = np.flatnonzero(_flag(items))
    labels = items[by].to_numpy()
    rows = []
    if not len(inst):
        return pd.DataFrame(columns=COLUMNS)
    for topic in topics:
        own = np.flatnonzero((labels == topic) & ~_flag(items))
        if not len(own):
            continue
        centre = normalize(sparse.csr_matrix(x[own].mean(axis=0)))
        sim = np.asarray((x[inst] @ centre.T).todense()).ravel()
        order = np.lexsort((items["id"].to_numpy()[inst], -np.round(sim, 10)))[:per_topic]
        order = order[sim[order] >= min_similarity]
        if not len(order):
            continue
        prod = x[inst[order]].multiply(sparse.vstack([centre] * len(order))).tocsr()
        shared = top_terms(prod, terms, 4)
        for k, (o, words) in enumerate(zip(order, shared, strict=True), start=1):
            row = items.iloc[inst[o]]
            why = f"close to the topic ({sim[o]:.2f}) on {words or 'general terms'}; {_open(row)}"
            rows.append({"label": topic, "carrier_rank": k, "instrument_id": row["id"],
                         "instrument_title": row["title"], "instrument_region": row["region"],
                         "similarity": round(float(sim[o]), 4), "shared_terms": words,
                         "why": why})  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS).rename(columns={"label": by})
