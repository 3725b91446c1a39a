"""The exact counterpart search's choice of each item's best, and both regions from one scoring.

Europe's best items of China and China's best of Europe are read off the same matrix of
similarities, by rows and by columns, so every pair's cosines are computed once rather than
once per direction. A pair's cosine is the same sum of the same products either way round
(the sparse products add the shared terms in the order of their columns), so the result is
the one of two separate searches. At 10k items the search is 12 s CPU, most of it the
character view's sparse products.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse


def best_columns(s: np.ndarray, k: int) -> np.ndarray:
    """Column positions of each row's k largest values, best first, ties by column: the first
    k of a full sort by (-value, column), from the values at least each row's k-th largest
    (the ties at the boundary included). At 10k items a full sort of every row was a sixth
    of the exact search."""
    if k >= s.shape[1]:
        return np.lexsort((np.broadcast_to(np.arange(s.shape[1]), s.shape), -s), axis=1)[:, :k]
    kth = -np.partition(-s, k - 1, axis=1)[:, k - 1 : k]
    row, col = np.nonzero(s >= kth)
    order = np.lexsort((col, -s[row, col], row))
    row, col = row[order], col[order]
    keep = np.arange(len(row)) - np.searchsorted(row, row) < k
    return col[keep].reshape(s.shape[0], k)


def dense(m) -> np.ndarray:
    """A product as a dense array (sparse products come back sparse)."""
    return m.toarray() if sparse.issparse(m) else np.asarray(m)


def scores(views: list, start: int, stop: int) -> np.ndarray:
    """Rows start:stop of a against every row of b: the views' mean cosine, rounded to 10
    decimals (so that ties are ties)."""
    return np.round(sum(dense(a[start:stop] @ b.T) for a, b in views) / len(views), 10)


def both_ways(views: list, n_a: int, n_b: int, k: int, block_cells: int) -> tuple:
    """((i, j, s) of each row of a's k best rows of b, (j, i, s) of each row of b's k best
    rows of a), each item's best first, ties by the smaller row number; blocks of rows of a
    hold about ``block_cells`` scores. b's best are kept as the blocks go (its running k
    best and the block's k best, in order of row number, are the candidates)."""
    ka, kb = min(k, n_b), min(k, n_a)
    step = max(1, block_cells // max(n_b, 1))
    out_j, out_s = [], []
    best_i, best_s = np.zeros((n_b, 0), np.int64), np.zeros((n_b, 0))
    for start in range(0, n_a, step):
        stop = min(start + step, n_a)
        s = scores(views, start, stop)
        order = best_columns(s, ka)
        out_j.append(order.ravel())
        out_s.append(np.take_along_axis(s, order, axis=1).ravel())
        st = s.T
        top = best_columns(st, min(kb, stop - start))
        cand_s = np.concatenate([best_s, np.take_along_axis(st, top, axis=1)], axis=1)
        cand_i = np.concatenate([best_i, top + start], axis=1)
        keep = best_columns(cand_s, min(kb, cand_s.shape[1]))
        best_s = np.take_along_axis(cand_s, keep, axis=1)
        best_i = np.take_along_axis(cand_i, keep, axis=1)
    rows_a = (np.repeat(np.arange(n_a), ka), np.concatenate(out_j), np.concatenate(out_s))
    return rows_a, (np.repeat(np.arange(n_b), kb), best_i.ravel(), best_s.ravel())
