"""CSV and tab-separated text: decoding, delimiter and bounded parsing.

Decoding order (data/README.md): a byte-order mark decides (UTF-8, UTF-16); else strict
UTF-8; else GB18030 when the result is plausible Chinese (most of its Chinese characters
are common GB2312 ones); else Windows-1252; else GB18030 as decoded; else the file is
rejected. Windows-1252 text decoded as GB18030 gives rare characters made of a Latin
letter and the next ASCII byte (``ä`` + ``t``), which the plausibility check catches.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterator

from ..errors import MappingError
from ..text import CJK
from . import limits

DELIMITERS = (",", ";", "\t", "|")
PLAUSIBLE_GB2312_SHARE = 0.5


def _plausible_chinese(text: str) -> bool:
    """Whether decoded GB18030 text reads as Chinese rather than mojibake."""
    non_ascii = [c for c in text if not c.isascii()]
    if not non_ascii:
        return True
    common = 0
    for c in non_ascii:
        try:
            c.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    cjk = sum(1 for c in non_ascii if CJK.match(c))
    return cjk > 0 and common / len(non_ascii) >= PLAUSIBLE_GB2312_SHARE


def decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding) in the order of the module docstring; MappingError when none fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise MappingError(
                name,
                "valid UTF-16 text after the byte-order mark",
                got=f"undecodable bytes at offset {exc.start}",
            ) from exc
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        first_error = exc
    gb = _try(data, "gb18030")
    if gb is not None and _plausible_chinese(gb):
        return gb, "GB18030"
    latin = _try(data, "cp1252")
    if latin is not None:
        return latin, "Windows-1252"
    if gb is not None:
        return gb, "GB18030"
    raise MappingError(
        name,
        "text in UTF-8, UTF-16 (with BOM), GB18030/GBK or Windows-1252",
        got=f"undecodable bytes at offset {first_error.start}",
    )


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def lines(text: str, chunk: int = 1 << 20) -> Iterator[str]:
    """The lines of ``text`` with their endings, as ``io.StringIO(text, newline="")`` gives
    them. Read by a StringIO (C speed) in pieces of about ``chunk`` characters cut after a
    line feed, so a "\r\n" is never split: a StringIO of the whole text would copy it at up
    to 4 bytes a character (a text without any line feed is one piece)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + max(chunk, 1) - 1)
        end = len(text) if end < 0 else end + 1
        yield from io.StringIO(text[start:end], newline="")
        start = end


def _after_lines(text: str, n: int) -> int:
    """An index of ``text`` after its first ``n`` newline characters (or its end)."""
    pos = -1
    for _ in range(n):
        pos = text.find("\n", pos + 1)
        if pos < 0:
            return len(text)
    return pos + 1


def parse(text: str, delimiter: str, name: str) -> list[tuple[int, list[str]]]:
    """Rows as (row number, cells), with the caps of ``limits`` (MappingError above them).

    Row numbers count records, as a spreadsheet shows them (a quoted line break stays in
    its row). The caps are checked on all rows at once; the first row over one is named.
    """
    old = csv.field_size_limit()
    csv.field_size_limit(limits.MAX_FILE_BYTES)  # a cell can never exceed the file
    rows: list[list[str]] = []
    try:
        reader = csv.reader(lines(text), delimiter=delimiter)
        try:
            rows.extend(itertools.islice(reader, limits.MAX_ROWS + 1))  # keeps rows read
        except csv.Error as exc:
            _check_all(rows, name)  # a row over a cap before the bad line is named first
            raise MappingError(name, "well-formed CSV", row=len(rows) + 1, got=str(exc)) from exc
        _check_all(rows, name)
        return list(zip(itertools.count(1), rows))
    finally:
        csv.field_size_limit(old)


def _check_all(rows: list[list[str]], name: str) -> None:
    """``_check`` of every row, row by row only when some row may be over a cap."""
    wide = max(map(len, rows), default=0) > limits.MAX_COLUMNS
    long = max(map(len, itertools.chain.from_iterable(rows)), default=0) > limits.MAX_CELL_CHARS
    if wide or long or len(rows) > limits.MAX_ROWS:
        for k, cells in enumerate(rows):
            _check(cells, k + 1, name, k)


def _check(cells: list[str], row: int, name: str, n_rows: int) -> None:
    if n_rows >= limits.MAX_ROWS:
        raise MappingError(name, f"at most {limits.MAX_ROWS:,} rows", row=row)
    if len(cells) > limits.MAX_COLUMNS and any(c.strip() for c in cells[limits.MAX_COLUMNS :]):
        raise MappingError(name, f"at most {limits.MAX_COLUMNS} columns", row=row)
    if not cells or max(map(len, cells)) <= limits.MAX_CELL_CHARS:
        return
    for j, cell in enumerate(cells):
        if len(cell) > limits.MAX_CELL_CHARS:
            raise MappingError(
                name,
                f"cells of at most {limits.MAX_CELL_CHARS:,} characters",
                row=row,
                column=_column_name(j),
                got=f"{len(cell):,} characters",
            )


def _column_name(j: int) -> str:
    """Spreadsheet letters of a 0-based column index (0 -> A), as a person sees it."""
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def sniff(
    text: str, score: Callable[[list[list[str]]], int], preferred: str = ","
) -> tuple[str, int]:
    """The delimiter under which the first lines show the most template columns, and its score.

    ``score`` counts the template columns of the best header among some rows; ties go to
    ``preferred`` (tab for .tsv). European Excel exports use ``;``.
    """
    head = "\n".join(text[: _after_lines(text, 50)].splitlines()[:50])
    best = (preferred, -1)
    for d in sorted(DELIMITERS, key=lambda d: d != preferred):
        try:
            rows = list(csv.reader(io.StringIO(head, newline=""), delimiter=d))
        except csv.Error:
            continue
        s = score(rows)
        if s > best[1]:
            best = (d, s)
    return best
