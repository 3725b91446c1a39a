"""From the desks' sheets to one validated table, with every raw row accounted for.

``clean(files)`` reads, normalises, rejects what cannot be used (with the file, row, column
and what was expected), merges duplicates and validates the result against ``schema``.
``write(result, run)`` writes the table and the cleaning log atomically.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import files, gcpause, paths
from ..errors import MappingError
from ..text import fold
from . import columns, merge, read, rows, summary, verification
from .merge import LOG_COLUMNS
from .schema import SCHEMA
from .summary import ROW_OUTCOMES


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


def _row_log(file: str, row: int, raw_id: str, title: str) -> dict:
    return {"file": file, "row": int(row), "raw_id": raw_id, "title": title}


def _rejected(entry: dict, rej: rows.Reject) -> dict:
    err = MappingError(entry["file"], rej.expected, entry["row"], rej.column, rej.got)
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


def _notes(norm: columns.Normalised, raw: dict[str, list], folded_ids: list[str]) -> list[dict]:
    """The rejections and warnings as log lines, in row order."""
    out: list[dict] = []
    files, rownums, titles = raw["_file"], raw["_row"], norm.folded_titles
    for i in sorted(norm.rejects.keys() | norm.warnings.keys()):
        entry = _row_log(files[i], rownums[i], folded_ids[i], titles[i])
        if i in norm.rejects:
            out.append(_rejected(entry, norm.rejects[i]))
        else:
            out.extend(_warning(entry, w) for w in norm.warnings[i])
    return out


@gcpause.paused()  # millions of containers, no cycles: 1.6-2.2 s of 10 s at 100k
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
    cols = read.read_columns(file_list, events)
    n_raw = len(cols["_row"])
    norm = columns.normalise(cols, n_raw, date_order)
    notes = [_event(e) for e in events] + _notes(norm, cols, norm.folded_ids)
    entries = {
        "file": [cols["_file"][i] for i in norm.kept],
        "row": [int(cols["_row"][i]) for i in norm.kept],
        "raw_id": [norm.folded_ids[i] for i in norm.kept],
        "title": norm.items["title"],
    }
    table, merged = merge.merge(norm.items, entries, dedupe_threshold)
    table = SCHEMA.validate(table)
    log_frame = (
        pd.concat([pd.DataFrame(notes, columns=list(LOG_COLUMNS)), merged], ignore_index=True)
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
