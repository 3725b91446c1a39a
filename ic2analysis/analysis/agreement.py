"""How the topics relate to what is known: regions, expert perspectives, counterpart pairs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn import metrics


def agreement(clusters: np.ndarray, expert: pd.Series) -> pd.DataFrame:
    """Agreement between clusters and expert codes (items without a code are left out)."""
    mask = expert.fillna("").astype(str).str.len().to_numpy() > 0
    if mask.sum() < 2:
        return pd.DataFrame(columns=["metric", "value", "meaning"])
    a, b = expert.to_numpy()[mask], clusters[mask]
    h, c, v = metrics.homogeneity_completeness_v_measure(a, b)
    rows = [
        ("adjusted_rand", metrics.adjusted_rand_score(a, b),
         "expert perspectives vs topics, pair-counting agreement: 0 = chance, 1 = identical"),
        ("normalised_mutual_info", metrics.normalized_mutual_info_score(a, b),
         "expert perspectives vs topics, shared information: 0 = independent, 1 = identical"),
        ("homogeneity", h, "1 when each topic holds items of a single perspective"),
        ("completeness", c, "1 when each perspective falls in a single topic"),
        ("v_measure", v, "harmonic mean of homogeneity and completeness"),
    ]  # fmt: skip
    return pd.DataFrame(
        [{"metric": m, "value": round(float(x), 4), "meaning": t} for m, x, t in rows]
    )


def has_expert_coding(items: pd.DataFrame) -> bool:
    """Whether the mapping carries ICPerMed perspective codes to compare against."""
    return bool((items["perspective_primary"].fillna("") != "").sum() >= 2)


def region_profile(labels: np.ndarray, regions: pd.Series) -> pd.DataFrame:
    """Items per topic and region, and each region's share of the topic's items."""
    tab = pd.crosstab(labels, regions.to_numpy()).reindex(columns=["Europe", "China"], fill_value=0)
    out = tab.rename(columns={"Europe": "n_europe", "China": "n_china"})
    total = out.sum(axis=1).replace(0, 1)
    out["share_europe"] = (out["n_europe"] / total).round(4)
    out["share_china"] = (out["n_china"] / total).round(4)
    out.index.name = "cluster"
    return out.reset_index()


def one_region_topics(profile: pd.DataFrame, below: float = 0.1) -> pd.DataFrame:
    """Topics where either region holds less than ``below`` of the items."""
    low = profile[["share_europe", "share_china"]].min(axis=1) < below
    return profile[low]


def load_pairs(file: Path) -> pd.DataFrame:
    """The counterpart check set (id_europe, id_china, why); empty when the file is absent."""
    if not file.exists():
        return pd.DataFrame(columns=["id_europe", "id_china", "why"])
    pairs = pd.read_csv(file, dtype=str, keep_default_na=False)
    missing = {"id_europe", "id_china", "why"} - set(pairs.columns)
    if missing:
        raise ValueError(f"{file}: missing column(s) {', '.join(sorted(missing))}")
    return pairs


def counterpart_check(pairs: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """Each known counterpart pair with both topics and whether they are the same."""
    topic = dict(zip(clusters["id"], clusters["cluster"], strict=True))
    out = pairs.copy()
    out["cluster_europe"] = out["id_europe"].map(topic)
    out["cluster_china"] = out["id_china"].map(topic)
    out = out.dropna(subset=["cluster_europe", "cluster_china"])
    out["same_topic"] = out["cluster_europe"] == out["cluster_china"]
    return out.astype({"cluster_europe": int, "cluster_china": int}).reset_index(drop=True)


def describe_agreement(tab: pd.DataFrame, min_share: float = 0.5) -> list[str]:
    """Plain sentences on where topics and expert perspectives agree and where they do not.

    ``tab`` is the topic x perspective contingency table. A perspective *agrees* with the
    clustering when at least ``min_share`` of its items fall in one topic; a topic is *pure*
    when at least ``min_share`` of its items share one perspective.
    """
    lines = []
    col_tot, row_tot = tab.sum(axis=0), tab.sum(axis=1)
    for p in tab.columns:
        if col_tot[p] == 0:
            continue
        best = tab[p].idxmax()
        share = tab.loc[best, p] / col_tot[p]
        verdict = (
            "concentrates in" if share >= min_share else "is spread out; its largest share is in"
        )
        lines.append(f"{p} ({col_tot[p]} items) {verdict} topic {best} ({share:.0%}).")
    pure = [
        (c, tab.loc[c].idxmax(), tab.loc[c].max() / row_tot[c])
        for c in tab.index
        if row_tot[c] and tab.loc[c].max() / row_tot[c] >= min_share
    ]
    mixed = [c for c in tab.index if row_tot[c] and tab.loc[c].max() / row_tot[c] < min_share]
    lines.append(
        f"{len(pure)} of {len(tab)} topics are dominated by one perspective"
        + (": " + "; ".join(f"{c} → {p} ({s:.0%})" for c, p, s in pure) if pure else "")
        + "."
    )
    if mixed:
        lines.append(
            f"Mixed topics (no perspective reaches {min_share:.0%}): " + "; ".join(mixed) + "."
        )
    return lines
