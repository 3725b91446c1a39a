"""From the desks' sheets to one validated table, with every raw row accounted for.

``clean(files)`` reads, normalises, rejects what cannot be used (with the file, row, column
and what was expected), merges duplicates and validates the result against ``schema``.
``write(result, run)`` writes the table and the cleaning log atomically.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

import pandas as pd

from .. import files, paths
from ..errors import MappingError
from ..text import fold
from . import dedupe, read, rows, summary, verification
from .schema import COLUMNS, SCHEMA
from .summary import ROW_OUTCOMES

LOG_COLUMNS = ("file", "row", "raw_id", "title", "outcome", "item_id", "column", "value", "reason")

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")


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
            "raw": sum(c[o] for o in ROW_OUTCOMES),
            "kept": c["kept"],
            "merged": c["merged"],
            "rejected": c["rejected"],
            "warnings": c["warning"],
        }

    def reading_notes(self) -> pd.DataFrame:
        """What reading decided: encoding, delimiter, sheet, skipped rows, filled cells."""
        n = self.log[self.log["outcome"] == "info"]
        return n[["file", "row", "reason"]].reset_index(drop=True)

    def warnings(self) -> pd.DataFrame:
        """Warnings (cells read with a doubt, values left empty) with file, row and column."""
        w = self.log[self.log["outcome"] == "warning"]
        return w[["file", "row", "raw_id", "column", "value", "reason"]].reset_index(drop=True)

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


def bare_title(title: str) -> str:
    """A title key without bracketed parts or a leading 'ACRONYM - ' (for matching)."""
    t = re.sub(r"[(（\[].*?[)）\]]", " ", title) if _BRACKETS.intersection(title) else title
    if any(sep in t[:28] for sep in (" - ", " – ", " : ")):  # else the pattern cannot match
        t = re.sub(r"^.{2,25}? [-–:] ", "", t)
    return dedupe.title_key(t)


_BRACKETS = frozenset("(（[")


def _make_id(raw: dict) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", Path(raw["_file"]).stem).strip("-") or "row"
    return f"{stem}-{raw['_row']}"


def _completeness(rec: dict) -> int:
    return sum(1 for k in COLUMNS if rec.get(k) not in ("", None))


def _row_log(rec: dict, raw_id: str, title: str) -> dict:
    return {"file": rec["_file"], "row": int(rec["_row"]), "raw_id": raw_id, "title": title}


def _rejected(entry: dict, rec: dict, rej: rows.Reject) -> dict:
    err = MappingError(rec["_file"], rej.expected, rec["_row"], rej.column, rej.got)
    return {
        **entry,
        "outcome": "rejected",
        "item_id": "",
        "column": rej.column,
        "value": fold(rej.got) if rej.got is not None else "",
        "reason": err.format(),
    }


def _warning(entry: dict, w: dict) -> dict:
    err = MappingError(entry["file"], w["reason"], entry["row"], w["column"], w["value"])
    return {**entry, "outcome": "warning", "item_id": "", **w, "reason": err.format()}


def _check_id(raw_id: str, item_id: str, rec: dict, ids_seen: dict) -> None:
    first = ids_seen.setdefault(item_id, (rec["_file"], rec["_row"]))
    if raw_id and not _ID.match(raw_id):
        raise rows.Reject("id", "letters, digits and . _ : - only", raw_id)
    if first != (rec["_file"], rec["_row"]):
        f, r = first
        where = f"row {r}" if f == rec["_file"] else f"{f} row {r}"
        raise rows.Reject("id", f"a unique id (already used at {where})", raw_id)


def clean(
    files: list[Path | str] | None = None,
    dedupe_threshold: float = 92,
    date_order: str = "reject",
) -> CleanResult:
    """Read ``files`` (default: every mapping file in data/raw) into one validated table.

    File-level problems raise MappingError before anything is written; row-level problems
    reject the row with a reason in the log; doubtful cells leave a warning; duplicates
    are merged into one item. ``date_order`` reads ambiguous slash dates (dmy, mdy, reject).
    """
    file_list = [paths.resolve_input(f) for f in files] if files else read.discover()
    events: list[dict] = []
    raw = read.read_all(file_list, events)
    log: list[dict] = [_event(e) for e in events]
    kept: list[dict] = []
    ids_seen: dict[str, tuple[str, int]] = {}
    columns = {c: raw[c].tolist() for c in raw.columns}  # tolist: far cheaper than to_dict
    n_raw, names = len(raw), list(columns)
    del raw  # rows are made one at a time below: memory stays at the rows kept
    records = (dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True))
    folded = rows.folded_cells(columns, n_raw)
    for rec, cells in zip(records, folded, strict=True):
        raw_id = cells["id"]
        entry = _row_log(rec, raw_id, cells["title"])
        item_id = raw_id or _make_id(rec)
        try:
            _check_id(raw_id, item_id, rec, ids_seen)
            row, warnings = rows.normalise_row(rec, date_order, cells)
        except rows.Reject as rej:
            log.append(_rejected(entry, rec, rej))
            continue
        log.extend(_warning(entry, w) for w in warnings)
        row["id"] = item_id
        row["_log"] = entry
        kept.append(row)

    table = SCHEMA.validate(_frame(_merge(kept, dedupe_threshold, log)))
    log_frame = (
        pd.DataFrame(log, columns=list(LOG_COLUMNS))
        .assign(row=lambda f: f["row"].astype("Int64"))
        .sort_values(["file", "row"], kind="stable", na_position="first")
        .reset_index(drop=True)
    )
    result = CleanResult(table, log_frame, [paths.rel_to_root(f) for f in file_list])
    c = result.counts
    if c["raw"] != n_raw or c["raw"] != c["kept"] + c["merged"] + c["rejected"]:
        raise AssertionError(f"rows not accounted for: {c} from {n_raw} raw rows")
    return result


def _event(e: dict) -> dict:
    """A reading note as a log line (file-level notes have no row)."""
    out = {k: "" for k in LOG_COLUMNS}
    out.update({k: v for k, v in e.items() if k in LOG_COLUMNS})
    out["value"] = fold(out["value"])
    out["row"] = e.get("row")
    if out["outcome"] == "warning":
        where = e.get("column") or None
        err = MappingError(out["file"], e["reason"], out["row"], where, out["value"] or None)
        out["reason"] = err.format()
    return out


def _merge(kept: list[dict], threshold: float, log: list[dict]) -> list[dict]:
    local_keys = {v: dedupe.title_key(v) for v in {r["title_local"] for r in kept}}  # few
    matches = dedupe.find_matches(
        [dedupe.title_key(r["title"]) for r in kept],
        [local_keys[r["title_local"]] for r in kept],
        [r["acronym"] for r in kept],
        [r["year_start"] for r in kept],
        threshold=threshold,
        bare_keys=[bare_title(r["title"]) for r in kept],
    )
    why = {}
    for m in matches:
        why.setdefault(m.b, m)
        why.setdefault(m.a, m)
    items = []
    for group in dedupe.groups(len(kept), matches):
        if len(group) == 1:  # most rows: nothing to fill or merge
            items.append(_single(kept[group[0]], log))
        else:
            items.append(_group([kept[i] for i in group], [why.get(i) for i in group], log))
    return items


def _log_line(m: dict, outcome: str, item_id: str, reason: str) -> dict:
    return {**m["_log"], "outcome": outcome, "item_id": item_id, "column": "", "value": "",
            "reason": reason}  # fmt: skip


def _single(row: dict, log: list[dict]) -> dict:
    """A row that reports an item alone: its own sources, the item kept."""
    entry = row["_log"]
    row["sources"] = f"{entry['file']}:{entry['row']}"
    row["n_sources"] = 1
    row["regions_reported"] = row["region"]
    log.append(_log_line(row, "kept", row["id"], ""))
    return row


def _group(members: list[dict], whys: list, log: list[dict]) -> dict:
    """Rows of one item: the most complete leads, the others fill its empty cells."""
    primary = max(members, key=_completeness)  # max keeps the first among equals
    item = dict(primary)
    for other in members:
        for k, v in other.items():
            if item.get(k) in ("", None) and v not in ("", None):
                item[k] = v
    item["sources"] = "; ".join(f"{m['_log']['file']}:{m['_log']['row']}" for m in members)
    item["n_sources"] = len(members)
    item["regions_reported"] = ";".join(sorted({m["region"] for m in members}))
    for m, mt in zip(members, whys, strict=True):
        if m is primary:
            why = f"kept; merged {len(members) - 1} duplicate(s) into it"
            log.append(_log_line(m, "kept", item["id"], why))
        else:
            detail = f"{mt.rule}, similarity {mt.score:g}" if mt else "same group"
            why = f"duplicate of {item['id']} ({detail})"
            log.append(_log_line(m, "merged", item["id"], why))
    return item


def _frame(items: list[dict]) -> pd.DataFrame:
    cells = zip(*map(itemgetter(*COLUMNS), items), strict=True) if items else ([] for _ in COLUMNS)
    frame = pd.DataFrame(dict(zip(COLUMNS, map(list, cells), strict=True)), columns=list(COLUMNS))
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


def _nothing_kept(result: CleanResult) -> None:
    """Every row was rejected: stop with the first reasons (file, row, column, value)."""
    rej = result.log[result.log["outcome"] == "rejected"]
    first = "; ".join(str(r) for r in rej["reason"].head(3))
    raise MappingError(
        ", ".join(result.files) or "the mapping",
        f"at least one row that passes cleaning; all {len(rej)} row(s) were rejected "
        f"(first: {first})",
    )


def run(
    mapping: list[str] | None,
    dedupe_threshold: float,
    out: paths.RunPaths,
    date_order: str = "reject",
) -> CleanResult:
    """Clean the run's mapping and write its outputs; nothing is written if cleaning fails.

    The default run (data/raw) also checks ``data/verification.csv`` when it exists.
    """
    result = clean(mapping or None, dedupe_threshold, date_order)
    if result.table.empty:
        _nothing_kept(result)
    checked = None
    if not mapping and verification.VERIFICATION.exists():
        checked = verification.load(result.table)
    write(result, out)
    complete = summary.completeness(result.table).reset_index()
    files.write_csv(out.tables / "cleaning_summary.csv", summary.by_file(result))
    files.write_csv(out.tables / "items_by_region_kind.csv", summary.region_kind(result.table))
    files.write_csv(out.tables / "completeness.csv", complete)
    files.write_csv(out.tables / "audit_summary.csv", verification.summary(result.table, checked))
    return result
