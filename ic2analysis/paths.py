"""Every standard location of the project, resolved from the package, never from the CWD.

A *run* is one execution of the analysis. The default run reads ``data/raw`` and writes the
committed outputs (``data/processed`` and ``reports``); a named run (other parameters or
another mapping) writes everything under ``reports/runs/<name>``. The environment variable
``IC2_OUTPUT_DIR`` redirects all outputs of any run (used by the tests, so they never write
into the tracked tree).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
NOTEBOOKS = ROOT / "notebooks"
PARAMS = ROOT / "params"
REPORTS = ROOT / "reports"
RESOURCES = Path(__file__).resolve().parent / "resources"
OUTPUT_ENV = "IC2_OUTPUT_DIR"

_RUN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


@dataclass(frozen=True)
class RunPaths:
    """Where one run writes its outputs."""

    name: str
    reports: Path
    processed: Path

    @property
    def figures(self) -> Path:
        return self.reports / "figures"

    @property
    def tables(self) -> Path:
        return self.reports / "tables"

    @property
    def notebooks(self) -> Path:
        return self.reports / "notebooks"

    @property
    def params(self) -> Path:
        return self.reports / "params"

    @property
    def initiatives(self) -> Path:
        return self.processed / "initiatives.csv"

    def rel(self, path: Path) -> str:
        """A path relative to this run's reports folder (stable in notebook output)."""
        path = Path(path)
        for base in (self.reports, self.processed.parent):
            try:
                return path.resolve().relative_to(base.resolve()).as_posix()
            except ValueError:
                continue
        return path.name


def check_run_name(name: str) -> str:
    """Return ``name`` if it is a safe folder name for a run, else raise ValueError."""
    if name and not _RUN_NAME.match(name):
        raise ValueError(
            f"run name {name!r}: expected letters, digits, '.', '_' or '-' (at most 80), "
            "starting with a letter or digit"
        )
    return name


def run_paths(name: str = "") -> RunPaths:
    """Locations for the run ``name`` ('' is the default, committed run)."""
    check_run_name(name)
    override = os.environ.get(OUTPUT_ENV)
    if override:
        base = Path(override).resolve()
        if name:
            base = base / "runs" / name
        return RunPaths(name, base, base / "processed")
    if name:
        base = REPORTS / "runs" / name
        return RunPaths(name, base, base / "processed")
    return RunPaths("", REPORTS, PROCESSED)


def rel_to_root(path: Path | str) -> str:
    """``path`` relative to the project root when inside it, else the path as given."""
    p = Path(path)
    try:
        return p.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return p.as_posix()


def resolve_input(path: Path | str) -> Path:
    """Resolve a user-given input path: absolute as is, relative against the project root."""
    p = Path(path)
    return p if p.is_absolute() else (ROOT / p)
