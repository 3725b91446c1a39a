"""How the cost of the analysis grows with the size of the mapping, against plain scikit-learn.

For each size (1k, 10k, 100k rows made by ``generate.py``) every measurement runs in a fresh
child process, so that its peak resident memory can be read exactly (``os.wait4`` returns
the child's own rusage) and nothing is cached between repeats:

* ``pipeline``: (a) ``clean.clean`` (read, normalise, dedupe, validate), (b) ``topics.embed``
  + ``topics.fit`` with a fixed k, (c) ``bridges.analyse``, (d) five figures saved to a
  temporary folder (with the 2-D SVD that the topic map needs);
* ``baseline``: ``pandas.read_csv`` + the same TF-IDF vectoriser + ``KMeans`` with the same
  k, seed and n_init, and nothing else;
* ``baseline_lsa``: the baseline with the same TruncatedSVD + Normalizer as the pipeline;
* ``sweep``: the ``k: auto`` evidence (``topics.sweep``: full fit, sampled silhouette and
  sampled stability) at 10k and 100k;
* ``pipeline_lsa0``: the pipeline with ``lsa_components: 0`` (k-means on raw TF-IDF), once
  per size, under a memory cap (a version of ``topics.fit`` that densifies the TF-IDF matrix
  then fails cleanly instead of exhausting the machine);
* ``same_title``: the worst case of duplicate detection, m rows that share one title.

Medians over the repeats go to ``results/latest.csv``, ``results/scaling.png`` and the
generated block of ``README.md``. ``--profile N`` writes a cProfile of the pipeline at N rows.
Run with ``make bench`` or ``python benchmarks/bench.py [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _p in (str(ROOT), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import generate  # noqa: E402
import targets  # noqa: E402

from ic2analysis import config  # noqa: E402

RESULTS = HERE / "results"
LATEST = RESULTS / "latest.csv"
LARGE_CSV = RESULTS / "large.csv"  # runs with --sizes 1000000 (not part of make bench)
PLOT = RESULTS / "scaling.png"
README = HERE / "README.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

SIZES = (1_000, 10_000, 100_000)
REPEATS = {1_000: 3, 10_000: 3, 100_000: 2}
SWEEP_SIZES = (10_000, 100_000)
SWEEP_K = (8, 12)
LSA0_SIZES = (1_000, 10_000, 100_000)
LSA0_CAP_GIB = 6.0  # memory cap of the lsa_components: 0 runs
LARGE = 1_000_000  # from this size on: one run, under a memory cap, a failure is recorded
LARGE_CAP_GIB = 8.0  # issue 18: 1M rows within 8 GiB
SAME_TITLE_SIZES = (500, 1_000, 2_000)  # rows sharing one title (dedupe worst case)
K = 12
SEED = 0
TOPICS = config.Topics(seed=SEED)  # the notebooks' defaults, from the one definition
N_INIT = TOPICS.consensus_n_init
LSA = TOPICS.lsa_components
STABILITY_SEEDS = TOPICS.stability_seeds
SAMPLE_SIZE = TOPICS.sample_size
TARGET_RATIO = 1.5
TOPICS_TARGET = 1.3  # issue 13: topics stage (consensus included) vs plain TF-IDF+LSA+KMeans
TOPIC_RUNS = TOPICS.consensus_runs
TARGET_MEMORY_GIB = 4.0
BRIDGE_PARAMS: dict[str, Any] = config.Bridges().values()
PIPELINE_STAGES = ("clean", "embed", "fit", "bridges", "figures")
BASELINE_STAGES = ("read", "tfidf", "kmeans")
SUB_STAGES = ("pairs", "counterparts", "robustness")  # inside "bridges", timed on their own
BRIDGES_TARGET = 0.5  # issue 14: counterparts + robustness vs plain TF-IDF+LSA+KMeans


# ---------------------------------------------------------------- child side
def _maxrss_mib() -> float:
    """This process's peak resident set size so far, in MiB."""
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 2**10


class _Clock:
    """Stage timer that also records the process's memory high-water mark after each stage."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.rss: dict[str, float] = {}

    def run(self, name: str, fn: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        out = fn()
        self.times[name] = time.perf_counter() - t0
        self.rss[name] = _maxrss_mib()
        print(f"stage {name}: {self.times[name]:.1f} s, peak {self.rss[name]:,.0f} MiB",
              file=sys.stderr, flush=True)  # fmt: skip  # progress of a long run
        return out


def _available_mib() -> float:
    """Memory the kernel says is available (MemAvailable), in MiB."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**20


