"""Figure of the bodies counterpart map (issue #20): European bodies on the left, Chinese on
the right, linked where they act on the same subjects, coloured by function. It draws the
``body_counterparts`` table as written; it computes nothing."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D

from ..theme import OKABE_ITO

FUNCTION_ORDER = (
    "regulator",
    "standards body",
    "government",
    "legislature",
    "funder",
    "research infrastructure",
    "research",
    "care provider",
)  # the public functions the map is about (one colour each); companies, consortia and
# societies stay in the table only


def _shown(pairs: pd.DataFrame, per_function: int) -> pd.DataFrame:
    """The strongest ``per_function`` pairs of each function shown (the table is sorted by
    score)."""
    shown = pairs[pairs["function"].isin(FUNCTION_ORDER)]
    return shown.groupby("function", sort=False).head(per_function)


def _column(shown: pd.DataFrame, side: str) -> dict[str, float]:
    """y position of each body of one side, grouped by function, strongest first."""
    order = shown.assign(f=shown["function"].map(FUNCTION_ORDER.index))
    ids = order.sort_values(["f", "score"], ascending=[True, False], kind="stable")[side]
    ids = list(dict.fromkeys(ids))
    return {b: -i for i, b in enumerate(ids)}


def counterpart_map(
    pairs: pd.DataFrame, profiles: pd.DataFrame, per_function: int = 3
) -> plt.Figure:
    """European and Chinese bodies linked by their best same-function counterpart; line width
    is the pair's score, colour its function; Chinese bodies also show their Chinese name."""
    shown = _shown(pairs, per_function)
    palette = [c for c in OKABE_ITO if c != "#F0E442"] + ["#999999"]  # no yellow on white
    colours = {f: palette[i % len(palette)] for i, f in enumerate(FUNCTION_ORDER)}
    ye, yc = _column(shown, "europe_id"), _column(shown, "china_id")
    n = max(len(ye), len(yc), 1)
    scale_e, scale_c = (n - 1) / max(len(ye) - 1, 1), (n - 1) / max(len(yc) - 1, 1)
    names = profiles.set_index("body_id")
    fig, ax = plt.subplots(figsize=(12, 0.42 * n + 1.8))
    for r in shown.itertuples():
        y0, y1 = ye[r.europe_id] * scale_e, yc[r.china_id] * scale_c
        ax.plot([0, 1], [y0, y1], color=colours[r.function], lw=1 + 6 * r.score, alpha=0.75)
    for ids, x, scale, ha in ((ye, -0.02, scale_e, "right"), (yc, 1.02, scale_c, "left")):
        for b, y in ids.items():
            label = names.at[b, "name_en"]
            label = label if len(label) <= 48 else label[:47] + "…"
            local = names.at[b, "name_local"] if ha == "left" else ""
            text = f"{label}  {local}" if isinstance(local, str) and local else label
            ax.text(x, y * scale, text, ha=ha, va="center", fontsize=9)
    ax.text(-0.02, 1.2, "Europe", ha="right", fontsize=12, weight="bold")
    ax.text(1.02, 1.2, "China", ha="left", fontsize=12, weight="bold")
    used = [f for f in FUNCTION_ORDER if f in set(shown["function"])]
    handles = [Line2D([0], [0], color=colours[f], lw=3) for f in used]
    ax.legend(
        handles,
        used,
        title="Function",
        loc="upper center",
        bbox_to_anchor=(0.5, -0.01),
        ncol=min(4, max(len(used), 1)),
        frameon=False,
        fontsize=9,
    )
    ax.set_xlim(-1.1, 2.1)
    ax.set_ylim(-(n - 1) - 0.8, 1.6)
    ax.axis("off")
    ax.set_title("Europe-China counterpart bodies: compatible functions, overlapping subjects")
    fig.tight_layout()
    return fig
