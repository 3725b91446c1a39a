"""Figures of notebook 03 (bridges): balance, opportunities, pairs, actors, timelines."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from ..theme import OKABE_ITO, REGION_COLOURS


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
