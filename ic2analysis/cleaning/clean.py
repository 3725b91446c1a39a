"""From the desks' sheets to one validated table, with every raw row accounted for.

``clean(files)`` reads, normalises, rejects what cannot be used (with the file, row, column
and what was expected), merges duplicates and validates the result against ``schema``.
``write(result, run)`` writes the table and the cleaning log atomically.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import files, paths
from ..errors import MappingError
from . import dedupe, normalise, read
from .schema import COLUMNS, SCHEMA
from .template import REQUIRED, TEMPLATE_NAME

# Required columns whose cell may be empty: an unknown year stays unknown, never guessed.
OPTIONAL_VALUES = ("date_start",)
_ACRONYM_IN_TITLE = re.compile(
    r"\(([A-Z][A-Za-z0-9+&-]{1,15})\)|^([A-Z][A-Za-z0-9+&-]{1,15}) [-–:] "
)
LOG_COLUMNS = ("file", "row", "raw_id", "title", "outcome", "item_id", "column", "reason")


@dataclass
class CleanResult:
    """The processed table, the per-row log, and the files read."""

    table: pd.DataFrame
    log: pd.DataFrame
    files: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(self.log["outcome"])
        return {
            "raw": len(self.log),
            "kept": c["kept"],
            "merged": c["merged"],
            "rejected": c["rejected"],
        }

    def rejections(self) -> pd.DataFrame:
        """Rejected rows counted by column and reason."""
        rej = self.log[self.log["outcome"] == "rejected"]
        reasons = rej["reason"].str.replace(r"; got .*$", "", regex=True)
        return (
            rej.assign(reason=reasons)
            .groupby(["column", "reason"])
            .size()
            .rename("rows")
            .reset_index()
            .sort_values("rows", ascending=False, kind="stable")
        )


class _Reject(Exception):
    def __init__(self, column: str, expected: str, got: object = None) -> None:
        self.column, self.expected, self.got = column, expected, got
        super().__init__(expected)


def _field(raw: dict, column: str, fn, *args):
    try:
        return fn(raw.get(column, ""), *args)
    except ValueError as exc:
        expected = str(exc)
        if fn is normalise.period:
            expected = f"a date such as {normalise.DATE_FORMS} ({exc})"
        raise _Reject(TEMPLATE_NAME.get(column, column), expected, raw.get(column, "")) from exc


def normalise_row(raw: dict) -> dict:
    """Normalise one raw row; raise _Reject naming the first unusable column."""
    for col in REQUIRED:
        if col in OPTIONAL_VALUES:
            continue
        if not normalise.text(raw.get(col, "")):
            raise _Reject(TEMPLATE_NAME.get(col, col), "a value (required column)", "")
    title = normalise.text(raw["title"])
    title_local = normalise.text(raw.get("title_local", ""))
    start = _field(raw, "date_start", normalise.period)
    end = _field(raw, "date_end", normalise.period)
    year_end = end.year_end or end.year_start or start.year_end
    if year_end is not None and start.year_start is not None and year_end < start.year_start:
        raise _Reject("date_end", f"a year not before the start ({start.year_start})", year_end)
    jurisdiction = normalise.text(raw.get("jurisdiction", ""))
    code, place_name = _field(raw, "jurisdiction", normalise.place)
    region = _field(raw, "region", normalise.region)
    if not code:
        code = "CN" if region == "China" else ""
    persp = _field(raw, "perspectives", normalise.perspectives)
    money = normalise.amount(raw.get("budget", "")) or normalise.amount(raw.get("scale", ""))
    lead = normalise.text(raw.get("lead_body", ""))
    return {
        "region": region,
        "kind": _field(raw, "kind", normalise.kind),
        "subtype": _field(raw, "subtype", normalise.subtype),
        "title": title,
        "title_local": title_local,
        "acronym": normalise.text(raw.get("acronym", "")) or _acronym_from(title),
        "jurisdiction": place_name or jurisdiction,
        "country_code": code,
        "year_start": start.year_start,
        "year_end": year_end,
        "date_start": start.date_start,
        "date_precision": start.precision,
        "lead_body": lead,
        "lead_body_canonical": normalise.body(lead, region, place_name),
        "status": _field(raw, "status", normalise.status, title_local, title),
        "doc_no": normalise.doc_no(raw.get("doc_no", "")),
        "amount": money.value if money else None,
        "currency": money.currency if money else "",
        "scale": normalise.text(raw.get("scale", "") or raw.get("budget", "")),
        "perspectives": ";".join(persp),
        "perspective_primary": persp[0] if persp else "",
        "keywords": normalise.text(raw.get("keywords", "")),
        "description": normalise.text(raw["description"]),
        "source_url": _field(raw, "source_url", normalise.url),
    }


def _acronym_from(title: str) -> str:
    """An acronym in brackets or leading the title: 'China National GeneBank (CNGB)',
    'IC2PerMed - Integrating China ...'."""
    m = _ACRONYM_IN_TITLE.search(title)
    acr = (m.group(1) or m.group(2)) if m else ""
    return acr if any(c.isupper() for c in acr[1:]) else ""


def bare_title(title: str) -> str:
    """A title key without bracketed parts or a leading 'ACRONYM - ' (for matching)."""
    t = re.sub(r"[(（\[].*?[)）\]]", " ", title)
    t = re.sub(r"^.{2,25}? [-–:] ", "", t)
    return normalise.title_key(t)


def _make_id(raw: dict) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", Path(raw["_file"]).stem).strip("-") or "row"
    return f"{stem}-{raw['_row']}"


def _completeness(rec: dict) -> int:
    return sum(1 for k in COLUMNS if rec.get(k) not in ("", None))


def clean(files: list[Path | str] | None = None, dedupe_threshold: float = 92) -> CleanResult:
    """Read ``files`` (default: every mapping file in data/raw) into one validated table.

    File-level problems raise MappingError before anything is written; row-level problems
    reject the row with a reason in the log; duplicates are merged into one item.
    """
    file_list = [paths.resolve_input(f) for f in files] if files else read.discover()
    raw = read.read_all(file_list)
    log: list[dict] = []
    kept: list[dict] = []
    ids_seen: dict[str, tuple[str, int]] = {}
    for rec in raw.to_dict("records"):
        raw_id = normalise.text(rec.get("id", ""))
        entry = {
            "file": rec["_file"],
            "row": int(rec["_row"]),
            "raw_id": raw_id,
            "title": normalise.text(rec.get("title", "")),
        }
        item_id = raw_id or _make_id(rec)
        first = ids_seen.setdefault(item_id, (rec["_file"], rec["_row"]))
        try:
            if raw_id and not re.match(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$", raw_id):
                raise _Reject("id", "letters, digits and . _ : - only", raw_id)
            if first != (rec["_file"], rec["_row"]):
                f, r = first
                where = f"row {r}" if f == rec["_file"] else f"{f} row {r}"
                raise _Reject("id", f"a unique id (already used at {where})", raw_id)
            row = normalise_row(rec)
        except _Reject as rej:
            err = MappingError(rec["_file"], rej.expected, rec["_row"], rej.column, rej.got)
            log.append(
                {
                    **entry,
                    "outcome": "rejected",
                    "item_id": "",
                    "column": rej.column,
                    "reason": err.format(),
                }
            )
            continue
        row["id"] = item_id
        row["_log"] = entry
        kept.append(row)

    items = _merge(kept, dedupe_threshold, log)
    table = _frame(items)
    table = SCHEMA.validate(table)
    log_frame = (
        pd.DataFrame(log, columns=list(LOG_COLUMNS))
        .sort_values(["file", "row"], kind="stable")
        .reset_index(drop=True)
    )
    result = CleanResult(table, log_frame, [paths.rel_to_root(f) for f in file_list])
    c = result.counts
    if c["raw"] != len(raw) or c["raw"] != c["kept"] + c["merged"] + c["rejected"]:
        raise AssertionError(f"rows not accounted for: {c} from {len(raw)} raw rows")
    return result


def _merge(rows: list[dict], threshold: float, log: list[dict]) -> list[dict]:
    matches = dedupe.find_matches(
        [normalise.title_key(r["title"]) for r in rows],
        [normalise.title_key(r["title_local"]) for r in rows],
        [r["acronym"] for r in rows],
        [r["year_start"] for r in rows],
        threshold=threshold,
        bare_keys=[bare_title(r["title"]) for r in rows],
    )
    why = {}
    for m in matches:
        why.setdefault(m.b, m)
        why.setdefault(m.a, m)
    items = []
    for group in dedupe.groups(len(rows), matches):
        members = [rows[i] for i in group]
        # the most complete row leads (max keeps the first among equals)
        primary = members[0] if len(members) == 1 else max(members, key=_completeness)
        item = dict(primary)
        for other in members:
            for k, v in other.items():
                if item.get(k) in ("", None) and v not in ("", None):
                    item[k] = v
        item["sources"] = "; ".join(f"{m['_log']['file']}:{m['_log']['row']}" for m in members)
        item["n_sources"] = len(members)
        item["regions_reported"] = ";".join(sorted({m["region"] for m in members}))
        for i, m in zip(group, members, strict=True):
            if m is primary:
                log.append(
                    {
                        **m["_log"],
                        "outcome": "kept",
                        "item_id": item["id"],
                        "column": "",
                        "reason": ""
                        if len(members) == 1
                        else f"kept; merged {len(members) - 1} duplicate(s) into it",
                    }
                )
            else:
                mt = why.get(i)
                detail = f"{mt.rule}, similarity {mt.score:g}" if mt else "same group"
                log.append(
                    {
                        **m["_log"],
                        "outcome": "merged",
                        "item_id": item["id"],
                        "column": "",
                        "reason": f"duplicate of {item['id']} ({detail})",
                    }
                )
        items.append(item)
    return items


def _frame(items: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame([{k: it.get(k) for k in COLUMNS} for it in items], columns=list(COLUMNS))
    for col in COLUMNS:
        if col in ("year_start", "year_end"):
            frame[col] = frame[col].astype("Int64")
        elif col == "amount":
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
        elif col == "n_sources":
            frame[col] = frame[col].astype(int)
        else:
            frame[col] = frame[col].fillna("").astype(str)
    return frame.sort_values("id", kind="stable").reset_index(drop=True)


def write(result: CleanResult, run: paths.RunPaths) -> list[Path]:
    """Write the processed table and the cleaning log atomically; return the paths."""
    out = [
        files.write_csv(run.initiatives, result.table),
        files.write_csv(run.tables / "cleaning_log.csv", result.log),
    ]
    return out


def load(run: paths.RunPaths) -> pd.DataFrame:
    """Read the processed table back with its schema's types."""
    frame = pd.read_csv(run.initiatives, dtype=str, keep_default_na=False)
    for col in ("year_start", "year_end"):
        frame[col] = pd.to_numeric(frame[col].replace("", None)).astype("Int64")
    frame["amount"] = pd.to_numeric(frame["amount"].replace("", None)).astype(float)
    frame["n_sources"] = frame["n_sources"].astype(int)
    return SCHEMA.validate(frame)


