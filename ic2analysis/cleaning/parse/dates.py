"""Dates and year ranges in the forms the desks write, with the precision the cell states.

Ambiguous slash dates (``11/7/2016``) are read only with an explicit ``date_order``
(``dmy`` or ``mdy``); the default ``reject`` refuses them. ``2016.10`` is October 2016.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from ...text import fold

DATE_ORDERS = ("dmy", "mdy", "reject")
DATE_FORMS = (
    "2016, 2016-06, 2016.10, 2016-06-21, 20161222, March 2017, 21 March 2017, 21.03.2017, "
    "2016年6月21日, or a range 2016-2030 / 2016–2030 / 2019—2030"
)


@dataclass(frozen=True)
class Period:
    """A start (and optional end) parsed from a date cell, with the start's precision."""

    year_start: int | None
    date_start: str = ""  # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    precision: str = ""  # year | month | day | ''
    year_end: int | None = None
    warning: str = ""  # set when the cell was read by a rule the user chose (date_order)


_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, start=1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9

_YEAR = r"(19[5-9]\d|20[0-4]\d)"
_DASH = r"(?:-|–|—|―|~|～|至|to|until)"
_RANGE = re.compile(rf"^{_YEAR}\s*(?:年)?\s*{_DASH}\s*{_YEAR}\s*(?:年)?$")
_OPEN_RANGE = re.compile(rf"^{_YEAR}\s*(?:-|–|—|~|～)\s*(?:present|now|ongoing|今)?$")
_ISO = re.compile(rf"^{_YEAR}(?:([-/.])(\d{{1,2}})(?:[-/.](\d{{1,2}}))?)?$")
_COMPACT = re.compile(rf"^{_YEAR}(\d{{2}})(\d{{2}})$")
_ZH = re.compile(rf"^{_YEAR}\s*年\s*(?:(\d{{1,2}})\s*月\s*(?:(\d{{1,2}})\s*日)?)?$")
_MONTH_NAME = re.compile(rf"^(?:(\d{{1,2}})\s+)?([a-z]+)\.?,?\s+{_YEAR}$")
_DOTTED_DMY = re.compile(rf"^(\d{{1,2}})[.](\d{{1,2}})[.]{_YEAR}$")
_SLASHED = re.compile(rf"^(\d{{1,2}})[/-](\d{{1,2}})[/-]{_YEAR}$")


def _ymd(y: int, m: int | None, d: int | None, warning: str = "") -> Period:
    if m is None:
        return Period(y, f"{y:04d}", "year", warning=warning)
    if not 1 <= m <= 12:
        raise ValueError(f"month {m} out of range")
    if d is None:
        return Period(y, f"{y:04d}-{m:02d}", "month", warning=warning)
    dt.date(y, m, d)  # raises ValueError for 2016-02-30
    return Period(y, f"{y:04d}-{m:02d}-{d:02d}", "day", warning=warning)


def _slashed(a: int, b: int, y: int, order: str) -> Period:
    """``a/b/yyyy``: unambiguous when one part exceeds 12, else read by ``order``."""
    if a > 12 and b <= 12:
        return _ymd(y, b, a)
    if b > 12 and a <= 12:
        return _ymd(y, a, b)
    if a == b:
        return _ymd(y, a, b)
    if order == "dmy":
        return _ymd(y, b, a, f"ambiguous day/month read as day/month/year (date_order={order})")
    if order == "mdy":
        return _ymd(y, a, b, f"ambiguous day/month read as month/day/year (date_order={order})")
    raise ValueError(
        "an unambiguous date: day and month could be either way round; write it as "
        "YYYY-MM-DD or set date_order to dmy or mdy"
    )


@functools.lru_cache(maxsize=1 << 16)
def period(value: object, order: str = "reject") -> Period:
    """Parse a date or year range in the forms the desks use (see DATE_FORMS).

    An empty cell gives an empty Period; anything else unparseable raises ValueError.
    """
    if order not in DATE_ORDERS:
        raise ValueError(f"date_order: one of {', '.join(DATE_ORDERS)}")
    s = fold(value).lower().rstrip(".").replace("年度", "年")
    if not s:
        return Period(None)
    if m := _RANGE.match(s):
        a, b = int(m.group(1)), int(m.group(2))
        if b < a:
            raise ValueError(f"range ends ({b}) before it starts ({a})")
        return Period(a, f"{a:04d}", "year", b)
    if m := _OPEN_RANGE.match(s):
        return Period(int(m.group(1)), m.group(1), "year")
    if m := _ISO.match(s):
        mo = int(m.group(3)) if m.group(3) else None
        return _ymd(int(m.group(1)), mo, int(m.group(4)) if m.group(4) else None)
    for pattern in (_COMPACT, _ZH):
        if m := pattern.match(s):
            mo = int(m.group(2)) if m.group(2) else None
            return _ymd(int(m.group(1)), mo, int(m.group(3)) if m.group(3) else None)
    if (m := _MONTH_NAME.match(s)) and m.group(2) in MONTHS:
        d = int(m.group(1)) if m.group(1) else None
        return _ymd(int(m.group(3)), MONTHS[m.group(2)], d)
    if m := _DOTTED_DMY.match(s):  # 21.03.2017: the dotted form is day.month.year in Europe
        return _ymd(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if m := _SLASHED.match(s):
        return _slashed(int(m.group(1)), int(m.group(2)), int(m.group(3)), order)
    raise ValueError("unparseable date")


_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def precision_of_format(number_format: str) -> str:
    """The precision an Excel date format shows: ``yyyy"年"`` -> year, ``yyyy-mm`` -> month.

    Quoted literals, escapes and ``[...]`` sections are ignored; a format with a day part
    (``d``) is day precision, with a month (``m`` next to ``y``) month, with ``y`` only year.
    """
    f = _QUOTED.sub("", number_format or "").lower()
    if "d" in f:
        return "day"
    if "m" in f and "y" in f:
        return "month"
    if "y" in f:
        return "year"
    return "day"


def iso_at(value: dt.date, precision: str) -> str:
    """A date cell as ISO text cut to the precision its format shows."""
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()
