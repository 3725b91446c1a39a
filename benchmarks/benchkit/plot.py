"""The scaling figure: CPU time per stage against items (log-log), peak memory alongside."""

from __future__ import annotations

import io
from pathlib import Path

from . import targets
from .child import Series
from .settings import PIPELINE_STAGES, PLAIN_STAGES, K
from .targets import CPU, find


def plot(series: list[Series], sizes: list[int], path: Path) -> None:
    """Write the figure to ``path`` (PNG without a timestamp, so reruns compare)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ic2analysis import files

    found = [(find(series, n, "pipeline"), find(series, n, "baseline_lsa")) for n in sizes]
    pairs = [(p, b) for p, b in found if p and b]
    if not pairs:
        return
    x = [p.items() for p, _ in pairs]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(12, 4.8))
    for stage, style in zip(
        (*PIPELINE_STAGES, "pairs"), ("o-", "s-", "^-", "v-", "d-", "x:"), strict=True
    ):
        ax.plot(x, [p.median(stage, CPU) for p, _ in pairs], style, label=stage, alpha=0.8)
    totals = [p.total(PIPELINE_STAGES, CPU) for p, _ in pairs]
    ax.plot(x, totals, "k-", lw=2.5, label="pipeline total")
    ax.plot(x, [b.total(PLAIN_STAGES, CPU) for _, b in pairs], "k:", lw=2,
            label="plain TF-IDF + LSA + KMeans")  # fmt: skip
    for power, ls, name in ((1, "-.", "slope 1 (linear)"), (2, (0, (1, 3)), "slope 2")):
        ax.plot(x, [totals[0] * (v / x[0]) ** power for v in x], color="grey", lw=0.8, ls=ls,
                label=name)  # fmt: skip
    ax.set(xscale="log", yscale="log", xlabel="items", ylabel="CPU seconds (median)",
           title=f"CPU time per stage, k = {K}", ylim=(1e-2, 3 * max(totals)))  # fmt: skip
    ax.legend(fontsize=8, ncol=2)
    ax2.plot(x, [p.peak() for p, _ in pairs], "o-", label="pipeline")
    ax2.plot(x, [b.peak() for _, b in pairs], "^:", label="plain TF-IDF + LSA + KMeans")
    ax2.axhline(targets.PEAK_100K_GIB * 1024, color="red", lw=0.8, ls="--",
                label=f"{targets.PEAK_100K_GIB:g} GiB target at 100k")  # fmt: skip
    ax2.set(xscale="log", yscale="log", xlabel="items", ylabel="peak RSS (MiB)",
            title="Peak memory of the process")  # fmt: skip
    ax2.legend(fontsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    files.write_bytes(path, buf.getvalue())
