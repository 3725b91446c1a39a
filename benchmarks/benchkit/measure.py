"""The parent side: which child runs at which size, repeats interleaved, progress printed."""

from __future__ import annotations

from pathlib import Path

from . import child
from .child import Series, run_child, run_optional
from .clock import available_mib
from .settings import LARGE, LARGE_CAP_GIB, LSA, SAME_TITLE_SIZES, SEED, SWEEP_K


def _fmt(x: float | None, unit: str = "", digits: int = 2) -> str:
    return "-" if x is None else f"{x:.{digits}f}{unit}"


def measure(
    sizes: list[int],
    repeats: dict[int, int],
    sweep_sizes: list[int],
    stress: bool = True,
    large_baseline: bool = True,
) -> list[Series]:
    """Every measurement; pipeline and baseline alternate so that drift hits both alike."""
    import generate

    base = generate.base_items()
    out: list[Series] = []
    for n in sizes:
        path = str(generate.ensure(n, SEED, base=base))
        if n >= LARGE:  # in files under the per-file caps of cleaning.limits, as desks would
            parts = [str(p) for p in generate.split(Path(path))]
            out += measure_large(n, parts, large_baseline)
            continue
        pipe, plain = Series(n, "pipeline"), Series(n, "baseline_lsa")
        for rep in range(repeats.get(n, 1)):
            pipe.runs.append(run_child("pipeline", path=path))
            plain.runs.append(run_child("baseline", path=path, lsa=LSA))
            p, b = pipe.runs[-1], plain.runs[-1]
            print(
                f"  {n:>7,} rows, repeat {rep + 1}: pipeline {p.total():.1f} s "
                f"({p.total(key='cpu'):.1f} s CPU), plain TF-IDF + LSA + KMeans "
                f"{b.total():.1f} s ({b.total(key='cpu'):.1f} s CPU)",
                flush=True,
            )
        out += [pipe, plain]
        if n in sweep_sizes:
            sw = run_optional(n, "sweep", "sweep", path=path, ks=list(SWEEP_K))
            print(f"  {n:>7,} rows: sweep k={list(SWEEP_K)} {_fmt(sw.get('sweep'), ' s', 1)}")
            out.append(sw)
    if stress:
        for m in SAME_TITLE_SIZES:
            st = run_optional(m, "same_title", "same_title", m=m)
            print(f"  {m:>7,} rows with one title: dedupe {_fmt(st.get('find_matches'), ' s')}")
            out.append(st)
    return out


def measure_large(n: int, path: list[str], baseline: bool = True) -> list[Series]:
    """One pipeline (and one plain baseline) run under a memory cap (no sweep).

    The cap (``LARGE_CAP_GIB`` or 80 % of the available memory, whichever is lower) turns
    an allocation beyond it into a MemoryError in the child, recorded with the stage it
    happened in, instead of exhausting a shared machine.
    """
    cap = min(LARGE_CAP_GIB * 1024, 0.8 * available_mib())
    pipe = run_optional(n, "pipeline", "pipeline", path=path, mem_cap_mib=cap)
    r = pipe.runs[-1]
    times = ", ".join(f"{k} {v:.1f} s" for k, v in r.result["times"].items())
    print(
        f"  {n:>7,} rows (memory cap {cap / 1024:.1f} GiB, {child.THREADS['n']} thread(s)): "
        f"pipeline {r.total():.1f} s ({times}), peak {pipe.peak():,.0f} MiB"
        + (f"; {r.result['skipped']}" if "skipped" in r.result else ""),
        flush=True,
    )
    if not baseline:
        return [pipe]
    plain = run_optional(n, "baseline_lsa", "baseline", path=path, lsa=LSA, mem_cap_mib=cap)
    print(f"  {n:>7,} rows: plain TF-IDF + LSA + KMeans {plain.runs[-1].total():.1f} s")
    return [pipe, plain]
