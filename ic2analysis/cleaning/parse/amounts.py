"""Money figures in European, English and Chinese notation, with their currency and scale.

Rules (documented in data/README.md):

* A figure needs a currency (``EUR 10 million``, ``€1,5 Mio.``, ``5000萬元``, ``HK$ 2 bn``);
  a bare number is a count, never money.
* A currency written before a number binds to that number (``Horizon 2020 EUR 10 million``
  is EUR 10 million; the programme year is part of a name).
* Separators: several ``.`` or ``,`` are thousands (``1.000.000``, ``1,000,000``); both
  together, the last is the decimal mark (``1.234,5``); one ``,`` followed by 1-2 digits is a
  decimal comma (``1,5 Mio.``); one ``.`` or ``,`` followed by exactly 3 digits with no scale
  word is ambiguous (``EUR 1.000``): the amount stays empty with a warning.
* A range (``PLN 104-105 million``) stays empty with a warning: no single figure is stated.
* Chinese numerals (``五千万元``) are read with cn2an; traditional scale characters (萬, 億)
  count as their simplified forms.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ...text import CJK_RANGES, fold

_THIN_SPACES = "\u2009\u202f\u00a0\u2007\u200a"


@dataclass(frozen=True)
class Amount:
    """A money figure: value in units of ``currency`` (ISO 4217)."""

    value: float
    currency: str


@dataclass(frozen=True)
class AmountRead:
    """The figure read from a cell (or None) and why a figure was left empty, if it was."""

    amount: Amount | None
    warning: str = ""


# Symbols and words, matched longest first; prefix forms may precede the number.
CURRENCIES = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "欧元": "EUR",
    "£": "GBP", "gbp": "GBP", "英镑": "GBP",
    "us$": "USD", "usd": "USD", "$": "USD", "美元": "USD",
    "hk$": "HKD", "hkd": "HKD", "港币": "HKD", "港元": "HKD", "港幣": "HKD",
    "nt$": "TWD", "twd": "TWD", "新台币": "TWD", "新台幣": "TWD",
    "jpy": "JPY", "日元": "JPY", "円": "JPY",
    "¥": "CNY", "￥": "CNY", "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "元": "CNY",
    "人民币": "CNY", "人民幣": "CNY",
    "dkk": "DKK", "sek": "SEK", "nok": "NOK", "chf": "CHF", "pln": "PLN", "czk": "CZK",
    "huf": "HUF", "ron": "RON", "bgn": "BGN", "isk": "ISK",
}  # fmt: skip
MULTIPLIERS = {
    "万亿": 1e12, "萬億": 1e12, "亿": 1e8, "億": 1e8, "千万": 1e7, "千萬": 1e7,
    "百万": 1e6, "百萬": 1e6, "万": 1e4, "萬": 1e4, "千": 1e3,
    "k": 1e3, "thousand": 1e3, "tsd": 1e3,
    "m": 1e6, "mn": 1e6, "mio": 1e6, "million": 1e6, "millions": 1e6,
    "b": 1e9, "bn": 1e9, "mrd": 1e9, "billion": 1e9, "billions": 1e9,
}  # fmt: skip
# Scale words of German-speaking writers: with them ',' is the decimal mark.
_EUROPEAN_SCALES = ("mio", "mrd", "tsd")


def _alternation(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_CUR = _alternation(CURRENCIES)
_MUL = _alternation(MULTIPLIERS)
_ZH_NUM = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億"
# A figure starts at a digit that follows no other digit or mark: '2030 100亿元' is 100亿元 after a
# year, never '030 100' (a three-digit group taken from inside the year).
_NUM = rf"(?:(?<![\d.,])(?:\d{{1,3}}(?:\s\d{{3}})+(?![\d.,])|\d[\d.,]*\d|\d)|[{_ZH_NUM}]{{2,}})"
_SCALE = rf"(?:(?P<mul>{_MUL})\.?(?![a-z]))?"
_PRE = re.compile(rf"(?P<pre>{_CUR})\s*(?P<num>{_NUM})\s*{_SCALE}\s*(?P<post>{_CUR})?", re.I)
_POST = re.compile(rf"(?P<num>{_NUM})\s*{_SCALE}\s*(?P<post>{_CUR})", re.I)
_RANGE = re.compile(rf"^\s*(?:-|–|—|~|～|to|至)\s*{_NUM}", re.IGNORECASE)
_RANGE_BEFORE = re.compile(r"\d\s*(?:-|–|—|~|～|至)\s*$")
_JPY = re.compile(r"\bJPY\b|日元|円|\byen\b", re.IGNORECASE)
_YEAR = re.compile(r"^(19[5-9]\d|20[0-4]\d)$")
_NAME_BEFORE = re.compile(rf"[A-Za-z{CJK_RANGES}][\w{CJK_RANGES}-]*\s*$")


class Ambiguous(ValueError):
    """A figure whose value cannot be read without guessing."""


def number(token: str, scale: str = "") -> float:
    """A numeral in any of the notations of the module docstring (raises Ambiguous).

    ``scale`` is the scale word after it: ``Mio.``/``Mrd.`` make ``,`` the decimal mark and
    ``.`` the thousands mark (``1,5 Mio.``, ``1.500 Mio.``); an English scale word makes a
    single ``.`` decimal (``1.250 million``).
    """
    european = scale.lower() in _EUROPEAN_SCALES
    t = token.strip()
    if re.fullmatch(f"[{_ZH_NUM}]+", t):
        import cn2an

        return float(cn2an.cn2an(t.replace("萬", "万").replace("億", "亿"), "smart"))
    t = re.sub(r"(?<=\d)\s+(?=\d{3}\b)", "", t)  # 1 200 000
    if " " in t or not re.fullmatch(r"[\d.,]+", t):
        raise Ambiguous(f"a single figure, not {token!r}")
    dots, commas = t.count("."), t.count(",")
    if dots and commas:
        dec = "." if t.rfind(".") > t.rfind(",") else ","
        return float(t.replace("," if dec == "." else ".", "").replace(",", "."))
    sep = "." if dots else "," if commas else ""
    if not sep:
        return float(t)
    whole, *groups = t.split(sep)
    if len(groups) > 1:
        if all(len(g) == 3 for g in groups):
            return float(whole + "".join(groups))
        raise Ambiguous(f"digit groups of three after each {sep!r}")
    frac = groups[0]
    if len(frac) != 3:
        return float(f"{whole}.{frac}")
    if sep == "," and not european:
        return float(whole + frac)  # 2,500: English thousands
    if european:
        return float(f"{whole}.{frac}") if sep == "," else float(whole + frac)
    if scale:
        return float(f"{whole}.{frac}")  # 1.250 million
    raise Ambiguous(f"a figure whose {sep!r} is clearly a decimal or a thousands mark")


def _currency(code_text: str, cell: str) -> str:
    cur = CURRENCIES[code_text.lower()]
    if cur == "CNY" and code_text in "¥￥" and _JPY.search(cell):
        return "JPY"  # ¥ is also the yen sign: the cell says which
    return cur


def _figures(s: str) -> list[re.Match]:
    """Candidate figures in reading order; a currency before a number binds to that number."""
    pre = list(_PRE.finditer(s))  # 'pre' is a group of these matches only
    spans = [range(m.start(), m.end()) for m in pre]
    post = [
        m
        for m in _POST.finditer(s)
        if not any(m.start("num") in r or m.start("post") in r for r in spans)
        and not _is_name(s, m)
    ]
    return sorted(pre + post, key=lambda m: m.start())


def _is_name(s: str, m: re.Match) -> bool:
    """A bare year after a word is part of a name (Horizon 2020, Healthy China 2030)."""
    return bool(
        _YEAR.match(m.group("num")) and not m.group("mul") and _NAME_BEFORE.search(s[: m.start()])
    )


@functools.lru_cache(maxsize=1 << 16)
def read_amount(value: object) -> AmountRead:
    """The first money figure in a cell, or none with a warning when it is ambiguous."""
    s = fold(value)
    for ch in _THIN_SPACES:
        s = s.replace(ch, " ")
    for m in _figures(s):
        if _RANGE.match(s[m.end("num") :]) or _RANGE_BEFORE.search(s[: m.start("num")]):
            return AmountRead(None, f"a single figure, not a range ({m.group(0).strip()}...)")
        mul_word = (m.group("mul") or "").lower()
        try:
            num = number(m.group("num"), mul_word)
        except Ambiguous as exc:
            return AmountRead(None, f"{exc}; got {m.group('num')!r}")
        cur = _currency(m.groupdict().get("pre") or m.group("post"), s)
        return AmountRead(Amount(round(num * MULTIPLIERS.get(mul_word, 1.0), 2), cur))
    return AmountRead(None)


def amount(value: object) -> Amount | None:
    """The first unambiguous money figure in a cell (``6.4亿元``, ``€370 m``), or None."""
    return read_amount(value).amount