def _figures(table: Any, model: Any, emb: Any, tables: dict[str, Any]) -> int:
    """Draw and save five of the project's figures to a temporary folder; return the count."""
    import matplotlib.pyplot as plt
    from sklearn.decomposition import TruncatedSVD

    from ic2analysis.analysis import bridges
    from ic2analysis.reporting import figures

    figures.set_theme()
    coords = TruncatedSVD(2, random_state=SEED).fit_transform(emb.tfidf)  # a 2-D map
    makers: list[tuple[str, Callable[[], Any]]] = [
        ("region_kind", lambda: figures.region_kind(table)),
        ("cluster_sizes", lambda: figures.cluster_sizes(model.assignments, table["region"])),
        (
            "topic_map",
            lambda: figures.topic_map(coords, model.assignments, table["region"], model.labels),
        ),
        ("balance", lambda: figures.balance_bars(tables["balance_topics"], "label")),
        (
            "opportunities",
            lambda: figures.opportunity_ranking(
                tables["opportunities"], "label", bridges.COMPONENTS, BRIDGE_PARAMS["weights"]
            ),
        ),
    ]
    with tempfile.TemporaryDirectory() as folder:
        for name, make in makers:
            fig = make()
            figures.save(fig, name, Path(folder))
            plt.close(fig)
    return len(makers)


class _Model:
    """The bits of a topic model the figures need: assignments and labels."""

    def __init__(self, table: Any, labels: Any) -> None:
        import pandas as pd

        self.labels = {int(c): f"topic {c}" for c in sorted(set(labels.tolist()))}
        self.assignments = pd.DataFrame(
            {"id": table["id"].to_numpy(), "cluster": labels,
             "label": [self.labels[int(c)] for c in labels]}
        )  # fmt: skip


def _consensus_model(table: Any, emb: Any, k: int, consensus: Any) -> _Model:
    """notebook 02's published partition: the bagged consensus with its default settings."""
    if not hasattr(emb.space, "shape") or hasattr(emb.space, "tocsr"):
        raise MemoryError("the consensus needs a dense LSA space")
    return _Model(table, consensus.fit(emb.space, k, SEED, consensus.Bagging()).labels)


