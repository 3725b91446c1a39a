"""Apply the auditors' reviewed item sheets (data/audit/*_items.csv) to the desk files and
gather their verification rows into data/verification.csv. Idempotent: re-running with the
same sheets gives the same files. Run from the repository root with .venv/bin/python."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import openpyxl
import pandas as pd

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()

AUDIT = Path(os.environ.get("AUDIT_DIR", ROOT / "data" / "audit"))
EU = ROOT / "data" / "raw" / "europe_desk.csv"
CN = ROOT / "data" / "raw" / "china_desk.xlsx"
FIELDS = [
    "title",
    "local_title",
    "acronym",
    "jurisdiction",
    "doc_no",
    "date_start",
    "date_end",
    "lead_body",
    "lead_body_local",
    "status",
    "scale",
    "amount_scope",
    "source_url",
    "source_type",
    "notes",
    "description",
]
NEW_EU = ["doc_no", "lead_body_local", "amount_scope", "source_type", "notes"]
# China desk headers (bilingual, as the desk writes them); new ones appended at the end.
CN_HEAD = {
    "id": "编号 ID",
    "local_title": "中文名称 Chinese title",
    "title": "英文名称 English title",
    "acronym": "简称 Acronym",
    "doc_no": "发文字号 Document no.",
    "date_start": "发布日期 Issue date",
    "date_end": "截止年份 End year",
    "lead_body": "牵头单位 Lead body",
    "jurisdiction": "省市 Province/city",
    "status": "状态 Status",
    "scale": "规模 Scale",
    "description": "英文简介 Description (EN)",
    "source_url": "来源 Source URL",
    "lead_body_local": "牵头单位中文名 Lead body (Chinese)",
    "amount_scope": "金额范围 Amount scope",
    "source_type": "来源类型 Source type",
    "notes": "备注 Notes",
}


def audited() -> pd.DataFrame:
    frames = [
        pd.read_csv(f, dtype=str, keep_default_na=False) for f in sorted(AUDIT.glob("*_items.csv"))
    ]
    items = pd.concat(frames, ignore_index=True)
    dup = items["id"][items["id"].duplicated()]
    if len(dup):
        raise SystemExit(f"ids audited twice: {sorted(set(dup))}")
    return items.set_index("id")


def cn_place(value: str, zh: dict[str, str]) -> str:
    """English jurisdiction ('national', 'Beijing; Tianjin') in the China desk's own style."""
    if not value:
        return value
    parts = [p.strip() for p in value.replace("、", ";").split(";") if p.strip()]
    special = {"national": "全国", "International": "国际", "EU-China": "国际"}
    return "、".join(special.get(p, zh.get(p, p)) for p in parts)


def apply_eu(items: pd.DataFrame) -> tuple[int, list[str]]:
    desk = pd.read_csv(EU, dtype=str, keep_default_na=False)
    for c in NEW_EU:
        if c not in desk:
            desk[c] = ""
    dropped = []
    gone = set(items.index[items["action"].str.startswith("remove")])
    dropped += [f"{i}: {items.loc[i, 'action']}" for i in sorted(gone & set(desk["id"]))]
    desk = desk[~desk["id"].isin(gone)].reset_index(drop=True)
    for i, row in desk.iterrows():
        if row["id"] in items.index:
            a = items.loc[row["id"]]
            if a["action"].startswith("drop"):
                dropped.append(f"{row['id']}: {a['action']}")
                continue
            for f in FIELDS:
                desk.at[i, f] = a[f]
    desk.to_csv(EU, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return int(desk["id"].isin(items.index).sum()), dropped


def apply_cn(items: pd.DataFrame, zh: dict[str, str]) -> tuple[int, list[str]]:
    wb = openpyxl.load_workbook(CN)
    ws = wb.worksheets[0]
    head_row = 4
    heads = [c.value for c in ws[head_row]]
    for h in CN_HEAD.values():
        if h not in heads:
            ws.cell(row=head_row, column=len(heads) + 1, value=h)
            heads.append(h)
    col = {k: heads.index(h) + 1 for k, h in CN_HEAD.items()}
    n, drop_rows, dropped = 0, [], []
    for r in range(head_row + 1, ws.max_row + 1):
        rid = ws.cell(row=r, column=col["id"]).value
        if rid not in items.index:
            continue
        a = items.loc[rid]
        if a["action"].startswith(("drop", "remove")):
            if a["action"].startswith("remove"):
                drop_rows.append(r)
            dropped.append(f"{rid}: {a['action']}")
            continue
        n += 1
        for f in FIELDS:
            v = a[f]
            if f == "jurisdiction":
                v = cn_place(v, zh)
            ws.cell(row=r, column=col[f], value=v if v != "" else None)
    # rows the auditors flagged as duplicates stay as the desk reported them: cleaning merges
    # them; rows flagged "remove" (no source shows the item exists) leave the desk's sheet
    for r in sorted(drop_rows, reverse=True):
        ws.delete_rows(r)
    wb.save(CN)
    _stable_zip(CN)
    return n, dropped


def _stable_zip(path: Path) -> None:
    """Rewrite a saved workbook without save times (zip entry dates, docProps modified), so
    that the same sheets give the same bytes and git shows only real edits."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            if name == "docProps/core.xml":
                created = re.search(rb"<dcterms:created[^>]*>([^<]*)<", data)
                if created:
                    data = re.sub(
                        rb"(<dcterms:modified[^>]*>)[^<]*(<)",
                        rb"\g<1>" + created.group(1) + rb"\2",
                        data,
                    )
            z.writestr(
                zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )


def verification(items: pd.DataFrame) -> int:
    frames = [
        pd.read_csv(f, dtype=str, keep_default_na=False)
        for f in sorted(AUDIT.glob("*_verification.csv"))
    ]
    v = pd.concat(frames, ignore_index=True)
    v = v[v["id"].isin(items.index[~items["action"].str.startswith(("drop", "remove"))])]
    # rows that cleaning merges into an item of the other desk: their item has its own rows
    log = ROOT / "reports" / "tables" / "cleaning_log.csv"
    if log.exists():
        merged = pd.read_csv(log, dtype=str, keep_default_na=False)
        v = v[~v["id"].isin(merged.loc[merged["outcome"] == "merged", "raw_id"])]
    order = {
        f: i
        for i, f in enumerate(
            [
                "title",
                "local_title",
                "date_start",
                "date_end",
                "lead_body",
                "lead_body_local",
                "source_url",
            ]
        )
    }
    v = v.assign(_o=v["field"].map(order).fillna(99)).sort_values(
        ["id", "_o", "field"], kind="stable"
    )
    v = v.drop(columns="_o").drop_duplicates()
    v.to_csv(ROOT / "data" / "verification.csv", index=False, lineterminator="\n")
    return len(v)


def main() -> None:
    items = audited()
    places = pd.read_csv(ROOT / "ic2analysis" / "resources" / "places.csv", dtype=str)
    zh = {}
    for canon, g in places.groupby("canonical"):
        cjk = [a for a in g["alias"] if any("\u4e00" <= ch <= "\u9fff" for ch in a)]
        if cjk:
            zh[canon] = max(cjk, key=len)
    eu = apply_eu(items[items.index.str.startswith("EUPM")])
    cn = apply_cn(items[items.index.str.startswith("CNPM")], zh)
    print(f"europe rows updated {eu[0]}, dropped {eu[1]}")
    print(f"china rows updated {cn[0]}, dropped {cn[1]}")
    print(f"verification rows {verification(items)}")


if __name__ == "__main__":
    main()
