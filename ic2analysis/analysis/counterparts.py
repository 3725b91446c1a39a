"""Counterparts for every item: its most similar items of the other region.

Never an n x n matrix: the ``per_item`` best of the other region are kept, block by block,
with the terms that make them similar. The similarity is the mean of cosines in several
views of the texts, each for a reason:

* words: TF-IDF of the topic vocabulary, region-marked terms removed (``dialect.py``);
* topics: the LSA space of notebook 02, which bridges the regions' vocabularies;
* characters: 3-5-grams inside words of the neutralised text (``charviews.py``): shared
  identifiers and spelling variants that the words' ``min_df`` drops.

The mean is unweighted (no weight is fitted to the check set). Up to ``EXACT_CELLS``
query-target pairs (the repository's mapping: about 40,000) every pair is scored in all
views: exact. Beyond, an inverted file (as in FAISS IVF): the other region's items are split
into about sqrt(n) cells by k-means in the LSA space, and each item is scored only against
the items of its ``probes`` nearest cells, in the word and topic views (characters cost
about 2 ms an item, too much at 100k). Cost grows about as n^1.5 instead of n^2; recall is
approximate (``benchmarks/bench.py`` times it at 100k items).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from threadpoolctl import threadpool_limits

from . import charviews

COLUMNS = [
    "id", "region", "rank", "counterpart_id", "counterpart_region", "similarity",
    "shared_terms", "topic", "counterpart_topic", "title", "counterpart_title",
]  # fmt: skip


EXACT_CELLS = 50_000_000


def ivf(xa, xb, za: np.ndarray, zb: np.ndarray, m: int, probes: int, seed: int = 0,
        words_only: bool = False):  # fmt: skip
    """(len(za), m) rows of b and their similarities (mean of the TF-IDF and LSA cosines, or
    the TF-IDF cosine alone): the m best among the items of the ``probes`` LSA cells nearest
    to each row of a (an inverted file; -1 where fewer). One thread: its products are small,
    and on a shared machine BLAS/OpenMP threads doubled its CPU time (12.8 -> 22.5 s at 100k)."""
    with threadpool_limits(1):
        return _ivf(xa, xb, za, zb, m, probes, seed, words_only)


def _ivf(xa, xb, za, zb, m, probes, seed, words_only):  # noqa: D103
    from sklearn.cluster import KMeans

    n_cells = int(min(1024, max(2, np.sqrt(zb.shape[0]))))
    rng = np.random.default_rng(seed)
    fit = zb[np.sort(rng.choice(zb.shape[0], min(zb.shape[0], 50 * n_cells), replace=False))]
    km = KMeans(n_cells, n_init=1, max_iter=25, random_state=seed).fit(fit)
    cell = km.predict(zb)
    probes = min(probes, n_cells)
    near = _nearest_cells(za, km.cluster_centers_, probes)
    cand = np.full((za.shape[0], probes * m), -1, dtype=np.int64)
    sim = np.full(cand.shape, -np.inf)
    flat = near.ravel()
    order = np.argsort(flat, kind="stable")
    bounds = np.searchsorted(flat[order], np.arange(n_cells + 1))
    by_cell = np.argsort(cell, kind="stable")  # b's rows grouped by cell: contiguous slices
    # single precision for the search (half the memory traffic); similarities are rounded
    # to 4 decimals, far above its 1e-7 relative error. The sparse rows are converted cell
    # by cell: single-precision copies of both matrices would hold about 1 GB at 1M items.
    za, zs = za.astype(np.float32), zb[by_cell].astype(np.float32)
    edges = np.searchsorted(cell[by_cell], np.arange(n_cells + 1))
    for c in range(n_cells):
        lo, hi = edges[c], edges[c + 1]
        hits = order[bounds[c] : bounds[c + 1]]
        if hi == lo or not len(hits):
            continue
        members = by_cell[lo:hi]
        q, slot = hits // probes, hits % probes
        s = cell_products(xa[q], xb[members])
        s = s if words_only else (s + za[q] @ zs[lo:hi].T) / 2
        k = min(m, hi - lo)
        top = top_k(s, k)
        cols = slot[:, None] * m + np.arange(k)[None, :]
        cand[q[:, None], cols] = members[top]
        sim[q[:, None], cols] = np.take_along_axis(s, top, axis=1)
    best = np.argpartition(-sim, m - 1, axis=1)[:, :m]
    return np.take_along_axis(cand, best, axis=1), np.take_along_axis(sim, best, axis=1)


def cell_products(a: sparse.csr_matrix, b: sparse.csr_matrix) -> np.ndarray:
    """``a @ b.T`` in single precision, dense: a's rows restricted to the terms that b's rows
    use, times those rows as a dense block (terms x rows). The product of two sparse
    matrices would build a nearly dense result as a sparse one first (sorting its indices
    twice), which was most of the search's time."""
    cols = np.unique(b.indices)
    block = np.ascontiguousarray(b[:, cols].astype(np.float32).toarray().T)
    return np.asarray(a[:, cols].astype(np.float32) @ block)


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