def _timed(fn: Callable[..., Any], into: dict[str, float], key: str) -> Callable[..., Any]:
    """``fn`` that adds its own run time to ``into[key]``."""

    def run(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            into[key] += time.perf_counter() - t0

    return run


def _bootstraps(items: Any, n: int, share: float) -> Any:
    """Bootstrap partitions as the topics step writes them (id, bootstrap, topic): ``n``
    subsamples of ``share`` of all items with their topics, so that robustness test (b) is
    timed on partitions as large as the mapping (the topics step's own are on its sample)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(SEED)
    frames = []
    for b in range(1, n + 1):
        pick = np.sort(rng.choice(len(items), int(share * len(items)), replace=False))
        frames.append(pd.DataFrame({"id": items["id"].to_numpy()[pick], "bootstrap": b,
                                    "topic": items["cluster"].to_numpy()[pick]}))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def task_pipeline(path: str | list[str], lsa: int = LSA) -> dict[str, Any]:
    """Stages (a)-(d) of the analysis on one mapping, timed one by one (imports are not)."""
    import matplotlib.pyplot  # noqa: F401  # imported before the clock, like every module
    from sklearn.decomposition import TruncatedSVD  # noqa: F401

    from ic2analysis.analysis import bridges, consensus, vectorise
    from ic2analysis.cleaning import clean

    clock = _Clock()
    sub = {"pairs": 0.0, "counterparts": 0.0, "robustness": 0.0}
    targets = [(bridges.pairs, "pairs", "pairs"),
               (bridges.counterparts, "by_item", "counterparts"),
               (bridges.robustness, "robust_ranking", "robustness")]  # fmt: skip
    for module, name, key in targets:  # measure, not change: time each sub-step
        setattr(module, name, _timed(getattr(module, name), sub, key))
    files = path if isinstance(path, list) else [path]  # a large mapping comes in parts
    res = clock.run("clean", lambda: clean.clean(files, dedupe_threshold=92))
    table = res.table
    settings = vectorise.Settings.from_params({**TOPICS.values(), "lsa_components": lsa})
    emb = clock.run("embed", lambda: vectorise.embed(vectorise.documents(table), settings))
    info: dict[str, Any] = {
        "items": len(table),
        "merged": res.counts["merged"],
        "vocabulary": int(emb.tfidf.shape[1]),
        "nnz": int(emb.tfidf.nnz),
    }
    try:
        model = clock.run("fit", lambda: _consensus_model(table, emb, K, consensus))
    except MemoryError:  # only under mem_cap_mib (see child_main)
        dense = emb.tfidf.shape[0] * emb.tfidf.shape[1] * 8 / 2**30
        return {
            **info,
            "times": clock.times,
            "rss": clock.rss,
            "skipped": f"MemoryError in topics.fit under the memory cap (a dense "
            f"n x vocabulary array would be {dense:.1f} GiB)",
        }
    items = table.merge(model.assignments[["id", "cluster", "label"]], on="id")
    boots = _bootstraps(items, TOPICS.bootstraps, TOPICS.bootstrap_share)
    try:  # under a memory cap, a failing later stage keeps the times of the earlier ones
        tables = clock.run("bridges", lambda: bridges.analyse(items, emb, BRIDGE_PARAMS, boots))
        clock.run("figures", lambda: _figures(table, model, emb, tables))
    except MemoryError as exc:
        stage = "figures" if "bridges" in clock.times else "bridges"
        return {**info, "times": clock.times, "rss": clock.rss,
                "skipped": f"MemoryError in {stage} under the memory cap ({exc}; "
                           f"at {_where(exc)})"}  # fmt: skip
    clock.times.update(sub)
    return {**info, "times": clock.times, "rss": clock.rss}


def _where(exc: BaseException) -> str:
    """The innermost frame of the package in ``exc``'s traceback, as file:line function."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "ic2analysis" in f.filename]
    f = (frames or traceback.extract_tb(exc.__traceback__))[-1]
    return f"{Path(f.filename).name}:{f.lineno} {f.name}"


def task_baseline(path: str | list[str], lsa: int = 0) -> dict[str, Any]:
    """Plain scikit-learn: read the texts, TF-IDF, (optionally LSA), k-means. Nothing else."""
    import pandas as pd
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import Normalizer

    from ic2analysis.analysis import vectorise

    clock = _Clock()
    files = path if isinstance(path, list) else [path]
    frame = clock.run(
        "read",
        lambda: pd.concat(
            [pd.read_csv(f, dtype=str, keep_default_na=False) for f in files], ignore_index=True
        ),
    )
    texts = list(vectorise.documents(frame))
    vec = vectorise.vectorizer(vectorise.Settings.from_params(TOPICS.values()), len(texts))
    x = clock.run("tfidf", lambda: vec.fit_transform(texts))
    if lsa:
        svd = make_pipeline(TruncatedSVD(lsa, random_state=SEED), Normalizer(copy=False))
        x = clock.run("lsa", lambda: svd.fit_transform(x))
    clock.run(
        "kmeans",
        lambda: KMeans(n_clusters=K, n_init=N_INIT, random_state=SEED, algorithm="lloyd").fit(x),
    )
    return {"items": len(frame), "times": clock.times, "rss": clock.rss}


def task_sweep(path: str, ks: list[int]) -> dict[str, Any]:
    """The cost of the k: auto evidence (untimed: cleaning first)."""

    from ic2analysis.analysis import consensus, kchoice, topics, vectorise
    from ic2analysis.analysis import stability as st
    from ic2analysis.cleaning import clean

    table = clean.clean([path]).table
    texts = list(vectorise.documents(table))
    params = TOPICS.values()
    settings = vectorise.Settings.from_params(params)
    sample = st.subsamples(len(texts), 1, min(1.0, SAMPLE_SIZE / len(texts)), SEED)[0]
    refits = st.Refits([texts[i] for i in sample], settings, topics.bagging(params))
    null = st.null_refits(refits)
    seeds = [SEED + i for i in range(STABILITY_SEEDS)]
    boots = st.subsamples(len(sample), STABILITY_SEEDS, 0.8, SEED)
    clock = _Clock()
    clock.run(
        "sweep",
        lambda: [kchoice.evidence(refits, null, k, seeds, boots, 5, SAMPLE_SIZE) for k in ks],
    )
    k = ks[-1]
    space = vectorise.embed(texts, settings).space
    fit = clock.run("full_fit", lambda: consensus.fit(space, k, SEED, consensus.Bagging()))
    clock.run("silhouette", lambda: kchoice.silhouette(space, fit.labels, SEED, SAMPLE_SIZE))
    clock.run("stability", lambda: st.seed_stability(refits, k + 1, seeds))
    # notebook 02's own entry point with a fixed k (stability on the fixed sample)
    params.update(seed=SEED, k=k)
    clock.run("analyse_fixed_k", lambda: topics.analyse(table, params))
    return {"items": len(table), "ks": ks, "times": clock.times, "rss": clock.rss}


def task_same_title(m: int) -> dict[str, Any]:
    """Worst case for duplicate detection: ``m`` rows that all carry the same title."""
    from ic2analysis.cleaning import dedupe

    titles = ["national action plan for genomic medicine"] * m
    clock = _Clock()
    found = clock.run(
        "find_matches", lambda: dedupe.find_matches(titles, [""] * m, [""] * m, [2018] * m)
    )
    return {"items": m, "matches": len(found), "times": clock.times, "rss": clock.rss}


TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "pipeline": task_pipeline,
    "baseline": task_baseline,
    "sweep": task_sweep,
    "same_title": task_same_title,
}


def child_main(spec: str, out: str) -> None:
    """Run one task described by the JSON ``spec`` and write its result to ``out``."""
    import logging

    import matplotlib

    matplotlib.use("Agg")
    warnings.simplefilter("ignore")
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    args = json.loads(spec)
    cap = args.pop("mem_cap_mib", None)
    if cap:  # private writable memory (numpy buffers included) above the cap -> MemoryError
        import resource

        resource.setrlimit(resource.RLIMIT_DATA, (int(cap * 2**20), int(cap * 2**20)))
    result = TASKS[args.pop("task")](**args)
    Path(out).write_text(json.dumps(result))


# ---------------------------------------------------------------- parent side
@dataclass
class Run:
    """One child process: what it reported, its wall time and its exact peak RSS."""

    result: dict[str, Any]
    wall: float
    peak_mib: float


