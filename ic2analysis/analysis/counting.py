"""Term counts of a large corpus over several processes, exactly as one vectoriser counts them.

Counting the words and word pairs of every text is most of a TF-IDF fit (at 100k items,
16 of 21 s, all of it Python). Above ``PARALLEL_MIN_DOCS`` texts, contiguous chunks are
counted in forked worker processes and their counts joined in the order scikit-learn's
``CountVectorizer`` would have met the terms. The result is the same matrix, to the last bit
and in the same storage order, as ``TfidfVectorizer.fit_transform`` on one process
(``tests/test_counting.py``): the number of processes changes the time, never the numbers.
"""

from __future__ import annotations

import functools
import multiprocessing
from collections.abc import Callable, Iterable
from itertools import chain, filterfalse
from numbers import Integral

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

from ..params import jobs

PARALLEL_MIN_DOCS = 20_000  # below this, one process (forking and joining cost more)
# Texts per chunk: the workers' vocabularies and the results waiting in the parent stay
# small (a million texts in 20 chunks, joined one by one as they arrive).
CHUNK_DOCS = 50_000
BATCH_DOCS = 5_000  # texts whose terms are held at once while a chunk is counted


class _Vocabulary(dict):
    """Term -> column, a new term taking the next column as it is first met."""

    def __missing__(self, term: str) -> int:
        j = self[term] = len(self)
        return j


def analyser(vec: TfidfVectorizer) -> Callable[[str], list[str]]:
    """``vec.build_analyzer()``'s terms in the same order, made faster for the two analysers
    counted here: ``char_wb`` (see ``_char_wb``), and words from a tokenizer with no
    preprocessing (scikit-learn's ``_word_ngrams`` joins each n-gram from a slice in a Python
    loop; here ``map`` joins them). Any other analyser is scikit-learn's own."""
    plain = vec.preprocessor is None and vec.input == "content"
    if vec.analyzer == "char_wb" and plain:
        return _char_wb(vec)
    if vec.analyzer != "word" or vec.tokenizer is None or not plain:
        return vec.build_analyzer()
    if vec.lowercase or vec.strip_accents is not None:
        return vec.build_analyzer()
    vec.build_analyzer()  # its checks and warnings (stop words against the tokenizer)
    tokenize, is_stop = vec.tokenizer, frozenset(vec.get_stop_words() or ()).__contains__
    low, high = vec.ngram_range

    def analyse(text: str) -> list[str]:
        tokens = list(filterfalse(is_stop, tokenize(text)))
        out = list(tokens) if low == 1 else []
        for n in range(max(low, 2), min(high, len(tokens)) + 1):
            out.extend(map(" ".join, zip(*(tokens[i:] for i in range(n)), strict=False)))
        return out

    return analyse


def _char_wb(vec: TfidfVectorizer) -> Callable[[str], list[str]]:
    """``char_wb``'s n-grams (scikit-learn's ``_char_wb_ngrams`` after its preprocessing), made
    once per distinct word: a text's n-grams are its words' n-grams in turn, and words
    repeat. The memo lives as long as the analyser (one chunk of texts)."""
    preprocess = vec.build_preprocessor()
    low, high = vec.ngram_range
    memo: dict[str, tuple[str, ...]] = {}

    def grams(word: str) -> tuple[str, ...]:
        w = f" {word} "
        out: list[str] = []
        for n in range(low, high + 1):
            out.extend(w[i : i + n] for i in range(max(1, len(w) - n + 1)))
            if len(w) <= n:  # a short word counts once, at its own length
                break
        memo[word] = found = tuple(out)
        return found

    def analyse(text: str) -> list[str]:
        get = memo.get
        return list(chain.from_iterable(get(w) or grams(w) for w in preprocess(text).split()))

    return analyse


