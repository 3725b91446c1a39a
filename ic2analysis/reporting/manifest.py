"""The run's manifest: hashes of inputs, parameters, package sources and outputs, and the
package versions. Nothing that changes from day to day (no dates, no commit ids).
"""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import json
import platform
from pathlib import Path

import pandas as pd
import yaml

from .. import files, paths
from ..params import NOTEBOOKS

SOURCE_SUFFIXES = (".py", ".csv", ".j2", ".json", ".yaml", ".css", ".js")
PACKAGES = (
    "pandas",
    "numpy",
    "scipy",
    "scikit-learn",
    "matplotlib",
    "seaborn",
    "jieba",
    "OpenCC",
    "RapidFuzz",
    "pandera",
    "openpyxl",
    "papermill",
    "nbconvert",
    "nbval",
    "Jinja2",
    "noto-cjk-sans-otc",
)


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def listed(folder: Path, pattern: str = "*") -> list[Path]:
    """The files of ``folder`` matching ``pattern``, sorted, without hidden files."""
    return sorted(p for p in folder.glob(pattern) if p.is_file() and not p.name.startswith("."))


def inputs(out: paths.RunPaths) -> list[Path]:
    """The raw files the run read, from its cleaning log."""
    log = out.tables / "cleaning_log.csv"
    if not log.exists():
        return []
    names = sorted(set(pd.read_csv(log, dtype=str, keep_default_na=False)["file"]))
    return [paths.resolve_input(f) for f in names]


def source_digest() -> str:
    """One hash over the package's source files (code, templates, resources)."""
    h = hashlib.sha256()
    for f in sorted((paths.ROOT / "ic2analysis").rglob("*")):
        if f.is_file() and f.suffix in SOURCE_SUFFIXES and "__pycache__" not in f.parts:
            h.update(f.relative_to(paths.ROOT).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def versions() -> dict[str, str | None]:
    """Python's and each listed package's version (None when not installed)."""
    found: dict[str, str | None] = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            found[p] = md.version(p)
        except md.PackageNotFoundError:
            found[p] = None
    return found


def manifest(out: paths.RunPaths) -> dict:
    """Hashes and versions that identify the run."""
    params = {}
    for nb in NOTEBOOKS:
        pf = out.params / f"{nb}.yaml"
        if pf.exists():
            params[nb] = yaml.safe_load(pf.read_text(encoding="utf-8"))
    outputs = {}
    for folder in (out.processed, out.tables, out.figures, out.notebooks):
        for f in listed(folder):
            outputs[paths.rel_to_root(f) if out.name == "" else out.rel(f)] = sha256(f)
    return {
        "run": out.name or "default",
        "inputs": {paths.rel_to_root(f): sha256(f) for f in inputs(out) if f.exists()},
        "parameters": params,
        "package_source_sha256": source_digest(),
        "versions": versions(),
        "outputs": outputs,
    }


def write(out: paths.RunPaths) -> tuple[dict, Path]:
    """Write ``manifest.json`` for the run; return it and its path."""
    man = manifest(out)
    path = out.reports / "manifest.json"
    files.write_text(path, json.dumps(man, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return man, path
