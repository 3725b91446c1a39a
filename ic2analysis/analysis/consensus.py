"""Bagged k-means consensus: many k-means runs on subsamples of a small LSA space, pooled.

Each of ``n_runs`` runs clusters a random ``subsample`` share of the items (at most
``max_items``) in the first d components of the normalised LSA space, d drawn from
``dims``. The k x n_runs run centres are pooled and clustered into k consensus centres,
and every item goes to its nearest consensus centre (cosine). The runs only ever see a
bounded sample, so the cost at 100k items is that of the final assignment.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from sklearn import config_context
from sklearn.cluster import KMeans
from sklearn.preprocessing import normalize


@dataclass(frozen=True)
class Bagging:
    """The parameters of the consensus (see params/02_topics.yaml)."""

    n_runs: int = 100
    subsample: float = 0.8
    dims: tuple[int, int] = (5, 20)
    max_items: int = 5000
    n_init: int = 10


@dataclass
class Consensus:
    """Consensus centres (unit rows), each item's cluster and its cosine distance to it."""

    centres: np.ndarray
    labels: np.ndarray
    distance: np.ndarray


def _kmeans(x: np.ndarray, k: int, seed: int, n_init: int) -> KMeans:
    """k-means with a fixed seed (Lloyd, so results do not depend on thread scheduling); the
    checks of finite values and parameters are skipped (the same result, less per-call time)."""
    with config_context(assume_finite=True, skip_parameter_validation=True):
        return KMeans(n_clusters=k, n_init=n_init, random_state=seed, algorithm="lloyd").fit(x)


def batched_kmeans(x: np.ndarray, k: int, rng: np.random.Generator, iters: int = 50):
    """Lloyd's k-means with a k-means++ start, for a batch of R same-sized data sets at once.

    ``x`` is (R, m, d). All R runs advance together with array operations, which on small
    subsamples is ten times faster than R separate library calls (whose per-call overhead
    dominates); a run whose labels stop changing has converged and is left out of later
    iterations at once (same result, less work). An emptied cluster keeps its previous centre.
    Returns (R, k, d) centres.
    """
    r, m, _ = x.shape
    rows = np.arange(r)
    sq = np.einsum("rmd,rmd->rm", x, x)
    first = rng.integers(m, size=r)
    centres = [x[rows, first]]
    d2 = np.maximum(sq - 2 * np.einsum("rmd,rd->rm", x, centres[0]) + sq[rows, first][:, None], 0)
    for _ in range(1, k):  # k-means++: the next centre with probability proportional to d^2
        cum = np.cumsum(d2, axis=1)
        pick = (cum < rng.random(r)[:, None] * cum[:, -1:]).sum(axis=1).clip(0, m - 1)
        centres.append(x[rows, pick])
        new = sq - 2 * np.einsum("rmd,rd->rm", x, centres[-1]) + sq[rows, pick][:, None]
        d2 = np.minimum(d2, np.maximum(new, 0))
    c = np.stack(centres, axis=1)
    labels = np.full((r, m), -1)
    active, xa = rows, x  # runs still moving (a run whose labels repeat is at its fixed point)
    for _ in range(iters):
        ca = c[active]
        dist = xa @ ca.transpose(0, 2, 1)  # |c|^2 - 2 x.c, in place: the same bits as written out
        dist *= -2
        dist += np.einsum("rkd,rkd->rk", ca, ca)[:, None, :]
        new_labels = dist.argmin(axis=2)
        moved = (new_labels != labels[active]).any(axis=1)
        if not moved.any():
            break
        if not moved.all():  # a settled run stays settled: leave it out at once
            active, new_labels, xa = active[moved], new_labels[moved], xa[moved]
        labels[active] = new_labels
        ra = len(active)
        onehot = np.zeros((ra, k, m), dtype=x.dtype)
        onehot[np.arange(ra)[:, None], new_labels, np.arange(m)[None, :]] = 1.0
        flat = (new_labels + k * np.arange(ra)[:, None]).ravel()
        count = np.bincount(flat, minlength=ra * k).reshape(ra, k, 1)  # exact, as the sum was
        c[active] = np.where(count > 0, (onehot @ xa) / np.maximum(count, 1), c[active])
    return c


