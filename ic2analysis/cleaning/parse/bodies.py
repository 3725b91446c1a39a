"""Lead bodies: a check that a ``lead_body`` cell holds names only, and local names of bodies.

``lead_body`` holds body names separated by ``;`` in one language (English), the Chinese names
go to ``lead_body_local``; roles, dates, people and partners go to ``notes`` (issues #11, #12).
Names become register ids in ``cleaning.bodies_register`` (issue #20): the renames
(the renames of the Chinese health and medicines authorities) are rows of ``data/bodies.csv``.
"""

from __future__ import annotations

import functools
import re

from ...text import fold, has_cjk
from .. import bodies_register


@functools.lru_cache(maxsize=1)
def _local_by_label() -> dict[str, str]:
    reg = bodies_register.register()
    return {reg.label(b): reg.local(b) for b in reg.frame.index}


def body_local_name(canonical: str) -> str:
    """The local (Chinese) name of a body given by its label in ``lead_body_canonical``, or ''."""
    return _local_by_label().get(canonical, "")


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
