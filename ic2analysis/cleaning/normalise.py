"""Pure functions that turn one raw cell into a normalised value.

Each returns a value or raises ``ValueError`` with what was expected; ``clean`` turns that
into a rejection that names the file, row and column.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass

from .. import paths
from .template import (
    KIND_ALIASES,
    KINDS,
    PERSPECTIVE_ALIASES,
    PERSPECTIVES,
    REGION_ALIASES,
    REGIONS,
    STATUS_ALIASES,
    STATUS_MARKERS,
    SUBTYPE_ALIASES,
    SUBTYPES,
)

_CACHE = 1 << 16  # low-cardinality cells (years, places, bodies, kinds) repeat: cache them
_THIN_SPACES = "\u2009\u202f\u00a0\u2007\u200a"


def text(value: object) -> str:
    """Width-fold (full-width Latin and digits to ASCII), collapse whitespace, strip."""
    s = value if isinstance(value, str) else str(value or "")
    if not s.isascii():  # NFKC leaves ASCII unchanged: most cells skip it
        s = unicodedata.normalize("NFKC", s).replace("\u200b", "").replace("\ufeff", "")
    return " ".join(s.split())


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(value: str) -> str:
    """Traditional Chinese characters to simplified (精準醫療 -> 精准医疗)."""
    if not re.search(r"[\u3400-\u9fff]", value):
        return value
    return _t2s().convert(value)


_TITLE_STRIP = re.compile(r"[《》“”\"'‘’「」『』]")
_PUNCT = re.compile(r"[^0-9a-z\u3400-\u9fff]+")


def title_key(value: str) -> str:
    """A title reduced for matching: simplified, lower-case, no punctuation or quotes."""
    s = simplified(text(value)).lower()
    s = _TITLE_STRIP.sub("", s)
    return _PUNCT.sub(" ", s).strip()


# ---------------------------------------------------------------- dates
@dataclass(frozen=True)
class Period:
    """A start (and optional end) parsed from a date cell, with the start's precision."""

    year_start: int | None
    date_start: str = ""  # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    precision: str = ""  # year | month | day | ''
    year_end: int | None = None


MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9

_YEAR = r"(19[5-9]\d|20[0-4]\d)"
_RANGE = re.compile(rf"^{_YEAR}\s*(?:年)?\s*(?:-|–|—|―|~|～|至|to|until)\s*{_YEAR}\s*(?:年)?$")
_OPEN_RANGE = re.compile(rf"^{_YEAR}\s*(?:-|–|—|~|～)\s*(?:present|now|ongoing|今)?$")
_ISO = re.compile(rf"^{_YEAR}(?:[-/.](\d{{1,2}})(?:[-/.](\d{{1,2}}))?)?$")
_COMPACT = re.compile(rf"^{_YEAR}(\d{{2}})(\d{{2}})$")
_ZH = re.compile(rf"^{_YEAR}\s*年\s*(?:(\d{{1,2}})\s*月\s*(?:(\d{{1,2}})\s*日)?)?$")
_MONTH_NAME = re.compile(rf"^(?:(\d{{1,2}})\s+)?([a-z]+)\.?,?\s+{_YEAR}$")
_DMY = re.compile(rf"^(\d{{1,2}})[./](\d{{1,2}})[./]{_YEAR}$")


def _ymd(y: int, m: int | None, d: int | None) -> Period:
    import datetime as dt

    if m is None:
        return Period(y, f"{y:04d}", "year")
    if not 1 <= m <= 12:
        raise ValueError(f"month {m} out of range")
    if d is None:
        return Period(y, f"{y:04d}-{m:02d}", "month")
    dt.date(y, m, d)  # raises ValueError for 2016-02-30
    return Period(y, f"{y:04d}-{m:02d}-{d:02d}", "day")


DATE_FORMS = (
    "2016, 2016-06, 2016-06-21, 20161222, March 2017, 21 March 2017, "
    "2016年6月21日, or a range 2016-2030 / 2016–2030 / 2019—2030"
)


