"""The README's own example runs end to end: `make reports MAPPING=examples/minimal_mapping.csv`
(issue #19). Four items are too few for topics: the run completes, and the index's headline
and notebooks 02 and 03 say why there is nothing to cluster or compare.

This runs the real command (make, the CLI, the three notebooks, the index) into
``reports/runs/<name>/`` (git-ignored), and removes that folder afterwards.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess

import pytest

from ic2analysis import paths

pytestmark = pytest.mark.slow


def _text(page) -> str:
    t = re.sub(r"<script.*?</script>|<style.*?</style>", "", page.read_text("utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", t)))


@pytest.fixture
def run_name():
    name = f"pytest-minimal-{os.getpid()}"
    yield name
    shutil.rmtree(paths.ROOT / "reports" / "runs" / name, ignore_errors=True)


def test_make_reports_with_the_minimal_example(run_name):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IC2_", "MAKE"))}
    cmd = ["make", "--no-print-directory", "reports", "MAPPING=examples/minimal_mapping.csv"]
    res = subprocess.run(
        [*cmd, f"RUN={run_name}"], cwd=paths.ROOT, env=env, capture_output=True, text=True
    )
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    out = paths.ROOT / "reports" / "runs" / run_name
    index = _text(out / "index.html")
    assert "Topics were not computed for this mapping (too few items to cluster)" in index
    assert "topics need at least 12" in index
    assert re.search(r"rejected rows 0 .* warnings 0", index)
    assert "Europe 2 items China 2 items" in index
    for nb in ("02_topics", "03_bridges"):
        assert (out / "notebooks" / f"{nb}.ipynb").exists()
    assert "topics need at least 12" in (out / "notebooks" / "02_topics.ipynb").read_text("utf-8")