# The runs' subsamples of one space and seed are the same for every k (they are drawn before
# any k-means step), so the k sweep draws them once: kept up to this many bytes, oldest first out.
DRAWS_BUDGET = 256 * 2**20
_DRAWS: OrderedDict = OrderedDict()


def _draws(space: np.ndarray, seed: int, m: int, bag: Bagging) -> tuple[np.ndarray, dict]:
    """Each run's normalised subsample of ``space`` (R, m, width), read-only, and the state of
    the seed's generator after drawing them (the k-means++ draws continue from it)."""
    key = (hashlib.sha1(np.ascontiguousarray(space).tobytes()).hexdigest(), space.shape,
           seed, m, bag.n_runs, bag.dims)  # fmt: skip
    if key in _DRAWS:
        _DRAWS.move_to_end(key)
        return _DRAWS[key]
    rng = np.random.default_rng(seed)
    n, width = space.shape
    lo, hi = min(bag.dims[0], width), min(bag.dims[1], width)
    dims = rng.integers(lo, hi + 1, size=bag.n_runs)
    idx = np.stack([rng.choice(n, size=m, replace=False) for _ in range(bag.n_runs)])
    x = space[idx] * (np.arange(width)[None, None, :] < dims[:, None, None])
    x /= np.linalg.norm(x, axis=2, keepdims=True).clip(1e-12)
    x.flags.writeable = False
    _DRAWS[key] = (x, rng.bit_generator.state)
    while sum(v[0].nbytes for v in _DRAWS.values()) > DRAWS_BUDGET and len(_DRAWS) > 1:
        _DRAWS.popitem(last=False)
    return x, _DRAWS[key][1]


def run_centres(space: np.ndarray, k: int, seed: int, bag: Bagging) -> np.ndarray:
    """The pooled centres of the bagged runs, zero-padded to the full width, unit length."""
    n, width = space.shape
    m = int(min(bag.max_items, n, max(k + 1, round(bag.subsample * n))))
    x, state = _draws(space, seed, m, bag)
    rng = np.random.default_rng(seed)
    rng.bit_generator.state = state
    return normalize(batched_kmeans(x, k, rng).reshape(-1, width))


def assign(space: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest centre of each row by cosine, and the cosine distance to it (blockwise)."""
    labels = np.empty(space.shape[0], dtype=np.int64)
    dist = np.empty(space.shape[0])
    step = 50_000
    for s in range(0, space.shape[0], step):
        sim = space[s : s + step] @ centres.T
        labels[s : s + step] = sim.argmax(axis=1)
        dist[s : s + step] = 1.0 - sim.max(axis=1)
    return labels, dist


def renumber(labels: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Clusters numbered by size (largest first, ties by first member), empty ones dropped."""
    used, first, size = np.unique(labels, return_index=True, return_counts=True)
    order = [used[i] for i in sorted(range(len(used)), key=lambda i: (-size[i], first[i]))]
    remap = np.full(centres.shape[0], -1)
    remap[order] = np.arange(len(order))
    return remap[labels], centres[order]


def fit(space: np.ndarray, k: int, seed: int, bag: Bagging) -> Consensus:
    """The consensus partition of ``space`` into (at most) k clusters."""
    pooled = run_centres(space, k, seed, bag)
    final = normalize(_kmeans(pooled, k, seed, bag.n_init).cluster_centers_)
    labels, _ = assign(space, final)
    labels, final = renumber(labels, final)
    labels, dist = assign(space, final)
    return Consensus(final, labels, np.round(np.clip(dist, 0.0, 2.0), 6))
