"""The peak summed memory (PSS) of a process and all its descendants, sampled every 0.5 s.

``bench.py`` reads the measured process's own peak RSS from ``os.wait4``; a pipeline that
forks workers (the TF-IDF counting of a large corpus) holds more than that. PSS shares a page
between the processes that map it, so the sum is what the tree really holds. Linux only.

    python benchmarks/bench.py --sizes 1000000 --no-large-baseline &
    python benchmarks/tree_memory.py $!
"""

from __future__ import annotations

import argparse
import os
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pid", type=int, help="the process whose tree is sampled until it ends")
    ap.add_argument("--every", type=float, default=0.5, help="seconds between samples")
    args = ap.parse_args()
    peak, when, procs, start = 0, 0.0, 0, time.time()
    while os.path.exists(f"/proc/{args.pid}"):
        total, count = tree_pss_kib(args.pid)
        if total > peak:
            peak, when, procs = total, time.time() - start, count
        time.sleep(args.every)
    print(f"peak summed PSS {peak / 2**20:.2f} GiB at {when:.0f} s ({procs} processes)")


if __name__ == "__main__":
    main()
