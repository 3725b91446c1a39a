"""The topic tables: written by notebook 02, read back by notebook 03.

clusters.csv (one row per item: topic, names, distance), cluster_terms.csv (top c-TF-IDF
phrases of each topic), topic_metrics.csv (every figure with its meaning), k_sweep.csv,
topic_stability.csv (per-topic clusterboot Jaccard), topic_bootstraps.csv (id, bootstrap,
topic: the bootstrap partitions, long format), instruments.csv, region_terms.csv,
style_terms.csv and
topic_model.json (k, why, settings).

Every item's TF-IDF matrix and LSA space are also kept, for notebook 03 to load instead of
refitting, in a content-addressed cache (``<reports>/.cache/``, not committed): the file name
is the hash of the documents, the settings, the vectorising code and the library versions,
so a cache entry that does not match the current inputs is never found, let alone used.
"""

from __future__ import annotations

import hashlib
import io
import json
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from .. import files, paths
from . import notes, vectorise

CACHE = ".cache"
# the libraries whose versions can change the vectors (tokens, TF-IDF, ARPACK)
VECTOR_LIBRARIES = ("jieba", "numpy", "scikit-learn", "scipy")

CLUSTER_COLUMNS = [
    "id", "region", "title", "cluster", "label", "name_en", "name_zh", "distance",
    "rank_in_cluster", "instrument",
]  # fmt: skip


def write(result, items: pd.DataFrame, metrics: pd.DataFrame, out) -> None:
    """Write every topic table of the run (also when topics were skipped)."""
    t = out.tables
    if result.skipped:
        a = items[["id", "region", "title"]].assign(
            cluster=0, label="All items (not clustered)", name_en="All items (not clustered)",
            name_zh="全部条目（未聚类）", distance=np.nan, rank_in_cluster=1, instrument=False,
        )  # fmt: skip
        terms = pd.DataFrame(columns=["cluster", "term", "weight", "rank", "name_en", "name_zh"])
    else:
        inst = result.instruments.set_index("id")["instrument"]
        a = result.assignments.merge(items[["id", "region", "title"]], on="id")
        a["instrument"] = a["id"].map(inst).astype(bool)
        terms = result.terms
    files.write_csv(t / "clusters.csv", a[CLUSTER_COLUMNS])
    files.write_csv(t / "cluster_terms.csv", terms)
    files.write_csv(t / "topic_metrics.csv", metrics)
    files.write_csv(t / "k_sweep.csv", result.sweep.round(4))
    files.write_csv(t / "topic_stability.csv", result.topic_stability)
    files.write_csv(t / "topic_bootstraps.csv", result.bootstraps)
    files.write_csv(t / "instruments.csv", result.instruments)
    files.write_csv(t / "region_terms.csv", result.region_terms)
    files.write_csv(t / "style_terms.csv", result.style_terms)
    model = {
        "k": result.k,
        "why": result.why,
        "skipped": result.skipped,
        "notes": [str(n) for n in result.notes],
        "said": {
            "skipped": notes.saved([result.skipped])[0] if result.skipped else None,
            "notes": notes.saved(result.notes),
        },  # fmt: skip
        "stale_names": result.stale_names,
        "settings": result.settings.as_dict() if result.settings else {},
    }
    files.write_text(t / "topic_model.json", json.dumps(model, indent=2, sort_keys=True) + "\n")
    if getattr(result, "embedding", None) is not None and result.settings is not None:
        texts = list(vectorise.documents(items))
        save_embedding(result.embedding, embedding_file(texts, result.settings, out))


def model(out) -> dict:
    """topic_model.json of the run."""
    return json.loads((out.tables / "topic_model.json").read_text(encoding="utf-8"))


def reload(items: pd.DataFrame, out) -> tuple[pd.DataFrame, vectorise.Embedding]:
    """Items joined with their topics, and the TF-IDF embedding notebook 02 used."""
    m = model(out)
    s = m["settings"] or vectorise.Settings().as_dict()
    settings = vectorise.Settings(
        **{k: tuple(v) if isinstance(v, list) else v for k, v in s.items()}
    )
    clusters = pd.read_csv(out.tables / "clusters.csv", dtype={"id": str}, keep_default_na=False)
    cols = ["id", "cluster", "label", "name_en", "name_zh", "instrument"]
    joined = items.merge(clusters[cols], on="id", how="left", validate="1:1")
    if joined["cluster"].isna().any():
        raise ValueError("clusters.csv does not cover every item: re-run notebook 02")
    texts = list(vectorise.documents(joined))
    cached = load_embedding(embedding_file(texts, settings, out))
    return joined, cached or vectorise.embed(texts, settings)


def embedding_file(texts: list[str], settings: vectorise.Settings, out) -> Path:
    """The cache file of these documents' embedding, named by the hash of all it depends on."""
    h = hashlib.sha256()
    for text in texts:
        h.update(text.encode("utf-8") + b"\x00")
    h.update(json.dumps(settings.as_dict(), sort_keys=True).encode())
    h.update(Path(vectorise.__file__).read_bytes())
    for lib in VECTOR_LIBRARIES:
        h.update(f"{lib}=={metadata.version(lib)}".encode())
    return Path(out.tables).parent / CACHE / f"embedding-{h.hexdigest()[:32]}.npz"


def shared_cache() -> Path:
    """The cache folder all runs share (its entries are named by content, so any run may use
    another's): ``reports/.cache``, or under ``IC2_OUTPUT_DIR`` when that is set."""
    return paths.run_paths("").reports / CACHE


def save_embedding(emb: vectorise.Embedding, file: Path) -> None:
    """Write the TF-IDF rows, terms and LSA space (atomically, with the notebook's outputs),
    and drop the run's older entries, which no longer match its inputs."""
    for old in file.parent.glob("embedding-*.npz"):
        if old.name != file.name:
            old.unlink(missing_ok=True)
    x = sparse.csr_matrix(emb.tfidf)
    buf = io.BytesIO()
    np.savez(buf, data=x.data, indices=x.indices, indptr=x.indptr, shape=np.array(x.shape),
             terms=np.asarray(emb.terms, dtype=str), space=emb.space)  # fmt: skip
    files.write_bytes(file, buf.getvalue())


def load_embedding(file: Path) -> vectorise.Embedding | None:
    """The cached embedding, or None when there is none (or it cannot be read)."""
    try:
        with np.load(file, allow_pickle=False) as z:
            x = sparse.csr_matrix((z["data"], z["indices"], z["indptr"]), shape=tuple(z["shape"]))
            return vectorise.Embedding(x, z["terms"].astype(object), z["space"])
    except (OSError, KeyError, ValueError):
        return None


def bootstraps(out) -> pd.DataFrame | None:
    """topic_bootstraps.csv of the run (id, bootstrap, topic), or None when there is none."""
    file = out.tables / "topic_bootstraps.csv"
    if not file.exists():
        return None
    table = pd.read_csv(file, dtype={"id": str}, keep_default_na=False)
    return table if {"id", "bootstrap", "topic"} <= set(table.columns) else None