def top_k(s: np.ndarray, k: int) -> np.ndarray:
    """Column positions of the k largest values of each row, best first (ties: the first
    column). Repeated argmax: for the few counterparts kept, several times faster than a
    partition of every row."""
    if k > 8:
        part = np.argpartition(-s, k - 1, axis=1)[:, :k]
        return np.take_along_axis(part, np.argsort(-np.take_along_axis(s, part, 1), 1), 1)
    s = s.copy()
    rows = np.arange(s.shape[0])
    out = np.empty((s.shape[0], k), dtype=np.int64)
    for r in range(k):
        out[:, r] = s.argmax(axis=1)
        s[rows, out[:, r]] = -np.inf
    return out


def _pair_cosines(xa: sparse.csr_matrix, xb: sparse.csr_matrix, i, j) -> sparse.csr_matrix:
    """Row k = elementwise product of xa[i[k]] and xb[j[k]] (its sum is their cosine)."""
    return xa[i].multiply(xb[j]).tocsr()


def shared_terms(xa, xb, i, j, terms: np.ndarray, n: int, block: int = 50_000) -> list[str]:
    """``top_terms`` of the pairs (xa[i[k]], xb[j[k]]), in blocks of pairs: the products of
    every item's counterparts at once would copy each TF-IDF row once per counterpart
    (about 5 GB at a million items); each pair's terms are the same at any block size."""
    alpha = _alphabetical(terms)
    out: list[str] = []
    for lo in range(0, len(i), block):
        prod = _pair_cosines(xa, xb, i[lo : lo + block], j[lo : lo + block])
        out += top_terms(prod, terms, n, alpha)
    return out


def _alphabetical(terms: np.ndarray) -> np.ndarray:
    """Each term's alphabetical rank (ties in the products go to the earlier term)."""
    alpha = np.empty(len(terms), dtype=np.int64)
    alpha[np.argsort(terms, kind="stable")] = np.arange(len(terms))
    return alpha