@functools.lru_cache(maxsize=_CACHE)
def period(value: object) -> Period:
    """Parse a date or year range in the forms the desks use (see DATE_FORMS).

    An empty cell gives an empty Period; anything else unparseable raises ValueError.
    """
    s = text(value).lower().rstrip(".")
    s = s.replace("年度", "年")
    if not s:
        return Period(None)
    if m := _RANGE.match(s):
        a, b = int(m.group(1)), int(m.group(2))
        if b < a:
            raise ValueError(f"range ends ({b}) before it starts ({a})")
        return Period(a, f"{a:04d}", "year", b)
    if m := _OPEN_RANGE.match(s):
        return Period(int(m.group(1)), m.group(1), "year")
    for pattern in (_ISO, _COMPACT, _ZH):
        if m := pattern.match(s):
            y = int(m.group(1))
            mo = int(m.group(2)) if m.group(2) else None
            d = int(m.group(3)) if m.group(3) else None
            return _ymd(y, mo, d)
    if m := _MONTH_NAME.match(s):
        if m.group(2) in MONTHS:
            d = int(m.group(1)) if m.group(1) else None
            return _ymd(int(m.group(3)), MONTHS[m.group(2)], d)
    if m := _DMY.match(s):
        return _ymd(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    raise ValueError("unparseable date")


# ---------------------------------------------------------------- amounts
@dataclass(frozen=True)
class Amount:
    """A money figure: value in units of ``currency`` (ISO 4217)."""

    value: float
    currency: str


CURRENCIES = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "¥": "CNY",
    "￥": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "yuan": "CNY",
    "元": "CNY",
    "人民币": "CNY",
    "dkk": "DKK",
    "sek": "SEK",
    "nok": "NOK",
    "chf": "CHF",
    "pln": "PLN",
    "czk": "CZK",
    "huf": "HUF",
}
MULTIPLIERS = {
    "万亿": 1e12,
    "万": 1e4,
    "亿": 1e8,
    "千": 1e3,
    "百万": 1e6,
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mio": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "billion": 1e9,
    "billions": 1e9,
}
_CUR = "|".join(sorted((re.escape(c) for c in CURRENCIES), key=len, reverse=True))
_MUL = "|".join(sorted((re.escape(m) for m in MULTIPLIERS), key=len, reverse=True))
_AMOUNT = re.compile(
    rf"(?P<pre>{_CUR})?\s*(?P<num>\d+(?:[,\s]\d{{3}})*(?:\.\d+)?)\s*(?:(?P<mul>{_MUL})(?![a-z]))?\s*"
    rf"(?P<post>{_CUR})?",
    re.IGNORECASE,
)


def amount(value: object) -> Amount | None:
    """The first money figure in a cell (``6.4亿元``, ``€370 m``, ``RMB 5331万``), or None.

    A number without a currency is not money (it may be a count of people) and gives None.
    """
    s = text(value)
    for ch in _THIN_SPACES:
        s = s.replace(ch, " ")
    for m in _AMOUNT.finditer(s):
        cur = m.group("pre") or m.group("post")
        if not cur:
            continue
        num = float(re.sub(r"[,\s]", "", m.group("num")))
        mul = MULTIPLIERS.get((m.group("mul") or "").lower(), 1.0)
        return Amount(round(num * mul, 2), CURRENCIES[cur.lower()])
    return None


# ---------------------------------------------------------------- places and bodies
@functools.lru_cache(maxsize=1)
def _places() -> dict[str, tuple[str, str, str]]:
    with (paths.RESOURCES / "places.csv").open(encoding="utf-8") as fh:
        return {
            text(r["alias"]).lower(): (r["code"], r["kind"], r["canonical"])
            for r in csv.DictReader(fh)
        }


@functools.lru_cache(maxsize=_CACHE)
def place(value: object) -> tuple[str, str]:
    """(ISO code, canonical name) for a country, province or city; ('', '') when empty.

    Countries give ISO 3166-1 alpha-2 (``EU`` for the Union, ``INT`` for international
    frameworks); Chinese provinces and cities give ISO 3166-2:CN of their province. Several
    places separated by ``;`` or ``、`` give the first. Unknown names raise ValueError.
    """
    s = text(value)
    if not s:
        return "", ""
    first = re.split(r"[;、,/]| and ", s)[0].strip()
    table = _places()
    for candidate in (first, re.sub(r"\(.*?\)", "", first).strip(), s):
        hit = table.get(candidate.lower())
        if hit:
            return hit[0], hit[2]
    # a Chinese province followed by one of its cities: 广东省深圳市
    for cut in range(len(first) - 1, 1, -1):
        prov, city = table.get(first[:cut].lower()), table.get(first[cut:].lower())
        if prov and city and prov[1] == "province" and city[0] == prov[0]:
            return city[0], city[2]
    raise ValueError("a country, an EU/international scope, or a Chinese province or city")


@functools.lru_cache(maxsize=1)
def _bodies() -> dict[tuple[str, str], str]:
    with (paths.RESOURCES / "bodies.csv").open(encoding="utf-8") as fh:
        return {(text(r["alias"]).lower(), r["region"]): r["canonical"] for r in csv.DictReader(fh)}


