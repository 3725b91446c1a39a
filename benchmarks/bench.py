"""How the cost of the analysis grows with the size of the mapping, against plain scikit-learn.

For each size (1k, 10k, 100k rows made by ``generate.py``) every measurement runs in a fresh
child process (``benchkit.child``), so that its peak resident memory can be read exactly and
nothing is cached between repeats: the ``pipeline`` (clean, embed, fit, bridges, figures:
``benchkit.tasks``) and plain TF-IDF + LSA + KMeans on the same file (``baseline_lsa``),
alternately; the ``k: auto`` evidence at 10k and the worst case of duplicate detection once.
Medians go to ``results/latest.csv``, ``results/scaling.png`` and README.md's generated block,
and the run ends with issue 18's targets, each measured figure met or MISSED
(``benchkit.targets``). ``--sizes 1000000`` is the million-row run (``results/large.csv``).
Run with ``make bench`` or ``python benchmarks/bench.py [--quick]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
for _p in (str(HERE.parent), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from benchkit import child, settings  # noqa: E402
from benchkit.settings import SEED  # noqa: E402


def profile(n: int) -> Path:
    """cProfile the pipeline at ``n`` rows in this process; write the top functions."""
    import cProfile
    import io
    import pstats
    import warnings

    import generate
    import matplotlib
    from benchkit.tasks import task_pipeline

    matplotlib.use("Agg")
    warnings.simplefilter("ignore")
    path = str(generate.ensure(n, SEED))
    prof = cProfile.Profile()
    prof.enable()
    task_pipeline(path)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(45)
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(25)
    out = settings.RESULTS / "raw" / f"profile_{n}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(buf.getvalue())
    return out


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line (the child options are internal)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--sizes", type=int, nargs="+", default=list(settings.SIZES))
    ap.add_argument("--repeats", type=int, help="repeats at every size (default: 3, 3, 1)")
    ap.add_argument("--quick", action="store_true", help="1k and 10k once each, no outputs")
    ap.add_argument("--profile", type=int, metavar="N", help="cProfile the pipeline at N rows")
    ap.add_argument(
        "--threads", type=int, default=1, help="BLAS/OpenMP threads per measurement (default 1)"
    )
    ap.add_argument(
        "--no-large-baseline",
        action="store_true",
        help="at 1M rows, run only the pipeline (the plain baseline takes a while too)",
    )
    return ap.parse_args(argv)


def write_outputs(series: list, sizes: list[int], table: str, elapsed: float) -> None:
    """latest.csv, scaling.png and the README block; large.csv alone for a 1M run."""
    from benchkit import plot, readme, tidy

    rel = settings.ROOT
    if max(sizes) >= settings.LARGE:  # a large run leaves the default outputs alone
        tidy.write_csv(tidy.tidy(series), settings.LARGE_CSV)
        print(f"Wrote {settings.LARGE_CSV.relative_to(rel)}")
        return
    tidy.write_csv(tidy.tidy(series), settings.LATEST)
    plot.plot(series, sizes, settings.PLOT)
    readme.update_readme(
        f"{readme.environment(child.THREADS['n'])} Whole benchmark (generation included): "
        f"{elapsed:.0f} s wall.\n\n{table}\n\n![scaling](results/scaling.png)"
    )
    print(f"Wrote {settings.LATEST.relative_to(rel)}, {settings.PLOT.relative_to(rel)} and "
          f"{settings.README.relative_to(rel)}")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    """Measure, print, and write the outputs (see the module docstring)."""
    args = parse(argv)
    if args.child:
        child.child_main(args.child, args.out)
        return
    if args.profile:
        print(profile(args.profile))
        return
    from benchkit import measure, report

    child.THREADS["n"] = args.threads
    sizes = [1_000, 10_000] if args.quick else sorted(args.sizes)
    repeats = {n: 1 if args.quick else args.repeats or settings.REPEATS.get(n, 1) for n in sizes}
    t0 = time.perf_counter()
    print(f"Benchmark: sizes {sizes}, repeats {repeats}, k = {settings.K}, seed {SEED}, "
          f"{args.threads} BLAS/OpenMP thread(s)", flush=True)  # fmt: skip
    series = measure.measure(
        sizes,
        repeats,
        [n for n in settings.SWEEP_SIZES if n in sizes and not args.quick],
        stress=not args.quick,
        large_baseline=not args.no_large_baseline,
    )
    table = report.report(series, sizes, repeats)
    elapsed = time.perf_counter() - t0
    print(f"\n{table}\n\nBenchmark wall time: {elapsed:.0f} s")
    if not args.quick:
        write_outputs(series, sizes, table, elapsed)


if __name__ == "__main__":
    main()
