"""Write a run's site: manifest.json, index.html and index.zh.html, the catalogue pages
and the shared assets. The command line calls ``build``.
"""

from __future__ import annotations

from .. import files, paths
from . import catalogue, datapackage, index, manifest, site

TABLES = (
    "cleaning_log",
    "cleaning_summary",
    "audit_summary",
    "clusters",
    "cluster_terms",
    "topic_metrics",
    "opportunities",
    "pairs",
    "counterparts_by_item",
    "body_profiles",
    "body_counterparts",
)


def read(out: paths.RunPaths) -> dict:
    """Every input of the pages; a table the run did not write is None."""
    data = {name: site.read_table(out, name) for name in TABLES}
    data["items"] = site.read_items(out)
    data["topic_model"] = site.read_json(out, "topic_model")
    if (data["topic_model"] or {}).get("skipped"):  # a placeholder cluster, not a topic
        data["clusters"] = data["cluster_terms"] = None
    return data


def build(out: paths.RunPaths) -> list[str]:
    """Write the run's manifest and pages; return what was written (relative paths)."""
    man, man_path = manifest.write(out)
    data = read(out)
    written = [man_path, *site.write_assets(out.reports)]
    codebook = datapackage.write(out)
    written += [codebook] if codebook else []
    folder = out.reports / "catalogue"
    pages = catalogue.build(folder, data)
    for stale in set(manifest.listed(folder, "*.html")) - set(pages):
        stale.unlink()  # a topic that no longer exists must not keep its page
    written += pages
    for lang in site.LANGS:
        page = site.render("index.html.j2", lang, **index.context(out, data, man, lang))
        written.append(files.write_text(out.reports / site.page_name("index", lang), page))
    return [paths.rel_to_root(p) for p in written]
