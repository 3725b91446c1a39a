"""Controlled vocabularies (region, kind, subtype, status, perspectives, source type, amount
scope) and the simple forms (URL, document number).

Values are matched after width folding and conversion of traditional characters (OpenCC),
so ``計劃`` reads as ``计划`` and ``中國`` as ``中国``.
"""

from __future__ import annotations

import functools
import re

from ...text import REGIONS, fold, simplified
from ..vocabularies import (
    AMOUNT_SCOPE_ALIASES,
    AMOUNT_SCOPES,
    KIND_ALIASES,
    KINDS,
    PERSPECTIVE_ALIASES,
    PERSPECTIVES,
    REGION_ALIASES,
    SOURCE_TYPE_ALIASES,
    SOURCE_TYPES,
    STATUS_ALIASES,
    STATUS_MARKERS,
    STATUSES,
    SUBTYPE_ALIASES,
    SUBTYPES,
)

_CACHE = 1 << 16


def _key(value: object) -> str:
    return simplified(fold(value)).lower()


def _vocab(value: object, aliases: dict[str, str], allowed: tuple[str, ...], what: str) -> str:
    s = _key(value)
    if s in allowed:
        return s
    if s in aliases:
        return aliases[s]
    raise ValueError(f"{what}: one of {', '.join(allowed)}")


def _optional(value: object, aliases: dict[str, str], allowed: tuple[str, ...], what: str) -> str:
    return _vocab(value, aliases, allowed, what) if fold(value) else ""


@functools.lru_cache(maxsize=_CACHE)
def kind(value: object) -> str:
    """One of the four kinds the mission names (aliases in English and Chinese)."""
    return _vocab(value, KIND_ALIASES, KINDS, "a kind")


@functools.lru_cache(maxsize=_CACHE)
def region(value: object) -> str:
    """Europe or China."""
    s = _key(value)
    for r in REGIONS:
        if s == r.lower():
            return r
    if s in REGION_ALIASES:
        return REGION_ALIASES[s]
    raise ValueError(f"a region: one of {', '.join(REGIONS)}")


@functools.lru_cache(maxsize=_CACHE)
def subtype(value: object) -> str:
    """A subtype from the controlled vocabulary, or '' when empty."""
    return _optional(value, SUBTYPE_ALIASES, SUBTYPES, "a subtype")


@functools.lru_cache(maxsize=_CACHE)
def source_type(value: object) -> str:
    """What kind of page ``source_url`` is: issuer, scholarly, official-media, secondary, mirror."""
    return _optional(value, SOURCE_TYPE_ALIASES, SOURCE_TYPES, "a source type")


@functools.lru_cache(maxsize=_CACHE)
def amount_scope(value: object) -> str:
    """What an amount covers, as stated: total, per year, per project or per person."""
    return _optional(value, AMOUNT_SCOPE_ALIASES, AMOUNT_SCOPES, "an amount scope")


def status(value: object, *titles: str) -> str:
    """A status from the status cell, else from markers in the titles (试行, 征求意见稿...)."""
    s = _key(value)
    if s:
        if s in STATUS_ALIASES:
            return STATUS_ALIASES[s]
        for marker, st in STATUS_MARKERS:
            if marker in s:
                return st
        raise ValueError(
            f"a status: one of {', '.join(STATUSES)} (or "
            + ", ".join(m for m, _ in STATUS_MARKERS if not m.isascii())
            + ")"
        )
    for t in titles:
        t = fold(t)
        if t.isascii():  # the markers are Chinese: an ASCII title holds none
            continue
        t = simplified(t)
        for marker, st in STATUS_MARKERS[:6]:  # markers that can appear inside a title
            if marker in t:
                return st
    return ""


@functools.lru_cache(maxsize=_CACHE)
def perspectives(value: object) -> tuple[str, ...]:
    """ICPerMed perspective codes, primary first, from codes or names separated by ; or 、."""
    s = simplified(fold(value))
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
    s = fold(value)
    if not _URL.match(s):
        raise ValueError("an http:// or https:// URL")
    return s


def is_url(value: object) -> bool:
    """Whether a cell holds an http(s) URL."""
    return bool(_URL.match(fold(value)))


_DOCNO = re.compile(r"[〔\[【(（]\s*(\d{4})\s*[〕\]】)）]")


def doc_no(value: object) -> str:
    """A Chinese document number with its year in the standard brackets: 国办发〔2016〕47号."""
    return _DOCNO.sub(lambda m: f"〔{m.group(1)}〕", fold(value))
