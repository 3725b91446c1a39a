"""Child-side measurement: each stage's wall and CPU seconds and the memory high-water mark."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def maxrss_mib() -> float:
    """This process's peak resident set size so far, in MiB."""
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 2**10


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children: the package's worker
    processes (the TF-IDF counting of a large corpus, the stability refits) count too."""
    t = os.times()  # children in clock ticks; this process at process_time's resolution
    return time.process_time() + t.children_user + t.children_system


class Clock:
    """Stage timer: wall seconds, CPU seconds (this process and its workers) and peak RSS
    (this process's: a worker's memory is not added, see benchmarks/README.md) after each
    stage."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.rss: dict[str, float] = {}

    def run(self, name: str, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` as stage ``name``; print its figures to stderr as it ends (long runs)."""
        t0, c0 = time.perf_counter(), cpu_seconds()
        out = fn()
        self.times[name] = time.perf_counter() - t0
        self.cpu[name] = cpu_seconds() - c0
        self.rss[name] = maxrss_mib()
        print(
            f"stage {name}: {self.times[name]:.1f} s wall, {self.cpu[name]:.1f} s CPU, "
            f"peak {self.rss[name]:,.0f} MiB",
            file=sys.stderr,
            flush=True,
        )
        return out

    def result(self, **info: Any) -> dict[str, Any]:
        """What a task reports: ``info`` and the stages' figures."""
        return {**info, "times": self.times, "cpu": self.cpu, "rss": self.rss}


def timed(fn: Callable[..., Any], clock: Clock, key: str) -> Callable[..., Any]:
    """``fn`` that adds its own wall and CPU time to ``clock``'s stage ``key``."""

    def run(*args: Any, **kwargs: Any) -> Any:
        t0, c0 = time.perf_counter(), cpu_seconds()
        try:
            return fn(*args, **kwargs)
        finally:
            clock.times[key] = clock.times.get(key, 0.0) + time.perf_counter() - t0
            clock.cpu[key] = clock.cpu.get(key, 0.0) + cpu_seconds() - c0

    return run


def available_mib() -> float:
    """Memory the kernel says is available (MemAvailable), in MiB."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**20
