"""The summed memory (PSS) of a process and all its descendants, sampled while it runs.

A pipeline that forks workers (the TF-IDF counting of a large corpus) holds more than its
own peak RSS. PSS shares a page between the processes that map it, so the sum is what the
tree really holds. Linux only (elsewhere the samples are 0).
"""

from __future__ import annotations

import os
import threading
import time


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += [int(x) for x in fh.read().split()]
    except OSError:  # the process ended meanwhile
        pass
    return out


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_kib(root: int) -> tuple[int, int]:
    """(summed PSS in KiB, number of processes) of ``root`` and its descendants now."""
    todo, total, count = [root], 0, 0
    while todo:
        pid = todo.pop()
        total, count = total + _pss_kib(pid), count + 1
        todo += _children(pid)
    return total, count


class TreeSampler:
    """Samples ``tree_pss_kib(pid)`` every ``every`` seconds in a thread until stopped; keeps
    the peak, when it came (seconds after the start) and how many processes held it."""

    def __init__(self, pid: int, every: float = 0.5) -> None:
        self.pid, self.every, self.peak_kib, self.when, self.procs = pid, every, 0, 0.0, 0
        self._start = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            total, count = tree_pss_kib(self.pid)
            if total > self.peak_kib:
                self.peak_kib, self.when, self.procs = total, time.monotonic() - self._start, count
            self._stop.wait(self.every)

    def stop(self) -> float:
        """Stop sampling; the peak in MiB."""
        self._stop.set()
        self._thread.join()
        return self.peak_kib / 1024