def top_terms(
    prod: sparse.csr_matrix, terms: np.ndarray, n: int, alpha: np.ndarray | None = None
) -> list[str]:
    """For each row of an elementwise product, its ``n`` largest terms, joined (vectorised).
    ``alpha``: :func:`_alphabetical` of ``terms``, when already computed."""
    coo = prod.tocoo()
    if coo.nnz == 0:
        return [""] * prod.shape[0]
    alpha = _alphabetical(terms) if alpha is None else alpha
    order = np.lexsort((alpha[coo.col], -coo.data, coo.row))
    row, col = coo.row[order], coo.col[order]
    first = np.searchsorted(row, row, side="left")
    keep = (np.arange(len(row)) - first) < n
    words, row = terms[col[keep]].tolist(), row[keep]
    edges = np.searchsorted(row, np.arange(prod.shape[0] + 1))
    return [", ".join(words[a:b]) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def nearest(
    xa: sparse.csr_matrix | Rows,
    xb: sparse.csr_matrix | Rows,
    za: np.ndarray,
    zb: np.ndarray,
    terms: np.ndarray,
    per_item: int,
    probes: int,
    block_cells: int = 20_000_000,
    chars: tuple | None = None,
) -> pd.DataFrame:
    """Rows (i, j, rank, similarity, shared_terms): the per_item best j of b for each i of a.

    ``chars`` = (rows of a, rows of b) in the character view, used by the exact search.
    """
    if xa.shape[0] == 0 or xb.shape[0] == 0:
        return pd.DataFrame(columns=["i", "j", "rank", "similarity", "shared_terms"])
    if exact(xa.shape[0], xb.shape[0]):
        xa, xb = _whole(xa), _whole(xb)
        views = [(xa, xb), (za, zb), *([chars] if chars is not None else [])]
        return _exact(views, xa, xb, terms, per_item, block_cells)
    cand, sim = ivf(xa, xb, za, zb, min(per_item, xb.shape[0]), probes)
    order = np.lexsort((cand, -np.round(sim, 10)), axis=1)[:, :per_item]
    k = order.shape[1]
    best_j = np.take_along_axis(cand, order, axis=1).ravel()
    best_s = np.take_along_axis(sim, order, axis=1).ravel()
    best_i = np.repeat(np.arange(xa.shape[0]), k)
    rank = np.tile(np.arange(1, k + 1), xa.shape[0])
    ok = np.isfinite(best_s)
    best_i, best_j, best_s, rank = best_i[ok], best_j[ok], best_s[ok], rank[ok]
    shared = shared_terms(xa, xb, best_i, best_j, terms, 5)
    return pd.DataFrame(
        {"i": best_i, "j": best_j, "rank": rank, "similarity": np.round(best_s, 4),
         "shared_terms": shared}
    )  # fmt: skip


class Rows:
    """Rows ``index`` of a CSR matrix, copied only when indexed: the approximate search
    and the shared terms take a few rows at a time, so one region's rows are never copied
    whole (a full copy of the TF-IDF at a million items is about 1 GB)."""

    def __init__(self, x: sparse.csr_matrix, index: np.ndarray) -> None:
        self.x, self.index = x, np.asarray(index)
        self.shape = (len(self.index), x.shape[1])

    def __getitem__(self, rows) -> sparse.csr_matrix:
        return self.x[self.index[rows]]

    def whole(self) -> sparse.csr_matrix:
        """Every row, copied (for the exact search, whose blocks need the matrix)."""
        return self.x[self.index]


def _whole(m):
    return m.whole() if isinstance(m, Rows) else m


def exact(n_a: int, n_b: int) -> bool:
    """Whether the search between n_a and n_b items is exact (every pair in every view)."""
    return n_a * n_b <= EXACT_CELLS


def _dense(m) -> np.ndarray:
    return m.toarray() if sparse.issparse(m) else np.asarray(m)


def _exact(views: list, xa, xb, terms: np.ndarray, per_item: int, block_cells: int):
    """Every pair's mean cosine over the views, in blocks of rows of a; the per_item best j
    for each i (ties by j), with the words they share."""
    n_b = xb.shape[0]
    k = min(per_item, n_b)
    step = max(1, block_cells // max(n_b, 1))
    out_i, out_j, out_s = [], [], []
    for start in range(0, xa.shape[0], step):
        stop = min(start + step, xa.shape[0])
        s = sum(_dense(a[start:stop] @ b.T) for a, b in views) / len(views)
        s = np.round(s, 10)
        order = np.lexsort((np.broadcast_to(np.arange(n_b), s.shape), -s), axis=1)[:, :k]
        out_i.append(np.repeat(np.arange(start, stop), k))
        out_j.append(order.ravel())
        out_s.append(np.take_along_axis(s, order, axis=1).ravel())
    i, j = np.concatenate(out_i), np.concatenate(out_j)
    sim = np.concatenate(out_s)
    return pd.DataFrame(
        {"i": i, "j": j, "rank": np.tile(np.arange(1, k + 1), xa.shape[0]),
         "similarity": np.round(sim, 4),
         "shared_terms": shared_terms(xa, xb, i, j, terms, 5)}
    )  # fmt: skip


def by_item(
    items: pd.DataFrame,
    tfidf: sparse.csr_matrix,
    space: np.ndarray,
    terms: np.ndarray,
    per_item: int,
    probes: int,
    by: str = "label",
    texts: list[str] | None = None,
    marked: tuple[str, ...] = (),
) -> pd.DataFrame:
    """``counterparts_by_item``: every item's ``per_item`` closest items of the other region.

    ``texts`` (one per item) give the character view, with the ``marked`` terms blanked;
    it is built only when the search is exact.
    """
    found = search(items["region"].to_numpy(), tfidf, space, terms, per_item, probes,
                   texts, marked)  # fmt: skip
    return table(items, found, by)


Found = list[tuple[str, str, np.ndarray, np.ndarray, pd.DataFrame]]


def search(
    region: np.ndarray,
    tfidf: sparse.csr_matrix,
    space: np.ndarray,
    terms: np.ndarray,
    per_item: int,
    probes: int,
    texts: list[str] | None = None,
    marked: tuple[str, ...] = (),
) -> Found:
    """Per direction (region, other, its rows, the other's rows, ``nearest``'s frame): the
    search alone, in row numbers, so that it can run in another process and send back
    little (the titles and topics are joined by ``table``)."""
    x = sparse.csr_matrix(tfidf)
    z = np.asarray(space.toarray() if sparse.issparse(space) else space, dtype=float)
    n_eu, n_cn = int((region == "Europe").sum()), int((region == "China").sum())
    c = charviews.char_tfidf(texts, marked) if texts is not None and exact(n_eu, n_cn) else None
    found = []
    for r, other in (("Europe", "China"), ("China", "Europe")):
        a, b = np.flatnonzero(region == r), np.flatnonzero(region == other)
        chars = (c[a], c[b]) if c is not None else None
        got = nearest(Rows(x, a), Rows(x, b), z[a], z[b], terms, per_item, probes, chars=chars)
        if not got.empty:
            found.append((r, other, a, b, got))
    return found


def table(items: pd.DataFrame, found: Found, by: str = "label") -> pd.DataFrame:
    """``search``'s rows as ``counterparts_by_item``, with ids, titles and topics; ``found`` is
    emptied as it is read (its frames are not held twice)."""
    frames = []
    for r, other, a, b, got in found:
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
    found.clear()  # the search's frames, no longer needed
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    frames.clear()  # one copy of the rows at a time (millions at a million items)
    return out.sort_values(["id", "rank"]).reset_index(drop=True)[COLUMNS]


def check_set(table: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """For each known pair (id_europe, id_china): is each among the other's counterparts?"""
    listed = set(zip(table["id"], table["counterpart_id"], strict=True))
    out = pairs[["id_europe", "id_china"]].copy()
    both = list(zip(out["id_europe"], out["id_china"], strict=True))
    out["europe_finds_china"] = [(e, c) in listed for e, c in both]
    out["china_finds_europe"] = [(c, e) in listed for e, c in both]
    return out
