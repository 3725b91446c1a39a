"""Which bodies may be counterparts, and which of a family acts (issue #20).

- **Compatibility**: two bodies of the same register type do the same job (1); a few
  different types do it across the two systems (``RELATED``: a ministry and a government
  body; a research infrastructure and a research institute that runs a data centre or a
  biobank) and pair at a factor below 1 (``body_related_function``); the rest never pair.
- **Acting body**: an item led by a body together with one of its own agencies (the
  register's ``parent_id`` chain) counts for the agency, the body that itself acts.
- **Kin do not compete**: for one counterpart, a body and its parent (or agency) are never
  both listed; the better-scored stays and says whom it stands ahead of.
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

from ..cleaning import bodies_register

FUNCTIONS = {  # register type -> the function it is shown under (figure, table)
    "ministry": "government",
    "government": "government",
    "regulator": "regulator",
    "funder": "funder",
    "standards body": "standards body",
    "research infrastructure": "research infrastructure",
    "research institute or university": "research",
    "hospital or hospital network": "care provider",
    "parliament or council": "legislature",
    "company": "industry",
    "consortium": "consortium",
    "professional society": "professional society",
    "international organisation": "international organisation",
}
UNPAIRED = {"other"}  # register types that carry no function to compare
RELATED = {  # different register types that do the same job across the two systems
    frozenset({"ministry", "government"}),
    frozenset({"research infrastructure", "research institute or university"}),
}


def compatibility(e_type: str, c_type: str, related: float) -> float:
    """1 for the same register type, ``related`` for a related pair (RELATED), else 0."""
    if e_type in UNPAIRED or c_type in UNPAIRED:
        return 0.0
    if e_type == c_type:
        return 1.0
    return related if frozenset({e_type, c_type}) in RELATED else 0.0


_CHAINS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # register -> id -> chain


def _chain(reg: bodies_register.Register, bid: str) -> tuple[str, ...]:
    """The parent chain of ``bid``, worked out once per register and body."""
    if reg not in _CHAINS:
        _CHAINS[reg] = ({}, dict(zip(reg.frame["id"], reg.frame["parent_id"], strict=True)))
    chains, parents = _CHAINS[reg]
    if bid not in chains:
        out, seen, at = [], {bid}, bid
        while (parent := parents[at]) and parent not in seen:
            out.append(parent)
            seen.add(parent)
            at = parent
        chains[bid] = tuple(out)
    return chains[bid]


def ancestors(reg: bodies_register.Register, bid: str) -> list[str]:
    """The body's parent, its parent's parent, ... (from the register's ``parent_id``)."""
    return list(_chain(reg, bid))


def acting(ids: list[str], reg: bodies_register.Register) -> list[str]:
    """The bodies of one item that act: a body co-leading with one of its agencies drops."""
    above = {a for b in ids for a in _chain(reg, b)}
    return [b for b in ids if b not in above]


def item_bodies(items: pd.DataFrame, reg: bodies_register.Register) -> pd.DataFrame:
    """One row per (item, acting body carrying it today): ``id, body_id, region, kind``.
    The acting bodies are worked out once per distinct ``lead_body_ids`` cell."""
    codes, cells = pd.factorize(items["lead_body_ids"].fillna(""), sort=False)
    per_cell = [
        acting(list(dict.fromkeys(reg.current(b) for b in cell.split(";") if b)), reg)
        for cell in cells
    ]
    rows = np.repeat(np.arange(len(items)), np.array([len(a) for a in per_cell], int)[codes])
    bids = np.empty(len(rows), dtype=object)
    bids[:] = [b for c in codes for b in per_cell[c]]
    return pd.DataFrame(
        {
            "id": items["id"].to_numpy(dtype=object)[rows],
            "body_id": bids,
            "region": items["region"].to_numpy(dtype=object)[rows],
            "kind": items["kind"].to_numpy(dtype=object)[rows],
        },
        columns=["id", "body_id", "region", "kind"],
    )


def uncontested(pairs: pd.DataFrame, reg: bodies_register.Register) -> pd.DataFrame:
    """Drop a pair whose body is outscored, for the same counterpart, by its own parent or
    agency (either side): an agency and its parent do not compete; the kept pair says so."""
    pairs = pairs.sort_values(["score", "europe_id", "china_id"], ascending=[False, True, True])
    drop: set = set()
    notes: dict = {}
    for own, other in (("europe_id", "china_id"), ("china_id", "europe_id")):
        for _, g in pairs.groupby(own, sort=True):
            kept: list[tuple[int, str]] = []
            for idx, bid in zip(g.index, g[other], strict=True):
                family = next((k for k in kept if _kin(reg, k[1], bid)), None)
                if family is None:
                    kept.append((idx, bid))
                    continue
                drop.add(idx)
                role = "parent" if bid in _chain(reg, family[1]) else "own unit"
                notes.setdefault(family[0], []).append(f"{role} {reg.label(bid)}")
    out = pairs.drop(index=sorted(drop)).copy()
    for idx, said in notes.items():
        if idx in out.index:
            more = f" and {len(said) - 1} more" if len(said) > 1 else ""
            out.at[idx, "reason"] += f"; ahead of its {said[0]}{more} (kin do not compete)"
    return out


def _kin(reg: bodies_register.Register, a: str, b: str) -> bool:
    return a in _chain(reg, b) or b in _chain(reg, a)
