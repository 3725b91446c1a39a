"""The Markdown tables of one run (printed, and written to the README's generated block)."""

from __future__ import annotations

from typing import Any

from . import targets
from .child import Series
from .settings import BRIDGE_PARAMS, LSA, N_INIT, PIPELINE_STAGES, PLAIN_STAGES, SWEEP_K, TOPICS
from .targets import CPU, find, growth


def _num(x: float | None, unit: str = "") -> str:
    return "-" if x is None else f"{x:.2f}{unit}"


def _main_table(series: list[Series], sizes: list[int]) -> list[str]:
    lines = [
        "| rows | items | clean | embed | fit | bridges (pairs) | figures | **pipeline** | "
        "plain TF-IDF + LSA + KMeans | **ratio** | pipeline wall | plain wall | "
        "peak RSS pipeline | peak RSS plain |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        p, b = find(series, n, "pipeline"), find(series, n, "baseline_lsa")
        if not p:
            continue
        m = {s: _num(p.get(s, CPU)) for s in (*PIPELINE_STAGES, "pairs")}
        tot = p.total(PIPELINE_STAGES, CPU)
        plain = b.total(PLAIN_STAGES, CPU) if b else None
        lines.append(
            f"| {n:,} | {p.items():,} | {m['clean']} | {m['embed']} | {m['fit']} | "
            f"{m['bridges']} ({m['pairs']}) | {m['figures']} | **{tot:.2f}** | "
            f"{_num(plain)} | **{_num(plain and tot / plain, 'x')}** | "
            f"{p.total(PIPELINE_STAGES):.2f} | {_num(b and b.total(PLAIN_STAGES))} | "
            f"{p.peak():,.0f} MiB | {f'{b.peak():,.0f} MiB' if b else '-'} |"
        )
    return lines


def _plain_table(series: list[Series], sizes: list[int]) -> list[str]:
    lines = ["| rows | plain: read | tfidf | lsa | kmeans |", "|---:|---:|---:|---:|---:|"]
    for n in sizes:
        if b := find(series, n, "baseline_lsa"):
            cells = " | ".join(f"{b.median(s, CPU):.2f}" for s in PLAIN_STAGES)
            lines.append(f"| {n:,} | {cells} |")
    return lines if len(lines) > 2 else []


def _growth_table(series: list[Series], sizes: list[int]) -> list[str]:
    steps = list(zip(sizes, sizes[1:], strict=False))
    if not steps:
        return []
    lines = [
        "Growth exponent of the CPU time between sizes (log time ratio / log size ratio; "
        "1 = linear, 2 = quadratic):",
        "",
        "| stage | " + " | ".join(f"{a:,} -> {c:,}" for a, c in steps) + " |",
        "|---|" + "---:|" * len(steps),
    ]
    for stage in targets.STAGES:
        cells = []
        for a, c in steps:
            pa, pc = find(series, a, "pipeline"), find(series, c, "pipeline")
            e = growth(pa, pc, stage) if pa and pc else None
            cells.append("-" if e is None else f"{e:.2f}")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    return lines


def _sweep_table(series: list[Series]) -> list[str]:
    sweeps = [s for s in series if s.task == "sweep"]
    if not sweeps:
        return []
    lines = [
        f"`k: auto` evidence for k in {list(SWEEP_K)} (sample of {TOPICS.sample_size}, "
        f"{TOPICS.stability_seeds} seeds) and its parts for k = {SWEEP_K[-1]}, CPU seconds:",
        "",
        "| rows | evidence, per k | full fit | silhouette | stability | "
        f"`topics.analyse`, k = {SWEEP_K[-1]} | peak RSS |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sweeps:
        if s.get("sweep") is None:
            lines.append(f"| {s.size:,} | {s.runs[0].result.get('skipped', '-')} |||||")
            continue
        cells = " | ".join(
            f"{s.median(k, CPU):.2f}" for k in ("full_fit", "silhouette", "stability")
        )
        lines.append(
            f"| {s.size:,} | {s.median('sweep', CPU) / len(SWEEP_K):.2f} | {cells} | "
            f"{s.median('analyse_fixed_k', CPU):.2f} | {s.peak():,.0f} MiB |"
        )
    return lines


def _stress_table(series: list[Series]) -> list[str]:
    stress = [s for s in series if s.task == "same_title" and s.get("find_matches") is not None]
    if not stress:
        return []
    lines = [
        "Duplicate detection, worst case: m rows with one title (`dedupe.find_matches`):",
        "",
        "| m | CPU seconds | matches |",
        "|---:|---:|---:|",
    ]
    for s in stress:
        r = s.runs[0].result
        lines.append(f"| {s.size:,} | {s.median('find_matches', CPU):.3f} | {r['matches']:,} |")
    return lines


def _shares(series: list[Series], n: int) -> list[str]:
    """Where the pipeline's time goes against the plain run, at size ``n`` (no verdicts)."""
    p, b = find(series, n, "pipeline"), find(series, n, "baseline_lsa")
    if not (p and b):
        return []
    plain = b.total(PLAIN_STAGES, CPU)
    m = {s: p.median(s, CPU) for s in ("embed", "fit", "counterparts", "robustness")}
    return [
        f"At {n:,} rows, against plain TF-IDF + LSA-{LSA} + KMeans(n_init={N_INIT}) "
        f"({plain:.1f} s CPU): topics stage (TF-IDF, LSA, bagged consensus of "
        f"{TOPICS.consensus_runs} runs) {m['embed'] + m['fit']:.1f} s = "
        f"{(m['embed'] + m['fit']) / plain:.2f}x; counterparts for every item "
        f"{m['counterparts']:.1f} s + robustness ({BRIDGE_PARAMS['weight_draws']} weight "
        f"draws, {TOPICS.bootstraps} bootstrap partitions) {m['robustness']:.1f} s = "
        f"{(m['counterparts'] + m['robustness']) / plain:.2f}x."
    ]


def report(series: list[Series], sizes: list[int], repeats: dict[int, int]) -> str:
    """Every table of the run, the shares at the largest size and the issue 18 targets."""
    counts = ", ".join(f"{n:,}: {repeats.get(n, 1)}" for n in sizes)
    parts: list[Any] = [
        _main_table(series, sizes),
        [
            f"CPU seconds (wall where said), median over the repeats ({counts}); "
            "ratio = pipeline / plain TF-IDF + LSA + KMeans, on CPU seconds (the pipeline's "
            "include its worker processes: from 20k texts its TF-IDF is counted on every CPU)."
        ],  # fmt: skip
        _plain_table(series, sizes),
        _growth_table(series, sizes),
        _sweep_table(series),
        _stress_table(series),
        _shares(series, max(sizes)),
        [targets.report(series)],
    ]
    return "\n\n".join("\n".join(p) for p in parts if p)
