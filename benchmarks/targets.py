"""The targets of issue 18 (fast on the everyday path), checked against one benchmark run.

Each line names the target, the figure measured in this run and whether it meets it; a
target whose size was not measured says so rather than passing. Ratios compare medians of
the same run (pipeline against plain TF-IDF + LSA + KMeans on the same file).
"""

from __future__ import annotations

import math
from typing import Any

CLEAN_100K_S = 4.0
RATIO_100K = 1.3
PEAK_100K_GIB = 2.0
TIME_1M_S = 600.0
PEAK_1M_GIB = 8.0
GROWTH_FROM, GROWTH_TO = 10_000, 100_000
STAGES = ("clean", "embed", "fit", "bridges", "pairs", "figures")
PIPELINE = ("clean", "embed", "fit", "bridges", "figures")
PLAIN = ("read", "tfidf", "lsa", "kmeans")


def nlogn_exponent(a: int, c: int) -> float:
    """The growth exponent of n log n between sizes a and c (about 1.10 from 10k to 100k)."""
    return 1 + math.log(math.log(c) / math.log(a)) / math.log(c / a)


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _find(series: list[Any], n: int, task: str) -> Any:
    return next((s for s in series if s.size == n and s.task == task and s.runs), None)


def _at_100k(series: list[Any]) -> list[str]:
    p, bl = _find(series, 100_000, "pipeline"), _find(series, 100_000, "baseline_lsa")
    if not (p and bl):
        return ["- 100k targets: not measured in this run (add 100000 to --sizes)"]
    clean = p.median("clean")
    ratio = p.total(PIPELINE) / bl.total(PLAIN)
    peak = p.peak() / 1024
    return [
        f"- cleaning at 100k <= {CLEAN_100K_S:g} s: {clean:.2f} s, "
        f"{_verdict(clean <= CLEAN_100K_S)}",
        f"- whole analysis at 100k <= {RATIO_100K}x plain TF-IDF + LSA + KMeans: "
        f"{p.total(PIPELINE):.1f} s / {bl.total(PLAIN):.1f} s = {ratio:.2f}x, "
        f"{_verdict(ratio <= RATIO_100K)}",
        f"- peak memory at 100k <= {PEAK_100K_GIB:g} GiB: {peak:.2f} GiB, "
        f"{_verdict(peak <= PEAK_100K_GIB)}",
    ]


def _at_1m(series: list[Any]) -> list[str]:
    p = _find(series, 1_000_000, "pipeline")
    if not p:
        return ["- 1M rows: not measured in this run (benchmarks/bench.py --sizes 1000000)"]
    r = p.runs[0]
    if r.result.get("skipped"):
        return [f"- 1M rows: did not complete ({r.result['skipped']}), MISSED"]
    times = r.result["times"]
    total = sum(times.get(s, 0.0) for s in PIPELINE)
    parts = ", ".join(f"{s} {times[s]:.0f} s" for s in PIPELINE if s in times)
    peak = p.peak() / 1024
    return [
        f"- 1M rows in <= {TIME_1M_S / 60:g} min: {total:.0f} s ({parts}), "
        f"{_verdict(total <= TIME_1M_S)}",
        f"- peak memory at 1M <= {PEAK_1M_GIB:g} GiB: {peak:.2f} GiB, "
        f"{_verdict(peak <= PEAK_1M_GIB)}",
    ]


def _growth(series: list[Any]) -> list[str]:
    a, c = _find(series, GROWTH_FROM, "pipeline"), _find(series, GROWTH_TO, "pipeline")
    if not (a and c):
        return ["- growth 10k -> 100k: not measured in this run"]
    limit = nlogn_exponent(a.runs[0].result["items"], c.runs[0].result["items"])
    cells, worst = [], 0.0
    for stage in STAGES:
        ta, tc = a.get(stage), c.get(stage)
        if not ta or not tc:
            continue
        items = c.runs[0].result["items"] / a.runs[0].result["items"]
        e = math.log(tc / ta) / math.log(items)
        worst = max(worst, e)
        cells.append(f"{stage} {e:.2f}")
    return [
        f"- no stage grows faster than n log n from 10k to 100k (exponent <= {limit:.2f}): "
        f"{', '.join(cells)}; {_verdict(worst <= limit)}"
    ]


def report(series: list[Any]) -> str:
    """The issue 18 targets as a Markdown list."""
    lines = ["Issue 18 targets (this run):", ""]
    lines += _at_100k(series) + _at_1m(series) + _growth(series)
    lines.append(
        "- fresh clone `make reports` < 1 s and cold `make reports` <= 12 s: measured by "
        "`make reports` itself, see the stage table above"
    )
    return "\n".join(lines)
