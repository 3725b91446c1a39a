"""The reviewers' entry page (index.html) and the run's manifest (manifest.json).

The page is self-contained (inline CSS, relative links, no script, no network) and every
string that comes from data is escaped. The manifest holds hashes of inputs, parameters,
package sources and outputs, and package versions: nothing that changes from day to day.
"""

from __future__ import annotations

import hashlib
import html
import importlib.metadata as md
import json
import platform
from pathlib import Path

import pandas as pd
import yaml

from .. import files, paths
from ..params import NOTEBOOKS

SOURCE_SUFFIXES = (".py", ".csv", ".j2", ".json")
PACKAGES = (
    "pandas",
    "numpy",
    "scipy",
    "scikit-learn",
    "matplotlib",
    "seaborn",
    "jieba",
    "OpenCC",
    "RapidFuzz",
    "pandera",
    "openpyxl",
    "papermill",
    "nbconvert",
    "nbval",
)
FIGURES = (
    ("03_opportunities", "Collaboration opportunity score per topic, split into its components."),
    ("03_region_topic_heatmap", "Share of each region's items per topic."),
    (
        "02_topic_map",
        "Initiatives on a 2-D map of their texts, coloured by topic; circles are "
        "European items, triangles Chinese.",
    ),
    ("01_timeline", "Items per year of adoption or start, by region."),
    ("03_pairs", "The most similar Europe-China pairs inside the top opportunities."),
    (
        "03_actors",
        "The bodies that lead most items in each region: the likely counterparts "
        "(Chinese bodies with their Chinese names).",
    ),
    ("01_region_kind", "Items by kind and region after cleaning."),
)


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _files(folder: Path, pattern: str = "*") -> list[Path]:
    return sorted(p for p in folder.glob(pattern) if p.is_file() and not p.name.startswith("."))


def inputs(out: paths.RunPaths) -> list[Path]:
    """The raw files the run read, from its cleaning log."""
    log = out.tables / "cleaning_log.csv"
    if not log.exists():
        return []
    files = sorted(set(pd.read_csv(log, dtype=str, keep_default_na=False)["file"]))
    return [paths.resolve_input(f) for f in files]


def manifest(out: paths.RunPaths) -> dict:
    """Hashes and versions that identify the run (no dates, no commit ids)."""
    src = sorted((paths.ROOT / "ic2analysis").rglob("*"))
    h = hashlib.sha256()
    for f in src:
        if f.is_file() and f.suffix in SOURCE_SUFFIXES and "__pycache__" not in f.parts:
            h.update(f.relative_to(paths.ROOT).as_posix().encode() + b"\0" + f.read_bytes())
    params = {}
    for nb in NOTEBOOKS:
        pf = out.params / f"{nb}.yaml"
        if pf.exists():
            params[nb] = yaml.safe_load(pf.read_text(encoding="utf-8"))
    outputs = {}
    for folder in (out.processed, out.tables, out.figures, out.notebooks):
        for f in _files(folder):
            outputs[paths.rel_to_root(f) if out.name == "" else out.rel(f)] = sha256(f)
    versions = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            versions[p] = md.version(p)
        except md.PackageNotFoundError:
            versions[p] = None
    return {
        "run": out.name or "default",
        "inputs": {paths.rel_to_root(f): sha256(f) for f in inputs(out) if f.exists()},
        "parameters": params,
        "package_source_sha256": h.hexdigest(),
        "versions": versions,
        "outputs": outputs,
    }


