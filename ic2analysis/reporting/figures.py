"""Every figure of the notebooks. Figures only draw what the analysis modules computed.

Colours come from the Okabe-Ito palette (colour-blind safe); Europe and China keep the same
colour everywhere. The look (font, sizes, literal text) and saving live in ``theme``.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .theme import (  # noqa: F401  (the notebooks call figures.set_theme and figures.save)
    CJK_FAMILY,
    OKABE_ITO,
    REGION_COLOURS,
    REGION_MARKERS,
    cjk_font,
    save,
    set_theme,
)


def cluster_palette(k: int) -> list:
    """Okabe-Ito for up to 8 clusters; beyond that, tab20 so no two clusters share a colour."""
    return OKABE_ITO[:k] if k <= len(OKABE_ITO) else sns.color_palette("tab20", k)


def _region_palette(regions) -> list[str]:
    return [REGION_COLOURS.get(r, "#777777") for r in regions]


# ---------------------------------------------------------------- 01 clean
def region_kind(table: pd.DataFrame) -> plt.Figure:
    """Items by kind, one bar per region."""
    tab = pd.crosstab(table["kind"], table["region"]).reindex(columns=list(REGION_COLOURS))
    fig, ax = plt.subplots(figsize=(7, 4))
    tab.plot.barh(ax=ax, color=_region_palette(tab.columns), width=0.75)
    ax.set(title="Items by kind and region", xlabel="Number of items", ylabel="")
    for c in ax.containers:
        ax.bar_label(c, padding=2, fontsize=9)
    ax.set_xlim(0, float(tab.max().max()) * 1.12)  # room for the bar labels
    # outside the axes, so that no bar and no label is hidden behind it
    ax.legend(title="Region", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.tight_layout()
    return fig


def timeline(table: pd.DataFrame, since: int = 1995) -> plt.Figure:
    """Items per start year, by region (items without a known year are left out)."""
    t = table.dropna(subset=["year_start"])
    t = t[t["year_start"] >= since]
    tab = pd.crosstab(t["year_start"].astype(int), t["region"]).reindex(
        columns=list(REGION_COLOURS), fill_value=0
    )
    years = range(int(tab.index.min()), int(tab.index.max()) + 1)
    tab = tab.reindex(years, fill_value=0)
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.42
    for i, r in enumerate(tab.columns):
        ax.bar(
            np.array(list(years)) + (i - 0.5) * width,
            tab[r],
            width,
            label=r,
            color=REGION_COLOURS[r],
        )
    ax.set(
        title=f"Items per start year, {since} onwards",
        xlabel="Year the item started or was adopted",
        ylabel="Number of items",
    )
    ax.legend(title="Region")
    fig.tight_layout()
    return fig


def completeness(frame: pd.DataFrame) -> plt.Figure:
    """Share of items with a value in each field, per region (frame: field x region)."""
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(frame) + 1.2))
    sns.heatmap(
        frame * 100,
        annot=True,
        fmt=".0f",
        cmap="Blues",
        vmin=0,
        vmax=100,
        ax=ax,
        cbar_kws={"label": "% of items with a value"},
    )
    ax.set(title="Field completeness (%)", xlabel="Region", ylabel="Field")
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- 02 topics
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
    coords: np.ndarray, assignments: pd.DataFrame, regions: pd.Series, labels: dict[int, str]
) -> plt.Figure:
    """Topics as labelled groups on the 2-D projection: faint items, each topic's name at
    the median of its items (labels spread so none overlaps), one marker per region."""
    fig, ax = plt.subplots(figsize=(10, 7))
    palette = cluster_palette(len(labels))
    cl = assignments["cluster"].to_numpy()
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
    tab.plot.barh(stacked=True, ax=ax, color=_region_palette(tab.columns))
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


# ---------------------------------------------------------------- 03 bridges
def region_topic_heatmap(counts: pd.DataFrame, by: str) -> plt.Figure:
    """Share of each region's items per topic."""
    tab = counts.set_index(by)[["share_europe", "share_china"]] * 100
    tab.columns = ["Europe", "China"]
    fig, ax = plt.subplots(figsize=(6, 0.42 * len(tab) + 1.5))
    sns.heatmap(
        tab,
        annot=True,
        fmt=".0f",
        cmap="Purples",
        ax=ax,
        cbar_kws={"label": "% of the region's items"},
    )
    ax.set(title="Where each region puts its weight (%)", xlabel="Region", ylabel="")
    fig.tight_layout()
    return fig


