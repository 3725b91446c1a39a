"""The awkward input files of the hardening harness (issues #16 and #19), built from code.

Every file is written into one folder so that the old and the new checkout read the same
bytes. Workbooks are written with openpyxl the way office software leaves them: hidden and
instruction sheets, hidden rows, merged cells, two-level and traditional-character headers,
typed date cells with their number formats, and a stray cell at XFD1048576.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
HEAD = ["title", "region", "kind", "year", "description", "source_url"]
ROW = ["Genome plan", "Europe", "policy", "2016", "A plan for genomes.", "https://x.org/a"]
ROW2 = ["Second plan", "China", "programme", "2018", "A programme for data.", "https://y.cn/b"]


def book(path: Path, sheets: dict[str, tuple[list[list], dict]]) -> Path:
    """A workbook from {title: (rows, options)}; options: hidden, hidden_rows, merges, cells."""
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
        for ref, (value, fmt) in opts.get("cells", {}).items():
            ws[ref] = value
            if fmt:
                ws[ref].number_format = fmt
    wb.save(path)
    return path


def csv_file(path: Path, rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def items(n_europe: int, n_china: int) -> list[list[str]]:
    """Real items of the default mapping in the minimal template (for small-mapping runs)."""
    t = pd.read_csv(
        ROOT / "data" / "processed" / "initiatives.csv", dtype=str, keep_default_na=False
    )
    parts = [t[t["region"] == "Europe"].head(n_europe), t[t["region"] == "China"].head(n_china)]
    sel = pd.concat(parts)
    cols = ["title", "region", "kind", "year_start", "description", "source_url"]
    return [HEAD] + sel[cols].values.tolist()


def hostile_items() -> list[list[str]]:
    """Twenty real items whose titles and descriptions start with spreadsheet formula marks."""
    rows = items(10, 10)
    rows[1][0] = '=HYPERLINK("http://evil.example","click")'
    rows[2][0] = "+cmd|' /C calc'!A0"
    rows[3][0] = "-2+3 genomics plan"
    rows[4][0] = "@SUM(1+1) health data"
    rows[5][4] = "\t=1+1 tab first " + rows[5][4]
    rows[11][0] = "Costs of $5 million and $10 million for $x$ genomes"
    rows[12][4] = "Budget of $3 $ per test; " + rows[12][4]
    return rows


def build(folder: Path) -> dict[str, Path]:
    """Write every input file into ``folder``; returns them by name."""
    folder.mkdir(parents=True, exist_ok=True)
    f: dict[str, Path] = {}
    minimal = (ROOT / "examples" / "minimal_mapping.csv").read_bytes()
    for key, name in {
        "backtick": "from `touch pwned_backtick` partner.csv",
        "dollar": "from $(touch pwned_dollar) partner.csv",
        "squote": "partner's mapping.csv",
        "dquote": 'the "v2" mapping.csv',
        "space": "my mapping v2.csv",
        "semicolon": "a;touch pwned_semicolon;b.csv",
    }.items():
        f[key] = folder / name
        f[key].write_bytes(minimal)
    (folder / "markers").mkdir(exist_ok=True)
    f["cp1252"] = csv_file(
        folder / "cp1252.csv",
        [HEAD, ["Stratégie für Gesundheit – €", "Europe", "policy", "2016", "Café données", ""]],
        encoding="cp1252",
    )
    f["semi"] = csv_file(folder / "semi.csv", [HEAD, ROW, ROW2], delimiter=";")
    f["bigcell"] = csv_file(folder / "bigcell.csv", [HEAD, [*ROW[:4], "x" * 1_300_000, ROW[5]]])
    instr = [["How to fill in this workbook"], ["Write one item per row; keep the header."]]
    f["hidden_sheet"] = book(
        folder / "hidden_sheet.xlsx",
        {
            "old": ([HEAD, ["Old version", *ROW[1:]]], {"hidden": True}),
            "current": ([HEAD, ROW], {}),
        },
    )
    f["instructions"] = book(
        folder / "instructions.xlsx", {"Instructions": (instr, {}), "Data": ([HEAD, ROW, ROW2], {})}
    )
    f["template"] = book(
        folder / "template.xlsx",
        {
            "Template": ([HEAD, ["Example item", *ROW[1:]]], {}),
            "Data": ([HEAD, ROW, ROW2, ["Third plan", *ROW[1:]]], {}),
        },
    )
    f["hidden_rows"] = book(
        folder / "hidden_rows.xlsx",
        {"s": ([HEAD, ROW, ["Withdrawn plan", *ROW[1:]], ROW2], {"hidden_rows": [3]})},
    )
    merged = [HEAD, ROW, ["Third plan", "", "", "2017", "Another.", "https://x.org/c"], ROW2]
    f["merged"] = book(folder / "merged.xlsx", {"s": (merged, {"merges": ["B2:B3", "C2:C3"]})})
    two = [
        ["Item", "", "Where", "", "When", "About"],
        ["title", "link", "region", "kind", "year", "description"],
        ["Genome plan", "https://x.org/a", "Europe", "policy", "2016", "A plan for genomes."],
    ]
    f["two_level"] = book(folder / "two_level.xlsx", {"s": (two, {"merges": ["A1:B1", "C1:D1"]})})
    trad = [
        ["編號", "英文名稱", "中文名稱", "區域", "類別", "發布日期", "英文簡介", "來源鏈接"],
        ["T-1", "Precision medicine plan", "精準醫學研究計劃", "中國", "計劃", "2016年",
         "A national plan.", "https://t.cn/1"],
    ]  # fmt: skip
    f["traditional"] = book(folder / "traditional.xlsx", {"s": (trad, {})})
    zh_only = [
        ["編號", "計劃名稱", "地區", "類型", "年份", "描述", "鏈接"],
        ["T-1", "精準醫學研究計劃", "中國", "計劃", "2016", "研究。", "https://t.cn/1"],
    ]
    f["chinese_only"] = book(folder / "chinese_only.xlsx", {"s": (zh_only, {})})
    src = [
        ["title", "region", "kind", "year", "description", "来源", "链接"],
        ["精准医学计划", "China", "programme", "2016", "计划。", "科技部", "https://most.gov.cn/1"],
    ]
    f["source_org"] = book(folder / "source_org.xlsx", {"s": (src, {})})
    dates = [HEAD, ["Plan A", *ROW[1:]], ["Plan B", *ROW[1:]], ["Plan C", *ROW[1:]]]
    f["date_cells"] = book(
        folder / "date_cells.xlsx",
        {
            "s": (
                dates,
                {
                    "cells": {
                        "D2": (2016.10, "0.00"),
                        "D3": (dt.datetime(2016, 6, 1), "yyyy-mm"),
                        "D4": (dt.datetime(2016, 1, 1), 'yyyy"年"'),
                    }
                },
            )
        },
    )
    stray = book(folder / "stray.xlsx", {"s": ([HEAD, ROW], {"cells": {"XFD1048576": (" ", "")}})})
    f["stray"] = stray
    f["amounts"] = csv_file(
        folder / "amounts.csv",
        [
            [*HEAD, "amount"],
            [*ROW, "PLN 104-105 million"],
            ["Horizon 2020 pillar", *ROW[1:], "Horizon 2020 EUR 10 million"],
        ],
    )
    bad_date = [*ROW2[:3], "11/7/2016", *ROW2[4:]]
    f["slash_date"] = csv_file(folder / "slash_date.csv", [HEAD, ROW, bad_date])
    f["all_rejected"] = csv_file(folder / "all_rejected.csv", [HEAD, bad_date])
    for n_eu, n_cn, key in ((1, 0, "one"), (1, 1, "two"), (10, 10, "twenty"), (0, 12, "china")):
        f[key] = csv_file(folder / f"{key}_items.csv", items(n_eu, n_cn))
    f["hostile_cells"] = csv_file(folder / "hostile_cells.csv", hostile_items())
    return f
