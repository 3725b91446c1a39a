"""Figure of notebook 03: how far each opportunity's rank moves under the two tests."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..theme import OKABE_ITO


def rank_intervals(opps: pd.DataFrame, by: str, top: int) -> plt.Figure:
    """Rank of each candidate topic (dot) with its 90 % interval over the weight draws (bar),
    the median rank over the bootstrap partitions (diamond), and the top-``top`` line."""
    t = opps[opps["candidate"].astype(bool)].sort_values("rank", ascending=False)
    y = np.arange(len(t))
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(t) + 1.6))
    lo, hi = t["rank_lo"].to_numpy(float), t["rank_hi"].to_numpy(float)
    ax.hlines(y, lo, hi, color=OKABE_ITO[5], linewidth=6, alpha=0.6,
              label="90 % rank interval (weights)")  # fmt: skip
    ax.plot(t["rank"], y, "o", color="black", label="rank at the default weights")
    ax.plot(t["median_rank_topics"], y, "D", color=OKABE_ITO[1], markerfacecolor="none",
            label="median rank over bootstrap topics")  # fmt: skip
    ax.axvline(top + 0.5, color="grey", linestyle=":", linewidth=1)
    names = [f"{n}  (fragile)" if f else str(n) for n, f in zip(t[by], t["fragile"], strict=True)]
    ax.set_yticks(y, names)
    ax.set_xlim(0.5, max(len(t), top) + 0.5)
    ax.set_xticks(range(1, max(len(t), top) + 1))
    ax.set(title="Opportunity ranks and how far they move", xlabel="Rank (1 = best)", ylabel="")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 1.2 / (len(t) + 3)), ncol=2,
              fontsize="small", frameon=False)  # fmt: skip
    fig.tight_layout()
    return fig