def balance_bars(counts: pd.DataFrame, by: str) -> plt.Figure:
    """Diverging bars: share of Europe's items (left) and China's (right) per topic."""
    t = counts.sort_values("balance")
    fig, ax = plt.subplots(figsize=(8, 0.42 * len(t) + 1.5))
    y = np.arange(len(t))
    ax.barh(y, -t["share_europe"] * 100, color=REGION_COLOURS["Europe"], label="Europe")
    ax.barh(y, t["share_china"] * 100, color=REGION_COLOURS["China"], label="China")
    ax.set_yticks(y, [f"{v}  (balance {b:.2f})" for v, b in zip(t[by], t["balance"], strict=True)])
    ax.axvline(0, color="black", lw=0.8)
    lim = float(max(t["share_europe"].max(), t["share_china"].max()) * 100 * 1.1)
    ax.set_xlim(-lim, lim)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{abs(v):.0f}"))
    ax.set(title="Balance per topic", xlabel="% of the region's items (Europe left, China right)")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def opportunity_ranking(
    opps: pd.DataFrame, by: str, components: tuple[str, ...], weights: dict[str, float]
) -> plt.Figure:
    """Stacked weighted components of the opportunity score per topic."""
    t = opps.sort_values("score")
    total = sum(weights.values()) or 1.0
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(t) + 1.5))
    left = np.zeros(len(t))
    for i, c in enumerate(components):
        val = t[c].to_numpy() * weights[c] / total * (t["score"].to_numpy() > 0)
        ax.barh(t[by], val, left=left, color=OKABE_ITO[i + 2], label=c)
        left += val
    ax.set(
        title="Collaboration opportunity score by topic",
        xlabel="Score (weighted sum of components, 0-1)",
        ylabel="",
    )
    ax.legend(title="Component", loc="lower right")
    fig.tight_layout()
    return fig


def pair_network(pairs: pd.DataFrame, by: str, max_label: int = 38) -> plt.Figure:
    """A bipartite view: Europe items on the left, China items on the right, lines = pairs."""
    if pairs.empty:
        fig, ax = plt.subplots(figsize=(8, 2))
        ax.axis("off")
        ax.text(
            0.5,
            0.5,
            "No Europe-China pairs: no topic has items from both regions.",
            ha="center",
            va="center",
        )
        return fig
    eu = list(dict.fromkeys(pairs["europe_title"]))
    cn = list(dict.fromkeys(pairs["china_title"]))
    n = max(len(eu), len(cn), 1)
    fig, ax = plt.subplots(figsize=(12, 0.32 * n + 1.8))
    ye = {t: n - 1 - i * (n - 1) / max(len(eu) - 1, 1) for i, t in enumerate(eu)}
    yc = {t: n - 1 - i * (n - 1) / max(len(cn) - 1, 1) for i, t in enumerate(cn)}
    topics = list(dict.fromkeys(pairs[by]))
    for r in pairs.itertuples():
        colour = OKABE_ITO[2 + topics.index(getattr(r, by)) % 6]
        ax.plot(
            [0, 1],
            [ye[r.europe_title], yc[r.china_title]],
            color=colour,
            lw=0.6 + 4 * r.similarity,
            alpha=0.7,
        )

    def short(s: str) -> str:
        return s if len(s) <= max_label else s[: max_label - 1] + "…"

    for t, y in ye.items():
        ax.text(
            -0.02, y, short(t), ha="right", va="center", fontsize=8, color=REGION_COLOURS["Europe"]
        )
    for t, y in yc.items():
        ax.text(
            1.02, y, short(t), ha="left", va="center", fontsize=8, color=REGION_COLOURS["China"]
        )
    handles = [
        matplotlib.lines.Line2D([], [], color=OKABE_ITO[2 + i % 6], lw=2, label=tp)
        for i, tp in enumerate(topics)
    ]
    ax.legend(
        handles=handles,
        title="Topic (line width = similarity)",
        loc="upper center",
        bbox_to_anchor=(0.5, -0.02),
        ncol=2,
        fontsize=8,
    )
    ax.set_xlim(-0.9, 1.9)
    ax.axis("off")
    ax.set_title("Most similar Europe-China pairs in the top opportunities")
    fig.tight_layout()
    return fig


