"""Notebook 02's run time over repeated runs, with one OpenMP/BLAS thread and with all cores.

Each run executes the real notebook through the runner (``cli execute 02_topics``) on the
default mapping, in a temporary output folder, alternating the two settings so that changes
in the machine's load hit both. Writes ``results/threads.csv`` and prints max/min per setting.
Run with ``python benchmarks/threads.py [--repeats 5]``.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "results" / "threads.csv"


def run(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    cli = [sys.executable, "-m", "ic2analysis.cli"]
    settings = {"1": "1", "all": str(os.cpu_count() or 1)}
    rows = []
    with tempfile.TemporaryDirectory(prefix="ic2-threads-") as tmp:
        env = {**os.environ, "IC2_OUTPUT_DIR": tmp, "IC2_BUILD": ""}
        subprocess.run([*cli, "params"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        run([*cli, "execute", "01_clean"], env)
        for i in range(args.repeats):
            for name, n in settings.items():
                seconds = run([*cli, "execute", "02_topics"], {**env, "IC2_THREADS": n})
                rows.append({"repeat": i, "threads": name, "seconds": round(seconds, 2)})
                print(f"  threads={name:<3} run {i}: {seconds:6.1f} s", flush=True)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, ["repeat", "threads", "seconds"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    for name in settings:
        t = [r["seconds"] for r in rows if r["threads"] == name]
        ratio = max(t) / min(t)
        print(f"threads={name}: min {min(t):.1f} s, max {max(t):.1f} s, max/min {ratio:.2f}")


if __name__ == "__main__":
    main()