def _count(texts: list[str], vec: TfidfVectorizer, forget: Callable[[], None] | None = None):
    """One chunk: its terms in order of first appearance, and CSR parts over their indices
    (what ``CountVectorizer._count_vocab``'s loop gives). Counted in batches of texts: the
    batch's terms are numbered by ``pandas.factorize`` (in order of first appearance, as the
    loop numbers them) and each text's counts taken with one ``numpy.unique``, not term by
    term in Python. ``forget`` runs after each batch (a worker's tokenizer memo is lost
    when it exits, so it need not outgrow a batch)."""
    analyse = analyser(vec)
    vocabulary = _Vocabulary()
    columns, values, indptr = [], [], [np.zeros(1, np.int64)]
    for lo in range(0, len(texts), BATCH_DOCS):
        batch = texts[lo : lo + BATCH_DOCS]
        lengths = np.empty(len(batch), np.int64)
        flat: list[str] = []
        for k, text in enumerate(batch):
            terms = analyse(text)
            lengths[k] = len(terms)
            flat.extend(terms)
        codes, names = pd.factorize(np.array(flat, dtype=object), use_na_sentinel=False)
        del flat
        glob = np.fromiter(map(vocabulary.__getitem__, names), np.int64, len(names))
        rows = np.repeat(np.arange(len(batch), dtype=np.int64), lengths)
        pairs, counts = np.unique(rows * max(len(names), 1) + codes, return_counts=True)
        row, code = np.divmod(pairs, max(len(names), 1))
        columns.append(glob[code].astype(np.intc))
        values.append(counts.astype(np.intc))
        indptr.append(np.searchsorted(row, np.arange(1, len(batch) + 1)) + indptr[-1][-1])
        if forget is not None:
            forget()
    return (list(vocabulary), np.concatenate(columns) if columns else np.zeros(0, np.intc),
            np.concatenate(values) if values else np.zeros(0, np.intc),
            np.concatenate(indptr))  # fmt: skip


