"""The entry page (index.html, index.zh.html): the headline numbers first, then the top
opportunities, key figures and links to every notebook, table and figure.

Numbers come from the tables the notebooks wrote (through ``provenance``); this module only
chooses what to show and formats it.
"""

from __future__ import annotations

from ..params import NOTEBOOKS
from . import catalogue, provenance, site
from .manifest import listed

FIGURES = (
    "03_opportunities",
    "03_rank_intervals",
    "03_region_topic_heatmap",
    "02_topic_map",
    "01_timeline",
    "03_pairs",
    "03_actors",
    "03_body_counterparts",
    "01_region_kind",
)


def _num(value: object, fmt: str) -> str:
    try:
        return format(float(value), fmt)
    except (TypeError, ValueError):
        return "–"


def topics_skipped(data: dict) -> bool:
    """True when the run has items but no topics: no (or an empty) clusters table, or the
    topic metrics say the step was skipped (tiny mappings)."""
    if data["items"] is None:
        return False
    if (data.get("topic_model") or {}).get("skipped"):
        return True
    clusters, met = data["clusters"], data["topic_metrics"]
    if clusters is None or clusters.empty:
        return True
    if met is not None:
        m = dict(zip(met["metric"], met["value"], strict=True))
        flag = str(m.get("skipped", m.get("topics_skipped", ""))).strip().lower()
        return flag in ("1", "1.0", "true", "yes")
    return False


def say(note: dict | None, _) -> str:
    """A saved analysis note in the page's language (its English text if it has no key)."""
    if not note:
        return ""
    if note.get("key"):
        return _(f"note.{note['key']}", **(note.get("values") or {}))
    return str(note.get("text") or "").strip()


def notices(data: dict, _) -> list[str]:
    """What the reader must know before any number: nothing clustered, k_range clipped (or
    another adjustment of the topics to the mapping), one region only."""
    items = data["items"]
    if items is None:
        return [_("notice.no_items")]
    out = []
    model = data.get("topic_model") or {}
    said = model.get("said") or {}
    if topics_skipped(data):
        why = say(said.get("skipped"), _) or str(model.get("why") or "").strip()
        out.append(_("notice.topics_skipped") + (f" ({why})" if why else ""))
    else:
        fitted = [say(n, _) for n in said.get("notes") or []]
        fitted = [n for n in fitted if n] or [str(n) for n in model.get("notes") or [] if n]
        if fitted:  # k_range clipped for a small mapping, and the like: said before any number
            out.append(_("notice.topic_notes", notes="; ".join(fitted)))
    regions = provenance.regions_present(items)
    if len(regions) == 1:
        out.append(_("notice.single_region", region=_(f"region.{regions[0]}")))
    return out


def cards(data: dict, _) -> list[dict]:
    """The headline: items per region, raw rows, rejected rows, warnings, topics."""
    out = []
    for region in provenance.regions_present(data["items"]):
        n = int((data["items"]["region"] == region).sum())
        out.append({"label": _(f"region.{region}"), "value": n, "note": _("head.items")})
    counts = provenance.cleaning_counts(data["cleaning_log"], data["cleaning_summary"])
    if counts:
        out.append(
            {
                "label": _("head.raw_rows"),
                "value": counts["rows"],
                "note": _("head.kept_merged_rejected", **counts),
            }
        )
        out.append(
            {
                "label": _("head.rejected"),
                "value": counts["rejected"],
                "note": _("head.rejected_note"),
                "alert": counts["rejected"] > 0,
            }
        )
        warn = counts["warnings"]
        out.append(
            {
                "label": _("head.warnings"),
                "value": "–" if warn is None else warn,
                "note": _("head.warnings_unknown") if warn is None else "",
                "alert": bool(warn),
            }
        )
    met = data["topic_metrics"]
    if met is not None and not topics_skipped(data):
        m = dict(zip(met["metric"], met["value"], strict=True))
        quality = _(
            "head.topic_quality",
            silhouette=_num(m.get("silhouette"), ".3f"),
            boot=_num(m.get("bootstrap_ari"), ".2f"),
            boot_sd=_num(m.get("bootstrap_ari_sd"), ".2f"),
            null=_num(m.get("null_bootstrap_ari"), ".2f"),
            null_sd=_num(m.get("null_bootstrap_ari_sd"), ".2f"),
            seed=_num(m.get("stability_ari"), ".2f"),
        )
        out.append({"label": _("head.topics"), "value": _num(m.get("k"), ".0f"), "note": quality})
    return out


def verified_lines(data: dict, _) -> list[str]:
    """One line per region: the share of items whose key fields were checked."""
    table = provenance.verified_share(data["audit_summary"])
    if table is None:
        return [_("head.no_verification")] if data["items"] is not None else []
    return [
        f"{_('head.verified')}: {_num(r.share * 100, '.1f')} % — "
        + _(
            "head.verified_note",
            verified=r.verified,
            items=r["items"],
            region=_(f"region.{r.region}"),
        )
        for _i, r in table.iterrows()
    ]


