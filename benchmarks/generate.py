"""Large synthetic mappings in the repository's template, made from the desks' own raw rows.

Every row resamples one raw row of ``data/raw`` (of an item that cleaning keeps), with every
column as the desk wrote it: Chinese titles, dates such as ``2016年10月25日``, amounts such as
``8万亿元``, bodies in both scripts, statuses and document numbers, so that cleaning parses at
scale what it parses here. The description's words are perturbed (a few dropped, swapped with
a neighbour or replaced by a word from another item); the keyword list is shuffled and may
lose one keyword; the titles (both scripts) get a numeric suffix so that almost every row is a
distinct item. About ``dup_share`` of the rows are planted duplicates of another row (half
exact copies, half near copies with a small title edit), so that duplicate detection has real
work to do.

Usage: ``python benchmarks/generate.py [--sizes 1000 10000 100000] [--seed 0]``. Files go to
``benchmarks/results/raw/`` (git-ignored), never into ``data/``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RAW_OUT = Path(__file__).resolve().parent / "results" / "raw"
SIZES = (1_000, 10_000, 100_000)
# Every column the desks fill (read.read_all's canonical names), with a generated id.
COLUMNS = (
    "id", "title", "title_local", "acronym", "region", "jurisdiction", "kind", "subtype",
    "doc_no", "date_start", "date_end", "lead_body", "lead_body_local", "status", "scale",
    "amount_scope", "description", "perspectives", "keywords", "source_url", "source_type",
    "notes",
)  # fmt: skip


def base_items() -> pd.DataFrame:
    """The desks' raw rows of the items cleaning keeps, as written: the pool of every row."""
    from ic2analysis.cleaning import clean, read

    kept = set(clean.clean().table["id"])
    raw = read.read_all(read.discover())
    raw = raw[raw["id"].isin(kept)]
    return raw.reindex(columns=list(COLUMNS[1:]), fill_value="").reset_index(drop=True)


def _perturb_words(
    words: list[str], rng: np.random.Generator, vocab: np.ndarray, rate: float
) -> list[str]:
    """Drop, swap with a neighbour or replace about ``rate`` of the words each."""
    out = [w for w in words if rng.random() >= rate] or list(words)
    n = len(out)
    for _ in range(rng.binomial(n, rate)):
        i = int(rng.integers(0, max(n - 1, 1)))
        if i + 1 < n:
            out[i], out[i + 1] = out[i + 1], out[i]
    for _ in range(rng.binomial(n, rate)):
        out[int(rng.integers(0, n))] = str(vocab[rng.integers(0, len(vocab))])
    return out


def _near_title(title: str, rng: np.random.Generator) -> str:
    """A small edit that keeps every number: one letter dropped from a long word, or case."""
    words = title.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if long_words:
        i = long_words[int(rng.integers(0, len(long_words)))]
        j = int(rng.integers(1, len(words[i]) - 1))
        words[i] = words[i][:j] + words[i][j + 1 :]
        return " ".join(words)
    return title.upper()