def _table(frame: pd.DataFrame, columns: list[str], headers: list[str]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    rows = []
    for _, r in frame.iterrows():
        cells = "".join(f"<td>{html.escape(str(r[c]))}</td>" for c in columns)
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _read(out: paths.RunPaths, name: str) -> pd.DataFrame | None:
    f = out.tables / f"{name}.csv"
    return pd.read_csv(f, dtype=str, keep_default_na=False) if f.exists() else None


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;
margin-top:1.8em}.lead{color:#444;font-size:1.05em}
.cards{display:flex;flex-wrap:wrap;gap:.8em}.card{border:1px solid #ccc;border-radius:6px;
padding:.6em 1em;min-width:9em}.card b{display:block;font-size:1.5em;color:#0072B2}
table{border-collapse:collapse;width:100%;font-size:.9em;margin:.5em 0}
th,td{border:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#f3f6fa}figure{margin:1.2em 0}figure img{max-width:100%;border:1px solid #eee}
figcaption{color:#555;font-size:.9em}ul.files{columns:2;font-size:.92em}
code{background:#f4f4f4;padding:0 .2em}
"""


def index_html(out: paths.RunPaths, man: dict) -> str:
    """The page as a string; every value from data is escaped."""
    e = html.escape
    parts = [
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>ic2analysis: personalised medicine in Europe and China</title>"
        f"<style>{CSS}</style></head><body>",
        "<h1>Personalised medicine in Europe and China</h1>",
        '<p class="lead">A reproducible mapping of the policies, programmes, standards and '
        "initiatives that govern, fund and build personalised medicine in Europe and China, "
        "grouped into topics and compared to find where the two could work together "
        f"(run: <code>{e(man['run'])}</code>).</p>",
    ]
    cards = []
    rk = _read(out, "items_by_region_kind")
    if rk is not None:
        for _, r in rk.iterrows():
            cards.append((r["region"], r["total"], "items"))
    log = _read(out, "cleaning_log")
    if log is not None:
        c = log["outcome"].value_counts()
        cards.append(
            (
                "raw rows",
                str(len(log)),
                f"{c.get('kept', 0)} kept, "
                f"{c.get('merged', 0)} merged, {c.get('rejected', 0)} rejected",
            )
        )
    met = _read(out, "topic_metrics")
    if met is not None:
        m = dict(zip(met["metric"], met["value"], strict=True))
        cards.append(
            (
                "topics",
                str(int(float(m.get("k", 0)))),
                f"silhouette {float(m.get('silhouette', 'nan')):.3f}, stability "
                f"{float(m.get('stability_ari', 'nan')):.2f}",
            )
        )
    parts.append(
        '<div class="cards">'
        + "".join(
            f'<div class="card">{e(str(a))}<b>{e(str(b))}</b>{e(str(c))}</div>' for a, b, c in cards
        )
        + "</div>"
    )
    opp = _read(out, "opportunities")
    if opp is not None:
        parts.append("<h2>Top collaboration opportunities</h2>")
        parts.append(
            _table(
                opp.head(5),
                ["rank", "label", "n_europe", "n_china", "score", "reasons"],
                ["#", "Topic", "Europe", "China", "Score", "Why"],
            )
        )
    pairs = _read(out, "pairs")
    if pairs is not None and len(pairs):
        parts.append("<h3>Example pairs behind them</h3>")
        first = pairs.groupby("opportunity_rank", sort=True).head(1)
        parts.append(
            _table(
                first,
                ["label", "europe_title", "china_title", "similarity", "shared_terms"],
                ["Topic", "Europe", "China", "Similarity", "Shared terms"],
            )
        )
    parts.append("<h2>Key figures</h2>")
    for name, caption in FIGURES:
        if (out.figures / f"{name}.png").exists():
            parts.append(
                f'<figure><img src="figures/{e(name)}.png" alt="{e(caption)}">'
                f"<figcaption>{e(caption)} "
                f"{_link(f'figures/{name}.svg', 'SVG')}</figcaption></figure>"
            )
    parts.append(
        "<h2>Notebooks</h2><table><thead><tr><th>Notebook</th><th>Read</th></tr></thead><tbody>"
    )
    for nb in NOTEBOOKS:
        if (out.notebooks / f"{nb}.ipynb").exists():
            parts.append(
                f"<tr><td>{e(nb)}</td><td>"
                f"{_link(f'notebooks/{nb}.reader.html', 'without code')} · "
                f"{_link(f'notebooks/{nb}.html', 'with code')} · "
                f"{_link(f'notebooks/{nb}.ipynb', '.ipynb')}</td></tr>"
            )
    parts.append("</tbody></table>")
    parts.append('<h2>Tables</h2><ul class="files">')
    for f in _files(out.tables, "*.csv"):
        parts.append(f"<li>{_link(f'tables/{f.name}', f.name)}</li>")
    parts.append('</ul><h2>Figures</h2><ul class="files">')
    for f in _files(out.figures, "*.png"):
        parts.append(
            f"<li>{_link(f'figures/{f.name}', f.name)} "
            f"({_link(f'figures/{f.stem}.svg', 'svg')})</li>"
        )
    parts.append("</ul>")
    parts.append(
        "<h2>Provenance</h2><p>Everything on this page is rebuilt from the raw "
        "mapping by <code>make reports</code>; <code>make verify</code> proves the "
        "committed files are what the code produces. "
        f"{_link('manifest.json', 'manifest.json')} holds the hash of every input and "
        "output, the parameters and the versions.</p>"
    )
    rows = [("Python", man["versions"].get("python"))] + [
        (k, v) for k, v in man["versions"].items() if k in ("pandas", "scikit-learn", "jieba")
    ]
    rows += [(f"input {k}", v[:16]) for k, v in man["inputs"].items()]
    rows.append(("package source", man["package_source_sha256"][:16]))
    parts.append(
        "<table><tbody>"
        + "".join(
            f"<tr><th>{e(str(a))}</th><td><code>{e(str(b))}</code></td></tr>" for a, b in rows
        )
        + "</tbody></table>"
    )
    parts.append("</body></html>\n")
    return "\n".join(parts)


def build(out: paths.RunPaths) -> list[str]:
    """Write manifest.json and index.html for the run; return what was written."""
    man = manifest(out)
    files.write_text(
        out.reports / "manifest.json",
        json.dumps(man, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
    )
    files.write_text(out.reports / "index.html", index_html(out, man))
    return [
        paths.rel_to_root(out.reports / "manifest.json"),
        paths.rel_to_root(out.reports / "index.html"),
    ]
