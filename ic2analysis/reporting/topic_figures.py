"""Figures of notebook 02 (topics): stability across k, per-topic stability, terms, map."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .figures import OKABE_ITO, REGION_MARKERS, cluster_palette


def topic_label(names: pd.DataFrame, width: int = 38) -> dict[int, str]:
    """'c: English name' wrapped, then the Chinese name on its own line when reviewed."""
    return {
        int(r.cluster): textwrap.fill(f"{r.cluster}: {r.name_en}", width)
        + (f"\n{r.name_zh}" if r.name_zh else "")
        for r in names.itertuples()
    }


def stability_sweep(table: pd.DataFrame, chosen: int) -> plt.Figure:
    """Seed and bootstrap stability (mean ± sd) and the null's, across k."""
    fig, ax = plt.subplots(figsize=(8, 4))
    for col, colour, marker, label in (
        ("seed_ari", OKABE_ITO[0], "o-", "Seed stability"),
        ("bootstrap_ari", OKABE_ITO[1], "s-", "Bootstrap stability"),
        ("null_bootstrap_ari", "#777777", "^--", "Bootstrap stability of the null"),
    ):
        ax.plot(table["k"], table[col], marker, color=colour, label=label)
        sd = table.get(f"{col}_sd")
        if sd is not None:
            ax.fill_between(table["k"], table[col] - sd, table[col] + sd, color=colour, alpha=0.15)
    ax.axvline(chosen, color="#555555", lw=1, ls=":")
    ax.set(
        title=f"Choosing k by stability (chosen: {chosen})",
        xlabel="Number of topics k",
        ylabel="Mean pairwise ARI (± sd)",
        ylim=(0, 1.02),
    )
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


def topic_stability(table: pd.DataFrame, labels: dict[int, str], below: float) -> plt.Figure:
    """Each topic's clusterboot Jaccard, with the instability threshold."""
    t = table.sort_values("cluster", ascending=False)
    fig, ax = plt.subplots(figsize=(9, 0.75 * len(t) + 1.5))
    colours = [OKABE_ITO[2] if s else OKABE_ITO[1] for s in t["stable"]]
    ax.barh([labels[c] for c in t["cluster"]], t["jaccard"], color=colours)
    ax.axvline(below, color="#555555", lw=1, ls=":")
    ax.set(
        title="Per-topic stability (mean best-match Jaccard over bootstraps)",
        xlabel=f"Jaccard (below {below}: unstable)",
        xlim=(0, 1),
    )
    fig.tight_layout()
    return fig


def top_terms(terms: pd.DataFrame, labels: dict[int, str], n: int = 6) -> plt.Figure:
    """The most distinctive phrases (c-TF-IDF) of each topic."""
    topics = sorted(labels)
    cols = 2
    rows = int(np.ceil(len(topics) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(12, 2.3 * rows), squeeze=False)
    palette = cluster_palette(max(len(topics), 1))
    for pos, ax in enumerate(axes.ravel()):
        if pos >= len(topics):
            ax.axis("off")
            continue
        c = topics[pos]
        t = terms[terms["cluster"] == c].nsmallest(n, "rank").iloc[::-1]
        ax.barh(t["term"], t["weight"], color=palette[pos % len(palette)])
        ax.set_title(labels[c], fontsize=9)
        ax.tick_params(labelsize=8)
        ax.set_xlabel("c-TF-IDF weight", fontsize=8)
    fig.suptitle("Most distinctive phrases per topic", fontweight="bold")
    fig.tight_layout()
    return fig


def topic_map(
    coords: np.ndarray, clusters: np.ndarray, regions: pd.Series, labels: dict[int, str]
) -> plt.Figure:
    """Items on the first two LSA components, coloured by topic, one marker per region."""
    fig, ax = plt.subplots(figsize=(9, 6.5))
    topics = sorted(labels)
    palette = cluster_palette(max(len(topics), 1))
    for pos, c in enumerate(topics):
        colour = "#999999" if c < 0 else palette[pos % len(palette)]
        for r, marker in REGION_MARKERS.items():
            m = (clusters == c) & (regions.to_numpy() == r)
            ax.scatter(
                coords[m, 0], coords[m, 1], s=22, marker=marker, alpha=0.75, color=colour,
                edgecolor="white", linewidth=0.3, rasterized=True,
                label=labels[c] if r == "Europe" else None,
            )  # fmt: skip
    ax.set(title="Items by topic (first two LSA components)", xlabel="LSA 1", ylabel="LSA 2")
    leg = ax.legend(
        title="Topic (o Europe, ^ China)", bbox_to_anchor=(1.02, 1), loc="upper left", fontsize=8
    )
    leg.get_title().set_fontsize(9)
    fig.tight_layout()
    return fig


def sizes_by_region(profile: pd.DataFrame, labels: dict[int, str]) -> plt.Figure:
    """Items per topic and region (stacked bars)."""
    t = profile.sort_values("cluster", ascending=False)
    fig, ax = plt.subplots(figsize=(9, 0.75 * len(t) + 1.5))
    y = [labels[c] for c in t["cluster"]]
    ax.barh(y, t["n_europe"], color=OKABE_ITO[0], label="Europe")
    ax.barh(y, t["n_china"], left=t["n_europe"], color=OKABE_ITO[1], label="China")
    ax.set(title="Topic sizes by region", xlabel="Number of items")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig
