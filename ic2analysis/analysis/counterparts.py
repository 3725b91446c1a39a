"""Counterparts for every item: its most similar items of the other region.

Never n x n: candidates come from the small LSA space of the topics step (blocks of query
rows against the other region, the ``candidates`` nearest kept per row), then they are
re-ranked by the cosine of their TF-IDF rows (computed only for those candidate pairs), and
the ``per_item`` best are kept with the terms that make them similar. Memory stays at about
``block_cells`` similarities; time grows as n_a * n_b * (LSA components), which at 100k
items is a few seconds (``benchmarks/bench.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

COLUMNS = [
    "id", "region", "rank", "counterpart_id", "counterpart_region", "similarity",
    "shared_terms", "topic", "counterpart_topic", "title", "counterpart_title",
]  # fmt: skip


def _candidates(za: np.ndarray, zb: np.ndarray, m: int, block_cells: int) -> np.ndarray:
    """(len(za), m) indices of the rows of zb nearest to each row of za (LSA cosine)."""
    m = min(m, zb.shape[0])
    step = max(1, block_cells // max(zb.shape[0], 1))
    out = np.empty((za.shape[0], m), dtype=np.int64)
    for start in range(0, za.shape[0], step):
        s = za[start : start + step] @ zb.T
        out[start : start + step] = np.argpartition(-s, m - 1, axis=1)[:, :m]
    return out


def _pair_cosines(xa: sparse.csr_matrix, xb: sparse.csr_matrix, i, j) -> sparse.csr_matrix:
    """Row k = elementwise product of xa[i[k]] and xb[j[k]] (its sum is their cosine)."""
    return xa[i].multiply(xb[j]).tocsr()


def top_terms(prod: sparse.csr_matrix, terms: np.ndarray, n: int) -> list[str]:
    """For each row of an elementwise product, its ``n`` largest terms, joined (vectorised)."""
    coo = prod.tocoo()
    if coo.nnz == 0:
        return [""] * prod.shape[0]
    order = np.lexsort((terms[coo.col], -coo.data, coo.row))
    row, col = coo.row[order], coo.col[order]
    first = np.searchsorted(row, row, side="left")
    keep = (np.arange(len(row)) - first) < n
    s = pd.Series(terms[col[keep]]).groupby(row[keep]).agg(", ".join)
    return s.reindex(range(prod.shape[0]), fill_value="").tolist()


def nearest(
    xa: sparse.csr_matrix,
    xb: sparse.csr_matrix,
    za: np.ndarray,
    zb: np.ndarray,
    terms: np.ndarray,
    per_item: int,
    candidates: int,
    block_cells: int = 20_000_000,
) -> pd.DataFrame:
    """Rows (i, j, rank, similarity, shared_terms): the per_item best j of b for each i of a."""
    if xa.shape[0] == 0 or xb.shape[0] == 0:
        return pd.DataFrame(columns=["i", "j", "rank", "similarity", "shared_terms"])
    cand = _candidates(za, zb, max(candidates, per_item), block_cells)
    m = cand.shape[1]
    i = np.repeat(np.arange(xa.shape[0]), m)
    j = cand.ravel()
    sim = np.asarray(_pair_cosines(xa, xb, i, j).sum(axis=1)).ravel().reshape(-1, m)
    order = np.lexsort((cand, -np.round(sim, 10)), axis=1)[:, :per_item]
    k = order.shape[1]
    best_j = np.take_along_axis(cand, order, axis=1).ravel()
    best_s = np.take_along_axis(sim, order, axis=1).ravel()
    best_i = np.repeat(np.arange(xa.shape[0]), k)
    shared = top_terms(_pair_cosines(xa, xb, best_i, best_j), terms, 5)
    return pd.DataFrame(
        {"i": best_i, "j": best_j, "rank": np.tile(np.arange(1, k + 1), xa.shape[0]),
         "similarity": np.round(best_s, 4), "shared_terms": shared}
    )  # fmt: skip


def by_item(
    items: pd.DataFrame,
    tfidf: sparse.csr_matrix,
    space: np.ndarray,
    terms: np.ndarray,
    per_item: int,
    candidates: int,
    by: str = "label",
) -> pd.DataFrame:
    """``counterparts_by_item``: every item's ``per_item`` closest items of the other region."""
    x = sparse.csr_matrix(tfidf)
    z = np.asarray(space.toarray() if sparse.issparse(space) else space, dtype=float)
    region = items["region"].to_numpy()
    frames = []
    for r, other in (("Europe", "China"), ("China", "Europe")):
        a, b = np.flatnonzero(region == r), np.flatnonzero(region == other)
        got = nearest(x[a], x[b], z[a], z[b], terms, per_item, candidates)
        if got.empty:
            continue
        ia, ib = items.iloc[a[got["i"].to_numpy()]], items.iloc[b[got["j"].to_numpy()]]
        frames.append(
            pd.DataFrame(
                {"id": ia["id"].to_numpy(), "region": r, "rank": got["rank"].to_numpy(),
                 "counterpart_id": ib["id"].to_numpy(), "counterpart_region": other,
                 "similarity": got["similarity"].to_numpy(),
                 "shared_terms": got["shared_terms"].to_numpy(),
                 "topic": ia[by].to_numpy(), "counterpart_topic": ib[by].to_numpy(),
                 "title": ia["title"].to_numpy(), "counterpart_title": ib["title"].to_numpy()}
            )
        )  # fmt: skip
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["id", "rank"]).reset_index(drop=True)[COLUMNS]


def check_set(table: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """For each known pair (id_europe, id_china): is each among the other's counterparts?"""
    listed = set(zip(table["id"], table["counterpart_id"], strict=True))
    out = pairs[["id_europe", "id_china"]].copy()
    both = list(zip(out["id_europe"], out["id_china"], strict=True))
    out["europe_finds_china"] = [(e, c) in listed for e, c in both]
    out["china_finds_europe"] = [(c, e) in listed for e, c in both]
    return out