def _chunks(n: int, parts: int) -> list[slice]:
    bounds = np.linspace(0, n, parts + 1).round().astype(int)
    return [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _gathered(pieces: Iterable[tuple]) -> tuple[list[tuple], list[str]]:
    """The chunks' counts, taken one at a time as they arrive, over the corpus' columns (terms
    numbered in corpus order of first appearance), and those terms."""
    position: dict[str, int] = {}
    held = []  # per chunk: columns, counts, indptr
    for terms, cols, vals, ptr in pieces:
        glob = np.fromiter((position.setdefault(t, len(position)) for t in terms), np.intc,
                           len(terms))  # fmt: skip
        held.append((glob[cols], vals, ptr))
    return held, list(position)


def _joined(
    held: list[tuple], terms: list[str], vec: TfidfVectorizer
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The gathered counts as one matrix over the terms that ``min_df`` and ``max_df`` keep,
    sorted by name, and those terms: what ``CountVectorizer`` gives (each row sorted by the
    terms' first appearance in the corpus, pruned, then renumbered by name). Each chunk is
    pruned into the final arrays in turn, and ``held`` and ``terms`` are emptied as they are
    used, so the matrix over every term, most of them rare word pairs, is never built."""
    n_rows, n_terms = sum(len(ptr) - 1 for *_, ptr in held), len(terms)
    df = np.zeros(n_terms, np.int64)
    for cols, _, _ in held:
        df += np.bincount(cols, minlength=n_terms)
    kept = _kept(df, n_rows, vec)
    nnz = int(df[kept].sum())  # a count per (row, term): the kept terms' frequencies
    names = np.array(terms, dtype=object)[kept]
    terms.clear()  # the pruned terms' strings go now (the caller's list is this one)
    del df
    order = np.array(sorted(range(len(names)), key=names.__getitem__), dtype=np.int64)
    rank = np.full(n_terms, -1, dtype=np.intc)  # corpus column -> rank of its name, or -1
    rank[kept[order]] = np.arange(len(order), dtype=np.intc)
    data, indices = np.empty(nnz, vec.dtype), np.empty(nnz, np.intc)
    indptr, at, row = np.zeros(n_rows + 1, np.int64), 0, 0
    while held:  # each chunk's counts freed as soon as they are copied
        cols, vals, ptr = held.pop(0)
        keep = rank[cols] >= 0
        part = sparse.csr_matrix(
            (vals[keep], cols[keep], np.concatenate(([0], np.cumsum(keep)))[ptr]),
            shape=(len(ptr) - 1, n_terms),
        )
        part.sort_indices()  # by first appearance in the corpus, as _count_vocab sorts
        data[at : at + part.nnz], indices[at : at + part.nnz] = part.data, rank[part.indices]
        indptr[row + 1 : row + len(ptr)] = part.indptr[1:] + at
        at, row = at + part.nnz, row + len(ptr) - 1
    return sparse.csr_matrix((data, indices, indptr), shape=(n_rows, len(order))), names[order]


def _kept(df: np.ndarray, n: int, vec: TfidfVectorizer) -> np.ndarray:
    """The terms (corpus columns) whose document frequency ``min_df`` and ``max_df`` allow,
    with ``CountVectorizer``'s errors."""
    high = vec.max_df if isinstance(vec.max_df, Integral) else vec.max_df * n
    low = vec.min_df if isinstance(vec.min_df, Integral) else vec.min_df * n
    if high < low:
        raise ValueError("max_df corresponds to < documents than min_df")
    kept = np.flatnonzero((df <= high) & (df >= low))
    if not len(kept):
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    return kept


def fit_transform(
    texts: list[str],
    vec: TfidfVectorizer,
    min_docs: int | None = None,
    chunk_docs: int | None = None,
    forget: Callable[[], None] | None = None,
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """TF-IDF rows of ``texts`` and the terms, as ``vec.fit_transform`` and
    ``vec.get_feature_names_out`` give them; counted over :func:`~ic2analysis.params.jobs`
    processes, in chunks of at most ``chunk_docs``, when there are ``min_docs`` texts or more
    (an analyser with many terms per text, such as character n-grams, pays from fewer);
    by default ``PARALLEL_MIN_DOCS`` and ``CHUNK_DOCS``. In the workers, ``forget`` (such as
    a tokenizer cache's ``cache_clear``) runs after each batch of ``BATCH_DOCS`` texts."""
    min_docs = PARALLEL_MIN_DOCS if min_docs is None else min_docs
    chunk_docs = CHUNK_DOCS if chunk_docs is None else chunk_docs
    n_jobs = min(jobs(), max(1, 2 * len(texts) // max(min_docs, 1)))
    plain = vec.max_features is None and not vec.binary and vec.vocabulary is None
    if len(texts) < min_docs or n_jobs < 2 or not plain:  # the options reproduced here
        x = vec.fit_transform(texts).tocsr()
        return x, vec.get_feature_names_out()
    parts = max(n_jobs, -(-len(texts) // chunk_docs))
    chunks = (texts[s] for s in _chunks(len(texts), parts))
    # forked (nothing to re-import); imap hands back each chunk's counts in order, as they
    # are ready, so that the parent joins them one at a time. One chunk per worker: a worker
    # that counted ten chunks kept the high-water mark of its allocator (a million texts)
    with multiprocessing.get_context("fork").Pool(n_jobs, maxtasksperchild=1) as pool:
        count = functools.partial(_count, vec=vec, forget=forget)
        held, terms = _gathered(pool.imap(count, chunks))
    counts, names = _joined(held, terms, vec)
    tfidf = TfidfTransformer(
        norm=vec.norm, use_idf=vec.use_idf, smooth_idf=vec.smooth_idf,
        sublinear_tf=vec.sublinear_tf,
    )  # fmt: skip
    return tfidf.fit(counts).transform(counts, copy=False).tocsr(), names
