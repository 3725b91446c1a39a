"""The results as one tidy table: a row per size, task and stage, medians over the repeats."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from .child import Series
from .settings import PLAIN_STAGES

COLUMNS = ("size", "items", "task", "stage", "repeats", "median_s", "min_s", "max_s",
           "median_cpu_s", "peak_rss_mib", "peak_tree_pss_mib", "ratio_to_baseline",
           "note")  # fmt: skip


def _row(s: Series, stage: str, vals: list[float], cpu: list[float], rss: float | None,
         **extra: Any) -> dict[str, Any]:  # fmt: skip
    return {"size": s.size, "items": s.items(), "task": s.task, "stage": stage,
            "repeats": len(s.runs), "median_s": statistics.median(vals) if vals else None,
            "min_s": min(vals, default=None), "max_s": max(vals, default=None),
            "median_cpu_s": statistics.median(cpu) if cpu else None,
            "peak_rss_mib": rss or None, **extra}  # fmt: skip


def tidy(series: list[Series]) -> list[dict[str, Any]]:
    """Stage rows (memory: the high-water mark after that stage) and a ``total`` row per
    series (memory: the child's peak RSS and its process tree's peak summed PSS; ratio:
    pipeline over plain TF-IDF + LSA + KMeans)."""
    rows: list[dict[str, Any]] = []
    for s in series:
        for stage in s.stages():
            vals = [r.result["times"][stage] for r in s.runs]
            cpu = [r.result["cpu"][stage] for r in s.runs if stage in r.result.get("cpu", {})]
            rss = statistics.median(r.result["rss"].get(stage, 0.0) for r in s.runs)
            rows.append(_row(s, stage, vals, cpu, rss))
        if s.task == "sweep":  # its parts overlap (the sweep contains full fits)
            continue
        plain = next((b for b in series if b.size == s.size and b.task == "baseline_lsa"), None)
        total = statistics.median(r.total() for r in s.runs)
        ratio = total / plain.total(PLAIN_STAGES) if s.task == "pipeline" and plain else None
        note = s.runs[0].result.get("skipped", "")
        rows.append(
            _row(
                s,
                "total",
                [r.total() for r in s.runs],
                [r.total(key="cpu") for r in s.runs],
                s.peak(),
                peak_tree_pss_mib=statistics.median(r.tree_mib for r in s.runs) or None,
                ratio_to_baseline=ratio,
                note=note,
            )  # fmt: skip
        )
    return rows


def write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    """Write the tidy rows, rounded, as CSV (atomically)."""
    import pandas as pd

    from ic2analysis import files

    frame = pd.DataFrame(rows).reindex(columns=list(COLUMNS))
    frame["note"] = frame["note"].fillna("")
    for c, digits in (("median_s", 3), ("min_s", 3), ("max_s", 3), ("median_cpu_s", 3),
                      ("peak_rss_mib", 0), ("peak_tree_pss_mib", 0),
                      ("ratio_to_baseline", 3)):  # fmt: skip
        frame[c] = pd.to_numeric(frame[c], errors="coerce").round(digits)  # None -> empty
    path.parent.mkdir(parents=True, exist_ok=True)
    files.write_csv(path, frame)
