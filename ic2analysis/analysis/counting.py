"""Term counts of a large corpus over several processes, exactly as one vectoriser counts them.

Counting the words and word pairs of every text is most of a TF-IDF fit (at 100k items,
16 of 21 s, all of it Python). Above ``PARALLEL_MIN_DOCS`` texts, contiguous chunks are
counted in forked worker processes and their counts joined in the order scikit-learn's
``CountVectorizer`` would have met the terms. The result is the same matrix, to the last bit
and in the same storage order, as ``TfidfVectorizer.fit_transform`` on one process
(``tests/test_counting.py``): the number of processes changes the time, never the numbers.
"""

from __future__ import annotations

from array import array
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

from ..params import jobs

PARALLEL_MIN_DOCS = 20_000  # below this, one process (forking and joining cost more)


def _count(texts: list[str], vec: TfidfVectorizer) -> tuple:
    """One chunk: its terms in order of first appearance, and CSR parts over their indices
    (``CountVectorizer._count_vocab``'s loop, with the public analyser)."""
    analyse = vec.build_analyzer()
    vocabulary: dict[str, int] = {}
    columns, values, indptr = array("i"), array("i"), array("q", [0])
    for text in texts:
        seen: dict[int, int] = {}
        for term in analyse(text):
            j = vocabulary.setdefault(term, len(vocabulary))
            seen[j] = seen.get(j, 0) + 1
        columns.extend(seen.keys())
        values.extend(seen.values())
        indptr.append(len(columns))
    as_array = np.frombuffer
    return (list(vocabulary), as_array(columns, np.intc), as_array(values, np.intc),
            as_array(indptr, np.int64))  # fmt: skip


def _chunks(n: int, parts: int) -> list[slice]:
    bounds = np.linspace(0, n, parts + 1).round().astype(int)
    return [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _joined(pieces: list[tuple]) -> tuple[sparse.csr_matrix, list[str]]:
    """The chunks' counts as one matrix over the terms in corpus order of first appearance,
    indices sorted within rows (as ``_count_vocab`` leaves them)."""
    position: dict[str, int] = {}
    columns, values, indptr, offset = [], [], [np.zeros(1, np.int64)], 0
    for terms, cols, vals, ptr in pieces:
        glob = np.fromiter((position.setdefault(t, len(position)) for t in terms), np.intc,
                           len(terms))  # fmt: skip
        columns.append(glob[cols])
        values.append(vals)
        indptr.append(ptr[1:] + offset)
        offset += int(ptr[-1])
    n_rows = sum(len(ptr) - 1 for *_, ptr in pieces)
    data = np.concatenate(values).astype(np.float64)
    x = sparse.csr_matrix(
        (data, np.concatenate(columns), np.concatenate(indptr)), shape=(n_rows, len(position))
    )
    x.sort_indices()
    return x, list(position)


def _limited(x: sparse.csr_matrix, terms: list[str], vec: TfidfVectorizer):
    """min_df and max_df applied, then the terms sorted by name (``CountVectorizer.fit``'s
    order of steps, so that the columns and the storage order come out the same)."""
    n = x.shape[0]
    high = vec.max_df if isinstance(vec.max_df, Integral) else vec.max_df * n
    low = vec.min_df if isinstance(vec.min_df, Integral) else vec.min_df * n
    if high < low:
        raise ValueError("max_df corresponds to < documents than min_df")
    df = np.bincount(x.indices, minlength=x.shape[1])
    kept = np.flatnonzero((df <= high) & (df >= low))
    if not len(kept):
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    x = x[:, kept]
    names = np.array(terms, dtype=object)[kept]
    order = np.array(sorted(range(len(names)), key=names.__getitem__), dtype=np.int64)
    rank = np.empty(len(order), dtype=x.indices.dtype)
    rank[order] = np.arange(len(order), dtype=x.indices.dtype)
    x.indices = rank.take(x.indices, mode="clip")
    return x, names[order]


def fit_transform(texts: list[str], vec: TfidfVectorizer) -> tuple[sparse.csr_matrix, np.ndarray]:
    """TF-IDF rows of ``texts`` and the terms, as ``vec.fit_transform`` and
    ``vec.get_feature_names_out`` give them; counted over :func:`~ic2analysis.params.jobs`
    processes when there are at least ``PARALLEL_MIN_DOCS`` texts."""
    n_jobs = min(jobs(), max(1, len(texts) // (PARALLEL_MIN_DOCS // 2)))
    if len(texts) < PARALLEL_MIN_DOCS or n_jobs < 2 or vec.max_features is not None:
        x = vec.fit_transform(texts).tocsr()
        return x, vec.get_feature_names_out()
    run = Parallel(n_jobs=n_jobs, backend="multiprocessing")  # forked: nothing to re-import
    pieces = run(delayed(_count)(texts[s], vec) for s in _chunks(len(texts), n_jobs))
    counts, terms = _joined(pieces)
    del pieces
    counts, names = _limited(counts, terms, vec)
    tfidf = TfidfTransformer(
        norm=vec.norm, use_idf=vec.use_idf, smooth_idf=vec.smooth_idf,
        sublinear_tf=vec.sublinear_tf,
    )  # fmt: skip
    return tfidf.fit(counts).transform(counts, copy=False).tocsr(), names