THREADS = {"n": 1}


class ChildFailed(RuntimeError):
    """A measurement's process exited with an error (its last stderr line is the message)."""


def run_optional(size: int, task: str, child_task: str, **kwargs: Any) -> Series:
    """One run of a secondary measurement; a failure is recorded, not raised."""
    try:
        return Series(size, task, [run_child(child_task, **kwargs)])
    except ChildFailed as exc:
        print(f"  {size:>7,} rows: {task} FAILED ({exc})", flush=True)
        return Series(
            size,
            task,
            [Run({"items": size, "times": {}, "rss": {}, "skipped": str(exc)}, 0.0, 0.0)],
        )


def run_child(task: str, **kwargs: Any) -> Run:
    """Run ``task`` in a fresh interpreter and collect its result and rusage.

    BLAS and OpenMP pools get ``THREADS["n"]`` threads (default 1, see README: spinning
    OpenMP/OpenBLAS pools on a shared 2-CPU machine make timings erratic).
    """
    spec = json.dumps({"task": task, **kwargs})
    threads = str(THREADS["n"])
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        env = {
            **os.environ,
            "MPLBACKEND": "Agg",
            "PYTHONWARNINGS": "ignore",
            "OMP_NUM_THREADS": threads,
            "OPENBLAS_NUM_THREADS": threads,
            "MKL_NUM_THREADS": threads,
        }
        err = Path(tmp) / "stderr.txt"
        t0 = time.perf_counter()
        with err.open("wb") as err_fh:  # a file, not a pipe: wait4 must not block on it
            proc = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "--child", spec, "--out", str(out)],
                env=env,
                cwd=ROOT,
                stderr=err_fh,
            )
            _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        stderr = err.read_text(errors="replace")
        sys.stderr.write(stderr)
        if proc.returncode != 0:
            lines = [ln for ln in stderr.splitlines() if ln.strip()]
            raise ChildFailed(f"{task} failed: {lines[-1] if lines else proc.returncode}")
        result = json.loads(out.read_text())
    rss = usage.ru_maxrss / 2**20 if sys.platform == "darwin" else usage.ru_maxrss / 2**10
    return Run(result, wall, rss)


@dataclass
class Series:
    """Repeated runs of one task at one size."""

    size: int
    task: str
    runs: list[Run] = field(default_factory=list)

    def median(self, stage: str) -> float:
        return statistics.median(r.result["times"][stage] for r in self.runs)

    def get(self, stage: str) -> float | None:
        """The median of ``stage``, or None where it was not measured."""
        vals = [r.result["times"][stage] for r in self.runs if stage in r.result["times"]]
        return statistics.median(vals) if vals else None

    def stages(self) -> list[str]:
        return list(self.runs[0].result["times"]) if self.runs else []

    def total(self, stages: tuple[str, ...]) -> float:
        """Median over runs of the summed stage times."""
        return statistics.median(
            sum(r.result["times"].get(s, 0.0) for s in stages) for r in self.runs
        )

    def peak(self) -> float:
        return statistics.median(r.peak_mib for r in self.runs)


def measure(
    sizes: list[int],
    repeats: dict[int, int],
    sweep_sizes: list[int],
    lsa0_sizes: list[int],
    stress: bool = True,
) -> list[Series]:
    """Every measurement, repeats interleaved so that drift hits all tasks alike."""
    base = generate.base_items()
    out: list[Series] = []
    for n in sizes:
        path = str(generate.ensure(n, SEED, base=base))
        if n >= LARGE:  # in files under the per-file caps of cleaning.limits, as desks would
            out += measure_large(n, [str(p) for p in generate.split(Path(path))])
            continue
        pipe, bl, bl_lsa = (Series(n, "pipeline"), Series(n, "baseline"), Series(n, "baseline_lsa"))
        for rep in range(repeats.get(n, 1)):
            pipe.runs.append(run_child("pipeline", path=path))
            bl.runs.append(run_child("baseline", path=path))
            bl_lsa.runs.append(run_child("baseline", path=path, lsa=LSA))
            print(
                f"  {n:>7,} rows, repeat {rep + 1}: pipeline "
                f"{sum_stages(pipe.runs[-1]):.1f} s, baseline {sum_stages(bl.runs[-1]):.1f} s, "
                f"baseline+LSA {sum_stages(bl_lsa.runs[-1]):.1f} s",
                flush=True,
            )
        out += [pipe, bl, bl_lsa]
        if n in sweep_sizes:
            sw = run_optional(n, "sweep", "sweep", path=path, ks=list(SWEEP_K))
            print(
                f"  {n:>7,} rows: sweep k={list(SWEEP_K)} {_fmt(sw.get('sweep'), ' s', 1)}",
                flush=True,
            )
            out.append(sw)
        if n in lsa0_sizes:
            cap = min(LSA0_CAP_GIB * 1024, 0.6 * _available_mib())
            s0 = run_optional(n, "pipeline_lsa0", "pipeline", path=path, lsa=0, mem_cap_mib=cap)
            print(
                f"  {n:>7,} rows: pipeline with lsa_components=0 "
                f"{sum_stages(s0.runs[-1]):.1f} s, peak {s0.peak():,.0f} MiB",
                flush=True,
            )
            out.append(s0)
    if stress:
        for m in SAME_TITLE_SIZES:
            st = run_optional(m, "same_title", "same_title", m=m)
            print(
                f"  {m:>7,} rows with one title: dedupe {_fmt(st.get('find_matches'), ' s')}",
                flush=True,
            )
            out.append(st)
    return out


