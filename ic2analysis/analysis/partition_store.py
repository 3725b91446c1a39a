"""The stability sweep's partitions, kept between runs in a content-addressed file.

Notebook 02 re-runs whenever anything upstream changed (a date in the mapping, a figure's
code, a parameter of notebook 03 in a new run), yet its topics change only with the items'
documents. The 210 consensus fits of the k sweep (6-7 s of a cold run here) are kept in
``<reports>/.cache/partitions-<hash>.npz`` (not committed). The name is the SHA-256 of all a
partition depends on: every procedure's documents, settings, bagging and null flag, the code
that fits them, and the library and Python versions. A file that does not match the current
inputs is never found, so it cannot be used; one that cannot be read is ignored.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
from collections.abc import Sequence
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

import numpy as np

from .. import files
from . import consensus, counting, stability, vectorise

# the modules whose code decides a partition, and the libraries whose versions can change one
CODE = (stability, consensus, vectorise, counting)
LIBRARIES = ("jieba", "numpy", "scikit-learn", "scipy", "threadpoolctl")
PREFIX = "partitions-"
KEEP = 8  # files kept in the folder (the most recently used)


def file_for(folder: Path, procedures: Sequence[stability.Refits]) -> Path:
    """The file of these procedures' partitions, named by the hash of all they depend on."""
    h = hashlib.sha256()
    for r in procedures:
        for text in r.texts:
            h.update(text.encode("utf-8") + b"\x00")
        about = {"settings": r.settings.as_dict(), "bag": asdict(r.bag), "null": r.null}
        h.update(json.dumps(about, sort_keys=True).encode() + b"\x01")
    for module in CODE:
        h.update(Path(module.__file__).read_bytes())
    for lib in LIBRARIES:
        h.update(f"{lib}=={metadata.version(lib)}".encode())
    h.update(f"{platform.python_version()} {platform.machine()}".encode())
    return Path(folder) / f"{PREFIX}{h.hexdigest()[:32]}.npz"


def load(file: Path, procedures: Sequence[stability.Refits]) -> int:
    """Give each procedure the partitions the file holds for it; how many were found."""
    try:
        with np.load(file, allow_pickle=False) as z:
            found = [
                _entries(z[f"keys{i}"], z[f"sizes{i}"], z[f"labels{i}"])
                for i in range(len(procedures))
            ]
    except (OSError, KeyError, ValueError):
        return 0
    for r, entries in zip(procedures, found, strict=True):
        r.restore(entries)
    try:
        os.utime(file)  # most recently used: kept longest
    except OSError:
        pass
    return sum(map(len, found))


def _entries(keys: np.ndarray, sizes: np.ndarray, labels: np.ndarray) -> dict:
    if int(sizes.sum()) != len(labels) or len(keys) != len(sizes):
        raise ValueError("a partitions file whose parts do not add up")
    ends = np.cumsum(sizes)
    out = {}
    for key, start, end in zip(keys, ends - sizes, ends, strict=True):
        idx, seed, k = str(key).split(":")
        out[(idx, int(seed), int(k))] = labels[start:end]
    return out


def save(file: Path, procedures: Sequence[stability.Refits]) -> None:
    """Write every procedure's partitions (atomically), and keep only the newest files."""
    arrays = {}
    for i, r in enumerate(procedures):
        parts = r.partitions()
        arrays[f"keys{i}"] = np.array([f"{a}:{s}:{k}" for a, s, k in parts], dtype=str)
        arrays[f"sizes{i}"] = np.array([len(v) for v in parts.values()], dtype=np.int64)
        arrays[f"labels{i}"] = _joined(list(parts.values()))
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    files.write_bytes(file, buf.getvalue())
    others = [f for f in Path(file).parent.glob(f"{PREFIX}*.npz") if f.name != Path(file).name]
    others.sort(key=lambda f: f.stat().st_mtime)
    for old in others[: max(len(others) - (KEEP - 1), 0)]:
        old.unlink(missing_ok=True)


def _joined(labels: list[np.ndarray]) -> np.ndarray:
    """The partitions end to end, in their own integer type (one type for all, as fitted)."""
    if not labels:
        return np.array([], dtype=np.int64)
    if len({a.dtype for a in labels}) != 1:
        raise TypeError("partitions of different integer types")
    return np.concatenate(labels)
