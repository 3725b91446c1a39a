"""Every raw row normalised at once, column by column: each parser runs once per distinct value.

The result equals ``rows.normalise_row`` row by row (tests check it): the same items, the
same first rejection of a row (the columns are checked in the same order) and the same
warnings. Most columns hold few distinct values, so the per-row work is a dictionary lookup.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .. import forked
from ..forked import Forked
from ..text import fold
from . import rows
from .parse import vocab
from .template import REQUIRED, TEMPLATE_NAME

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")


@dataclass
class Normalised:
    """Kept rows (indices into the raw rows) with their item columns; notes of the others."""

    kept: list[int]
    items: dict[str, list]
    rejects: dict[int, rows.Reject]
    warnings: dict[int, list[dict]]
    folded_ids: list[str]
    folded_titles: list[str]


class _Bad:
    """A rejection, stored once per distinct value (or combination of values)."""

    __slots__ = ("reject",)

    def __init__(self, reject: rows.Reject) -> None:
        self.reject = reject


def _per_key(keys: list, fn) -> list:
    """``fn(key)`` for every row, computed once per distinct key; a Reject is kept as _Bad."""
    memo = {}
    for k in set(keys):
        try:
            memo[k] = fn(k)
        except rows.Reject as rej:
            memo[k] = _Bad(rej)
    return list(map(memo.__getitem__, keys))


def _reject_bad(results: list, rejects: dict[int, rows.Reject]) -> None:
    """Record the rejection of every row whose result is _Bad, unless it was rejected before."""
    if _Bad not in set(map(type, results)):  # most columns: nothing to look for row by row
        return
    for i, r in enumerate(results):
        if type(r) is _Bad and i not in rejects:
            rejects[i] = r.reject


def make_id(file: str, row: int) -> str:
    """The id of a row without one: the file's stem and the row number."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", Path(file).stem).strip("-") or "row"
    return f"{stem}-{row}"


def check_ids(ids: list[str], files: list[str], rownums: list[int]) -> tuple[list, dict]:
    """(item ids, rejections): a row's id, else one made from its file and row; ids must be
    well formed and used once (the first row using an id keeps it)."""
    stems = {f: make_id(f, 0)[:-2] for f in set(files)}
    item_ids = [i or f"{stems[f]}-{r}" for i, f, r in zip(ids, files, rownums, strict=True)]
    first: dict[str, int] = {}
    for k, item in enumerate(item_ids):
        first.setdefault(item, k)
    bad_form = {v for v in set(ids) if v and not _ID.match(v)}
    rejects: dict[int, rows.Reject] = {}
    for k, (raw_id, item) in enumerate(zip(ids, item_ids, strict=True)):
        if raw_id in bad_form:
            rejects[k] = rows.Reject("id", "letters, digits and . _ : - only", raw_id)
            continue
        f = first[item]
        if f != k and (files[f], rownums[f]) != (files[k], rownums[k]):
            where = f"row {rownums[f]}" if files[f] == files[k] else f"{files[f]} row {rownums[f]}"
            rejects[k] = rows.Reject("id", f"a unique id (already used at {where})", raw_id)
    return item_ids, rejects


def _field(values: list, column: str, fn) -> list:
    """``rows._field`` over a column: the parsed value or _Bad, once per distinct value."""
    return _per_key(values, lambda v: rows._field({column: v}, column, fn))


def _status(raw: list, title_local: list, title: list) -> list:
    """``vocab.status`` per row: the status cell's, else the first marker in the titles."""
    own = _field(raw, "status", vocab.status)
    if all(r != "" for r in own):
        return own
    from_title = dict.fromkeys(title_local + title)
    for t in from_title:  # folded titles: an ASCII one holds no (Chinese) status marker
        from_title[t] = "" if t.isascii() else vocab.status("", t)
    return [
        r if r != "" else (from_title[tl] or from_title[t])
        for r, tl, t in zip(own, title_local, title, strict=True)
    ]


def _required(folded: dict[str, list], rejects: dict[int, rows.Reject]) -> None:
    for col in REQUIRED:
        if col in rows.OPTIONAL_VALUES:
            continue
        name = TEMPLATE_NAME.get(col, col)
        for i, v in enumerate(folded[col]):
            if not v and i not in rejects:
                rejects[i] = rows.Reject(name, "a value (required column)", "")


