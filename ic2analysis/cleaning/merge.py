"""Kept rows that report the same item merged into one, with a kept or merged log line per row.

Rows are held as columns; only the rows of a duplicate group (a few per cent) become dicts.
The most complete row of a group leads and the others fill its empty cells.
"""

from __future__ import annotations

import operator
import re

import pandas as pd

from . import dedupe
from .schema import COLUMNS

LOG_COLUMNS = ("file", "row", "raw_id", "title", "outcome", "item_id", "column", "value", "reason")
_BRACKETS = frozenset("(（[")


def bare_title(title: str) -> str:
    """A title key without bracketed parts or a leading 'ACRONYM - ' (for matching)."""
    return dedupe.title_key(_bare_text(title))


_BRACKETED = re.compile(r"[(（\[].*?[)）\]]")
_PREFIX = re.compile(r"^.{2,25}? [-–:] ")
_PREFIXES = re.compile(_PREFIX.pattern, re.MULTILINE)  # one per line of a joined text


def _bare_texts(titles: list[str]) -> list[str]:
    """``bare_title`` before its key, for titles without a line break, in one pass each."""
    if any("\n" in t for t in titles):
        return [_bare_text(t) for t in titles]
    big = _PREFIXES.sub("", _BRACKETED.sub(" ", "\n".join(titles)))
    return big.split("\n") if titles else []


def _bare_text(title: str) -> str:
    t = _BRACKETED.sub(" ", title) if _BRACKETS.intersection(title) else title
    if any(sep in t[:28] for sep in (" - ", " – ", " : ")):  # else the pattern cannot match
        t = _PREFIX.sub("", t, count=1)
    return t


def _plain(t: str) -> bool:
    """A title whose bare key is its title key (no brackets, no 'ACRONYM - ' prefix)."""
    head = t[:28]
    return t.isascii() and "(" not in t and "[" not in t and " - " not in head and " : " not in head


def _per_value(values: list, fn) -> list:
    memo = {v: fn(v) for v in set(values)}
    return [memo[v] for v in values]


def _completeness(rec: dict) -> int:
    return sum(1 for k in COLUMNS if rec.get(k) not in ("", None))


def _log_line(m: dict, outcome: str, item_id: str, reason: str) -> dict:
    return {**m["_log"], "outcome": outcome, "item_id": item_id, "column": "", "value": "",
            "reason": reason}  # fmt: skip


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


def _groups(items: dict[str, list], threshold: float) -> tuple[list[list[int]], dict]:
    """Duplicate groups of the kept rows (first-row order) and each row's first match."""
    title = items["title"]
    distinct = list(dict.fromkeys(title))
    keys = dict(zip(distinct, dedupe.title_keys(distinct), strict=True))
    bare = {t: keys[t] for t in distinct if _plain(t)}
    rest = [t for t in distinct if t not in bare]
    bare.update(zip(rest, dedupe.title_keys(_bare_texts(rest)), strict=True))
    matches = dedupe.find_matches(
        list(map(keys.__getitem__, title)),
        _per_value(items["title_local"], dedupe.title_key),
        items["acronym"],
        items["year_start"],
        threshold=threshold,
        bare_keys=list(map(bare.__getitem__, title)),
    )
    why: dict = {}
    for m in matches:
        why.setdefault(m.b, m)
        why.setdefault(m.a, m)
    return dedupe.groups(len(title), matches), why


def _picker(at: list[int]):
    """A function giving the values of a list at ``at``, as a list (C speed: itemgetter)."""
    if len(at) < 2:  # itemgetter of one index gives the value, not a tuple
        return lambda values: [values[i] for i in at]
    get = operator.itemgetter(*at)
    return lambda values: list(get(values))


def merge(
    items: dict[str, list], entries: dict[str, list], threshold: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the items table sorted by id, the kept/merged log lines) of the kept rows.

    ``entries`` holds each kept row's log provenance: file, row, raw_id and title.
    """
    groups, why = _groups(items, threshold)
    firsts = _picker([g[0] for g in groups])
    sources = [f"{f}:{r}" for f, r in zip(entries["file"], entries["row"], strict=True)]
    cols = {c: firsts(items[c]) for c in COLUMNS if c in items}
    cols["sources"] = firsts(sources)
    cols["n_sources"] = [1] * len(groups)
    cols["regions_reported"] = list(cols["region"])
    lines: list[dict] = []
    names = list(items)
    for pos, g in enumerate(groups):
        if len(g) == 1:
            continue
        members = [
            {**{c: items[c][i] for c in names}, "_log": {k: entries[k][i] for k in entries}}
            for i in g
        ]
        item = _group(members, [why.get(i) for i in g], lines)
        for c in COLUMNS:
            cols[c][pos] = item[c]
    single = _picker([g[0] for g in groups if len(g) == 1])
    kept = pd.DataFrame({k: single(entries[k]) for k in entries})
    kept = kept.assign(outcome="kept", item_id=single(items["id"]), column="", value="", reason="")
    log = pd.concat([kept, pd.DataFrame(lines, columns=list(LOG_COLUMNS))], ignore_index=True)
    return _frame(cols), log


def _frame(cols: dict[str, list]) -> pd.DataFrame:
    frame = pd.DataFrame({c: cols[c] for c in COLUMNS}, columns=list(COLUMNS))
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
