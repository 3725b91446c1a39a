"""Atomic writes: a file is either its previous version or its complete new version.

While ``IC2_STAGE_DIR`` is set (the runner sets it for a notebook's kernel), writes go to that
folder instead, with a journal, and ``commit`` moves them all into place once the notebook
succeeded: a notebook's outputs land together or not at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


_UMASK = os.umask(0)
os.umask(_UMASK)
STAGE_ENV = "IC2_STAGE_DIR"
JOURNAL = "journal.jsonl"


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, or into the stage while one is active."""
    stage = os.environ.get(STAGE_ENV)
    if stage:
        target = Path(path).resolve()
        key = hashlib.sha256(str(target).encode()).hexdigest()[:20]
        _atomic(Path(stage) / key, data)
        with open(Path(stage) / JOURNAL, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"key": key, "target": str(target)}) + "\n")
        return Path(path)
    return _atomic(Path(path), data)


def commit(stage: Path) -> list[Path]:
    """Move every staged file to its target (later writes of a path win); remove the stage."""
    stage = Path(stage)
    journal = stage / JOURNAL
    entries = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    targets = {e["key"]: Path(e["target"]) for e in entries}
    for key, target in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / key, target)
    shutil.rmtree(stage)
    return list(targets.values())


def discard(stage: Path) -> None:
    """Forget a stage's writes (a failed or interrupted notebook)."""
    shutil.rmtree(stage, ignore_errors=True)


def _atomic(path: Path, data: bytes) -> Path:
    """Write through a temp file in the same folder, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text(path: Path, text: str) -> Path:
    """Write UTF-8 text atomically with Unix line endings."""
    return write_bytes(path, text.encode("utf-8"))


# OWASP CSV injection: a spreadsheet evaluates a cell starting with one of these.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would evaluate, prefixed with ``'`` (numbers unchanged).

    Line breaks inside a cell become ``\\n``: the csv writer quotes those, but not a bare CR,
    which would split the row for every reader.
    """
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


def safe_for_spreadsheets(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot run as formulas (OWASP rule)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) in ("str", "string"):
            out[col] = out[col].map(neutralise)
    return out


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    """Write a table as UTF-8 CSV with stable bytes (no index, '\\n' line ends).

    Text cells starting with ``= + - @``, tab or CR are prefixed with ``'`` so that no
    spreadsheet evaluates them (CSV injection); numbers such as ``-5`` are left alone.
    """
    safe = safe_for_spreadsheets(frame)
    return write_text(path, safe.to_csv(index=False, lineterminator="\n"))
