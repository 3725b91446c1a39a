"""The Europe-China pairs behind each top opportunity: the most similar items inside a topic.

Cosine similarity of TF-IDF rows (L2-normalised), with the terms that contribute most to it.
The pairs are exact at every size. Up to ``EXACT_CELLS`` Europe x China items in a topic
(the repository's mapping: a few hundred; the 10k-item benchmark mapping: at most 450,000)
every pair is scored, sparsely block by block. Beyond, the cost quadratic in the topic's
size is cut by bounds (``cell_bounds.py``): China's items in LSA cells, and a cell scored
for a European item only when its bound can reach the best pairs found. At 100k items the
five top topics score 0.2-3 % of their pairs, in 0.36 s CPU. It replaced an inverted file
that found 23 of the 25 exact pairs there in 0.6-0.8 s, and 19 of 25 at a million items
(``benchmarks/README.md``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from .cell_bounds import bounded_pairs

EXACT_CELLS = 4_000_000  # Europe x China items of a topic scored exactly up to this


def top_pairs(
    a: sparse.csr_matrix,
    b: sparse.csr_matrix,
    per_row: int,
    min_sim: float,
    block_cells: int = 20_000_000,
) -> pd.DataFrame:
    """For each row of ``a``, its ``per_row`` most cosine-similar rows of ``b``.

    Rows must be L2-normalised (TF-IDF rows are). The product is computed in blocks of
    rows of ``a`` so that memory stays at about ``block_cells`` similarities, never the
    full len(a) x len(b) matrix.
    """
    a, b = sparse.csr_matrix(a), sparse.csr_matrix(b)
    bt = b.T.tocsc()
    step = max(1, block_cells // max(b.shape[0], 1))
    out_i, out_j, out_s = [], [], []
    for start in range(0, a.shape[0], step):
        block = (a[start : start + step] @ bt).tocsr()
        for r in range(block.shape[0]):
            lo, hi = block.indptr[r], block.indptr[r + 1]
            if lo == hi:
                continue
            vals, cols = block.data[lo:hi], block.indices[lo:hi]
            keep = vals >= min_sim
            vals, cols = vals[keep], cols[keep]
            if not len(vals):
                continue
            if len(vals) > per_row:
                part = np.argpartition(-vals, per_row - 1)[:per_row]
                vals, cols = vals[part], cols[part]
            order = np.lexsort((cols, -vals))
            out_i.extend([start + r] * len(order))
            out_j.extend(cols[order].tolist())
            out_s.extend(vals[order].tolist())
    return pd.DataFrame(
        {
            "i": np.array(out_i, dtype=np.int64),
            "j": np.array(out_j, dtype=np.int64),
            "similarity": np.round(np.array(out_s, dtype=float), 4),
        }
    )


def shared_terms(x: sparse.csr_matrix, i: int, j: int, terms: np.ndarray, n: int = 5) -> str:
    """The terms that contribute most to the similarity of rows i and j."""
    prod = x[i].multiply(x[j]).tocoo()
    if prod.nnz == 0:
        return ""
    order = np.lexsort((terms[prod.col], -prod.data))[:n]
    return ", ".join(terms[prod.col[order]])


def pair_columns(by: str) -> list[str]:
    """The columns of the pairs table (also when it is empty)."""
    return [
        "opportunity_rank",
        by,
        "similarity",
        "europe_id",
        "europe_title",
        "europe_year",
        "europe_body",
        "china_id",
        "china_title",
        "china_year",
        "china_body",
        "shared_terms",
    ]


def pairs(
    frame: pd.DataFrame,
    tfidf: sparse.csr_matrix,
    terms: np.ndarray,
    topics: list,
    per_topic: int,
    min_sim: float,
    by: str = "label",
    space: np.ndarray | None = None,
) -> pd.DataFrame:
    """The most similar Europe-China pairs of initiatives inside each listed topic (exact:
    above ``EXACT_CELLS``, through cell bounds in the LSA ``space``)."""
    rows = []
    pos = np.arange(len(frame))
    for rank, topic in enumerate(topics, start=1):
        in_t = (frame[by] == topic).to_numpy()
        eu = pos[in_t & (frame["region"] == "Europe").to_numpy()]
        cn = pos[in_t & (frame["region"] == "China").to_numpy()]
        if not len(eu) or not len(cn):
            continue
        if space is None or len(eu) * len(cn) <= EXACT_CELLS:
            cand = top_pairs(tfidf[eu], tfidf[cn], per_topic, min_sim)
        else:
            z = np.asarray(space)
            cand = bounded_pairs(tfidf[eu], tfidf[cn], z[cn], per_topic, min_sim)
        cand = cand.sort_values(["similarity", "i", "j"], ascending=[False, True, True])
        for r in cand.head(per_topic).itertuples():
            ei, ci = eu[r.i], cn[r.j]
            e, c = frame.iloc[ei], frame.iloc[ci]
            rows.append(
                {
                    "opportunity_rank": rank,
                    by: topic,
                    "similarity": r.similarity,
                    "europe_id": e["id"],
                    "europe_title": e["title"],
                    "europe_year": e["year_start"],
                    "europe_body": e["lead_body_canonical"],
                    "china_id": c["id"],
                    "china_title": c["title"],
                    "china_year": c["year_start"],
                    "china_body": c["lead_body_canonical"],
                    "shared_terms": shared_terms(tfidf, ei, ci, terms),
                }
            )
    return pd.DataFrame(rows, columns=pair_columns(by))
