"""How much the ranking moves when the weights or the topics move.

(a) Weights: ``draws`` weight vectors from a Dirichlet centred on the defaults,
    alpha = concentration * w_default (mean = the defaults; a larger concentration is a
    tighter cloud: the sd of a weight w is sqrt(w (1 - w) / (concentration + 1))). Each topic
    gets its median rank, its 90 % rank interval (5th and 95th percentiles) and its
    probability of being in the top ``top``.
(b) Topics: the ranking (default weights) is repeated over each bootstrap partition of the
    topics step (``topic_bootstraps.csv``). A reference topic takes the rank of the bootstrap
    topic with the highest Jaccard overlap of items (on the items both partitions hold);
    P(top) is the share of bootstraps where that rank is within ``top``.

A top topic with a probability under ``fragile_below`` under either test is fragile.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import advantage
from . import opportunities as opp


def weight_draws(weights: dict[str, float], concentration: float, draws: int, seed: int):
    """(components, draws) weight vectors from Dirichlet(concentration * defaults).

    A component with default weight 0 stays 0 (the Dirichlet is taken over the others).
    """
    w = opp.normalised(weights)
    rng = np.random.default_rng(seed)
    out = np.zeros((len(w), draws))
    on = w > 0
    out[on] = rng.dirichlet(concentration * w[on], size=draws).T
    return out


def by_weights(comp: pd.DataFrame, draws: np.ndarray, top: int) -> pd.DataFrame:
    """Median rank, 90 % rank interval and P(top) of each topic over the weight draws."""
    r = opp.ranks(opp.scores(comp, draws))
    cand = comp["candidate"].to_numpy(dtype=bool)
    med = np.full(len(comp), np.nan)
    lo, hi, p = med.copy(), med.copy(), np.zeros(len(comp))
    if cand.any():
        rc = r[cand]
        med[cand] = np.median(rc, axis=1)
        lo[cand] = np.percentile(rc, 5, axis=1, method="lower")
        hi[cand] = np.percentile(rc, 95, axis=1, method="higher")
        p[cand] = (rc <= top).mean(axis=1)
    return pd.DataFrame(
        {"median_rank": med, "rank_lo": lo, "rank_hi": hi, "p_top_weights": np.round(p, 4)}
    )


def _jaccard_match(ref: np.ndarray, boot: np.ndarray) -> list[tuple[int, int]]:
    """For each reference topic code, the bootstrap topic code with the highest Jaccard
    overlap (both arrays: integer codes of the same items)."""
    nr, nb = int(ref.max()) + 1, int(boot.max()) + 1
    inter = np.bincount(ref * nb + boot, minlength=nr * nb).reshape(nr, nb).astype(float)
    union = inter.sum(1)[:, None] + inter.sum(0)[None, :] - inter
    jac = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    present = inter.sum(1) > 0
    return [(t, int(jac[t].argmax())) for t in range(nr) if present[t]]


def by_partitions(
    items: pd.DataFrame,
    bootstraps: pd.DataFrame | None,
    params: dict,
    top: int,
    by: str = "label",
) -> pd.DataFrame:
    """P(top) and the median rank of each reference topic over the bootstrap partitions.

    ``items`` holds the reference topics in ``by`` (and ``cluster``); ``bootstraps`` is
    the long table (id, bootstrap, topic). Without bootstraps the probabilities are NaN.
    """
    topics = sorted(items[by].unique())
    empty = pd.DataFrame({by: topics, "p_top_topics": np.nan, "median_rank_topics": np.nan,
                          "bootstraps": 0})  # fmt: skip
    if bootstraps is None or bootstraps.empty:
        return empty
    ref_codes, ref_topics = pd.factorize(items[by], sort=True)
    w = opp.normalised(params["weights"])
    feat = advantage.item_features(items, int(params["recent_since"]))
    where = pd.Index(items["id"]).get_indexer(bootstraps["id"])
    got: dict = {t: [] for t in topics}
    for _, b in bootstraps.assign(_pos=where)[where >= 0].groupby("bootstrap", sort=True):
        rows = b["_pos"].to_numpy()
        labels = b["topic"].to_numpy()
        boot_codes, boot_topics = pd.factorize(labels, sort=True)
        comp = opp.components(
            items, int(params["recent_since"]), int(params["min_items_per_region"]), "_boot",
            feat=feat, rows=rows, labels=labels, group=labels == -1,
        )  # fmt: skip
        rank = dict(zip(comp["_boot"], opp.ranks(opp.scores(comp, w)), strict=True))
        for t, bt in _jaccard_match(ref_codes[rows], boot_codes):
            got[ref_topics[t]].append(rank.get(boot_topics[bt], np.nan))
    rows = []
    for t in topics:
        r = np.array(got[t], dtype=float)
        n = len(r)
        p = float(np.mean(np.nan_to_num(r, nan=np.inf) <= top)) if n else np.nan
        med = float(np.nanmedian(r)) if n and np.isfinite(r).any() else np.nan
        rows.append({by: t, "p_top_topics": round(p, 4), "median_rank_topics": med,
                     "bootstraps": n})  # fmt: skip
    return pd.DataFrame(rows)


def robust_ranking(
    ranked: pd.DataFrame,
    items: pd.DataFrame,
    bootstraps: pd.DataFrame | None,
    params: dict,
    by: str = "label",
) -> pd.DataFrame:
    """The opportunities table with both robustness tests and the fragile label."""
    top = int(params["top_opportunities"])
    draws = weight_draws(params["weights"], float(params["dirichlet_concentration"]),
                         int(params["weight_draws"]), int(params["seed"]))  # fmt: skip
    w = by_weights(ranked, draws, top)
    t = by_partitions(items, bootstraps, params, top, by).set_index(by)
    out = pd.concat([ranked.reset_index(drop=True), w], axis=1)
    out = out.join(t, on=by)
    limit = float(params["fragile_below"])
    in_top = out["candidate"] & (out["rank"] <= top)
    weak = (out["p_top_weights"] < limit) | (out["p_top_topics"].fillna(1.0) < limit)
    out["fragile"] = in_top & weak
    return out
