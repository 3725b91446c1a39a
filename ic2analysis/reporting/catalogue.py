"""The catalogue pages (reports/catalogue/): every item grouped by region and kind, and one
page per topic with Europe and China side by side, in English and Chinese.

Each item has a stable anchor (its id). Counterparts come from the bridges tables through
``counterparts``; this module only arranges and labels what the tables hold.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import files
from ..cleaning import bodies_register
from . import body_pages, counterparts, site

REGIONS = ("Europe", "China")
KINDS = ("policy", "programme", "standard", "initiative")
SEARCHED = (
    "id",
    "title",
    "title_local",
    "acronym",
    "lead_body",
    "lead_body_local",
    "jurisdiction",
    "year_start",
    "doc_no",
)


def _topic_name(row: pd.Series, lang: str) -> str:
    for col in (f"name_{lang}", "name_en", "label"):
        if str(row.get(col, "") or "").strip():
            return str(row[col])
    return f"{row['cluster']}"


def topic_stem(cluster: int) -> str:
    """``topic-03``; a negative group number (e.g. -1, cross-cutting) gives ``topic-m1``."""
    return f"topic-{cluster:02d}" if cluster >= 0 else f"topic-m{-cluster}"


def topic_names(clusters: pd.DataFrame | None, lang: str, prefix: str = "") -> dict[str, dict]:
    """``{label: {cluster, name, href}}``: each topic's name in ``lang`` and its page."""
    if clusters is None or clusters.empty:
        return {}
    first = clusters.drop_duplicates("cluster").copy()
    first["_n"] = first["cluster"].astype(int)
    out = {}
    for _i, r in first.sort_values("_n").iterrows():
        out[r["label"]] = {
            "cluster": int(r["_n"]),
            "name": _topic_name(r, lang),
            "href": prefix + site.page_name(topic_stem(int(r["_n"])), lang),
        }
    return out


def _year(r: pd.Series) -> str:
    start, end = r.get("year_start", ""), r.get("year_end", "")
    return f"{start}–{end}" if start and end and end != start else start


def _titles(r: pd.Series, lang: str) -> dict:
    local, title = r.get("title_local", ""), r["title"]
    local_lang = "zh-Hans" if r["region"] == "China" else ""
    if lang == "zh" and local and r["region"] == "China":
        main, main_lang, other, other_lang = local, local_lang, title, "en"
    else:
        main, main_lang, other, other_lang = title, "en", local, local_lang
    return {
        "title": main,
        "title_lang": main_lang,
        "title_other": other if other != main else "",
        "other_lang": other_lang,
    }


def item_view(
    r: pd.Series, lang: str, topic: dict | None, cps: list[dict], bodies: list | None = None
) -> dict:
    """One item as the template shows it."""
    _ = site.translator(lang)
    st = r.get("source_type", "")
    perspectives = [p for p in str(r.get("perspectives", "")).split(";") if p]
    view = {
        "id": r["id"],
        **_titles(r, lang),
        "year": _year(r),
        "kind": _(f"kind1.{r['kind']}") if r["kind"] in KINDS else r["kind"],
        "subtype": r.get("subtype", ""),
        "jurisdiction": r.get("jurisdiction", ""),
        "lead_body": r.get("lead_body", ""),
        "lead_body_local": r.get("lead_body_local", ""),
        "bodies": bodies or [],
        "status": r.get("status", ""),
        "source_url": r.get("source_url", ""),
        "source_type": st,
        "source_type_label": _(f"source.{st}") if f"source.{st}" in site.messages() else st,
        "topic": topic["name"] if topic else "",
        "topic_href": topic["href"] if topic else "",
        "perspectives": [
            _(f"persp.{p}") if f"persp.{p}" in site.messages() else p for p in perspectives
        ],
        "counterparts": cps,
        "description": r.get("description", ""),
    }
    text = [str(r.get(c, "")) for c in SEARCHED] + [view["topic"]]
    view["search"] = " ".join(t for t in text if t).lower()
    return view