def actors_bars(actors: pd.DataFrame, top: int = 10) -> plt.Figure:
    """The lead bodies with most items, per region: one panel per row, readable at page
    width (Chinese bodies with their Chinese name under the English one)."""
    fig, axes = plt.subplots(2, 1, figsize=(9, 0.75 * top + 2.2))
    for ax, region in zip(axes, REGION_COLOURS, strict=True):
        a = actors[actors["region"] == region]
        t = (
            a.groupby("lead_body_canonical")["items"]
            .sum()
            .sort_values(ascending=False, kind="stable")
            .head(top)
            .iloc[::-1]
        )
        local = dict(zip(a["lead_body_canonical"], a.get("lead_body_local", ""), strict=False))
        names = [s if len(s) <= 60 else s[:59] + "…" for s in t.index]
        if region == "China":
            names = [
                f"{n}\n{local[s]}" if local.get(s) else n
                for n, s in zip(names, t.index, strict=True)
            ]
        ax.barh(names, t.values, color=REGION_COLOURS[region])
        ax.bar_label(ax.containers[0], padding=2, fontsize=10)
        ax.set_xlim(0, float(t.max() if len(t) else 1) * 1.1)
        ax.set(title=f"{region}: leading bodies", xlabel="Items led", ylabel="")
        ax.tick_params(axis="y", labelsize=10)
    fig.tight_layout()
    return fig


def topic_timeline(
    timeline: pd.DataFrame,
    milestones: pd.DataFrame,
    topics: list[str],
    by: str = "label",
    since: int = 2005,
) -> plt.Figure:
    """Items per year and region for the given topics, with policy milestones marked."""
    t = timeline[timeline["year_start"] >= since]
    years = (
        np.arange(since, int(t["year_start"].max()) + 1) if len(t) else np.arange(since, since + 1)
    )
    fig, axes = plt.subplots(
        len(topics) + 1,
        1,
        figsize=(10, 1.7 * len(topics) + 2.4),
        sharex=True,
        squeeze=False,
        gridspec_kw={"height_ratios": [1.3] + [1] * len(topics)},
    )
    head = axes[0, 0]
    head.axis("off")
    seen: dict[int, int] = {}
    for m in milestones.itertuples():
        k = seen.get(m.year, 0)
        seen[m.year] = k + 1
        head.text(
            m.year + 0.35 * k,
            0.0,
            f"{m.name} ({m.year})",
            rotation=45,
            fontsize=7.5,
            color=REGION_COLOURS.get(m.region, "#777"),
            ha="left",
            va="bottom",
        )
    axes = axes[1:]
    for ax, topic in zip(axes[:, 0], topics, strict=True):
        for region, colour in REGION_COLOURS.items():
            sub = t[(t[by] == topic) & (t["region"] == region)].set_index("year_start")["items"]
            ax.step(
                years,
                sub.reindex(years, fill_value=0).to_numpy(),
                where="mid",
                color=colour,
                label=region,
                lw=1.8,
            )
        for m in milestones.itertuples():
            ax.axvline(m.year, color=REGION_COLOURS.get(m.region, "#777"), lw=0.8, ls=":")
        ax.set_ylabel("items", fontsize=9)
        ax.set_title(topic, fontsize=10, loc="left")
    axes[0, 0].legend(loc="upper left", fontsize=8)
    axes[-1, 0].set_xlabel("Year the item started or was adopted (dotted lines: milestones)")
    fig.suptitle("When each side moved, by topic", fontweight="bold", y=1.0)
    fig.tight_layout()
    return fig
