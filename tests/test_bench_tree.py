"""The benchmark's memory sampler sums a process and its descendants (Linux /proc)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from ic2analysis import paths

sys.path.insert(0, str(paths.ROOT / "benchmarks"))

from benchkit.tree import TreeSampler, tree_pss_kib  # noqa: E402

HOLD = """
import subprocess, sys, time
block = bytearray(b"x" * (120 * 2**20))  # written, so its pages are resident
if sys.argv[1] == "parent":
    subprocess.run([sys.executable, "-c", sys.argv[2], "child", sys.argv[2]])
else:
    time.sleep(4)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_sampler_counts_the_process_and_the_one_it_started():
    proc = subprocess.Popen([sys.executable, "-c", HOLD, "parent", HOLD])
    sampler = TreeSampler(proc.pid, every=0.1)
    deadline = time.monotonic() + 3  # until both processes hold their block (a loaded machine)
    during, count = tree_pss_kib(proc.pid)
    while (count < 2 or during < 200 * 1024) and time.monotonic() < deadline:
        time.sleep(0.05)
        during, count = tree_pss_kib(proc.pid)
    proc.wait()
    peak = sampler.stop()
    assert count == 2  # the process and the one it started
    assert during / 1024 > 200 and peak > 200  # 2 x 120 MiB written, each counted
    assert tree_pss_kib(proc.pid) == (0, 1)  # gone: nothing left to read
