"""Gaps that check themselves.

A topic is a gap candidate when one region's share is at least ``gap_ratio`` times the
other's. The check: the topic's profile is the normalised mean TF-IDF row of the leading
region's items in it; the other region's items are compared with it by cosine. A gap is
claimed only when the other region's nearest item is below ``gap_similarity``; otherwise the
row says "present, classified elsewhere" (or "present, fewer items" when the nearest items
sit in the topic itself) and names the nearest items. Perspective gaps come from the experts'
coding, not from the clustering, so they are kept as coded and marked so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.preprocessing import normalize

from .advantage import REGIONS, balance

GAP = "gap"
ELSEWHERE = "present, classified elsewhere"
FEWER = "present, fewer items"
CODED = "coded perspective (not checked by text)"


def counts(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Items per ``by`` value and region, with each region's share and the balance."""
    tab = pd.crosstab(frame[by], frame["region"]).reindex(columns=list(REGIONS), fill_value=0)
    totals = tab.sum(axis=0).replace(0, 1)
    out = tab.rename(columns={"Europe": "n_europe", "China": "n_china"})
    out["share_europe"] = (tab["Europe"] / totals["Europe"]).round(4)
    out["share_china"] = (tab["China"] / totals["China"]).round(4)
    out["balance"] = [
        round(balance(a, b), 4)
        for a, b in zip(out["share_europe"], out["share_china"], strict=True)
    ]
    return out.reset_index().rename_axis(columns=None)


def candidates(frame: pd.DataFrame, ratio: float, by: str = "label") -> pd.DataFrame:
    """Values where one region's share is at least ``ratio`` times the other's."""
    c = counts(frame, by)
    hi = np.maximum(c["share_europe"], c["share_china"])
    lo = np.minimum(c["share_europe"], c["share_china"])
    mask = hi >= ratio * lo
    out = c[mask].copy()
    out["leading_region"] = np.where(out["share_europe"] >= out["share_china"], "Europe", "China")
    out["share_ratio"] = (hi[mask] / lo[mask].replace(0, np.nan)).round(2)
    return (
        out.rename(columns={by: "value"})
        .sort_values(["share_ratio", "value"], ascending=[False, True], na_position="first")
        .reset_index(drop=True)
    )


def nearest_to_topic(
    items: pd.DataFrame, tfidf: sparse.csr_matrix, topic: str, lead: str, n: int, by: str
) -> pd.DataFrame:
    """The other region's ``n`` items closest to the profile of ``lead``'s items in ``topic``."""
    x = sparse.csr_matrix(tfidf)
    region, labels = items["region"].to_numpy(), items[by].to_numpy()
    own = np.flatnonzero((labels == topic) & (region == lead))
    other = np.flatnonzero(region != lead)
    if not len(own) or not len(other):
        return pd.DataFrame(columns=["id", "similarity", by])
    centre = normalize(sparse.csr_matrix(x[own].mean(axis=0)))
    sim = np.asarray((x[other] @ centre.T).todense()).ravel()
    order = np.lexsort((items["id"].to_numpy()[other], -np.round(sim, 10)))[:n]
    pick = items.iloc[other[order]]
    return pd.DataFrame(
        {"id": pick["id"].to_numpy(), "similarity": np.round(sim[order], 4),
         by: pick[by].to_numpy()}
    )  # fmt: skip


def checked(
    items: pd.DataFrame, tfidf: sparse.csr_matrix, params: dict, by: str = "label"
) -> pd.DataFrame:
    """Topic gap candidates with their check: status, nearest other-region items, similarity."""
    cand = candidates(items, float(params["gap_ratio"]), by)
    thr = float(params["gap_similarity"])
    rows = []
    for r in cand.itertuples():
        near = nearest_to_topic(items, tfidf, r.value, r.leading_region, 3, by)
        best = float(near["similarity"].max()) if len(near) else 0.0
        above = near[near["similarity"] >= thr]
        if not len(above):
            status = GAP
        elif (above[by] == r.value).all():
            status = FEWER
        else:
            status = ELSEWHERE
        named = "; ".join(f"{i} ({s:.2f}, {t})" for i, s, t in near.itertuples(index=False))
        rows.append({"status": status, "nearest_similarity": round(best, 4),
                     "nearest_other_items": named})  # fmt: skip
    check = pd.DataFrame(rows, columns=["status", "nearest_similarity", "nearest_other_items"])
    return pd.concat([cand.reset_index(drop=True), check], axis=1).assign(dimension="topic")


def table(
    items: pd.DataFrame,
    tfidf: sparse.csr_matrix,
    persp: pd.DataFrame,
    params: dict,
    by: str = "label",
) -> pd.DataFrame:
    """``gaps.csv``: checked topic gaps, then coded perspective gaps."""
    topic = checked(items, tfidf, params, by)
    p = candidates(persp, float(params["gap_ratio"]), "perspective_name").assign(
        dimension="perspective", status=CODED, nearest_similarity=np.nan, nearest_other_items=""
    )
    cols = ["dimension", "value", "status", "n_europe", "n_china", "share_europe",
            "share_china", "balance", "leading_region", "share_ratio", "nearest_similarity",
            "nearest_other_items"]  # fmt: skip
    return pd.concat([topic, p], ignore_index=True).reindex(columns=cols)
