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

from benchkit.tree import TreeSampler


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pid", type=int, help="the process whose tree is sampled until it ends")
    ap.add_argument("--every", type=float, default=0.5, help="seconds between samples")
    args = ap.parse_args()
    sampler = TreeSampler(args.pid, args.every)
    while os.path.exists(f"/proc/{args.pid}"):
        time.sleep(args.every)
    gib = sampler.stop() / 2**10
    print(f"peak summed PSS {gib:.2f} GiB at {sampler.when:.0f} s ({sampler.procs} processes)")


if __name__ == "__main__":
    main()