def _with_warnings(keys: list, fn) -> tuple[list, dict[object, list]]:
    """``fn(key, warnings)`` once per distinct key: results per row, and warnings per key."""
    notes: dict[object, list] = {}

    def call(k):
        w: list[dict] = []
        out = fn(k, w)
        if w:
            notes[k] = w
        return out

    return _per_key(keys, call), notes


def _take(values: list, kept: list[int]) -> list:
    """``values`` at the kept rows (C speed for the common case of many rows)."""
    if len(kept) == len(values):
        return list(values)
    return [values[i] for i in kept]


def _checked(raw, folded, n: int, date_order: str, rejects: dict) -> dict[str, list]:
    """Every parsed column per row (a _Bad where a cell is rejected), in the order that
    ``rows.normalise_row`` checks them; rejections go to ``rejects`` (first one wins)."""
    out: dict[str, list] = {}
    _required(folded, rejects)
    dkeys = list(zip(raw("date_start"), raw("date_end"), strict=True))
    out["dates"], dn = _with_warnings(
        dkeys, lambda k, w: rows._dates({"date_start": k[0], "date_end": k[1]}, date_order, w)
    )
    _reject_bad(out["dates"], rejects)
    out["region"] = _field(raw("region"), "region", vocab.region)
    _reject_bad(out["region"], rejects)
    region = [r if type(r) is str else "" for r in out["region"]]
    pkeys = list(zip(raw("jurisdiction"), region, strict=True))
    out["places"], pn = _with_warnings(
        pkeys, lambda k, w: rows._places({"jurisdiction": k[0]}, k[1], w)
    )
    _reject_bad(out["places"], rejects)
    out["perspectives"] = _field(raw("perspectives"), "perspectives", vocab.perspectives)
    _reject_bad(out["perspectives"], rejects)
    mkeys = list(zip(raw("budget"), raw("scale"), strict=True))
    out["money"], mn = _with_warnings(
        mkeys, lambda k, w: rows._money({"budget": k[0], "scale": k[1]}, w)
    )
    codes = [p[1] if type(p) is tuple else "" for p in out["places"]]
    bkeys = list(zip(folded["lead_body"], codes, region, strict=True))
    out["bodies"], bn = _with_warnings(bkeys, lambda k, w: rows._bodies(*k, w))
    for col, fn in (("kind", vocab.kind), ("subtype", vocab.subtype)):
        out[col] = _field(raw(col), col, fn)
        _reject_bad(out[col], rejects)
    out["status"] = _status(raw("status"), folded["title_local"], folded["title"])
    _reject_bad(out["status"], rejects)
    for col, fn in (
        ("amount_scope", vocab.amount_scope),
        ("source_url", vocab.url),
        ("source_type", vocab.source_type),
    ):
        out[col] = _field(raw(col), col, fn)
        _reject_bad(out[col], rejects)
    out["_notes"] = [(dkeys, dn), (pkeys, pn), (mkeys, mn), (bkeys, bn)]
    return out


def _row_warnings(notes: list, kept: list[int], rejects: dict) -> dict[int, list[dict]]:
    """Per kept row with any, its warnings in the order ``normalise_row`` gives them."""
    found: set[int] = set()
    for keys, by_key in notes:
        if by_key:
            found.update(i for i, k in enumerate(keys) if k in by_key)
    out = {}
    for i in sorted(found - rejects.keys()):
        out[i] = [w for keys, by_key in notes for w in by_key.get(keys[i], ())]
    return out


def _memo_map(values: list, fn) -> list:
    memo = {v: fn(v) for v in set(values)}
    return [memo[v] for v in values]


# From this many rows (up to ``forked.MAX_ITEMS``) the second half is normalised in a forked
# process while this one does the first: every row is normalised on its own, once its id is
# checked.
PARALLEL_MIN_ROWS = 20_000


def normalise(columns: dict[str, list], n: int, date_order: str = "reject") -> Normalised:
    """Normalise the ``n`` raw rows of ``columns`` (name -> cells, with _file and _row).

    Ids are checked over all rows first (each must be used once); the rest of a row depends
    on that row alone, so a large mapping is normalised in two halves at once, and joined."""
    folded_ids = rows.folded_column(columns.get("id", [""] * n))
    ids = (folded_ids, *check_ids(folded_ids, columns["_file"], columns["_row"]))
    if not PARALLEL_MIN_ROWS <= n <= forked.MAX_ITEMS:
        return _part(columns, 0, n, date_order, ids)
    half = n // 2
    later = Forked(functools.partial(_part, columns, half, n, date_order, ids))
    first = _part(columns, 0, half, date_order, ids)
    return _joined(first, later.result(), half)