@functools.lru_cache(maxsize=1)
def _local_names() -> dict[str, str]:
    """Canonical body -> its first Chinese alias in the rename table (the current name)."""
    out: dict[str, str] = {}
    with (paths.RESOURCES / "bodies.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if re.search(r"[\u4e00-\u9fff]", r["alias"]) and not r["note"].startswith("renamed"):
                out.setdefault(r["canonical"], r["alias"])
    return out


def body_local_name(canonical: str) -> str:
    """The Chinese name of a canonical body from the rename table, or ''."""
    return _local_names().get(canonical, "")


_GENERIC_BODY = re.compile(
    r"^(ministry|department|federal ministry|national institute) of ", re.IGNORECASE
)


@functools.lru_cache(maxsize=_CACHE)
def body(value: object, region: str = "", place: str = "") -> str:
    """The canonical name of the first (lead) body in a cell, through the rename table.

    Aliases can be limited to a region (``Ministry of Health`` is the NHC's predecessor only
    in China). Role notes in brackets are dropped (``INSERM (coordinator)`` -> ``INSERM``);
    a generic ministry name gets its country (``Ministry of Health (Italy)``). Several bodies
    separated by ``;`` or ``、`` reduce to the first.
    """
    s = text(value)
    if not s:
        return ""
    table = _bodies()
    first = re.split(r"[;；、]", s)[0].strip()
    bare = re.sub(r"\s*[(（].*?[)）]\s*", " ", first).strip() or first
    # 'NHFPC Bureau of Medical Administration' is led by the NHFPC: try the first word too
    for candidate in (first, bare, re.split(r",", bare)[0].strip(), bare.split(" ")[0]):
        key = simplified(candidate).lower()
        hit = table.get((key, region)) or table.get((key, ""))
        if hit:
            return hit
    if (
        _GENERIC_BODY.match(bare)
        and region == "Europe"
        and place
        and place not in ("EU", "International")
    ):
        return f"{bare} ({place})"
    return bare


# ---------------------------------------------------------------- vocabularies
def _vocab(value: object, aliases: dict[str, str], allowed: tuple[str, ...], what: str) -> str:
    s = text(value).lower()
    if s in allowed:
        return s
    if s in aliases:
        return aliases[s]
    raise ValueError(f"{what}: one of {', '.join(allowed)}")


@functools.lru_cache(maxsize=_CACHE)
def kind(value: object) -> str:
    """One of the four kinds the mission names (aliases in English and Chinese)."""
    return _vocab(value, KIND_ALIASES, KINDS, "a kind")


@functools.lru_cache(maxsize=_CACHE)
def region(value: object) -> str:
    """Europe or China."""
    s = text(value)
    for r in REGIONS:
        if s.lower() == r.lower():
            return r
    if s.lower() in REGION_ALIASES:
        return REGION_ALIASES[s.lower()]
    raise ValueError(f"a region: one of {', '.join(REGIONS)}")


@functools.lru_cache(maxsize=_CACHE)
def subtype(value: object) -> str:
    """A subtype from the controlled vocabulary, or '' when empty."""
    if not text(value):
        return ""
    return _vocab(value, SUBTYPE_ALIASES, SUBTYPES, "a subtype")


def status(value: object, *titles: str) -> str:
    """A status from the status cell, else from markers in the titles (试行, 征求意见稿...)."""
    s = text(value).lower()
    if s:
        if s in STATUS_ALIASES:
            return STATUS_ALIASES[s]
        for marker, st in STATUS_MARKERS:
            if marker in s:
                return st
        raise ValueError(
            "a status: one of in force, ended, ongoing, draft for comment, "
            "submitted draft, trial, interim, revised, repealed (or 试行, 暂行, "
            "征求意见稿, 送审稿, 修订, 废止)"
        )
    for t in titles:
        t = text(t)
        for marker, st in STATUS_MARKERS[:6]:  # markers that can appear inside a title
            if marker in t:
                return st
    return ""


@functools.lru_cache(maxsize=_CACHE)
def perspectives(value: object) -> tuple[str, ...]:
    """ICPerMed perspective codes, primary first, from codes or names separated by ; or 、."""
    s = text(value)
    if not s:
        return ()
    out: list[str] = []
    for part in re.split(r"[;；、|,]", s):
        p = part.strip()
        if not p:
            continue
        code = p.upper() if p.upper() in PERSPECTIVES else PERSPECTIVE_ALIASES.get(p.lower())
        if not code:
            raise ValueError("perspective codes " + ", ".join(PERSPECTIVES) + " separated by ;")
        if code not in out:
            out.append(code)
    return tuple(out)


_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def url(value: object) -> str:
    """An http(s) URL."""
    s = text(value)
    if not _URL.match(s):
        raise ValueError("an http:// or https:// URL")
    return s


_DOCNO = re.compile(r"[〔\[【(（]\s*(\d{4})\s*[〕\]】)）]")


def doc_no(value: object) -> str:
    """A Chinese document number with its year in the standard brackets: 国办发〔2016〕47号."""
    s = text(value)
    return _DOCNO.sub(lambda m: f"〔{m.group(1)}〕", s)
