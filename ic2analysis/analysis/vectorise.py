"""Texts to vectors: tokens (jieba for Chinese), TF-IDF, and a small normalised LSA space.

Tokens are computed once per text and cached, so the TF-IDF and SVD can be refitted on many
subsamples (the stability estimates) at little cost. A corpus of 20,000 texts or more is
counted in worker processes (``counting``), whose tokens do not reach this process's cache.
"""

from __future__ import annotations

import functools
import logging
import re
import sys
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.linalg import LinearOperator, svds
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils.extmath import svd_flip

from .. import gcpause
from . import counting

_CJK = re.compile(r"[\u3400-\u9fff]+")
_LATIN = re.compile(r"[a-z][a-z0-9]+(?:[-'][a-z0-9]+)*")
# Chinese function words that carry no topic
ZH_STOP = frozenset("的 和 与 及 等 在 对 为 了 是 将 以 于 其 中 有 并 或 由 各 个 之 年".split())


@functools.lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


TOKEN_CACHE = 200_000


@functools.lru_cache(maxsize=TOKEN_CACHE)
def _tokens(text: str) -> tuple[str, ...]:
    text = text.lower()
    if text.isascii():  # most texts at scale: no Chinese runs to cut out or segment
        return tuple(map(sys.intern, _LATIN.findall(text)))
    out = _LATIN.findall(_CJK.sub(" ", text))
    runs = _CJK.findall(text)
    if runs:
        jb = _jieba()
        for run in runs:
            out.extend(w for w in jb.lcut(run) if len(w) > 1 and w not in ZH_STOP)
    # interned: the cache then holds one copy of each word, not one per occurrence
    return tuple(map(sys.intern, out))


def tokenize(text: str) -> list[str]:
    """Lower-cased Latin words and jieba-segmented Chinese words (single characters dropped)."""
    return list(_tokens(text))


def documents(frame: pd.DataFrame) -> pd.Series:
    """The text each item is clustered on: title, description and keywords where present."""
    parts = [frame[c].fillna("") for c in ("title", "description", "keywords") if c in frame]
    out = parts[0]
    for p in parts[1:]:
        out = out + " . " + p
    return out