def measure_large(n: int, path: list[str]) -> list[Series]:
    """One pipeline and one plain TF-IDF + LSA + KMeans run under a memory cap (no sweep).

    The cap (``LARGE_CAP_GIB`` or 80 % of the available memory, whichever is lower) turns
    an allocation beyond it into a MemoryError in the child, recorded as a failed run,
    instead of exhausting a shared machine.
    """
    cap = min(LARGE_CAP_GIB * 1024, 0.8 * _available_mib())
    pipe = run_optional(n, "pipeline", "pipeline", path=path, mem_cap_mib=cap)
    times = ", ".join(f"{k} {v:.1f} s" for k, v in pipe.runs[-1].result["times"].items())
    print(
        f"  {n:>7,} rows (memory cap {cap / 1024:.1f} GiB): pipeline "
        f"{sum_stages(pipe.runs[-1]):.1f} s ({times}), peak {pipe.peak():,.0f} MiB",
        flush=True,
    )
    if not LARGE_BASELINE["run"]:
        return [pipe]
    bl_lsa = run_optional(n, "baseline_lsa", "baseline", path=path, lsa=LSA, mem_cap_mib=cap)
    print(f"  {n:>7,} rows: baseline+LSA {sum_stages(bl_lsa.runs[-1]):.1f} s", flush=True)
    return [pipe, bl_lsa]


LARGE_BASELINE = {"run": True}  # --no-large-baseline: only the pipeline at 1M (its targets)


def sum_stages(run: Run) -> float:
    """Sum of the main stages of one run (sub-timings such as ``pairs`` excluded)."""
    return sum(v for k, v in run.result["times"].items() if k not in SUB_STAGES)


def _find(series: list[Series], n: int, task: str) -> Series | None:
    return next((s for s in series if s.size == n and s.task == task and s.runs), None)


def tidy(series: list[Series]) -> list[dict[str, Any]]:
    """One row per size, task and stage (plus a ``total``), medians over the repeats."""
    rows: list[dict[str, Any]] = []
    for s in series:
        first = s.runs[0].result
        for stage in s.stages():
            vals = [r.result["times"][stage] for r in s.runs]
            rows.append(
                {
                    "size": s.size,
                    "items": first["items"],
                    "task": s.task,
                    "stage": stage,
                    "repeats": len(s.runs),
                    "median_s": statistics.median(vals),
                    "min_s": min(vals),
                    "max_s": max(vals),
                    "rss_after_mib": statistics.median(
                        r.result["rss"].get(stage, 0.0) for r in s.runs
                    )
                    or None,
                    "ratio_to_baseline": None,
                }
            )
        if s.task == "sweep":  # its parts overlap (the sweep contains full fits)
            continue
        totals = [sum_stages(r) for r in s.runs]
        ratio = None
        bl = _find(series, s.size, "baseline")
        if s.task == "pipeline" and bl:
            ratio = statistics.median(totals) / bl.total(BASELINE_STAGES)
        rows.append(
            {
                "size": s.size,
                "items": first["items"],
                "task": s.task,
                "stage": "total",
                "repeats": len(s.runs),
                "median_s": statistics.median(totals),
                "min_s": min(totals),
                "max_s": max(totals),
                "rss_after_mib": s.peak(),
                "ratio_to_baseline": ratio,
                **({"note": first["skipped"]} if "skipped" in first else {}),
            }
        )
    return rows


def write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    """Write the tidy rows (rounded) as CSV."""
    import pandas as pd

    frame = pd.DataFrame(rows)
    if "note" not in frame:
        frame["note"] = ""
    frame = frame.rename(columns={"rss_after_mib": "peak_rss_mib"})
    for c, digits in (("median_s", 3), ("min_s", 3), ("max_s", 3), ("peak_rss_mib", 0),
                      ("ratio_to_baseline", 3)):  # fmt: skip
        frame[c] = pd.to_numeric(frame[c], errors="coerce").round(digits)  # None -> empty
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n")


def _fmt(x: float | None, unit: str = "", digits: int = 2) -> str:
    return "-" if x is None else f"{x:.{digits}f}{unit}"


