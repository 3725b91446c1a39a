"""Figures of notebook 02 (topics): choosing k, the topic map, sizes, terms, agreement."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from ..theme import OKABE_ITO, REGION_COLOURS, REGION_MARKERS, cluster_palette, region_palette


def k_sweep(table: pd.DataFrame, chosen: int) -> plt.Figure:
    """Silhouette and stability across k, with the chosen k marked."""
    fig, ax1 = plt.subplots(figsize=(8, 4))
    ax2 = ax1.twinx()
    ax1.plot(table["k"], table["silhouette"], "o-", color=OKABE_ITO[0], label="Silhouette")
    ax2.plot(
        table["k"],
        table["stability_ari"],
        "s--",
        color=OKABE_ITO[1],
        label="Stability (mean pairwise ARI)",
    )
    ax1.axvline(chosen, color="#555555", lw=1, ls=":")
    ax1.set(
        title=f"Choosing k (chosen: {chosen})",
        xlabel="Number of clusters k",
        ylabel="Silhouette (cosine)",
    )
    ax2.set_ylabel("Stability across seeds (ARI)")
    ax2.grid(False)
    lines = ax1.get_lines()[:1] + ax2.get_lines()[:1]
    ax1.legend(lines, [ln.get_label() for ln in lines], loc="lower left")
    fig.tight_layout()
    return fig


def _spread(ys: np.ndarray, gap: float) -> np.ndarray:
    """Move label heights apart by at least ``gap``, keeping their order and mean."""
    order = np.argsort(ys, kind="stable")
    out = ys.astype(float).copy()
    for a, b in zip(order[:-1], order[1:], strict=True):
        out[b] = max(out[b], out[a] + gap)
    return out - (out.mean() - ys.mean())


def _unstack(fig: plt.Figure, ax: plt.Axes, notes: list, centres: np.ndarray) -> None:
    """Shift labels vertically (in points, so limits do not matter) until none overlaps."""
    if not notes:
        return
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    to_pt = 72 / fig.dpi
    gap = max(n.get_bbox_patch().get_window_extent(r).height for n in notes) * to_pt * 1.1
    y = ax.transData.transform(centres)[:, 1] * to_pt
    for note, dy in zip(notes, _spread(y, gap) - y, strict=True):
        note.xyann = (0, float(dy))


def topic_map(
    coords: np.ndarray,
    assignments: pd.DataFrame | np.ndarray,
    regions: pd.Series,
    labels: dict[int, str],
) -> plt.Figure:
    """Topics as labelled groups on the 2-D projection: faint items, each topic's name at
    the median of its items (labels spread so none overlaps), one marker per region.
    ``assignments`` is a table with a ``cluster`` column or the cluster numbers."""
    fig, ax = plt.subplots(figsize=(10, 7))
    palette = dict(zip(sorted(labels), cluster_palette(len(labels)), strict=True))
    clusters = assignments["cluster"] if isinstance(assignments, pd.DataFrame) else assignments
    cl = np.asarray(clusters)
    reg = regions.to_numpy()
    for c in sorted(labels):
        for r, marker in REGION_MARKERS.items():
            m = (cl == c) & (reg == r)
            ax.scatter(
                coords[m, 0],
                coords[m, 1],
                s=14,
                marker=marker,
                alpha=0.35,
                color=palette[c],
                linewidth=0,
                rasterized=True,
            )
    cs = [c for c in sorted(labels) if (cl == c).any()]
    centres = np.array([np.median(coords[cl == c], axis=0) for c in cs]).reshape(-1, 2)
    notes = [
        ax.annotate(
            f"{c}: {labels[c]} ({int((cl == c).sum())})",
            tuple(xy),
            xytext=(0, 0),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=9,
            bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": palette[c], "lw": 1.5},
            arrowprops={"arrowstyle": "-", "color": palette[c], "lw": 0.8},
        )
        for c, xy in zip(cs, centres, strict=True)
    ]
    _unstack(fig, ax, notes, centres)
    handles = [
        matplotlib.lines.Line2D([], [], ls="", marker=mk, color="#777777", label=r)
        for r, mk in REGION_MARKERS.items()
    ]
    ax.legend(handles=handles, loc="lower right", title="Items", fontsize=9)
    ax.set(
        title="Topics on a 2-D map of the texts (SVD of TF-IDF): name and size at each centre",
        xlabel="Component 1",
        ylabel="Component 2",
    )
    fig.tight_layout()
    return fig


def cluster_sizes(assignments: pd.DataFrame, regions: pd.Series) -> plt.Figure:
    """Items per cluster and region."""
    t = assignments.assign(region=regions.to_numpy())
    t["topic"] = t["cluster"].astype(str) + ": " + t["label"]
    tab = pd.crosstab(t["topic"], t["region"]).reindex(columns=list(REGION_COLOURS), fill_value=0)
    tab = tab.loc[sorted(tab.index, key=lambda s: int(s.split(":")[0]), reverse=True)]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(tab) + 1.5))
    tab.plot.barh(stacked=True, ax=ax, color=region_palette(tab.columns))
    ax.set(title="Cluster sizes by region", xlabel="Number of items", ylabel="")
    ax.legend(title="Region", loc="lower right")
    fig.tight_layout()
    return fig


def top_terms(terms: pd.DataFrame, labels: dict[int, str], n: int = 6) -> plt.Figure:
    """The heaviest centroid terms of each cluster."""
    k = len(labels)
    cols = 3
    rows = int(np.ceil(k / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(12, 2.4 * rows), squeeze=False)
    for c, ax in zip(range(rows * cols), axes.ravel(), strict=True):
        if c >= k:
            ax.axis("off")
            continue
        t = terms[terms["cluster"] == c].nsmallest(n, "rank").iloc[::-1]
        ax.barh(t["term"], t["weight"], color=cluster_palette(k)[c])
        ax.set_title(f"{c}: {labels[c]}", fontsize=10)
        ax.tick_params(labelsize=8)
        ax.set_xlabel("centroid weight", fontsize=8)
    fig.suptitle("Top terms per cluster", fontweight="bold")
    fig.tight_layout()
    return fig


def contingency(tab: pd.DataFrame, title: str) -> plt.Figure:
    """A heatmap of counts (rows x columns)."""
    fig, ax = plt.subplots(figsize=(1.0 * tab.shape[1] + 3, 0.45 * tab.shape[0] + 1.5))
    sns.heatmap(tab, annot=True, fmt="d", cmap="Blues", ax=ax, cbar_kws={"label": "Items"})
    ax.set(title=title, xlabel=tab.columns.name or "", ylabel=tab.index.name or "")
    fig.tight_layout()
    return fig
