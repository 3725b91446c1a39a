"""What the benchmark measures and where it writes: sizes, repeats, model settings, paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ic2analysis import config

HERE = Path(__file__).resolve().parent.parent  # benchmarks/
ROOT = HERE.parent
SCRIPT = HERE / "bench.py"  # every measurement runs as `bench.py --child`
RESULTS = HERE / "results"
LATEST = RESULTS / "latest.csv"
LARGE_CSV = RESULTS / "large.csv"  # runs with --sizes 1000000 (not part of make bench)
PLOT = RESULTS / "scaling.png"
README = HERE / "README.md"

SIZES = (1_000, 10_000, 100_000)
REPEATS = {1_000: 3, 10_000: 3, 100_000: 1}  # the default run: about 6 min on 2 quiet cores
SWEEP_SIZES = (10_000,)  # the k: auto evidence (its silhouette and stability use a sample)
SWEEP_K = (8, 12)
LARGE = 1_000_000  # from this size on: one run, under a memory cap, a failure is recorded
LARGE_CAP_GIB = 8.0  # issue 18: 1M rows within 8 GiB
SAME_TITLE_SIZES = (500, 1_000, 2_000)  # rows sharing one title (dedupe worst case)
K = 12
SEED = 0
TOPICS = config.Topics(seed=SEED)  # the notebooks' defaults, from the one definition
N_INIT = TOPICS.consensus_n_init
LSA = TOPICS.lsa_components
BRIDGE_PARAMS: dict[str, Any] = config.Bridges().values()
PIPELINE_STAGES = ("clean", "embed", "fit", "bridges", "figures")
PLAIN_STAGES = ("read", "tfidf", "lsa", "kmeans")  # plain TF-IDF + LSA + KMeans
SUB_STAGES = ("pairs", "counterparts", "robustness")  # inside "bridges", timed on their own
