"""Workbooks as offices send them and CSV as Excel exports it (#16, #19)."""

import datetime as dt
import subprocess
import sys

import openpyxl
import pytest

from ic2analysis.cleaning import clean, limits, read
from ic2analysis.errors import MappingError

HEAD = ["title", "region", "kind", "year", "description", "source_url"]
ROW = ["Genome plan", "Europe", "policy", "2016", "A plan for genomes.", "https://x.org/a"]


def _book(path, sheets):
    """Write a workbook from {title: (rows, options)}; options: hidden, hidden_rows, merges."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, (rows, opts) in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
        if opts.get("hidden"):
            ws.sheet_state = "hidden"
        for r in opts.get("hidden_rows", ()):
            ws.row_dimensions[r].hidden = True
        for ref in opts.get("merges", ()):
            ws.merge_cells(ref)
        for ref, fmt in opts.get("formats", {}).items():
            ws[ref].number_format = fmt
    wb.save(path)
    return path


def _read(path):
    events = []
    return read.read_file(path, events), events


def test_hidden_sheet_is_skipped_and_logged(tmp_path):
    old = [HEAD, ["Old version", *ROW[1:]]]
    new = [HEAD, ROW]
    p = _book(tmp_path / "b.xlsx", {"old": (old, {"hidden": True}), "current": (new, {})})
    frame, events = _read(p)
    assert frame["title"].tolist() == ["Genome plan"]
    assert any("hidden sheet 'old' skipped" in e["reason"] for e in events)


def test_the_sheet_with_the_template_header_is_read(tmp_path):
    instructions = [["How to fill in this workbook"], ["Write one item per row."]]
    template = [HEAD, ["Example item", *ROW[1:]]]
    data = [HEAD, ROW, ["Second plan", *ROW[1:]]]
    p = _book(
        tmp_path / "b.xlsx",
        {"instructions": (instructions, {}), "template": (template, {}), "data": (data, {})},
    )
    frame, events = _read(p)
    assert frame["title"].tolist() == ["Genome plan", "Second plan"]
    assert any("read sheet 'data'" in e["reason"] for e in events)


def test_hidden_rows_are_skipped_with_a_log_line(tmp_path):
    rows = [HEAD, ROW, ["Withdrawn", *ROW[1:]], ["Third", *ROW[1:]]]
    p = _book(tmp_path / "b.xlsx", {"s": (rows, {"hidden_rows": [3]})})
    frame, events = _read(p)
    assert frame["title"].tolist() == ["Genome plan", "Third"]
    assert any((e["row"], e["reason"]) == (3, "hidden row skipped") for e in events)
    assert any(e["reason"] == "read sheet 's'" for e in events)


def test_merged_cells_are_filled_down(tmp_path):
    rows = [HEAD, ROW, ["Second", None, None, "2017", "Another plan.", "https://x.org/b"]]
    p = _book(tmp_path / "b.xlsx", {"s": (rows, {"merges": ["B2:B3", "C2:C3"]})})
    frame, events = _read(p)
    assert frame["region"].tolist() == ["Europe", "Europe"]
    assert frame["kind"].tolist() == ["policy", "policy"]
    assert any("merged cells B2:B3 filled" in e["reason"] for e in events)


def test_two_level_header_is_combined(tmp_path):
    upper = ["Title", "Region", "Kind", "Date", None, "Description", "Source URL"]
    lower = [None, None, None, "start", "end", None, None]
    row = ["Plan", "Europe", "policy", "2016", "2020", "A plan.", "https://x.org"]
    p = _book(tmp_path / "b.xlsx", {"s": ([upper, lower, row], {"merges": ["D1:E1"]})})
    frame, events = _read(p)
    assert frame.loc[0, "date_start"] == "2016" and frame.loc[0, "date_end"] == "2020"
    assert frame.loc[0, "_row"] == 3
    assert any("two-level header" in e["reason"] for e in events)


def test_traditional_headers_and_values(tmp_path):
    head = ["編號", "英文名稱", "區域", "類別", "發布日期", "英文簡介", "來源鏈接"]
    row = ["T1", "Precision plan", "中國", "計劃", "2016年", "A plan.", "https://x.org"]
    p = _book(tmp_path / "b.xlsx", {"s": ([head, row], {})})
    r = clean.clean([p])
    assert r.counts["kept"] == 1
    item = r.table.iloc[0]
    assert (item["id"], item["region"], item["kind"]) == ("T1", "China", "programme")


def test_source_column_of_organisations_gives_way_to_the_url_column(tmp_path):
    head = [*HEAD[:5], "来源", "链接"]
    row = [*ROW[:5], "National Health Commission", "https://nhc.gov.cn/x"]
    p = _book(tmp_path / "b.xlsx", {"s": ([head, row], {})})
    frame, events = _read(p)
    assert frame.loc[0, "source_url"] == "https://nhc.gov.cn/x"
    assert any("holds no URLs" in e["reason"] for e in events)


def test_date_cells_keep_the_precision_their_format_shows(tmp_path):
    rows = [
        HEAD,
        [*ROW[:3], dt.datetime(2016, 6, 1), *ROW[4:]],
        [*ROW[:3], dt.datetime(2017, 1, 1), *ROW[4:]],
    ]
    fmts = {"D2": "yyyy-mm", "D3": 'yyyy"年"'}
    p = _book(tmp_path / "b.xlsx", {"s": (rows, {"formats": fmts})})
    frame, _ = _read(p)
    assert frame["date_start"].tolist() == ["2016-06", "2017"]


def test_numeric_year_month_cells(tmp_path):
    rows = [HEAD, [*ROW[:3], 2016.1, *ROW[4:]], [*ROW[:3], 2016.1, *ROW[4:]]]
    p = _book(tmp_path / "b.xlsx", {"s": (rows, {"formats": {"D3": "0.00"}})})
    frame, events = _read(p)
    # General 2016.1 may have been typed 2016.1 or 2016.10: the month is left out, with a word
    assert frame["date_start"].tolist() == ["2016", "2016.10"]
    assert any(e["outcome"] == "warning" and e["row"] == 2 for e in events)
    log = clean.clean([p]).warnings()
    assert "b.xlsx, row 2, column 'date_start': expected a month" in log["reason"][0]


def test_semicolon_separated_european_export(tmp_path):
    p = tmp_path / "eu.csv"
    p.write_bytes((";".join(HEAD) + "\n" + ";".join(ROW) + "\n").encode("utf-8"))
    frame, events = _read(p)
    assert frame.loc[0, "source_url"] == "https://x.org/a"
    assert any("separated by ';'" in e["reason"] for e in events)


def test_tab_separated_text_with_csv_suffix(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("\t".join(HEAD) + "\n" + "\t".join(ROW) + "\n", encoding="utf-8")
    assert _read(p)[0].loc[0, "title"] == "Genome plan"


def test_windows_1252_is_not_read_as_gb18030(tmp_path):
    p = tmp_path / "w.csv"
    row = ["Universität Zürich Präzisionsmedizin", *ROW[1:4], "Für Patienten.", ROW[5]]
    p.write_bytes((",".join(HEAD) + "\n" + ",".join(row) + "\n").encode("cp1252"))
    frame, events = _read(p)
    assert frame.loc[0, "title"] == "Universität Zürich Präzisionsmedizin"
    assert any("Windows-1252" in e["reason"] for e in events)


def test_a_large_cell_is_read_and_an_oversized_one_rejected(tmp_path, monkeypatch):
    big = "word " * 300_000  # 1.5 MB: above the csv module's default field limit
    p = tmp_path / "big.csv"
    p.write_text(",".join(HEAD) + "\n" + ",".join([*ROW[:4], big, ROW[5]]) + "\n")
    assert len(_read(p)[0].loc[0, "description"]) > 1_000_000
    monkeypatch.setattr(limits, "MAX_CELL_CHARS", 1_000_000)
    with pytest.raises(MappingError, match=r"big\.csv, row 2, column 'E'.*at most 1,000,000"):
        _read(p)


def test_an_oversized_workbook_cell_is_rejected_with_its_column(tmp_path, monkeypatch):
    p = _book(tmp_path / "b.xlsx", {"s": ([HEAD, [*ROW[:4], "x" * 50, ROW[5]]], {})})
    monkeypatch.setattr(limits, "MAX_CELL_CHARS", 40)
    with pytest.raises(
        MappingError, match=r"b\.xlsx, row 2, column 'E': expected cells of at most 40"
    ):
        _read(p)


def test_row_and_column_caps_name_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 2)
    p = tmp_path / "many.csv"
    p.write_text(",".join(HEAD) + "\n" + (",".join(ROW) + "\n") * 3)
    with pytest.raises(MappingError, match=r"many\.csv, row 3: expected at most 2 rows"):
        _read(p)
    monkeypatch.setattr(limits, "MAX_COLUMNS", 7)
    wide = _book(tmp_path / "wide.xlsx", {"s": ([HEAD, [*ROW, "a", "b"]], {})})
    with pytest.raises(MappingError, match=r"wide\.xlsx, row 2: expected at most 7 columns"):
        _read(wide)


STRAY = """
import resource, sys, time
from pathlib import Path
from ic2analysis.cleaning import read
t = time.perf_counter()
frame = read.read_file(sys.argv[1])
status = Path("/proc/self/status")
if status.exists():  # peak RSS of this program only (ru_maxrss keeps the parent's across exec)
    peak = next(int(x.split()[1]) for x in status.read_text().splitlines() if x.startswith("VmHWM"))
else:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(len(frame), time.perf_counter() - t, peak // 1024)
"""


def test_a_stray_cell_at_xfd1048576_is_read_quickly_and_in_little_memory(tmp_path):
    p = tmp_path / "stray.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    ws.append(ROW)
    ws["XFD1048576"] = " "
    wb.save(p)
    out = subprocess.run(
        [sys.executable, "-c", STRAY, str(p)], capture_output=True, text=True, check=True
    )
    rows, _seconds, max_mb = out.stdout.split()
    assert int(rows) == 1
    assert int(max_mb) < 200  # peak resident memory of the whole interpreter, in MB