def report(series: list[Series], sizes: list[int]) -> str:
    """The Markdown tables (also printed): stage medians, ratio, peak memory, targets."""
    lines = [
        "| rows | items | clean | embed | fit | bridges (pairs) | figures | **pipeline** "
        "| baseline | baseline+LSA | **ratio** | peak RSS pipeline | peak RSS baseline |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        p, b, bl = (_find(series, n, t) for t in ("pipeline", "baseline", "baseline_lsa"))
        if not (p and b and bl):
            continue
        tot, base = p.total(PIPELINE_STAGES), b.total(BASELINE_STAGES)
        lines.append(
            f"| {n:,} | {p.runs[0].result['items']:,} | {p.median('clean'):.2f} | "
            f"{p.median('embed'):.2f} | {p.median('fit'):.2f} | {p.median('bridges'):.2f} "
            f"({p.median('pairs'):.2f}) | {p.median('figures'):.2f} | **{tot:.2f}** | "
            f"{base:.2f} | {bl.total(('read', 'tfidf', 'lsa', 'kmeans')):.2f} | "
            f"**{tot / base:.2f}x** | {p.peak():,.0f} MiB | {b.peak():,.0f} MiB |"
        )
    lines += [
        "",
        "Seconds, median over the repeats "
        f"({', '.join(f'{n:,}: {REPEATS.get(n, 1)}' for n in sizes)}); "
        "ratio = pipeline / baseline.",
        "",
    ]
    # baseline breakdown
    lines += [
        "| rows | baseline read | tfidf | kmeans (sparse TF-IDF) | baseline+LSA: lsa | "
        "kmeans (LSA) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        b, bl = _find(series, n, "baseline"), _find(series, n, "baseline_lsa")
        if b and bl:
            lines.append(
                f"| {n:,} | {b.median('read'):.2f} | {b.median('tfidf'):.2f} | "
                f"{b.median('kmeans'):.2f} | {bl.median('lsa'):.2f} | "
                f"{bl.median('kmeans'):.2f} |"
            )
    # scaling exponents between consecutive sizes
    lines += [
        "",
        "Growth exponent between sizes (log time ratio / log size ratio; 1 = linear, "
        "2 = quadratic):",
        "",
        "| stage | "
        + " | ".join(f"{a:,} -> {c:,}" for a, c in zip(sizes, sizes[1:], strict=False))
        + " |",
        "|---|" + "---:|" * (len(sizes) - 1),
    ]
    for stage in (*PIPELINE_STAGES, "pairs", "total", "baseline"):
        cells = []
        for a, c in zip(sizes, sizes[1:], strict=False):
            pa, pc = _find(series, a, "pipeline"), _find(series, c, "pipeline")
            ba, bc = _find(series, a, "baseline"), _find(series, c, "baseline")
            if not (pa and pc and ba and bc):
                cells.append("-")
                continue
            if stage == "total":
                ta, tc = pa.total(PIPELINE_STAGES), pc.total(PIPELINE_STAGES)
            elif stage == "baseline":
                ta, tc = ba.total(BASELINE_STAGES), bc.total(BASELINE_STAGES)
            else:
                ta, tc = pa.median(stage), pc.median(stage)
            ia, ic = pa.runs[0].result["items"], pc.runs[0].result["items"]
            cells.append(f"{math.log(tc / ta) / math.log(ic / ia):.2f}" if ta > 0 else "-")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    # sweep
    sweeps = [s for s in series if s.task == "sweep"]
    if sweeps:
        lines += [
            "",
            f"`k: auto` evidence, `topics.sweep(space, {list(SWEEP_K)}, seed, "
            f"n_init={N_INIT}, n_seeds={STABILITY_SEEDS}, sample_size={SAMPLE_SIZE})`, "
            f"and its parts for k = {SWEEP_K[-1]}:",
            "",
            f"| rows | sweep over {len(SWEEP_K)} k | per k | full fit | silhouette "
            "(sample) | stability (sample) | k_range 4-14, projected | "
            f"`topics.analyse`, k = {SWEEP_K[-1]} | peak RSS |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for s in sweeps:
            if s.get("sweep") is None:
                lines.append(f"| {s.size:,} | {s.runs[0].result.get('skipped', '-')} |")
                continue
            per_k = s.median("sweep") / len(SWEEP_K)
            lines.append(
                f"| {s.size:,} | {s.median('sweep'):.2f} | {per_k:.2f} | "
                f"{s.median('full_fit'):.2f} | {s.median('silhouette'):.2f} | "
                f"{s.median('stability'):.2f} | ~{11 * per_k:.0f} | "
                f"{_fmt(s.get('analyse_fixed_k'))} | {s.peak():,.0f} MiB |"
            )
    lsa0 = [s for s in series if s.task == "pipeline_lsa0"]
    if lsa0:
        lines += [
            "",
            "Pipeline with `lsa_components: 0` (k-means on the raw TF-IDF):",
            "",
            "| rows | vocabulary | embed | fit | peak RSS | note |",
            "|---:|---:|---:|---:|---:|---|",
        ]
        for s in lsa0:
            r = s.runs[0].result
            vocab = f"{r['vocabulary']:,}" if "vocabulary" in r else "-"
            lines.append(
                f"| {s.size:,} | {vocab} | {_fmt(s.get('embed'))} | "
                f"{_fmt(s.get('fit'))} | "
                f"{f'{s.peak():,.0f} MiB' if s.peak() else '-'} | "
                f"{r.get('skipped', '')} |"
            )
    stress = [s for s in series if s.task == "same_title"]
    if stress:
        lines += [
            "",
            "Duplicate detection, worst case: m rows with one and the same title "
            "(`dedupe.find_matches`):",
            "",
            "| m | seconds | matches | growth exponent |",
            "|---:|---:|---:|---:|",
        ]
        stress = [s for s in stress if s.get("find_matches") is not None]
        for prev, s in zip([None, *stress], stress, strict=False):
            exp = "-"
            if prev:
                growth = math.log(
                    s.median("find_matches") / prev.median("find_matches")
                ) / math.log(s.size / prev.size)
                exp = f"{growth:.2f}"
            lines.append(
                f"| {s.size:,} | {s.median('find_matches'):.2f} | "
                f"{s.runs[0].result['matches']:,} | {exp} |"
            )
    lines += ["", targets.report(series)]
    # targets
    big = max((n for n in sizes if n < LARGE), default=max(sizes))
    p, b = _find(series, big, "pipeline"), _find(series, big, "baseline")
    if p and b:
        ratio = p.total(PIPELINE_STAGES) / b.total(BASELINE_STAGES)
        peak_gib = p.peak() / 1024
        best = min(sum_stages(r) for r in p.runs) / min(
            sum(r.result["times"][t] for t in BASELINE_STAGES) for r in b.runs
        )
        lines += [
            "",
            f"Targets at {big:,} rows with k = {K}: time ratio {ratio:.2f}x "
            f"(ratio of the fastest repeats: {best:.2f}x) "
            f"(target <= {TARGET_RATIO}x: {'met' if ratio <= TARGET_RATIO else 'MISSED'}); "
            f"peak memory {peak_gib:.2f} GiB (target <= {TARGET_MEMORY_GIB:g} GiB: "
            f"{'met' if peak_gib <= TARGET_MEMORY_GIB else 'MISSED'}).",
        ]
    bl = _find(series, big, "baseline_lsa")
    if p and bl and "counterparts" in p.runs[0].result["times"]:
        mine = p.median("counterparts") + p.median("robustness")
        plain = bl.median("tfidf") + bl.median("lsa") + bl.median("kmeans")
        lines.append(
            f"Bridges at {big:,} rows: counterparts for every item "
            f"({p.median('counterparts'):.2f} s) + robustness of the ranking "
            f"({p.median('robustness'):.2f} s, {BRIDGE_PARAMS['weight_draws']} weight draws and "
            f"{TOPICS.bootstraps} bootstrap partitions) = {mine:.2f} s, "
            f"{mine / plain:.2f}x plain TF-IDF + LSA + KMeans ({plain:.2f} s) "
            f"(target <= {BRIDGES_TARGET}x: "
            f"{'met' if mine / plain <= BRIDGES_TARGET else 'MISSED'})."
        )
    if p and bl:
        topics_stage = p.median("embed") + p.median("fit")
        plain = bl.median("tfidf") + bl.median("lsa") + bl.median("kmeans")
        lines.append(
            f"Topics stage at {big:,} rows (TF-IDF, LSA-{LSA} and the bagged consensus of "
            f"{TOPIC_RUNS} runs, against plain TF-IDF + LSA-{LSA} + KMeans(n_init={N_INIT})): "
            f"{topics_stage:.1f} s vs {plain:.1f} s, {topics_stage / plain:.2f}x (target <= "
            f"{TOPICS_TARGET}x: {'met' if topics_stage / plain <= TOPICS_TARGET else 'MISSED'})."
        )
    return "\n".join(lines)


def plot(series: list[Series], sizes: list[int], path: Path) -> None:
    """Log-log time per stage against items, with the baseline; peak memory alongside."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pipes = [s for n in sizes if (s := _find(series, n, "pipeline"))]
    bases = [s for n in sizes if (s := _find(series, n, "baseline"))]
    blsa = [s for n in sizes if (s := _find(series, n, "baseline_lsa"))]
    x = [s.runs[0].result["items"] for s in pipes]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(12, 4.8))
    for stage, style in zip(
        (*PIPELINE_STAGES, "pairs"), ("o-", "s-", "^-", "v-", "d-", "x:"), strict=True
    ):
        ax.plot(x, [s.median(stage) for s in pipes], style, label=stage, alpha=0.8)
    ax.plot(x, [s.total(PIPELINE_STAGES) for s in pipes], "k-", lw=2.5, label="pipeline total")
    ax.plot(
        x,
        [s.total(BASELINE_STAGES) for s in bases],
        "k--",
        lw=2,
        label="baseline (TF-IDF + k-means)",
    )
    ax.plot(
        x,
        [s.total(("read", "tfidf", "lsa", "kmeans")) for s in blsa],
        "k:",
        lw=2,
        label="baseline + LSA",
    )
    ref = pipes[0].total(PIPELINE_STAGES)
    ax.plot(
        x, [ref * (v / x[0]) for v in x], color="grey", lw=0.8, ls="-.", label="slope 1 (linear)"
    )
    ax.plot(
        x,
        [ref * (v / x[0]) ** 2 for v in x],
        color="grey",
        lw=0.8,
        ls=(0, (1, 3)),
        label="slope 2 (quadratic)",
    )
    top = 3 * max(s.total(PIPELINE_STAGES) for s in pipes)
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="items",
        ylabel="seconds (median)",
        title=f"Time per stage, k = {K}",
        ylim=(1e-2, top),
    )
    ax.legend(fontsize=8, ncol=2)
    ax2.plot(x, [s.peak() for s in pipes], "o-", label="pipeline")
    ax2.plot(x, [s.peak() for s in bases], "s--", label="baseline")
    ax2.plot(x, [s.peak() for s in blsa], "^:", label="baseline + LSA")
    ax2.axhline(TARGET_MEMORY_GIB * 1024, color="red", lw=0.8, ls="--", label="4 GiB target")
    ax2.set(
        xscale="log",
        yscale="log",
        xlabel="items",
        ylabel="peak RSS (MiB)",
        title="Peak memory of the process",
    )
    ax2.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)


def environment() -> str:
    """One line describing where the numbers were measured."""
    import numpy
    import pandas
    import sklearn

    try:
        rev = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            text=True,
            capture_output=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        rev = "unknown"
    return (
        f"Package at git {rev}. Measured on {platform.machine()} with {os.cpu_count()} CPUs "
        f"({platform.processor() or platform.platform()}), Python "
        f"{platform.python_version()}, numpy {numpy.__version__}, pandas "
        f"{pandas.__version__}, scikit-learn {sklearn.__version__}; "
        f"{THREADS['n']} BLAS/OpenMP thread(s) per measurement."
    )


def update_readme(block: str) -> None:
    """Replace the generated block of README.md (between the markers) with ``block``."""
    text = README.read_text(encoding="utf-8") if README.exists() else f"{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    README.write_text(f"{head}{BEGIN}\n{block}\n{END}{tail}", encoding="utf-8")


def profile(n: int, lsa: int = LSA) -> Path:
    """cProfile the pipeline at ``n`` rows in this process; write the top functions."""
    import cProfile
    import io
    import pstats

    import matplotlib

    matplotlib.use("Agg")
    warnings.simplefilter("ignore")
    path = str(generate.ensure(n, SEED))
    prof = cProfile.Profile()
    prof.enable()
    task_pipeline(path, lsa)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(45)
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(25)
    out = RESULTS / "raw" / f"profile_{n}_lsa{lsa}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(buf.getvalue())
    return out


def main(argv: list[str] | None = None) -> None:
    """Measure, print, and write latest.csv, scaling.png and README.md's generated block."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    ap.add_argument("--repeats", type=int, help="repeats at every size (default: 3, 3, 2)")
    ap.add_argument("--quick", action="store_true", help="1k and 10k once each, no outputs")
    ap.add_argument("--profile", type=int, metavar="N", help="cProfile the pipeline at N rows")
    ap.add_argument(
        "--threads", type=int, default=1, help="BLAS/OpenMP threads per measurement (default 1)"
    )
    ap.add_argument(
        "--no-large-baseline",
        action="store_true",
        help="at 1M rows, run only the pipeline (the plain baseline takes as long again)",
    )
    args = ap.parse_args(argv)
    LARGE_BASELINE["run"] = not args.no_large_baseline
    if args.child:
        child_main(args.child, args.out)
        return
    if args.profile:
        print(profile(args.profile))
        return
    THREADS["n"] = args.threads
    sizes = [1_000, 10_000] if args.quick else sorted(args.sizes)
    repeats = {n: (1 if args.quick else args.repeats or REPEATS.get(n, 1)) for n in sizes}
    t0 = time.perf_counter()
    print(
        f"Benchmark: sizes {sizes}, k = {K}, seed {SEED}, n_init {N_INIT}, "
        f"{args.threads} BLAS/OpenMP thread(s)",
        flush=True,
    )
    series = measure(
        sizes,
        repeats,
        [n for n in SWEEP_SIZES if n in sizes],
        [n for n in LSA0_SIZES if n in sizes],
        stress=not args.quick,
    )
    REPEATS.update(repeats)
    table = report(series, sizes)
    elapsed = time.perf_counter() - t0
    print()
    print(table)
    print(f"\nBenchmark wall time: {elapsed:.0f} s")
    if args.quick:
        return
    if max(sizes) >= LARGE:  # a large run has no baseline series: keep the default outputs
        write_csv(tidy(series), LARGE_CSV)
        print(f"Wrote {LARGE_CSV.relative_to(ROOT)}")
        return
    write_csv(tidy(series), LATEST)
    plot(series, sizes, PLOT)
    update_readme(
        f"{environment()} Whole benchmark (generation included): "
        f"{elapsed:.0f} s.\n\n{table}\n\n![scaling](results/scaling.png)"
    )
    print(
        f"Wrote {LATEST.relative_to(ROOT)}, {PLOT.relative_to(ROOT)} and {README.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
