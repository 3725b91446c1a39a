"""Each measurement in a fresh interpreter: its result, wall time, exact peak RSS (wait4) and
the peak summed PSS of its process tree (its forked workers included)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .settings import ROOT, SCRIPT, SUB_STAGES
from .tree import TreeSampler

THREADS = {"n": 1}  # BLAS/OpenMP threads per measurement (--threads)


@dataclass
class Run:
    """One child process: what it reported, its wall time, its exact peak RSS and the peak
    summed PSS of it and its descendants (sampled every 0.5 s; 0 where not sampled)."""

    result: dict[str, Any]
    wall: float
    peak_mib: float
    tree_mib: float = 0.0

    def total(self, stages: tuple[str, ...] | None = None, key: str = "times") -> float:
        """Sum of ``stages`` (default: every stage but the sub-stages inside bridges)."""
        vals = self.result.get(key, {})
        names = stages if stages is not None else [s for s in vals if s not in SUB_STAGES]
        return sum(vals.get(s, 0.0) for s in names)


@dataclass
class Series:
    """Repeated runs of one task at one size; ``key`` "times" is wall seconds, "cpu" CPU."""

    size: int
    task: str
    runs: list[Run] = field(default_factory=list)

    def get(self, stage: str, key: str = "times") -> float | None:
        """The median of ``stage``, or None where it was not measured."""
        vals = [r.result[key][stage] for r in self.runs if stage in r.result.get(key, {})]
        return statistics.median(vals) if vals else None

    def median(self, stage: str, key: str = "times") -> float:
        """The median of ``stage`` (0 where it was not measured)."""
        return self.get(stage, key) or 0.0

    def stages(self) -> list[str]:
        return list(self.runs[0].result["times"]) if self.runs else []

    def total(self, stages: tuple[str, ...], key: str = "times") -> float:
        """Median over runs of the summed stage times."""
        return statistics.median(r.total(stages, key) for r in self.runs)

    def peak(self) -> float:
        return statistics.median(r.peak_mib for r in self.runs)

    def held(self) -> float:
        """What the measurement held at most (MiB): the larger of the child's peak RSS and
        its process tree's peak summed PSS, median over the runs."""
        return statistics.median(max(r.peak_mib, r.tree_mib) for r in self.runs)

    def items(self) -> int:
        return int(self.runs[0].result.get("items", self.size))


class ChildFailed(RuntimeError):
    """A measurement's process exited with an error (its last stderr line is the message)."""


def run_child(task: str, **kwargs: Any) -> Run:
    """Run ``task`` in a fresh interpreter with ``THREADS["n"]`` BLAS/OpenMP threads."""
    spec = json.dumps({"task": task, **kwargs})
    threads = str(THREADS["n"])
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONWARNINGS": "ignore",
           "OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads,
           "MKL_NUM_THREADS": threads}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        out, err = Path(tmp) / "result.json", Path(tmp) / "stderr.txt"
        t0 = time.perf_counter()
        with err.open("wb") as err_fh:  # a file, not a pipe: wait4 must not block on it
            proc = subprocess.Popen(
                [sys.executable, str(SCRIPT), "--child", spec, "--out", str(out)],
                env=env,
                cwd=ROOT,
                stderr=err_fh,
            )
            sampler = TreeSampler(proc.pid)
            _, status, usage = os.wait4(proc.pid, 0)
            tree = sampler.stop()
        wall = time.perf_counter() - t0
        stderr = err.read_text(errors="replace")
        if os.waitstatus_to_exitcode(status) != 0:
            sys.stderr.write(stderr)
            lines = [ln for ln in stderr.splitlines() if ln.strip()]
            raise ChildFailed(f"{task} failed: {lines[-1] if lines else status}")
        result = json.loads(out.read_text())
    rss = usage.ru_maxrss / 2**20 if sys.platform == "darwin" else usage.ru_maxrss / 2**10
    return Run(result, wall, rss, tree)


def run_optional(size: int, task: str, child_task: str, **kwargs: Any) -> Series:
    """One run of a measurement; a failure is recorded (``skipped``), not raised."""
    try:
        return Series(size, task, [run_child(child_task, **kwargs)])
    except ChildFailed as exc:
        print(f"  {size:>7,} rows: {task} FAILED ({exc})", flush=True)
        failed = {"items": size, "times": {}, "cpu": {}, "rss": {}, "skipped": str(exc)}
        return Series(size, task, [Run(failed, 0.0, 0.0)])


def child_main(spec: str, out: str) -> None:
    """Run one task described by the JSON ``spec`` and write its result to ``out``."""
    import logging
    import warnings

    import matplotlib

    from .side_tasks import task_same_title, task_sweep
    from .tasks import task_baseline, task_pipeline

    matplotlib.use("Agg")
    warnings.simplefilter("ignore")
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    args = json.loads(spec)
    cap = args.pop("mem_cap_mib", None)
    if cap:  # private writable memory (numpy buffers included) above the cap -> MemoryError
        import resource

        resource.setrlimit(resource.RLIMIT_DATA, (int(cap * 2**20), int(cap * 2**20)))
    tasks = {"pipeline": task_pipeline, "baseline": task_baseline, "sweep": task_sweep,
             "same_title": task_same_title}  # fmt: skip
    result = tasks[args.pop("task")](**args)
    Path(out).write_text(json.dumps(result))