def generate(
    n: int, seed: int = 0, dup_share: float = 0.02, base: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, int]:
    """``n`` rows in the template, and how many of them are planted duplicates."""
    rng = np.random.default_rng(seed)
    base = base_items() if base is None else base
    vocab = np.array(
        sorted({w for d in base["description"] for w in d.split() if w.isalpha() and len(w) > 3})
    )
    n_dup = int(round(n * dup_share))
    n_new = n - n_dup
    pick = rng.integers(0, len(base), n_new)
    rows: list[dict[str, str]] = []
    pool = base.to_dict("records")  # base.iloc per row would cost most of a million rows
    for i, b in enumerate(pick):
        row = dict(pool[int(b)])
        row["description"] = " ".join(_perturb_words(row["description"].split(), rng, vocab, 0.05))
        kws = [k.strip() for k in row["keywords"].split(";") if k.strip()]
        rng.shuffle(kws)
        if len(kws) > 2 and rng.random() < 0.5:
            kws = kws[:-1]
        row["keywords"] = "; ".join(kws)
        row["title"] = f"{row['title']} {i + 1:06d}"
        if row["title_local"]:
            row["title_local"] = f"{row['title_local']} {i + 1:06d}"
        row["source_url"] = f"{row['source_url']}#bench-{i + 1}"
        rows.append(row)
    # planted duplicates: half exact copies, half near copies (title edit, description noise)
    for d, src in enumerate(rng.integers(0, n_new, n_dup)):
        row = dict(rows[int(src)])
        if d % 2:
            row["title"] = _near_title(row["title"], rng)
            row["description"] = " ".join(
                _perturb_words(row["description"].split(), rng, vocab, 0.02)
            )
        rows.append(row)
    frame = pd.DataFrame(rows).iloc[rng.permutation(n)].reset_index(drop=True)
    frame.insert(0, "id", [f"BENCH-{i + 1:06d}" for i in range(n)])
    return frame[list(COLUMNS)], n_dup


def path_for(n: int, seed: int = 0, folder: Path = RAW_OUT) -> Path:
    """Where the mapping of ``n`` rows made with ``seed`` is written."""
    return folder / f"mapping_{n}_seed{seed}.csv"


def fingerprint(base: pd.DataFrame) -> str:
    """A short hash of the pool, so that a change in data/raw regenerates the mappings."""
    return hashlib.sha256(
        pd.util.hash_pandas_object(base, index=True).to_numpy().tobytes()
    ).hexdigest()[:16]


def ensure(n: int, seed: int = 0, folder: Path = RAW_OUT, base: pd.DataFrame | None = None) -> Path:
    """Write the mapping of ``n`` rows unless it exists for the same pool; return its path."""
    base = base_items() if base is None else base
    path = path_for(n, seed, folder)
    meta = path.with_suffix(".json")
    key = fingerprint(base)
    if path.exists() and meta.exists() and json.loads(meta.read_text()).get("pool") == key:
        return path
    frame, n_dup = generate(n, seed, base=base)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    frame.to_csv(tmp, index=False, lineterminator="\n")
    tmp.replace(path)
    meta.write_text(
        json.dumps({"rows": n, "seed": seed, "planted_duplicates": n_dup, "pool": key}) + "\n"
    )
    return path


PART_ROWS = 100_000  # rows per file of a split mapping (about 127 MB: under the 200 MB cap)


def split(path: Path, rows: int = PART_ROWS) -> list[Path]:
    """The mapping at ``path`` as files of at most ``rows`` rows each (written once, next to it).

    One file of a million rows is over the caps that cleaning puts on one file (500,000 rows,
    200 MB); the desks' own mappings come as several files too. The parts' names carry
    ``rows``, so parts of another size are never taken for these.
    """
    stem = f"{path.stem}.rows{rows}"
    parts = sorted(path.parent.glob(f"{stem}.part*.csv"))
    if parts and all(p.stat().st_mtime >= path.stat().st_mtime for p in parts):
        return parts
    out = []
    for k, chunk in enumerate(pd.read_csv(path, dtype=str, keep_default_na=False, chunksize=rows)):
        part = path.with_name(f"{stem}.part{k + 1:02d}.csv")
        chunk.to_csv(part, index=False, lineterminator="\n")
        out.append(part)
    return out


def planted_duplicates(path: Path) -> int:
    """How many duplicates were planted in the mapping at ``path``."""
    return int(json.loads(path.with_suffix(".json").read_text())["planted_duplicates"])


def main(argv: list[str] | None = None) -> None:
    """Write the mappings of the requested sizes."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=RAW_OUT)
    args = ap.parse_args(argv)
    base = base_items()
    for n in args.sizes:
        print(ensure(n, args.seed, args.out, base))


if __name__ == "__main__":
    main()
