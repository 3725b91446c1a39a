"""Figures of notebook 01 (cleaning): items by kind, per year, field completeness."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from ..theme import REGION_COLOURS, region_palette


def region_kind(table: pd.DataFrame) -> plt.Figure:
    """Items by kind, one bar per region."""
    tab = pd.crosstab(table["kind"], table["region"]).reindex(columns=list(REGION_COLOURS))
    fig, ax = plt.subplots(figsize=(7, 4))
    tab.plot.barh(ax=ax, color=region_palette(tab.columns), width=0.75)
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