def source_types(data: dict, _) -> dict | None:
    """Shares of each source type per region, as percentages."""
    shares = provenance.source_type_shares(data["audit_summary"])
    if shares is None:
        return None
    types = [c for c in shares.columns if c != "n"]
    rows = [
        {
            "region": _(f"region.{region}"),
            "values": [_num(r[t] * 100, ".0f") + " %" for t in types],
            "n": int(r["n"]),
        }
        for region, r in shares.iterrows()
    ]
    labels = [_(f"source.{t}") if f"source.{t}" in site.messages() else t for t in types]
    return {"columns": labels, "rows": rows}


def opportunities(data: dict, names: dict[str, dict], lang: str) -> list[dict]:
    """The five best topics, each linked to its catalogue page, with how far their rank
    moves (the 90 % interval over the weights, P(top 5) under both tests, fragile)."""
    opp = data["opportunities"]
    if opp is None:
        return []
    if "candidate" in opp.columns:
        opp = opp[opp["candidate"].astype(str).str.lower().isin(("true", "1"))]
    rows = []
    for r in opp.head(5).itertuples():
        lo, hi = getattr(r, "rank_lo", None), getattr(r, "rank_hi", None)
        topic = names.get(r.label)
        rows.append(
            {
                "rank": r.rank,
                "topic": topic["name"] if topic else r.label,
                "href": f"catalogue/{topic['href']}" if topic else None,
                "n_europe": r.n_europe,
                "n_china": r.n_china,
                "score": r.score,
                "interval": f"{_num(lo, '.0f')}–{_num(hi, '.0f')}",
                "p_top": f"{_num(getattr(r, 'p_top_weights', None), '.2f')} / "
                f"{_num(getattr(r, 'p_top_topics', None), '.2f')}",
                "fragile": str(getattr(r, "fragile", "")).lower() in ("true", "1"),
                "reasons": r.reasons,
                "bodies": str(getattr(r, "counterpart_bodies", "") or ""),
            }
        )
    return rows


def method(man: dict, data: dict, _) -> str:
    """The method of notebook 03 (robustness, carriers, counterparts) in one paragraph,
    with the run's own parameters, and what P(top five) is worth with this many candidates."""
    p = (man.get("parameters") or {}).get("03_bridges") or {}
    text = _(
        "opp.method",
        draws=p.get("weight_draws", "–"),
        concentration=p.get("dirichlet_concentration", "–"),
        fragile=p.get("fragile_below", "–"),
        per_item=p.get("counterparts_per_item", "–"),
    )
    opp = data.get("opportunities")
    if opp is not None and "candidate" in opp:
        n = int(opp["candidate"].astype(str).str.lower().isin(["true", "1"]).sum())
        if n > 5:
            text += " " + _("opp.chance", n=n, chance=f"{5 / n:.2f}")
    return text


def pairs(data: dict, names: dict[str, dict]) -> list[dict]:
    """The first pair behind each top opportunity."""
    p = data["pairs"]
    if p is None or p.empty:
        return []
    first = p.groupby("opportunity_rank", sort=True).head(1)
    return [
        {
            "topic": names.get(r.label, {}).get("name", r.label),
            "europe": r.europe_title,
            "china": r.china_title,
            "similarity": r.similarity,
            "shared_terms": r.shared_terms,
        }
        for r in first.itertuples()
    ]


def context(out, data: dict, man: dict, lang: str) -> dict:
    """Everything index.html.j2 shows, for one language."""
    _ = site.translator(lang)
    names = catalogue.topic_names(data["clusters"], lang, prefix="")
    versions = man["versions"]
    prov = [("Python", versions.get("python"))]
    prov += [(k, versions.get(k)) for k in ("pandas", "scikit-learn", "jieba")]
    prov += [(f"input {k}", v[:16]) for k, v in man["inputs"].items()]
    prov.append(("package source", man["package_source_sha256"][:16]))
    return {
        "root": "",
        "stem": "index",
        "run": man["run"],
        "has_catalogue": data["items"] is not None,
        "notices": notices(data, _),
        "cards": cards(data, _),
        "verified": verified_lines(data, _),
        "source_types": source_types(data, _),
        "opportunities": opportunities(data, names, lang),
        "opp_method": method(man, data, _),
        "pairs": pairs(data, names),
        "figures": [
            {"name": f, "caption": _(f"fig.{f}")}
            for f in FIGURES
            if (out.figures / f"{f}.png").exists()
        ],
        "notebooks": [nb for nb in NOTEBOOKS if (out.notebooks / f"{nb}.ipynb").exists()],
        "tables": [f.name for f in listed(out.tables, "*.csv")],
        "all_figures": [f.stem for f in listed(out.figures, "*.png")],
        "provenance": prov,
    }