def _joined(a: Normalised, b: Normalised, offset: int) -> Normalised:
    """Two consecutive parts as one, ``b``'s rows numbered from ``offset``."""
    return Normalised(
        kept=a.kept + [i + offset for i in b.kept],
        items={c: a.items[c] + b.items[c] for c in a.items},
        rejects={**a.rejects, **{i + offset: r for i, r in b.rejects.items()}},
        warnings={**a.warnings, **{i + offset: w for i, w in b.warnings.items()}},
        folded_ids=a.folded_ids + b.folded_ids,
        folded_titles=a.folded_titles + b.folded_titles,
    )


def _items(take, raw, folded: dict[str, list], c: dict[str, list], item_ids: list) -> dict:
    """The item columns of the kept rows (``take`` picks them) from the parsed columns."""
    title = take(folded["title"])
    periods = take(c["dates"])
    places_ = take(c["places"])
    money = take(c["money"])
    bodies = take(c["bodies"])
    persp = take(c["perspectives"])
    scale = [s or b for s, b in zip(raw("scale"), raw("budget"), strict=True)]
    return {
        "region": take(c["region"]),
        "kind": take(c["kind"]),
        "subtype": take(c["subtype"]),
        "title": title,
        "title_local": take(folded["title_local"]),
        "acronym": [
            a or rows.acronym_from(t) for a, t in zip(take(folded["acronym"]), title, strict=True)
        ],
        "jurisdiction": [p[0] for p in places_],
        "country_code": [p[1] for p in places_],
        "year_start": [p[0].year_start for p in periods],
        "year_end": [p[1] for p in periods],
        "date_start": [p[0].date_start for p in periods],
        "date_precision": [p[0].precision for p in periods],
        "lead_body": take(folded["lead_body"]),
        "lead_body_local": take(folded["lead_body_local"]),
        "lead_body_ids": [b[0] for b in bodies],
        "lead_body_canonical": [b[1] for b in bodies],
        "status": take(c["status"]),
        "doc_no": take(_memo_map(raw("doc_no"), vocab.doc_no)),
        "amount": [m.value if m else None for m in money],
        "currency": [m.currency if m else "" for m in money],
        "amount_scope": take(c["amount_scope"]),
        "scale": take(_memo_map(scale, fold)),
        "perspectives": [";".join(p) for p in persp],
        "perspective_primary": [p[0] if p else "" for p in persp],
        "keywords": take(folded["keywords"]),
        "description": take(folded["description"]),
        "source_url": take(c["source_url"]),
        "source_type": take(c["source_type"]),
        "notes": take(folded["notes"]),
        "id": take(item_ids),
    }


def _part(
    columns: dict[str, list], lo: int, hi: int, date_order: str, ids: tuple[list, list, dict]
) -> Normalised:
    """``normalise`` of rows lo..hi-1, numbered from 0, given every row's (folded id, item
    id) and the id rejections of ``check_ids``."""
    n, whole = hi - lo, (lo, hi) == (0, len(ids[0]))
    part = columns if whole else {c: v[lo:hi] for c, v in columns.items()}
    part = {**part, "id": ids[0][lo:hi]}  # folded once, by ``normalise`` (folding keeps it)

    def raw(c: str) -> list:
        return part[c] if c in part else [""] * n

    folded = rows.folded_columns(part, n)
    item_ids = ids[1][lo:hi]
    rejects = {i - lo: r for i, r in ids[2].items() if lo <= i < hi}
    c = _checked(raw, folded, n, date_order, rejects)
    kept = [i for i in range(n) if i not in rejects]

    items = _items(lambda values: _take(values, kept), raw, folded, c, item_ids)
    warnings = _row_warnings(c["_notes"], kept, rejects)
    return Normalised(kept, items, rejects, warnings, folded["id"], folded["title"])


__all__ = ["Normalised", "check_ids", "make_id", "normalise"]
