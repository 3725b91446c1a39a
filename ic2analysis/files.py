"""Atomic writes: a file is either its previous version or its complete new version."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


_UMASK = os.umask(0)
os.umask(_UMASK)


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, then rename)."""
    path = Path(path)
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
