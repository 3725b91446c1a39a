"""Lead bodies: canonical names through the rename table, and a check that a cell holds names only.

``lead_body`` holds body names separated by ``;`` in one language (English), the Chinese names
go to ``lead_body_local``; roles, dates, people and partners go to ``notes`` (issues #11, #12).
"""

from __future__ import annotations

import csv
import functools
import re

from ... import paths
from ...text import fold, has_cjk, simplified


@functools.lru_cache(maxsize=1)
def _bodies() -> dict[tuple[str, str], str]:
    with (paths.RESOURCES / "bodies.csv").open(encoding="utf-8") as fh:
        return {(fold(r["alias"]).lower(), r["region"]): r["canonical"] for r in csv.DictReader(fh)}


@functools.lru_cache(maxsize=1)
def _local_names() -> dict[str, str]:
    """Canonical body -> its first Chinese alias in the rename table (the current name)."""
    out: dict[str, str] = {}
    with (paths.RESOURCES / "bodies.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if has_cjk(r["alias"]) and not r["note"].startswith("renamed"):
                out.setdefault(r["canonical"], r["alias"])
    return out


def body_local_name(canonical: str) -> str:
    """The Chinese name of a canonical body from the rename table, or ''."""
    return _local_names().get(canonical, "")


_GENERIC_BODY = re.compile(
    r"^(ministry|department|federal ministry|national institute) of ", re.IGNORECASE
)


@functools.lru_cache(maxsize=1 << 16)
def body(value: object, region: str = "", place: str = "") -> str:
    """The canonical name of the first (lead) body in a cell, through the rename table.

    Aliases can be limited to a region (``Ministry of Health`` is the NHC's predecessor only
    in China). Role notes in brackets are dropped (``INSERM (coordinator)`` -> ``INSERM``);
    a generic ministry name gets its country (``Ministry of Health (Italy)``). Several bodies
    separated by ``;`` or ``、`` reduce to the first.
    """
    s = fold(value)
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
    generic = _GENERIC_BODY.match(bare) and region == "Europe"
    if generic and place and place not in ("EU", "International"):
        return f"{bare} ({place})"
    return bare


_YEARS = re.compile(r"\b(19|20)\d{2}\b|\d{4}年|\d{1,2}月")
_DATES = re.compile(r"\b\d{4}-\d{2}(-\d{2})?\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")
_ROLES = re.compile(
    r"\b(coordinator|co-?ordinated|lead partner|head|director|chair|president|minister|"
    r"prof|professor|dr|secretariat|presidency|founded|launched|funded|implemented)\b\.?"
    r"|主任|院长|所长|部长|牵头|负责人|协调",
    re.IGNORECASE,
)
_PARTNERS = re.compile(
    r"\b(partners?|supported by|with|together with|in cooperation with|and others|et al)\b"
    r"|合作|支持|联合|等",
    re.IGNORECASE,
)


# Proper names that contain a flagged word but are names, not notes.
_NAME_PARTS = re.compile(
    r"\bHorizon 2020\b|\bPartner Institute\b|\bState Secretariat\b", re.IGNORECASE
)


def lead_body_problems(value: object) -> list[str]:
    """What in a ``lead_body`` cell is not a body name: years, dates, roles, partners.

    An empty list means the cell holds names only (issue #11/#12 target: none anywhere).
    """
    s = _NAME_PARTS.sub("", fold(value))
    found = []
    for what, pattern in (
        ("a date", _DATES),
        ("a year", _YEARS),
        ("a role or person", _ROLES),
        ("partners or support", _PARTNERS),
    ):
        if m := pattern.search(s):
            found.append(f"{what} ({m.group(0)!r})")
    if has_cjk(s) and re.search(r"[A-Za-z]{3,}", s):
        found.append("English and Chinese names mixed (the Chinese name goes to lead_body_local)")
    return found
