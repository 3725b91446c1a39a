"""How much the topics move: seed and bootstrap stability against a null, per-topic stability.

* Seed stability: the whole procedure (LSA and consensus) under ``n`` seeds; mean ± sd of
  the pairwise adjusted Rand index (ARI).
* Bootstrap stability: the whole procedure refitted (vocabulary, TF-IDF, LSA, consensus) on
  ``n`` random 80 % subsamples; pairwise ARI on the items two subsamples share.
* Null: the same, on TF-IDF whose every term column is permuted across items, which keeps
  each term's frequency and each item's length but removes the co-occurrence structure.
* Per-topic stability (Hennig 2007, clusterboot): for each reference topic, the best-match
  Jaccard with the clusters of each bootstrap (on shared items), averaged over bootstraps.

Every refit goes through one :class:`Refits` cache, so the k sweep, the stability estimates
and the published consensus share their work: one TF-IDF per set of items, one LSA per
(items, seed), one consensus per (items, seed, k); the consensus runs' subsamples are drawn
once per (space, seed) for every k (``consensus._draws``).
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field, replace

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.preprocessing import normalize

from ..params import jobs
from ..progress import progress
from . import consensus, vectorise


def _key(idx: np.ndarray) -> str:
    return hashlib.sha1(np.ascontiguousarray(idx, dtype=np.int64).tobytes()).hexdigest()


@dataclass
class Refits:
    """The whole procedure on any subset of items, with every result cached by content.

    ``texts`` are the items' documents; ``null`` switches to the permuted-columns baseline
    (vocabulary fitted once on all items, then each column shuffled with ``null_seed``).
    """

    texts: list[str]
    settings: vectorise.Settings
    bag: consensus.Bagging
    null: bool = False
    _tfidf: dict = field(default_factory=dict, repr=False)
    _spaces: dict = field(default_factory=dict, repr=False)
    _labels: dict = field(default_factory=dict, repr=False)
    _permuted: sparse.csr_matrix | None = field(default=None, repr=False)

    def _null_tfidf(self) -> sparse.csr_matrix:
        if self._permuted is None:
            x, _ = vectorise.tfidf(self.texts, self.settings)
            x = x.tocsc()
            rng = np.random.default_rng(self.settings.seed)
            cols = [sparse.csc_matrix(x[rng.permutation(x.shape[0]), j]) for j in range(x.shape[1])]
            self._permuted = normalize(sparse.hstack(cols).tocsr())
        return self._permuted

    def tfidf(self, idx: np.ndarray) -> tuple[sparse.csr_matrix, np.ndarray]:
        """TF-IDF rows and terms of the items ``idx``, refitted on them alone (no seed: one
        fit serves every seed of the same items)."""
        key = _key(idx)
        if key not in self._tfidf:
            if self.null:
                self._tfidf[key] = (normalize(self._null_tfidf()[idx]), np.array([]))
            else:
                x, terms = vectorise.tfidf([self.texts[i] for i in idx], self.settings)
                self._tfidf[key] = (x, terms)
        return self._tfidf[key]

    def space(self, idx: np.ndarray, seed: int) -> np.ndarray:
        """The LSA space of the items ``idx``, refitted on them alone."""
        key = (_key(idx), seed)
        if key not in self._spaces:
            x = self.tfidf(idx)[0]
            self._spaces[key] = vectorise.lsa(x, self.settings.lsa_components, seed)[0]
        return self._spaces[key]

    def labels(self, idx: np.ndarray, seed: int, k: int) -> np.ndarray:
        """The consensus partition of the items ``idx`` into k topics."""
        key = (_key(idx), seed, k)
        if key not in self._labels:
            self._labels[key] = consensus.fit(self.space(idx, seed), k, seed, self.bag).labels
        return self._labels[key]

    def missing(self, idx: np.ndarray, seed: int, ks: list[int]) -> bool:
        """Whether any of the partitions of ``idx`` with ``seed`` into each k is not cached."""
        return any((_key(idx), seed, k) not in self._labels for k in ks)

    def bare(self) -> Refits:
        """A copy without the caches (cheap to send to a worker; the null's permuted matrix,
        made once, is kept)."""
        if self.null:
            self._null_tfidf()
        return replace(self, _tfidf={}, _spaces={}, _labels={}, _permuted=self._permuted)

    def partitions(self) -> dict[tuple[str, int, int], np.ndarray]:
        """Every cached partition, by (items' key, seed, k)."""
        return dict(self._labels)

    def restore(self, labels: dict[tuple[str, int, int], np.ndarray]) -> None:
        """Take partitions that :meth:`partitions` gave (``partition_store``)."""
        for key, lab in labels.items():
            self._labels.setdefault(key, lab)

    def keep(self, idx: np.ndarray, seed: int, fitted: tuple) -> None:
        """Cache what :func:`_refit_ks` returned for ``idx`` and ``seed``."""
        key = _key(idx)
        tfidf, space, labels = fitted
        self._tfidf.setdefault(key, tfidf)
        self._spaces.setdefault((key, seed), space)
        for k, lab in labels.items():
            self._labels.setdefault((key, seed, k), lab)


def _refit_ks(refits: Refits, idx: np.ndarray, seed: int, ks: list[int]) -> tuple:
    """One worker's task: the TF-IDF, the space and the partition into each k."""
    labels = {k: refits.labels(idx, seed, k) for k in ks}
    return refits.tfidf(idx), refits.space(idx, seed), labels


def prefetch(tasks: list[tuple[Refits, np.ndarray, int]], ks: list[int]) -> None:
    """Fit every k of each (procedure, items, seed) not yet cached, over :func:`jobs`
    processes; one task per (items, seed) runs every k (they share the runs' subsamples)."""
    todo = [(r, idx, s) for r, idx, s in tasks if r.missing(idx, s, ks)]
    n_jobs = min(jobs(), len(todo))
    if n_jobs <= 1:
        for r, idx, s in todo:
            r.keep(idx, s, _refit_ks(r, idx, s, ks))
        return
    bare = {id(r): r.bare() for r, _, _ in todo}
    run = Parallel(n_jobs=n_jobs, backend="multiprocessing")  # forked: nothing to re-import
    fitted = run(delayed(_refit_ks)(bare[id(r)], idx, s, ks) for r, idx, s in todo)
    for (r, idx, s), out in zip(todo, fitted, strict=True):
        r.keep(idx, s, out)


def subsamples(n: int, n_boot: int, share: float, seed: int) -> list[np.ndarray]:
    """``n_boot`` sorted random subsets of ``share`` of range(n), from one seed."""
    rng = np.random.default_rng(seed + 7919)
    m = max(2, int(round(share * n)))
    return [np.sort(rng.choice(n, size=m, replace=False)) for _ in range(n_boot)]


def adjusted_rand_score(a: np.ndarray, b: np.ndarray) -> float:
    """The adjusted Rand index, computed exactly as scikit-learn's (integer pair counts, the
    same final formula), without its per-call checks: a run takes about a thousand."""
    n = len(a)
    if n == 0:
        return 1.0
    _, ia = np.unique(a, return_inverse=True)
    _, ib = np.unique(b, return_inverse=True)
    width = int(ib.max()) + 1
    cont = np.bincount(ia.ravel() * width + ib.ravel(), minlength=(int(ia.max()) + 1) * width)
    cont = cont.reshape(-1, width).astype(np.int64)
    squares = int((cont**2).sum())
    tp = squares - n
    fp = int(cont.dot(cont.sum(axis=0)).sum()) - squares
    fn = int(cont.T.dot(cont.sum(axis=1)).sum()) - squares
    tn = n * n - fp - fn - squares
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))