def views(data: dict, lang: str) -> dict[str, dict]:
    """``{id: item view}`` for every item of the processed table, in table order."""
    items, clusters = data["items"], data["clusters"]
    names = topic_names(clusters, lang)
    label_of = (
        dict(zip(clusters["id"], clusters["label"], strict=True)) if clusters is not None else {}
    )
    table = (
        data["counterparts_by_item"] if data["counterparts_by_item"] is not None else data["pairs"]
    )
    close = counterparts.by_item(table)
    titles = {r["id"]: _titles(r, lang)["title"] for _i, r in items.iterrows()}
    index = site.page_name("index", lang)
    led = (
        body_pages.links(bodies_register.register(), items, lang)
        if "lead_body_ids" in items
        else {}
    )
    out = {}
    for _i, r in items.iterrows():
        cps = [
            {"id": c, "title": titles.get(c, ""), "href": f"{index}#{c}", "similarity": s}
            for c, s in close.get(r["id"], [])
        ]
        topic = names.get(label_of.get(r["id"], ""))
        out[r["id"]] = item_view(r, lang, topic, cps, led.get(r["id"]))
    return out


def groups(items: pd.DataFrame, view: dict[str, dict], lang: str) -> list[dict]:
    """Items by region, then kind (known values first, then any other, sorted)."""
    _ = site.translator(lang)
    out = []
    regions = [r for r in REGIONS if (items["region"] == r).any()]
    regions += sorted(set(items["region"]) - set(REGIONS))
    for region in regions:
        sub = items[items["region"] == region]
        kinds = [k for k in KINDS if (sub["kind"] == k).any()] + sorted(
            set(sub["kind"]) - set(KINDS)
        )
        rlabel = _(f"region.{region}") if f"region.{region}" in site.messages() else region
        anchor = region.lower()
        out.append(
            {
                "region_label": rlabel,
                "anchor": anchor,
                "kinds": [
                    {
                        "label": _(f"kind.{k}") if k in KINDS else k,
                        "anchor": f"{anchor}-{k}",
                        "items": [view[i] for i in sorted(sub.loc[sub["kind"] == k, "id"])],
                    }
                    for k in kinds
                ],
            }
        )
    return out


def topic_pages(data: dict, view: dict[str, dict], lang: str) -> list[dict]:
    """One entry per topic: its name, counts, top terms and both regions' items."""
    clusters, terms = data["clusters"], data["cluster_terms"]
    if clusters is None or clusters.empty:
        return []
    _ = site.translator(lang)
    out = []
    for _label, t in topic_names(clusters, lang).items():
        sub = clusters[clusters["cluster"].astype(int) == t["cluster"]].copy()
        sub["_r"] = pd.to_numeric(sub["rank_in_cluster"], errors="coerce")
        sub = sub.sort_values(["_r", "id"], kind="stable")
        top = []
        if terms is not None:
            tt = terms[terms["cluster"].astype(int) == t["cluster"]]
            top = list(tt.assign(_r=tt["rank"].astype(int)).sort_values("_r")["term"].head(8))
        sides = [
            {
                "label": _(f"region.{reg}"),
                "items": [view[i] for i in sub.loc[sub["region"] == reg, "id"] if i in view],
            }
            for reg in REGIONS
        ]
        out.append(
            {
                **t,
                "terms": top,
                "sides": sides,
                "n_europe": len(sides[0]["items"]),
                "n_china": len(sides[1]["items"]),
            }
        )
    return out


def build(folder: Path, data: dict) -> list[Path]:
    """Write the catalogue's pages, both languages; return their paths."""
    items = data["items"]
    if items is None:
        return []
    written, by_lang = [], {}
    for lang in site.LANGS:
        view = by_lang[lang] = views(data, lang)
        topics = topic_pages(data, view, lang)
        common = {"root": "../", "has_catalogue": True}
        page = site.render(
            "catalogue.html.j2",
            lang,
            stem="index",
            n_items=len(items),
            example=items["id"].iloc[0] if len(items) else "",
            topics=topics,
            groups=groups(items, view, lang),
            **common,
        )
        written.append(files.write_text(folder / site.page_name("index", lang), page))
        for t in topics:
            stem = topic_stem(t["cluster"])
            page = site.render("topic.html.j2", lang, stem=stem, topic=t, **common)
            written.append(files.write_text(folder / site.page_name(stem, lang), page))
    return written + body_pages.build(folder, data, by_lang)
