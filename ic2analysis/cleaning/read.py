"""Read mapping files (CSV in any common encoding, or XLSX) into one frame of raw strings.

Every row keeps its provenance: the file (relative to the project root when inside it) and
the row number a person sees when opening the file (header rows counted, 1-based).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import MappingError
from .template import REQUIRED, TEMPLATE_NAME, match_header

SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm")
ENCODINGS = ("utf-8", "gb18030")
HEADER_SCAN_ROWS = 20


def decode(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 (BOM) or GB18030/GBK."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise MappingError(
                name,
                "valid UTF-16 text after the byte-order mark",
                got=f"undecodable bytes at offset {exc.start}",
            ) from exc
    first_error: UnicodeDecodeError | None = None
    for enc in ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    raise MappingError(
        name,
        "text in UTF-8, UTF-16 (with BOM) or GB18030/GBK",
        got=f"undecodable bytes at offset {first_error.start if first_error else '?'}",
    )


def _cell(value: object) -> str:
    """A spreadsheet cell as text, keeping dates as ISO dates and whole floats as integers."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows_csv(data: bytes, name: str) -> list[list[str]]:
    text = decode(data, name)
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _rows_xlsx(file: Path, name: str) -> list[list[str]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # zip or XML errors: the file is not a workbook
        raise MappingError(name, "an .xlsx workbook", got=type(exc).__name__) from exc
    try:
        ws = wb.worksheets[0]
        return [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def _find_header(rows: list[list[str]], name: str) -> tuple[int, dict[int, str]]:
    """Locate the header row (the first with the most template columns) and map its cells."""
    best: tuple[int, dict[int, str]] = (-1, {})
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping: dict[int, str] = {}
        for j, cell in enumerate(row):
            canon = match_header(cell)
            if canon and canon not in mapping.values():
                mapping[j] = canon
        if len(mapping) > len(best[1]):
            best = (i, mapping)
        if len(mapping) >= len(REQUIRED):
            break
    if best[0] < 0:
        raise MappingError(
            name,
            "a header row naming the template's columns "
            f"({', '.join(TEMPLATE_NAME.get(c, c) for c in REQUIRED)})",
            row=1,
        )
    return best


def read_file(file: Path | str) -> pd.DataFrame:
    """Read one mapping file into a frame of canonical columns (strings) plus provenance.

    Raises MappingError when the whole file is unusable: missing, empty, undecodable, or
    lacking a required column.
    """
    file = paths.resolve_input(file)
    name = paths.rel_to_root(file)
    if not file.exists():
        raise MappingError(name, "an existing file")
    if file.suffix.lower() not in SUFFIXES:
        raise MappingError(name, f"a file ending in {', '.join(SUFFIXES)}", got=file.suffix)
    data = file.read_bytes()
    if not data.strip():
        raise MappingError(name, "a non-empty file with a header row and at least one item")
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        rows = _rows_xlsx(file, name)
    else:
        rows = _rows_csv(data, name)
    if not any(any(c.strip() for c in r) for r in rows):
        raise MappingError(name, "a non-empty file with a header row and at least one item")
    header_idx, mapping = _find_header(rows, name)
    missing = [c for c in REQUIRED if c not in mapping.values()]
    if missing:
        names = ", ".join(TEMPLATE_NAME.get(c, c) for c in missing)
        raise MappingError(
            name, f"the required column(s) {names} in the header", row=header_idx + 1
        )
    records = []
    for i, row in enumerate(rows[header_idx + 1 :], start=header_idx + 2):
        if not any(c.strip() for c in row):
            continue  # blank spacer rows are layout, not items
        rec = {canon: (row[j].strip() if j < len(row) else "") for j, canon in mapping.items()}
        rec["_file"], rec["_row"] = name, i
        records.append(rec)
    if not records:
        raise MappingError(name, "at least one item below the header", row=header_idx + 1)
    frame = pd.DataFrame.from_records(records)
    return frame


def discover(folder: Path | None = None) -> list[Path]:
    """Every mapping file in ``folder`` (default ``data/raw``), in a stable order."""
    folder = folder or paths.RAW
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
    )


def read_all(files: list[Path | str]) -> pd.DataFrame:
    """Read and stack several mapping files; columns absent from a file are empty strings."""
    if not files:
        raise MappingError(paths.rel_to_root(paths.RAW), "at least one .csv or .xlsx mapping file")
    frames = [read_file(f) for f in files]
    out = pd.concat(frames, ignore_index=True, sort=False)
    return out.fillna("")
