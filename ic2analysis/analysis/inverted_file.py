"""The inverted file of the approximate counterpart search (as in FAISS IVF).

The other region's items are split into about sqrt(n) cells by k-means in the LSA space;
each item is scored only against the items of its ``probes`` nearest cells. Used by
``counterparts.nearest`` beyond ``counterparts.EXACT_CELLS`` query-target pairs.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from threadpoolctl import threadpool_limits


def ivf(xa, xb, za: np.ndarray, zb: np.ndarray, m: int, probes: int, seed: int = 0):
    """(len(za), m) rows of b and their similarities (mean of the TF-IDF and LSA cosines):
    the m best among the items of the ``probes`` LSA cells nearest to each row of a (an
    inverted file; -1 where fewer). One thread: its products are small, and on a shared
    machine BLAS/OpenMP threads doubled its CPU time (12.8 -> 22.5 s at 100k)."""
    with threadpool_limits(1):
        return _ivf(xa, xb, za, zb, m, probes, seed)


def lsa_cells(z: np.ndarray, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(each row's cell, the cells' centres): about sqrt(n) cells (at most 1,024) by k-means
    in the LSA space, fitted on a sample of 50 rows a cell."""
    from sklearn.cluster import KMeans

    n_cells = int(min(1024, max(1, np.sqrt(z.shape[0]))))
    rng = np.random.default_rng(seed)
    fit = z[np.sort(rng.choice(z.shape[0], min(z.shape[0], 50 * n_cells), replace=False))]
    km = KMeans(n_cells, n_init=1, max_iter=25, random_state=seed).fit(fit)
    return km.predict(z).astype(np.int64), km.cluster_centers_


def _ivf(xa, xb, za, zb, m, probes, seed):  # noqa: D103
    cell, centres = lsa_cells(zb, seed)
    n_cells = len(centres)
    probes = min(probes, n_cells)
    za = za.astype(np.float32)  # single precision, as the scores below
    near = _nearest_cells(za, centres.astype(np.float32), probes)
    cand = np.full((za.shape[0], probes * m), -1, dtype=np.int64)
    sim = np.full(cand.shape, -np.inf)
    flat = near.ravel()
    order = np.argsort(flat, kind="stable")
    bounds = np.searchsorted(flat[order], np.arange(n_cells + 1))
    by_cell = np.argsort(cell, kind="stable")  # b's rows grouped by cell: contiguous slices
    # single precision for the search (half the memory traffic); similarities are rounded
    # to 4 decimals, far above its 1e-7 relative error. The sparse rows are converted cell
    # by cell: single-precision copies of both matrices would hold about 1 GB at 1M items.
    zs = zb[by_cell].astype(np.float32)
    edges = np.searchsorted(cell[by_cell], np.arange(n_cells + 1))
    for c in range(n_cells):
        lo, hi = edges[c], edges[c + 1]
        hits = order[bounds[c] : bounds[c + 1]]
        if hi == lo or not len(hits):
            continue
        members = by_cell[lo:hi]
        q, slot = hits // probes, hits % probes
        s = cell_products(xa[q], xb[members])
        s += za[q] @ zs[lo:hi].T  # the mean of the two cosines, in place (34 MB a cell at 1M)
        s *= 0.5
        top, best = top_k(s, min(m, hi - lo))
        cols = slot[:, None] * m + np.arange(top.shape[1])[None, :]
        cand[q[:, None], cols] = members[top]
        sim[q[:, None], cols] = best
    best = np.argpartition(-sim, m - 1, axis=1)[:, :m]
    return np.take_along_axis(cand, best, axis=1), np.take_along_axis(sim, best, axis=1)


def cell_products(a: sparse.csr_matrix, b: sparse.csr_matrix, dtype=np.float32) -> np.ndarray:
    """``a @ b.T`` dense, in single precision by default: a's rows restricted to the terms
    that b's rows use, times those rows as a dense block (terms x rows). The product of two
    sparse matrices would build a nearly dense result as a sparse one first (sorting its
    indices twice), which was most of the search's time."""
    cols = np.flatnonzero(np.bincount(b.indices, minlength=b.shape[1]))  # np.unique: 30x slower
    block = np.ascontiguousarray(b[:, cols].astype(dtype).toarray().T)
    return np.asarray(a[:, cols].astype(dtype) @ block)


def _nearest_cells(z: np.ndarray, centres: np.ndarray, probes: int, block: int = 8_192):
    """The ``probes`` cells nearest to each row, in blocks of rows: a 1M x 1,000 score
    matrix would be 8 GB, a block of 8k rows is 64 MB, and its partition as much again
    (each row's result is the same at any block size)."""
    return np.vstack(
        [
            np.argpartition(-(z[i : i + block] @ centres.T), probes - 1, axis=1)[:, :probes]
            for i in range(0, z.shape[0], block)
        ]
    )


def top_k(s: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Column positions of the k largest values of each row, best first (ties: the first
    column), and those values. Repeated argmax: for the few counterparts kept, several times
    faster than a partition of every row; it overwrites the values it takes in ``s``."""
    if k > 8:
        part = np.argpartition(-s, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(part, np.argsort(-np.take_along_axis(s, part, 1), 1), 1)
        return top, np.take_along_axis(s, top, 1)
    rows = np.arange(s.shape[0])
    top, best = np.empty((s.shape[0], k), dtype=np.int64), np.empty((s.shape[0], k), s.dtype)
    for r in range(k):
        top[:, r] = j = s.argmax(axis=1)
        best[:, r] = s[rows, j]
        s[rows, j] = -np.inf
    return top, best
