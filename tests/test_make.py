"""The Makefile passes user values to Python untouched and never to a shell (issue 16).

Each test copies the Makefile into a temporary folder whose ``.venv/bin/python`` is a stand-in
that records its arguments and the IC2_* environment, so that what make hands to Python can be
compared with what the user typed, and any command hidden in a value would leave a file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ic2analysis import paths

pytestmark = pytest.mark.slow

HOSTILE = {
    "MAPPING": 'data/my file\'s "v2";touch pwned1 `touch pwned2` $(touch pwned3).csv',
    "RUN": "x;touch pwned4",
    "SET": "seed=`touch pwned5` weights={balance: 0.5, recency: 0.5} note=$(shell touch pwned6)",
    "PARAMS": "p $(shell touch pwned7).yaml",
    "K": "$$(touch pwned8)",
    "SEED": "1'; touch pwned9; '",
}

FAKE_PYTHON = """#!{python}
import json, os, sys
with open(os.path.join(os.path.dirname(__file__), "calls.jsonl"), "a") as fh:
    env = {{k: v for k, v in os.environ.items() if k.startswith("IC2_")}}
    fh.write(json.dumps({{"argv": sys.argv[1:], "env": env}}) + "\\n")
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with the real Makefile and a stand-in Python that records its calls."""
    root = tmp_path / "project"
    (root / ".venv" / "bin").mkdir(parents=True)
    for name in ("Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copy2(paths.ROOT / name, root / name)
    fake = root / ".venv" / "bin" / "python"
    fake.write_text(FAKE_PYTHON.format(python=sys.executable))
    fake.chmod(0o755)
    for stamp in (".installed", ".system"):
        (root / ".venv" / stamp).touch()
    return root


def make(project: Path, *args: str, **variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IC2_", "MAKE"))}
    cmd = ["make", "--no-print-directory", *args, *(f"{k}={v}" for k, v in variables.items())]
    return subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=60)


def calls(project: Path) -> list[dict]:
    log = project / ".venv" / "bin" / "calls.jsonl"
    return [json.loads(x) for x in log.read_text().splitlines()] if log.exists() else []


def tree(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def no_command_ran(folder: Path) -> None:
    assert not [p for p in folder.parent.rglob("pwned*")], "a command hidden in a value ran"


def test_make_help_and_dry_runs_write_nothing(project):
    before = tree(project)
    assert make(project, "help").returncode == 0
    assert make(project, "-n", "reports", **HOSTILE).returncode == 0
    assert make(project, "-n", "verify", "sweep", **HOSTILE).returncode == 0
    assert tree(project) == before and calls(project) == []
    no_command_ran(project)


@pytest.mark.parametrize("target", ["reports", "sweep"])
def test_hostile_values_reach_python_verbatim_and_never_run(project, target):
    res = make(project, target, **HOSTILE)
    assert res.returncode == 0, res.stderr
    no_command_ran(project)
    (call,) = calls(project)
    assert call["argv"] == ["-m", "ic2analysis.cli", target]
    for key, value in HOSTILE.items():
        assert call["env"][f"IC2_{key}"] == value
    assert not (project / ".make").exists()


def test_one_value_at_a_time_and_empty_values(project):
    make(project, "reports", MAPPING="a b.csv")
    make(project, "reports")
    first, second = calls(project)
    assert first["env"]["IC2_MAPPING"] == "a b.csv" and second["env"]["IC2_MAPPING"] == ""
    assert second["env"]["IC2_BUILD"] == ""


def test_internal_build_name_is_not_expanded_either(project):
    res = make(project, "-n", "build", BUILD="$(shell touch pwned10)")
    no_command_ran(project)
    assert "pwned10" not in res.stdout or "touch" not in res.stdout.split("pwned10")[0][-8:]


def cli(command: str, out: Path, **variables: str) -> subprocess.CompletedProcess:
    """The real command line, with the IC2_* variables the Makefile would export."""
    env = {
        **os.environ,
        "IC2_OUTPUT_DIR": str(out),
        **{f"IC2_{k}": v for k, v in variables.items()},
    }
    cmd = [sys.executable, "-m", "ic2analysis.cli", command]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=paths.ROOT)


def test_the_real_cli_records_a_hostile_mapping_name_exactly(tmp_path):
    mapping = tmp_path / HOSTILE["MAPPING"].replace("/", "_")
    mapping.write_text("title,region\n")
    res = cli("params", tmp_path / "out", MAPPING=str(mapping))
    assert res.returncode == 0, res.stderr
    (params_file,) = (tmp_path / "out" / "runs").glob("*/params/01_clean.yaml")
    assert yaml.safe_load(params_file.read_text())["mapping"] == [str(mapping)]
    no_command_ran(tmp_path)


@pytest.mark.parametrize("run", ["../../somewhere", "x;touch pwned", "a b"])
def test_a_bad_run_name_is_refused_before_anything_is_written(tmp_path, run):
    res = cli("reports", tmp_path / "out", RUN=run)
    assert res.returncode == 2 and "run name" in res.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "somewhere").exists()
    no_command_ran(tmp_path)


@pytest.mark.parametrize("jobs", ["0", "two", "$(touch pwned)"])
def test_a_bad_number_of_workers_is_refused_before_anything_is_written(tmp_path, jobs):
    res = cli("reports", tmp_path / "out", JOBS=jobs)
    assert res.returncode == 2 and "IC2_JOBS" in res.stderr and "whole number" in res.stderr
    assert not (tmp_path / "out").exists()
    no_command_ran(tmp_path)


def test_make_help_lists_every_target(project):
    text = (project / "Makefile").read_text()
    phony = text.split(".PHONY:", 1)[1].split("\n\n", 1)[0].replace("\\", " ").split()
    shown = make(project, "help").stdout
    assert len(phony) > 10 and all(f"make {t} " in shown for t in phony)


SOURCES = [
    "ic2analysis/__init__.py",
    "ic2analysis/config.py",
    "ic2analysis/cli.py",
    "ic2analysis/cleaning/clean.py",
    "ic2analysis/analysis/topics.py",
    "ic2analysis/reporting/figures.py",
    "ic2analysis/reporting/report.py",
    "ic2analysis/reporting/export.py",
    "ic2analysis/reporting/nbimports.py",
    "data/bodies.csv",
    "params/known_body_pairs.csv",
    *[
        f"notebooks/{nb}.{ext}"
        for nb in ("01_clean", "02_topics", "03_bridges")
        for ext in "py ipynb".split()
    ],
]
OUTPUTS = [
    *[f"reports/params/{nb}.yaml" for nb in ("01_clean", "02_topics", "03_bridges")],
    "reports/params/inputs.sha256",
    "reports/notebooks/01_clean.ipynb",
    "reports/notebooks/02_topics.ipynb",
    "reports/notebooks/03_bridges.ipynb",
    "reports/index.html",
]


@pytest.mark.parametrize(
    ("changed", "reruns"),
    [
        ("ic2analysis/reporting/report.py", []),
        ("ic2analysis/cli.py", []),
        ("ic2analysis/reporting/figures.py", ["01_clean", "02_topics", "03_bridges"]),
        ("ic2analysis/analysis/topics.py", ["02_topics", "03_bridges"]),
        ("ic2analysis/cleaning/clean.py", ["01_clean", "02_topics", "03_bridges"]),
        ("notebooks/03_bridges.py", ["03_bridges"]),
        ("data/bodies.csv", ["01_clean", "02_topics", "03_bridges"]),
        ("params/known_body_pairs.csv", ["03_bridges"]),
        ("reports/params/02_topics.yaml", ["02_topics", "03_bridges"]),
        ("reports/params/inputs.sha256", ["01_clean", "02_topics", "03_bridges"]),
    ],
)
def test_notebooks_depend_on_what_they_import(project, changed, reruns):
    for i, name in enumerate(SOURCES + OUTPUTS):
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
    os.utime(project / changed, (2_000_000, 2_000_000))
    res = make(project, "-n", "build")
    ran = [line.split()[-1] for line in res.stdout.splitlines() if " execute " in line]
    assert ran == reruns, res.stdout
    # the index follows every change but one to the command line itself
    assert ("ic2analysis.cli report" in res.stdout) == (changed != "ic2analysis/cli.py")
