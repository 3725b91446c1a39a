"""Workbooks read as offices send them, in a streaming way that stops at the real data.

Each visible worksheet is streamed with openpyxl's read-only mode, ignoring the declared
dimension (one stray cell at XFD1048576 declares 17 billion cells): a sheet ends after
``EMPTY_ROWS_STOP`` empty rows, a row after ``EMPTY_COLUMNS_STOP`` empty cells. Hidden
sheets and hidden rows are skipped and merged cells filled from their top-left cell, each
with a log line. Cells keep their value and Excel number format so that dates keep the
precision the cell shows.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from ..errors import MappingError
from . import limits

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass(frozen=True)
class Cell:
    """One spreadsheet cell: its value and its number format ('' for text files)."""

    value: object
    number_format: str = ""


@dataclass
class Sheet:
    """The non-empty rows of one worksheet as (row number, cells), and what reading noted.

    Cells are ``Cell`` for workbooks and plain strings for text files.
    """

    title: str
    rows: list[tuple[int, list]]
    events: list[tuple[int | None, str]]


def _layout(archive: zipfile.ZipFile, path: str, name: str) -> tuple[set[int], list[tuple]]:
    """Hidden row numbers and merged ranges (min_row, min_col, max_row, max_col) of a sheet."""
    from openpyxl.utils.cell import range_boundaries

    info = archive.getinfo(path)
    if info.file_size > limits.MAX_FILE_BYTES:
        raise MappingError(
            name, f"worksheets of at most {limits.MAX_FILE_BYTES // 2**20} MB of XML", got=path
        )
    hidden: set[int] = set()
    merges: list[tuple] = []
    with archive.open(path) as fh:
        for _, el in ElementTree.iterparse(fh):
            if el.tag == f"{_NS}row":
                if el.get("hidden") in ("1", "true") and el.get("r"):
                    hidden.add(int(el.get("r")))
                el.clear()
            elif el.tag == f"{_NS}c":
                el.clear()
            elif el.tag == f"{_NS}mergeCell" and el.get("ref"):
                min_col, min_row, max_col, max_row = range_boundaries(el.get("ref"))
                merges.append((min_row, min_col, max_row, max_col))
    return hidden, merges


def _row_cells(row: tuple, r: int, name: str, events: list) -> list[Cell]:
    """The cells of one streamed row up to a run of empty cells, within the caps."""
    out: list[Cell] = []
    empty_run = 0
    for j, c in enumerate(row):
        value = getattr(c, "value", None)
        if value is None or (isinstance(value, str) and not value.strip()):
            empty_run += 1
            if empty_run >= limits.EMPTY_COLUMNS_STOP:
                if any(getattr(x, "value", None) not in (None, "") for x in row[j:]):
                    events.append((r, f"ignored cells after {empty_run} empty columns"))
                break
            out.append(Cell(None))
            continue
        empty_run = 0
        if isinstance(value, str) and len(value) > limits.MAX_CELL_CHARS:
            from openpyxl.utils.cell import get_column_letter

            expected = f"cells of at most {limits.MAX_CELL_CHARS:,} characters"
            raise MappingError(
                name, expected, r, get_column_letter(j + 1), f"{len(value):,} characters"
            )
        if j >= limits.MAX_COLUMNS:
            raise MappingError(name, f"at most {limits.MAX_COLUMNS} columns", row=r)
        out.append(Cell(value, getattr(c, "number_format", "") or ""))
    while out and out[-1].value is None:
        out.pop()
    return out


def _stream(ws, name: str, hidden: set[int], events: list) -> list[tuple[int, list[Cell]]]:
    rows: list[tuple[int, list[Cell]]] = []
    empty_run = 0
    for r, row in enumerate(ws.iter_rows(), start=1):
        cells = _row_cells(row, r, name, events)
        if not cells:
            empty_run += 1
            if empty_run >= limits.EMPTY_ROWS_STOP:
                events.append((r, f"stopped reading after {empty_run} empty rows"))
                break
            continue
        empty_run = 0
        if r in hidden:
            events.append((r, "hidden row skipped"))
            continue
        if len(rows) >= limits.MAX_ROWS:
            raise MappingError(name, f"at most {limits.MAX_ROWS:,} rows", row=r)
        rows.append((r, cells))
    return rows


def _fill_merged(rows: list[tuple[int, list[Cell]]], merges: list[tuple], events: list) -> None:
    """Copy each merged range's top-left value into the rest of the range, with a log line."""
    from openpyxl.utils.cell import get_column_letter

    by_row = {r: cells for r, cells in rows}
    for min_row, min_col, max_row, max_col in sorted(merges):
        top = by_row.get(min_row)
        if top is None or len(top) < min_col or top[min_col - 1].value is None:
            continue
        source = top[min_col - 1]
        filled = False
        for r in range(min_row, max_row + 1):
            cells = by_row.get(r)
            if cells is None:
                continue
            for c in range(min_col, max_col + 1):
                if (r, c) == (min_row, min_col):
                    continue
                while len(cells) < c:
                    cells.append(Cell(None))
                cells[c - 1] = source
                filled = True
        if filled:
            ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
            events.append(
                (min_row, f"merged cells {ref} filled with the value of their first cell")
            )


def read_sheets(file: Path, name: str) -> tuple[list[Sheet], list[tuple[int | None, str]]]:
    """Every visible worksheet of a workbook, and the notes on sheets that were skipped."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # zip or XML errors: the file is not a workbook
        raise MappingError(name, "an .xlsx workbook", got=type(exc).__name__) from exc
    sheets: list[Sheet] = []
    skipped: list[tuple[int | None, str]] = []
    try:
        with zipfile.ZipFile(file) as archive:
            for ws in wb.worksheets:
                if ws.sheet_state != "visible":
                    skipped.append((None, f"{ws.sheet_state} sheet '{ws.title}' skipped"))
                    continue
                events: list[tuple[int | None, str]] = []
                hidden, merges = _layout(archive, ws._worksheet_path.lstrip("/"), name)
                ws.reset_dimensions()  # the declared used range can be anything
                rows = _stream(ws, name, hidden, events)
                _fill_merged(rows, merges, events)
                sheets.append(Sheet(ws.title, rows, events))
    finally:
        wb.close()
    return sheets, skipped
