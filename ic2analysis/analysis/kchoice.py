"""The number of topics: a sweep of k with the stability evidence, and the written rule.

The rule (said in words by :func:`choose_k`):

1. For each k in the range, measure seed stability, bootstrap stability, the bootstrap
   stability of the null, and the smallest topic's share of the items.
2. Keep the k whose seed stability is at least ``seed_min``, whose bootstrap stability
   exceeds the null's by at least ``null_margin`` and whose smallest topic holds at least
   ``min_topic_share`` of the items.
3. Take the highest bootstrap stability; when several k are within ``tie`` of it, take the
   largest of them (more detail at no loss of reproducibility).
4. If no k qualifies, take the k with the highest bootstrap stability, and say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn import metrics

from . import stability as st


@dataclass(frozen=True)
class Rule:
    """The thresholds of the k rule (see params/02_topics.yaml)."""

    seed_min: float = 0.8
    null_margin: float = 0.2
    min_topic_share: float = 0.03
    tie: float = 0.02


def silhouette(space: np.ndarray, labels: np.ndarray, seed: int, sample_size: int) -> float:
    """Cosine silhouette, on a fixed sample above ``sample_size`` items."""
    if len(set(labels)) < 2:
        return float("nan")
    size = min(sample_size, space.shape[0])
    return float(
        metrics.silhouette_score(
            space, labels, metric="cosine", sample_size=size, random_state=seed
        )
    )


def plan(
    refits: st.Refits, null: st.Refits, seeds: list[int], samples: list[np.ndarray], n_null: int
) -> list[tuple[st.Refits, np.ndarray, int]]:
    """Every (procedure, items, seed) refit that :func:`evidence` uses, for ``st.prefetch``."""
    all_idx = np.arange(len(refits.texts))
    out = []
    for r, n_seeds, n_boot in ((refits, len(seeds), len(samples)), (null, n_null, n_null)):
        out += [(r, all_idx, s) for s in seeds[:n_seeds]]
        out += [(r, idx, st.bootstrap_seed(seeds[0], b)) for b, idx in enumerate(samples[:n_boot])]
    return out


def evidence(
    refits: st.Refits,
    null: st.Refits,
    k: int,
    seeds: list[int],
    samples: list[np.ndarray],
    n_null: int,
    sample_size: int,
) -> tuple[dict, list[np.ndarray]]:
    """Every stability figure of one k, and its bootstrap partitions (for clusterboot)."""
    st.prefetch(plan(refits, null, seeds, samples, n_null), [k])
    all_idx = np.arange(len(refits.texts))
    labels = refits.labels(all_idx, seeds[0], k)
    seed = st.seed_stability(refits, k, seeds)
    parts = st.bootstrap_partitions(refits, k, samples, seeds[0])
    boot = st.bootstrap_stability(samples, parts)
    null_seed = st.seed_stability(null, k, seeds[:n_null])
    null_boot = st.bootstrap_stability(
        samples[:n_null], st.bootstrap_partitions(null, k, samples[:n_null], seeds[0])
    )
    row = {
        "k": k,
        "seed_ari": seed.mean,
        "seed_ari_sd": seed.sd,
        "bootstrap_ari": boot.mean,
        "bootstrap_ari_sd": boot.sd,
        "null_seed_ari": null_seed.mean,
        "null_bootstrap_ari": null_boot.mean,
        "null_bootstrap_ari_sd": null_boot.sd,
        "smallest_topic_share": float(np.bincount(labels).min() / len(labels)),
        "silhouette": silhouette(refits.space(all_idx, seeds[0]), labels, seeds[0], sample_size),
    }
    return row, parts


def choose_k(table: pd.DataFrame, rule: Rule) -> tuple[int, str]:
    """The k the rule picks, and a sentence saying why (including when it is a bound)."""
    if table.empty:
        raise ValueError("no k to choose from: the sweep is empty")
    excess = table["bootstrap_ari"] - table["null_bootstrap_ari"]
    ok = table[
        (table["seed_ari"] >= rule.seed_min)
        & (excess >= rule.null_margin)
        & (table["smallest_topic_share"] >= rule.min_topic_share)
    ]
    if ok.empty:
        row = table.sort_values(["bootstrap_ari", "k"], ascending=[False, False]).iloc[0]
        why = (
            f"no k met the rule (seed stability ≥ {rule.seed_min}, bootstrap stability "
            f"≥ null + {rule.null_margin}, smallest topic ≥ {rule.min_topic_share:.0%}); "
            f"k = {int(row.k)} has the highest bootstrap stability ({row.bootstrap_ari:.2f})"
        )
    else:
        best = ok["bootstrap_ari"].max()
        near = ok[ok["bootstrap_ari"] >= best - rule.tie]
        row = near.sort_values("k").iloc[-1]
        why = (
            f"k = {int(row.k)}: of the {len(ok)} values of k with seed stability ≥ "
            f"{rule.seed_min}, bootstrap stability at least {rule.null_margin} above the null "
            f"and no topic under {rule.min_topic_share:.0%} of the items, it has the highest "
            f"bootstrap stability ({row.bootstrap_ari:.2f})"
            + (
                f", or is the largest k within {rule.tie} of the highest ({best:.2f})"
                if len(near) > 1
                else ""
            )
        )
    k = int(row.k)
    if len(table) > 1 and k in (int(table["k"].min()), int(table["k"].max())):
        side = "lower" if k == int(table["k"].min()) else "upper"
        why += f". This is the {side} bound of k_range: a wider range might pick another k"
    return k, why
