"""The exact most similar pairs of a large topic, without scoring every pair (branch and bound).

China's items of the topic are split into cells by k-means in the LSA space. TF-IDF weights
are never negative, so the cosine of a European item with any item of a cell is at most its
dot product with the cell's elementwise maximum: one bound per (item, cell). Each European
item is first scored against its most promising cell; the k-th best similarity found is a
floor that the final k-th best cannot fall under; then only the (item, cell) whose bound
reaches the floor are scored. Every pair left out has a cosine under the floor, so the
result is the exact top k, whatever the cells. At 100k items the bound left 0.2-3 % of the
pairs of the five top topics to score (``benchmarks/README.md``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from threadpoolctl import threadpool_limits

from .inverted_file import cell_products, lsa_cells, top_k

SLACK = 1e-9  # the bound is compared with this margin (its floating-point sums differ)
ROUNDING = 5e-5  # similarities are reported to 4 decimals


def bounded_pairs(
    a: sparse.csr_matrix, b: sparse.csr_matrix, zb: np.ndarray, k: int, min_sim: float,
    seed: int = 0,
) -> pd.DataFrame:  # fmt: skip
    """The k pairs (i, j) of highest cosine of rows of ``a`` and ``b`` (L2-normalised, not
    negative), at least ``min_sim``, as ``pairs.top_pairs`` and a sort give them: each row's
    k best, then the best by similarity rounded to 4 decimals, ties by i then j. ``zb``: b's
    rows in the LSA space, where its cells are made (they change the time, not the result)."""
    with threadpool_limits(1):
        cell, centres = lsa_cells(zb, seed)
        n_cells = len(centres)
        by_cell = np.argsort(cell, kind="stable")  # each cell's rows in order of j
        edges = np.searchsorted(cell[by_cell], np.arange(n_cells + 1))
        bound = np.asarray((a @ cell_maxima(b, cell, n_cells).T).todense())
        first = np.zeros(bound.shape, dtype=bool)
        first[np.arange(a.shape[0]), bound.argmax(axis=1)] = True
        found = _scored(a, b, by_cell, edges, first, k, min_sim)
        # a pair under this cannot round to the k-th best rounded similarity found
        floor = max(min_sim, _kth(found, k) - ROUNDING - SLACK)
        rest = _scored(a, b, by_cell, edges, (bound >= floor - SLACK) & ~first, k, floor)
    out = pd.concat([found, rest], ignore_index=True)
    out = out.sort_values(["i", "similarity", "j"], ascending=[True, False, True])
    out = out.groupby("i", sort=False).head(k)  # each row's k best, as top_pairs keeps them
    out = out.assign(similarity=np.round(out["similarity"].to_numpy(), 4))
    out = out.sort_values(["similarity", "i", "j"], ascending=[False, True, True]).head(k)
    return out.reset_index(drop=True)


def cell_maxima(b: sparse.csr_matrix, cell: np.ndarray, n_cells: int) -> sparse.csr_matrix:
    """One row per cell: each term's largest weight among the cell's rows of ``b``."""
    coo = b.tocoo()
    key = cell[coo.row] * np.int64(b.shape[1]) + coo.col
    order = np.argsort(key)
    key = key[order]
    head = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, int)
    top = np.maximum.reduceat(coo.data[order], head) if len(key) else np.zeros(0, b.dtype)
    rows, cols = np.divmod(key[head], b.shape[1])
    return sparse.csr_matrix((top, (rows, cols)), shape=(n_cells, b.shape[1]))


def _scored(a, b, by_cell, edges, need: np.ndarray, k: int, floor: float) -> pd.DataFrame:
    """Each needed (row of a, cell): the row's k best pairs in the cell at ``floor`` or above
    and sharing a term (in double precision, as the exact search scores them)."""
    out_i, out_j, out_s = [], [], []
    for c in range(len(edges) - 1):
        q = np.flatnonzero(need[:, c])
        lo, hi = edges[c], edges[c + 1]
        if not len(q) or hi == lo:
            continue
        members = by_cell[lo:hi]
        s = cell_products(a[q], b[members], np.float64)
        top, best = top_k(s, min(k, hi - lo))
        keep = (best >= floor) & (best > 0)  # as the sparse product, no pair sharing nothing
        out_i.append(np.broadcast_to(q[:, None], top.shape)[keep])
        out_j.append(members[top][keep])
        out_s.append(best[keep])
    if not out_i:
        return pd.DataFrame({"i": [], "j": [], "similarity": []}).astype({"i": int, "j": int})
    return pd.DataFrame({"i": np.concatenate(out_i), "j": np.concatenate(out_j),
                         "similarity": np.concatenate(out_s)})  # fmt: skip


def _kth(found: pd.DataFrame, k: int) -> float:
    """The k-th best similarity found, rounded to 4 decimals, or -inf when fewer than k."""
    s = np.round(found["similarity"].to_numpy(), 4)
    return float(np.sort(s)[-k]) if len(s) >= k else -np.inf
