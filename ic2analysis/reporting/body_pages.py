"""One catalogue page per body (``catalogue/body-<id>.html``, English and Chinese): what it
leads, its topics and its counterparts (issue #20).

The facts come from the register ``data/bodies.csv`` and the tables notebook 03 wrote
(``body_profiles``, ``body_counterparts``); this module only arranges them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import files
from ..cleaning import bodies_register
from . import site


def stem(bid: str) -> str:
    """``body-B-CN-NHC``: the page's file stem."""
    return f"body-{bid}"


def href(bid: str, lang: str) -> str:
    return site.page_name(stem(bid), lang)


def links(reg: bodies_register.Register, items: pd.DataFrame, lang: str) -> dict[str, list]:
    """``{item id: [{name, local, href}, ...]}``: each item's lead bodies as page links."""
    out = {}
    for r in items.itertuples():
        ids = [b for b in str(getattr(r, "lead_body_ids", "") or "").split(";") if b]
        out[r.id] = [
            {
                "id": b,
                "name": reg.label(b),
                "local": reg.local(b),
                "local_lang": "zh-Hans" if reg.frame.at[b, "region"] == "China" else "",
                "href": href(b, lang),
            }
            for b in ids
            if b in reg.frame.index
        ]
    return out


def _ref(reg, bid: str, lang: str, year: int | None = None) -> dict:
    return {"name": reg.label(bid), "href": href(bid, lang), "year": year or ""}


def _items(ids: list[str], views: dict[str, dict], lang: str) -> list[dict]:
    index = site.page_name("index", lang)
    return [
        {"id": i, "title": views[i]["title"], "href": f"{index}#{i}", "year": views[i]["year"]}
        for i in sorted(ids)
        if i in views
    ]


def lookups(data: dict) -> dict[str, dict]:
    """Each body's profile row, directly led items and counterpart rows, found in one pass
    over each table (a page per body used to filter every table again: 4.7 s for 604 pages)."""
    prof, direct, pairs = {}, {}, {}
    if data["body_profiles"] is not None:
        for r in data["body_profiles"].itertuples():
            prof.setdefault(r.body_id, r)
    items = data["items"]
    for i, cell in zip(items["id"], items["lead_body_ids"].str.split(";"), strict=True):
        for b in set(cell):
            direct.setdefault(b, []).append(i)
    if data["body_counterparts"] is not None:
        for p in data["body_counterparts"].itertuples():
            for b in {p.europe_id, p.china_id}:
                pairs.setdefault(b, []).append(p)
    return {"profiles": prof, "direct": direct, "pairs": pairs}


def body_view(
    bid: str, reg, data: dict, views: dict[str, dict], lang: str, look: dict | None = None
) -> dict:
    """One body as the template shows it (``look``: :func:`lookups` of ``data``, shared)."""
    look = lookups(data) if look is None else look
    row = reg.frame.loc[bid]
    prof = look["profiles"].get(bid)
    acted = prof.item_ids.split(";") if prof is not None else []
    led = sorted(set(acted) | set(look["direct"].get(bid, [])))  # with own agencies' items
    cps = []
    for p in look["pairs"].get(bid, [])[:5]:
        other = p.china_id if p.europe_id == bid else p.europe_id
        score = f"{float(p.score):.2f}"
        cps.append({**_ref(reg, other, lang), "score": score, "reason": p.reason})
    return {
        "id": bid,
        "name": row["name_en"],
        "local": row["name_local"],
        "acronym": row["acronym"],
        "type": row["type"],
        "country": row["country"],
        "region": row["region"],
        "url": row["url"],
        "parent": _ref(reg, row["parent_id"], lang) if row["parent_id"] else None,
        "predecessors": [
            _ref(reg, b, lang, y) for b, y in bodies_register.links(row["predecessor_ids"])
        ],
        "successors": [
            _ref(reg, b, lang, y) for b, y in bodies_register.links(row["successor_ids"])
        ],
        "current": _ref(reg, reg.current(bid), lang) if reg.current(bid) != bid else None,
        "topics": prof.topics.split("; ") if prof is not None and prof.topics else [],
        "kinds": prof.kinds if prof is not None else "",
        "items": _items(led, views, lang),
        "counterparts": cps,
        "verified": row["verified"],
    }


def build(folder: Path, data: dict, views_by_lang: dict[str, dict]) -> list[Path]:
    """Write a page per body that leads an item (as written or through a rename)."""
    items = data["items"]
    if items is None or "lead_body_ids" not in items:
        return []
    reg = bodies_register.register()
    look = lookups(data)
    used = {b for b in look["direct"] if b}  # every body named in lead_body_ids
    used |= {reg.current(b) for b in used}
    written = []
    for lang in site.LANGS:
        for bid in sorted(used):
            view = body_view(bid, reg, data, views_by_lang[lang], lang, look)
            page = site.render(
                "body.html.j2", lang, stem=stem(bid), body=view, root="../", has_catalogue=True
            )
            written.append(files.write_text(folder / site.page_name(stem(bid), lang), page))
    return written
