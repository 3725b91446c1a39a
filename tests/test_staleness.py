"""Staleness by content: a fresh clone with current outputs runs nothing; a change runs exactly
the steps that read it. Each check runs in a ``git clone`` of this checkout (committed state),
with the clone's own package on ``PYTHONPATH`` so that its paths are the clone's.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ic2analysis import paths, staleness

pytestmark = pytest.mark.slow
STEPS = ("01_clean", "02_topics", "03_bridges", staleness.INDEX)

CHECK = """
import sys
from ic2analysis import cli, paths, staleness
assert paths.ROOT == paths.Path(sys.argv[1]).resolve(), paths.ROOT
if sys.argv[2] == "sync":
    rp = paths.run_paths("")
    staleness.sync(rp, staleness.run_keys(rp, cli.NOTEBOOKS))
    sys.exit(0)
sys.exit(cli.question())
"""


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IC2_")}
    env["PYTHONPATH"] = str(root)
    return env


def _ask(root: Path, what: str = "question") -> tuple[int, dict[str, str]]:
    res = subprocess.run(
        [sys.executable, "-c", CHECK, str(root), what],
        cwd=root,
        env=_env(root),
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode in (0, 1), res.stderr
    states = {}
    for line in res.stdout.splitlines():
        m = re.match(r"^\s*(?:current|would run)\s+(\S+): (.+)$", line)
        assert m, line
        states[m.group(1)] = m.group(2)
    return res.returncode, states


@pytest.fixture()
def clone(tmp_path: Path) -> Path:
    head = subprocess.run(
        ["git", "-C", str(paths.ROOT), "status", "--porcelain", "--", "reports", "data"],
        capture_output=True,
        text=True,
        check=True,
    )
    if head.stdout.strip():
        pytest.skip("uncommitted reports or data: the clone would not show this checkout")
    target = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(paths.ROOT), str(target)], check=True)
    return target


def test_fresh_clone_runs_nothing(clone: Path) -> None:
    rc, states = _ask(clone)
    assert states == dict.fromkeys(STEPS, "current")
    assert rc == 0
    # and make agrees once the file times are set from the content
    assert _ask(clone, "sync")[0] == 0
    res = subprocess.run(["make", "-q", "build"], cwd=clone, env=_env(clone), check=False)
    assert res.returncode == 0


def test_one_data_byte_runs_the_three_notebooks(clone: Path) -> None:
    raw = clone / "data" / "raw" / "europe_desk.csv"
    data = bytearray(raw.read_bytes())
    data[-2] = ord("x") if data[-2] != ord("x") else ord("y")
    raw.write_bytes(bytes(data))  # the check fingerprints data/raw itself
    rc, states = _ask(clone)
    assert rc == 1
    assert all(states[s] != "current" for s in STEPS), states
    assert states["01_clean"] == "its inputs changed"


def test_a_template_runs_only_the_index(clone: Path) -> None:
    css = clone / "ic2analysis/reporting/templates/static/site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    rc, states = _ask(clone)
    assert rc == 1
    assert [s for s in STEPS if states[s] != "current"] == [staleness.INDEX], states


def test_an_analysis_module_runs_02_and_after(clone: Path) -> None:
    mod = clone / "ic2analysis/analysis/topics.py"
    mod.write_text(mod.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    rc, states = _ask(clone)
    assert rc == 1
    assert states["01_clean"] == "current"
    assert all(states[s] != "current" for s in STEPS[1:]), states


def test_closure_follows_relative_imports() -> None:
    files = {paths.rel_to_root(f) for f in staleness.closure(["ic2analysis.cleaning.clean"])}
    assert "ic2analysis/cleaning/parse/amounts.py" in files  # via rows -> .parse
    assert "ic2analysis/text.py" in files  # via ..text
    assert not any(f.startswith("ic2analysis/analysis/") for f in files)


def test_sync_sets_times_from_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.OUTPUT_ENV, str(tmp_path))
    rp = paths.run_paths("")
    for step in STEPS:
        staleness.target(rp, step).parent.mkdir(parents=True, exist_ok=True)
        staleness.target(rp, step).write_text("x", encoding="utf-8")
    current = {s: f"key-{s}" for s in STEPS}
    for s in STEPS:
        staleness.record(rp, s, current[s])
    staleness.record(rp, "02_topics", "old")
    states = staleness.sync(rp, current)
    assert states["01_clean"] == "current"
    assert states["02_topics"] == "its inputs changed"
    assert states["index"] == "runs after a step before it"
    assert staleness.target(rp, "01_clean").stat().st_mtime > 1e9
    assert staleness.target(rp, "02_topics").stat().st_mtime == 0
    assert staleness.target(rp, "03_bridges").stat().st_mtime == 0
