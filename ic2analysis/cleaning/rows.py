"""One raw row to one normalised item, or a rejection naming the column and what was expected.

Cells that can be read but not without doubt (an ambiguous amount, a date read by
``date_order``, a place outside the row's region) keep going and leave a warning.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from ..text import fold
from . import bodies_register
from .parse import amounts, dates, places, vocab
from .template import REQUIRED, TEMPLATE_NAME

# Required columns whose cell may be empty: an unknown year stays unknown, never guessed.
OPTIONAL_VALUES = ("date_start",)
_ACRONYM_IN_TITLE = re.compile(
    r"\(([A-Z][A-Za-z0-9+&-]{1,15})\)|^([A-Z][A-Za-z0-9+&-]{1,15}) [-–:] "
)


class Reject(Exception):
    """A row that cannot be used: the column, what was expected and what was there."""

    def __init__(self, column: str, expected: str, got: object = None) -> None:
        self.column, self.expected, self.got = column, expected, got
        super().__init__(expected)

    def __reduce__(self):
        """Pickled with its parts (a row normalised in a worker process comes back whole)."""
        return type(self), (self.column, self.expected, self.got)


def _field(raw: dict, column: str, fn, *args):
    try:
        return fn(raw.get(column, ""), *args)
    except ValueError as exc:
        expected = str(exc)
        if fn is dates.period:
            expected = f"a date such as {dates.DATE_FORMS} ({exc})"
        raise Reject(TEMPLATE_NAME.get(column, column), expected, raw.get(column, "")) from exc


def _warn(warnings: list[dict], column: str, value: object, expected: str) -> None:
    warnings.append({"column": column, "value": fold(value), "reason": expected})


def _money(raw: dict, warnings: list[dict]) -> amounts.Amount | None:
    """The budget cell's figure, else the scale cell's; an ambiguous figure is a warning."""
    for column in ("budget", "scale"):
        read = amounts.read_amount(raw.get(column, ""))
        if read.warning:
            _warn(warnings, column, raw.get(column, ""), f"{read.warning}; amount left empty")
            return None
        if read.amount:
            return read.amount
    return None


def _places(raw: dict, region: str, warnings: list[dict]) -> tuple[str, str]:
    """(jurisdiction, country_code): every place's name joined by ';', the first one's code."""
    found = _field(raw, "jurisdiction", places.places)
    if odd := places.scope_warning(region, [c for c, _ in found]):
        _warn(warnings, "jurisdiction", raw.get("jurisdiction", ""), odd)
    if not found:
        return "", "CN" if region == "China" else ""
    return ";".join(n for _, n in found), found[0][0]


def _dates(raw: dict, order: str, warnings: list[dict]):
    start = _field(raw, "date_start", dates.period, order)
    end = _field(raw, "date_end", dates.period, order)
    for column, p in (("date_start", start), ("date_end", end)):
        if p.warning:
            _warn(warnings, TEMPLATE_NAME.get(column, column), raw.get(column, ""), p.warning)
    year_end = end.year_end or end.year_start or start.year_end
    if year_end is not None and start.year_start is not None and year_end < start.year_start:
        raise Reject("date_end", f"a year not before the start ({start.year_start})", year_end)
    return start, year_end


def _bodies(lead: str, code: str, region: str, warnings: list[dict]) -> tuple[str, str]:
    """(lead_body_ids, lead_body_canonical): every name to a register id; an unknown name is a
    warning with the closest register names, never passed through silently."""
    ids, canonical, unknown = _resolved(bodies_register.register(), lead, code, region)
    for name, why in unknown:
        _warn(warnings, "lead_body", name, why)
    return ids, canonical


@functools.lru_cache(maxsize=1 << 16)
def _resolved(reg: bodies_register.Register, lead: str, code: str, region: str):
    """``_bodies`` once per distinct (cell, country, region): lead bodies repeat across rows."""
    res = reg.resolve(lead, code, region)
    unknown = []
    for name, hints in res.unknown:
        why = "a body of the register data/bodies.csv (name, acronym or alias)"
        why += f"; did you mean {', '.join(hints)}?" if hints else "; no close name found"
        unknown.append((name, why))
    canonical = reg.label(reg.current(res.ids[0])) if res.ids else ""
    return ";".join(res.ids), canonical, tuple(unknown)


# Cells used as text after ``fold``; ``folded_cells`` folds them once per distinct value.
FOLDED = tuple(dict.fromkeys(REQUIRED + ("title_local", "lead_body", "lead_body_local",
    "acronym", "keywords", "notes", "id")))  # fmt: skip


def _is_folded(v: str) -> bool:
    """A value that ``fold`` leaves as it is: printable (so no tab, line break, zero-width mark
    or other space than U+0020), no double, leading or trailing space, and NFKC already.
    Cheaper to check than to fold."""
    return (
        v.isprintable()
        and "  " not in v
        and v[:1] != " "
        and v[-1:] != " "
        and (v.isascii() or unicodedata.is_normalized("NFKC", v))
    )


def fold_many(values: list[str]) -> list[str]:
    """``fold`` of every value (a value already folded is checked, not split and joined)."""
    return [v if _is_folded(v) else fold(v) for v in values]


def folded_columns(columns: dict[str, list], n: int) -> dict[str, list[str]]:
    """``fold`` of each ``FOLDED`` column, computed once per distinct value of a column.

    ``columns`` maps a column name to its ``n`` raw values (a missing column reads as '').
    Most columns hold few distinct values, so this does a fraction of the per-row work. A
    value that folding leaves unchanged is not copied.
    """
    return {col: folded_column(columns[col] if col in columns else [""] * n) for col in FOLDED}


def folded_column(values: list[str]) -> list[str]:
    """``fold`` of every value of one column, once per distinct value where values repeat."""
    if len(set(values[:200])) > 100:  # mostly distinct (titles, ids): no memo to build
        return fold_many(values)
    distinct = list(set(values))
    memo = {v: v if f == v else f for v, f in zip(distinct, fold_many(distinct), strict=True)}
    return list(map(memo.__getitem__, values))


def folded_cells(columns: dict[str, list], n: int) -> Iterator[dict[str, str]]:
    """Per row, the ``folded_columns`` cells as a dict (rows are made one at a time)."""
    out = folded_columns(columns, n)
    names = list(out)
    return (dict(zip(names, row, strict=True)) for row in zip(*out.values(), strict=True))


def normalise_row(
    raw: dict, date_order: str = "reject", folded: dict[str, str] | None = None
) -> tuple[dict, list[dict]]:
    """Normalise one raw row into (item, warnings); raise Reject naming the first bad column.

    ``folded`` (from ``folded_cells``) holds the row's folded text cells; without it each
    is folded here. Both give the same item.
    """
    cell = folded.__getitem__ if folded is not None else lambda c: fold(raw.get(c, ""))
    for col in REQUIRED:
        if col not in OPTIONAL_VALUES and not cell(col):
            raise Reject(TEMPLATE_NAME.get(col, col), "a value (required column)", "")
    warnings: list[dict] = []
    title, title_local = cell("title"), cell("title_local")
    start, year_end = _dates(raw, date_order, warnings)
    region = _field(raw, "region", vocab.region)
    jurisdiction, code = _places(raw, region, warnings)
    persp = _field(raw, "perspectives", vocab.perspectives)
    money = _money(raw, warnings)
    lead = cell("lead_body")
    body_ids, canonical = _bodies(lead, code, region, warnings)
    return {
        "region": region,
        "kind": _field(raw, "kind", vocab.kind),
        "subtype": _field(raw, "subtype", vocab.subtype),
        "title": title,
        "title_local": title_local,
        "acronym": cell("acronym") or acronym_from(title),
        "jurisdiction": jurisdiction,
        "country_code": code,
        "year_start": start.year_start,
        "year_end": year_end,
        "date_start": start.date_start,
        "date_precision": start.precision,
        "lead_body": lead,
        "lead_body_local": cell("lead_body_local"),
        "lead_body_ids": body_ids,
        "lead_body_canonical": canonical,
        "status": _field(raw, "status", vocab.status, title_local, title),
        "doc_no": vocab.doc_no(raw.get("doc_no", "")),
        "amount": money.value if money else None,
        "currency": money.currency if money else "",
        "amount_scope": _field(raw, "amount_scope", vocab.amount_scope),
        "scale": fold(raw.get("scale", "") or raw.get("budget", "")),
        "perspectives": ";".join(persp),
        "perspective_primary": persp[0] if persp else "",
        "keywords": cell("keywords"),
        "description": cell("description"),
        "source_url": _field(raw, "source_url", vocab.url),
        "source_type": _field(raw, "source_type", vocab.source_type),
        "notes": cell("notes"),
    }, warnings


def acronym_from(title: str) -> str:
    """An acronym in brackets or leading the title: 'China National GeneBank (CNGB)',
    'IC2PerMed - Integrating China ...'."""
    m = _ACRONYM_IN_TITLE.search(title)
    acr = (m.group(1) or m.group(2)) if m else ""
    return acr if any(c.isupper() for c in acr[1:]) else ""
