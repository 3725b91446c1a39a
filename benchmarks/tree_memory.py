"""The peak summed memory (PSS) of a process and all its descendants, sampled every 0.5 s.

``bench.py`` samples this itself for every measurement (``benchkit.tree``); this script samples
any process given by its pid, such as a whole benchmark run. PSS shares a page
between the processes that map it, so the sum is what the tree really holds. Linux only.

    python benchmarks/bench.py --sizes 1000000 --no-large-baseline &
    python benchmarks/tree_memory.py $!
"""

from __future__ import annotations

import argparse
import os
import time

from benchkit.tree import tree_pss_kib


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