def run(mapping: list[str] | None, dedupe_threshold: float, out: paths.RunPaths) -> CleanResult:
    """Clean the run's mapping and write its outputs; nothing is written if cleaning fails."""
    result = clean(mapping or None, dedupe_threshold)
    write(result, out)
    files.write_csv(out.tables / "items_by_region_kind.csv", region_kind(result.table))
    files.write_csv(out.tables / "completeness.csv", completeness(result.table).reset_index())
    return result


def merges(result: CleanResult) -> pd.DataFrame:
    """Rows merged into another item, with the item they were merged into."""
    m = result.log[result.log["outcome"] == "merged"]
    return m[["file", "row", "raw_id", "title", "item_id", "reason"]].reset_index(drop=True)


def region_kind(table: pd.DataFrame) -> pd.DataFrame:
    """Items by region and kind, with totals."""
    tab = pd.crosstab(table["region"], table["kind"], margins=True, margins_name="total")
    return tab.reset_index().rename_axis(columns=None)


COMPLETENESS_FIELDS = (
    "title_local",
    "acronym",
    "subtype",
    "year_start",
    "year_end",
    "lead_body",
    "status",
    "doc_no",
    "amount",
    "scale",
    "perspectives",
    "keywords",
)


def completeness(table: pd.DataFrame) -> pd.DataFrame:
    """Share of items per region with a value in each optional field (field x region)."""
    filled = table[list(COMPLETENESS_FIELDS)].apply(
        lambda c: (
            c.notna() & (c.astype(str) != "")
            if c.dtype == object or str(c.dtype) in ("str", "string")
            else c.notna()
        )
    )
    out = filled.groupby(table["region"]).mean().T.round(3)
    out.index.name = "field"
    return out[[r for r in ("Europe", "China") if r in out.columns]]
