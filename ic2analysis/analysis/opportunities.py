"""The collaboration score of every subject topic, its components and its reasons in words.

score(t) = sum of weight * component over ``advantage.COMPONENTS`` (balance, recency,
complementarity; weights normalised to sum to 1). A topic is a candidate only when it is a
subject: not the cross-cutting instruments group, fewer than ``MAX_INSTRUMENT_SHARE`` of its
items instruments, and both regions active (at least ``min_items`` items each). Instruments
no longer make a topic win: they are listed per topic as carriers (``carriers.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import advantage
from .advantage import COMPONENTS

MAX_INSTRUMENT_SHARE = 0.5


def normalised(weights: dict[str, float]) -> np.ndarray:
    """The weights of ``COMPONENTS`` as a vector summing to 1 (a missing one counts 0)."""
    w = np.array([float(weights.get(c, 0.0)) for c in COMPONENTS])
    return w / (w.sum() or 1.0)


def components(
    frame: pd.DataFrame,
    recent_since: int,
    min_items: int,
    by: str = "label",
    feat: dict | None = None,
    rows: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    group: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per topic: items, activity indices, components and whether it is a candidate.

    ``feat`` (``advantage.item_features``), ``rows`` (item positions) and ``labels`` (their
    topics) let the robustness test regroup the same items by another partition cheaply;
    ``group`` (aligned with ``rows``) marks items of the cross-cutting instruments group
    (by default ``cluster == -1``).
    """
    feat = advantage.item_features(frame, recent_since) if feat is None else feat
    rows = np.arange(len(frame)) if rows is None else rows
    labels = frame[by].to_numpy() if labels is None else labels
    if group is None:
        group = (frame["cluster"] == -1).to_numpy() if "cluster" in frame else labels != labels
    codes, topics = pd.factorize(pd.Series(labels), sort=True)
    in_group = np.bincount(codes, weights=group.astype(float), minlength=len(topics))
    size = np.bincount(codes, minlength=len(topics))
    sums = advantage.group_sums(feat, codes, len(topics), rows)
    eu, cn = sums["Europe"], sums["China"]
    n_eu, n_cn = max(eu["n"].sum(), 1), max(cn["n"].sum(), 1)
    n_all = max(eu["n"].sum() + cn["n"].sum(), 1)
    rows_out = []
    for t, topic in enumerate(topics):
        ne, nc = int(eu["n"][t]), int(cn["n"][t])
        s_eu, s_cn, s_all = ne / n_eu, nc / n_cn, max(ne + nc, 1) / n_all
        inst = (eu["instrument"][t] + cn["instrument"][t]) / max(ne + nc, 1)
        why = ""
        if in_group[t] == size[t] or inst >= MAX_INSTRUMENT_SHARE:
            why = f"not ranked: {inst:.0%} of its items are cross-cutting instruments, no subject"
        elif ne < min_items or nc < min_items:
            why = f"not ranked: a region has fewer than {min_items} items"
        rows_out.append(
            {
                by: topic,
                "n_europe": ne,
                "n_china": nc,
                "instrument_share": round(float(inst), 4),
                "ai_europe": round(s_eu / s_all, 4),
                "ai_china": round(s_cn / s_all, 4),
                "balance": advantage.balance(s_eu, s_cn),
                **advantage.profile(eu, cn, t),
                "candidate": not why,
                "not_ranked": why,
            }
        )
    return pd.DataFrame(rows_out)


def scores(comp: pd.DataFrame, weights: np.ndarray) -> np.ndarray:
    """Scores of every topic under one or many weight vectors (columns); -inf off candidates.

    ``weights`` is (len(COMPONENTS),) or (len(COMPONENTS), draws).
    """
    x = comp[list(COMPONENTS)].to_numpy(dtype=float) @ weights
    mask = comp["candidate"].to_numpy(dtype=bool)
    return np.where(mask[:, None] if x.ndim == 2 else mask, x, -np.inf)


def ranks(s: np.ndarray) -> np.ndarray:
    """Rank 1 = best of each column (ties by position, so by topic label); NaN off candidates."""
    s2 = s if s.ndim == 2 else s[:, None]
    order = np.argsort(-s2, axis=0, kind="stable")
    r = np.empty_like(order, dtype=float)
    np.put_along_axis(r, order, np.arange(1, s2.shape[0] + 1, dtype=float)[:, None], axis=0)
    r[~np.isfinite(s2)] = np.nan
    return r if s.ndim == 2 else r[:, 0]


def _ai_words(ai: float) -> str:
    return "specialised" if ai >= 1.2 else "under-weighted" if ai <= 0.8 else "average weight"


def reasons(r: pd.Series, recent_since: int) -> str:
    """The row's components said in words."""
    out = [r["not_ranked"]] if r["not_ranked"] else ["both active"]
    out += [
        f"Europe {r.n_europe} items, China {r.n_china} (balance {r.balance:.2f})",
        f"activity index Europe {r.ai_europe:.2f} ({_ai_words(r.ai_europe)}), "
        f"China {r.ai_china:.2f} ({_ai_words(r.ai_china)})",
        f"recent since {recent_since}: Europe {r.recent_europe:.0%}, China {r.recent_china:.0%}",
        f"mixes differ by {r.complementarity:.2f} (kinds {r.complementarity_kinds:.2f}, "
        f"perspectives {r.complementarity_perspectives:.2f})",
    ]
    if r["europe_brings"]:
        out.append(f"Europe brings more {r['europe_brings']}")
    if r["china_brings"]:
        out.append(f"China brings more {r['china_brings']}")
    return "; ".join(out)


def opportunities(
    frame: pd.DataFrame,
    weights: dict[str, float],
    recent_since: int,
    min_items: int,
    by: str = "label",
) -> pd.DataFrame:
    """Every topic with its score and reasons, candidates first by score (rank 1 = best)."""
    comp = components(frame, recent_since, min_items, by)
    s = scores(comp, normalised(weights))
    comp["score"] = np.where(np.isfinite(s), s, 0.0)
    comp["reasons"] = [reasons(r, recent_since) for _, r in comp.iterrows()]
    out = comp.sort_values(["candidate", "score", by], ascending=[False, False, True])
    out.insert(0, "rank", range(1, len(out) + 1))
    num = [*COMPONENTS, "complementarity_kinds", "complementarity_perspectives", "score",
           "recent_europe", "recent_china"]  # fmt: skip
    out[num] = out[num].astype(float).round(4)
    return out.drop(columns=["not_ranked"]).reset_index(drop=True)
