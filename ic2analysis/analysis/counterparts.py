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
views, once for both regions (``exact_search.py``): exact. Beyond, an inverted file
(``inverted_file.py``, as in FAISS IVF): the other region's items are split into about
sqrt(n) cells by k-means in the LSA space, and each item is scored only against the items of
its ``probes`` nearest cells, in the word and topic views (characters cost about 2 ms an
item, too much at 100k). Cost grows about as n^1.5 instead of n^2; recall is approximate
(``benchmarks/bench.py`` times it at 100k items).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from . import charviews
from .exact_search import both_ways
from .inverted_file import ivf

COLUMNS = [
    "id", "region", "rank", "counterpart_id", "counterpart_region", "similarity",
    "shared_terms", "topic", "counterpart_topic", "title", "counterpart_title",
]  # fmt: skip


EXACT_CELLS = 50_000_000


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


def _exact(views: list, xa, xb, terms: np.ndarray, per_item: int, block_cells: int):
    """Every pair's mean cosine over the views, in blocks of rows of a; the per_item best j
    for each i (ties by j), with the words they share."""
    rows, _ = both_ways(views, xa.shape[0], xb.shape[0], per_item, block_cells)
    return _found_frame(*rows, xa, xb, terms)


def _found_frame(i, j, s, xr, xo, terms: np.ndarray) -> pd.DataFrame:
    """``nearest``'s frame from each row's best (i, j, similarity), best first."""
    k = len(i) // xr.shape[0]
    return pd.DataFrame(
        {"i": i, "j": j, "rank": np.tile(np.arange(1, k + 1), xr.shape[0]),
         "similarity": np.round(s, 4), "shared_terms": shared_terms(xr, xo, i, j, terms, 5)}
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
    if n_eu and n_cn and exact(n_eu, n_cn):
        return _exact_both(region, x, z, c, terms, per_item)
    found = []
    for r, other in (("Europe", "China"), ("China", "Europe")):
        a, b = np.flatnonzero(region == r), np.flatnonzero(region == other)
        chars = (c[a], c[b]) if c is not None else None
        got = nearest(Rows(x, a), Rows(x, b), z[a], z[b], terms, per_item, probes, chars=chars)
        if not got.empty:
            found.append((r, other, a, b, got))
    return found


def _exact_both(region, x, z, c, terms, per_item, block_cells: int = 20_000_000) -> Found:
    """``search``'s result when it is exact: both directions from one scoring of every pair."""
    eu, cn = np.flatnonzero(region == "Europe"), np.flatnonzero(region == "China")
    xa, xb = x[eu], x[cn]
    views = [(xa, xb), (z[eu], z[cn]), *([(c[eu], c[cn])] if c is not None else [])]
    ways = both_ways(views, len(eu), len(cn), per_item, block_cells)
    return [
        ("Europe", "China", eu, cn, _found_frame(*ways[0], xa, xb, terms)),
        ("China", "Europe", cn, eu, _found_frame(*ways[1], xb, xa, terms)),
    ]


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