def _shared_ari(ia: np.ndarray, la: np.ndarray, ib: np.ndarray, lb: np.ndarray) -> float:
    common, pa, pb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
    return float(adjusted_rand_score(la[pa], lb[pb])) if len(common) > 1 else float("nan")


@dataclass(frozen=True)
class Spread:
    """Mean and standard deviation of a set of pairwise ARIs."""

    mean: float
    sd: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        v = np.asarray(values, dtype=float)
        return cls(float(np.nanmean(v)), float(np.nanstd(v)))


def seed_stability(refits: Refits, k: int, seeds: list[int]) -> Spread:
    """Pairwise ARI between the whole procedure run with each seed, on all items."""
    idx = np.arange(len(refits.texts))
    labels = [refits.labels(idx, s, k) for s in progress(seeds, f"seed refits, k = {k}")]
    return Spread.of([adjusted_rand_score(a, b) for a, b in itertools.combinations(labels, 2)])


def bootstrap_seed(seed: int, b: int) -> int:
    """The seed of bootstrap ``b`` (each bootstrap refit has its own)."""
    return seed + 1 + b


def bootstrap_partitions(
    refits: Refits, k: int, samples: list[np.ndarray], seed: int
) -> list[np.ndarray]:
    """The partition of each subsample (the whole procedure refitted, each its own seed)."""
    runs = progress(enumerate(samples), f"bootstrap refits, k = {k}", total=len(samples))
    return [refits.labels(idx, bootstrap_seed(seed, b), k) for b, idx in runs]


def bootstrap_stability(samples: list[np.ndarray], parts: list[np.ndarray]) -> Spread:
    """Pairwise ARI between the bootstrap partitions, on the items each pair shares."""
    pairs = itertools.combinations(range(len(samples)), 2)
    return Spread.of([_shared_ari(samples[a], parts[a], samples[b], parts[b]) for a, b in pairs])


def topic_jaccard(
    reference: np.ndarray, samples: list[np.ndarray], parts: list[np.ndarray]
) -> np.ndarray:
    """Hennig's clusterboot: mean over bootstraps of each topic's best-match Jaccard."""
    topics = np.unique(reference[reference >= 0])
    out = np.zeros(len(topics))
    for idx, lab in zip(samples, parts, strict=True):
        ref = reference[idx]
        for t_pos, t in enumerate(topics):
            a = set(np.flatnonzero(ref == t))
            if not a:
                continue
            best = max(
                len(a & (b := set(np.flatnonzero(lab == c)))) / len(a | b) for c in np.unique(lab)
            )
            out[t_pos] += best
    return out / max(len(samples), 1)


def null_refits(refits: Refits) -> Refits:
    """The same procedure on the permuted-columns null."""
    return Refits(refits.texts, refits.settings, refits.bag, null=True)
