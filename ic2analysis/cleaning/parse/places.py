"""Places: a country, the EU or international scope, or Chinese provinces and cities.

One rule for ``jurisdiction`` (data/README.md): China items are ``national`` or the
province(s) or city they apply to; Europe items are ``EU``, ``International`` or a country.
Several places are separated by ``;`` (the China desk also writes ``、``).
"""

from __future__ import annotations

import csv
import functools
import re

from ... import paths
from ...text import fold

SEPARATORS = re.compile(r"[;；、,/]| and ")


@functools.lru_cache(maxsize=1)
def _places() -> dict[str, tuple[str, str, str]]:
    with (paths.RESOURCES / "places.csv").open(encoding="utf-8") as fh:
        return {
            fold(r["alias"]).lower(): (r["code"], r["kind"], r["canonical"])
            for r in csv.DictReader(fh)
        }


def _one(name: str) -> tuple[str, str] | None:
    """(code, canonical) of one place name, or None when unknown."""
    table = _places()
    for candidate in (name, re.sub(r"\(.*?\)", "", name).strip()):
        hit = table.get(candidate.lower())
        if hit:
            return hit[0], hit[2]
    # a Chinese province followed by one of its cities: 广东省深圳市
    for cut in range(len(name) - 1, 1, -1):
        prov, city = table.get(name[:cut].lower()), table.get(name[cut:].lower())
        if prov and city and prov[1] == "province" and city[0] == prov[0]:
            return city[0], city[2]
    return None


EXPECTED = "a country, an EU/international scope, or a Chinese province or city"


@functools.lru_cache(maxsize=1 << 16)
def places(value: object) -> tuple[tuple[str, str], ...]:
    """Every place in a cell as (ISO code, canonical name), in order; () when empty.

    Countries give ISO 3166-1 alpha-2 (``EU`` for the Union, ``INT`` for international
    frameworks); Chinese provinces and cities give ISO 3166-2:CN of their province. Unknown
    names raise ValueError.
    """
    s = fold(value)
    if not s:
        return ()
    whole = _one(s)
    if whole:
        return (whole,)
    out: list[tuple[str, str]] = []
    for part in (p.strip() for p in SEPARATORS.split(s)):
        if not part:
            continue
        hit = _one(part)
        if hit is None:
            raise ValueError(f"{EXPECTED} (unknown: {part!r})")
        if hit not in out:
            out.append(hit)
    return tuple(out)


def place(value: object) -> tuple[str, str]:
    """(ISO code, canonical name) of the first place in a cell; ('', '') when empty."""
    found = places(value)
    return found[0] if found else ("", "")


def scope_warning(region: str, codes: list[str]) -> str:
    """What is odd about a region's places, or '' (a Europe item placed in a province)."""
    if region == "Europe" and any(c.startswith("CN") for c in codes):
        return "a European place (EU, International or a country) for a Europe item"
    if region == "China" and any(c not in ("CN", "INT") and not c.startswith("CN-") for c in codes):
        return "national, a Chinese province or city, or International for a China item"
    return ""