@dataclass(frozen=True)
class Settings:
    """The parameters of the vocabulary and the LSA space (see params/02_topics.yaml)."""

    seed: int = 0
    ngram_range: tuple[int, int] = (1, 2)
    min_df: float = 5
    max_df: float = 0.4
    sublinear_tf: bool = True
    domain_stop_words: tuple[str, ...] = ()
    region_marked_terms: tuple[str, ...] = ()
    lsa_components: int = 20

    @classmethod
    def from_params(cls, p: dict, marked: tuple[str, ...] = ()) -> Settings:
        """Settings from a notebook's parameters and the reviewed region-marked terms."""
        return cls(
            seed=int(p["seed"]),
            ngram_range=tuple(p["ngram_range"]),
            min_df=p["min_df"],
            max_df=p["max_df"],
            sublinear_tf=bool(p["sublinear_tf"]),
            domain_stop_words=tuple(p["domain_stop_words"]),
            region_marked_terms=tuple(marked),
            lsa_components=int(p["lsa_components"]),
        )

    def as_dict(self) -> dict:
        """Plain JSON-able values (tuples as lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}


def stop_words(settings: Settings, marked: bool = True) -> list[str]:
    """English stop words, the domain list and (optionally) the region-marked terms, tokenised.

    Region-marked terms that are phrases (``member states``) are handled by the vectoriser's
    vocabulary filter instead, see :func:`tfidf`.
    """
    words = set(ENGLISH_STOP_WORDS) | {w.lower() for w in settings.domain_stop_words}
    if marked:
        words |= {w.lower() for w in settings.region_marked_terms if " " not in w.strip()}
    return sorted({t for w in words for t in tokenize(w)})


def effective_min_df(settings: Settings, n_docs: int) -> float:
    """min_df scaled down for small mappings: at most 2 % of the items, at least 1
    (topics.analyse says so in a note when this lowers the value asked for)."""
    if isinstance(settings.min_df, int) or float(settings.min_df).is_integer():
        return int(max(1, min(int(settings.min_df), n_docs // 50)))
    return float(settings.min_df)


def vectorizer(settings: Settings, n_docs: int, marked: bool = True) -> TfidfVectorizer:
    """The TF-IDF vectoriser; df limits are relaxed so that tiny mappings keep a vocabulary."""
    return TfidfVectorizer(
        tokenizer=tokenize,
        token_pattern=None,
        lowercase=False,
        stop_words=stop_words(settings, marked),
        ngram_range=settings.ngram_range,
        min_df=effective_min_df(settings, n_docs),
        max_df=settings.max_df if n_docs >= 20 else 1.0,
        sublinear_tf=settings.sublinear_tf,
        dtype=np.float64,
    )


def tfidf(
    texts: list[str], settings: Settings, marked: bool = True
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """TF-IDF rows (L2-normalised) and the terms; a large corpus is counted over several
    processes (``counting``: the same matrix as one process).

    With ``marked``, multi-word region-marked terms are dropped from the vocabulary too and
    the rows re-normalised, so no region-marked phrase carries weight.
    """
    vec = vectorizer(settings, len(texts), marked)
    # a worker's token memo dies with it: kept to a batch, it holds no corpus-sized copy
    x, terms = counting.fit_transform(texts, vec, forget=_tokens.cache_clear)
    if len(texts) > TOKEN_CACHE:  # a cache smaller than the corpus only holds memory
        _tokens.cache_clear()
    phrases = {w.lower().strip() for w in settings.region_marked_terms if " " in w.strip()}
    if marked and phrases:
        keep = np.array([t not in phrases for t in terms])
        if not keep.all():
            x, terms = normalize(x[:, keep]).tocsr(), terms[keep]
    return x, terms


def truncated_svd(
    x: sparse.spmatrix | np.ndarray, n: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """(rows projected, components) of ``TruncatedSVD(n, algorithm="arpack", random_state=seed)``,
    with the same bits, each component's sign fixed (ARPACK's is arbitrary) so outputs are stable.

    ARPACK multiplies by x and by its transpose about a hundred times each. scikit-learn's
    transpose of a CSR matrix is a CSC view, whose product scatters and took 3 of the 5 s at
    100k items; a CSR copy of the transpose sums the same terms in the same order, faster.
    A dense ``x`` is used as it is (a copy of its transpose would change the BLAS sums).
    """
    op = x
    if sparse.issparse(x):
        xt = x.T.tocsr()
        op = LinearOperator(
            x.shape, matvec=x.dot, rmatvec=xt.dot, matmat=x.dot, rmatmat=xt.dot, dtype=x.dtype
        )
    v0 = np.random.RandomState(seed).uniform(-1, 1, min(x.shape))  # as scikit-learn's arpack
    u, s, vt = svds(op, k=n, tol=0, v0=v0)
    u, vt = svd_flip(u[:, ::-1], vt[::-1], u_based_decision=False)
    signs = np.sign(vt[np.arange(n), np.abs(vt).argmax(axis=1)])
    return u * s[::-1] * signs, vt * signs[:, None]


def lsa(x: sparse.csr_matrix, n_components: int, seed: int) -> tuple[np.ndarray, np.ndarray | None]:
    """Rows projected on the first singular vectors (ARPACK, exact), each L2-normalised; and
    the components (None when there are too few rows or terms for two)."""
    n = int(min(n_components, x.shape[1] - 1, x.shape[0] - 1))
    if n < 2:
        return normalize(x.toarray() if sparse.issparse(x) else x), None
    z, components = truncated_svd(x, n, seed)
    return normalize(z), components


@dataclass
class Embedding:
    """TF-IDF matrix, its terms, and the normalised LSA space the clustering runs in."""

    tfidf: sparse.csr_matrix
    terms: np.ndarray
    space: np.ndarray
    components: np.ndarray | None = field(default=None, repr=False)


@gcpause.paused()  # counting makes millions of containers: 20 % of its CPU at 100k
def embed(texts: pd.Series | list[str], settings: Settings) -> Embedding:
    """Vectorise texts (region-marked terms removed) and project them to the LSA space."""
    x, terms = tfidf(list(texts), settings)
    z, components = lsa(x, settings.lsa_components, settings.seed)
    return Embedding(x, terms, z, components)


def map_2d(texts: list[str] | sparse.csr_matrix, settings: Settings) -> np.ndarray:
    """Two coordinates per item for a map: the first two LSA components (not normalised).

    ``texts`` may be the items' TF-IDF rows already fitted with ``settings`` (no refit).
    """
    x = texts if sparse.issparse(texts) else tfidf(list(texts), settings)[0]
    if min(x.shape) < 3:
        return np.zeros((x.shape[0], 2))
    return np.round(truncated_svd(x, 2, settings.seed)[0], 6)
