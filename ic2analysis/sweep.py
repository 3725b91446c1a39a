"""Parameter sweeps of the topics notebook: one Papermill run per setting, one comparison.

Each setting runs notebook 02 into its own run folder (reports/runs/sweep-<setting>), on the
default run's processed table; the metrics of all runs are gathered in reports/sweeps/.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
from collections.abc import Mapping

import matplotlib.pyplot as plt
import pandas as pd

from . import files, params, paths
from .reporting import figures
from .runner import run_notebook


def from_env(env: Mapping[str, str] | None = None) -> list[str]:
    """Sweep axes from ``IC2_K`` ("6 8 10") and ``IC2_SET`` ("min_df=1 2 n_init=5 10").

    Both are split with shlex; in SET a word without ``=`` is one more value of the key
    before it, so ``SET='ngram_range="[1, 1]" "[1, 2]"'`` sweeps two lists.
    """
    env = os.environ if env is None else env
    axes: list[list[str]] = []
    if env.get(params.ENV["K"]):
        axes.append(["k", *params.words(env[params.ENV["K"]])])
    for word in params.words(env.get(params.ENV["SET"], "")):
        key, sep, value = word.partition("=")
        if sep and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            axes.append([key, value] if value else [key])
        elif axes:
            axes[-1].append(word)
        else:
            raise params.ParameterError(f"sweep SET {word!r}: expected key=value1 value2 ...")
    return [f"{a[0]}={chr(0).join(a[1:])}" for a in axes]


def settings(assignments: list[str]) -> list[dict]:
    """Expand ``key=v1\0v2...`` assignments into the grid of settings they describe."""
    axes = []
    for a in assignments:
        key, sep, values = a.partition("=")
        vals = [v for v in values.split(chr(0)) if v.strip()]
        if not sep or not vals:
            raise params.ParameterError(f"sweep {a!r}: expected key=value1 value2 ...")
        axes.append([(key.strip(), v) for v in vals])
    if not axes:
        raise params.ParameterError('sweep: give at least one key=values, e.g. K="6 8 10"')
    return [dict(combo) for combo in itertools.product(*axes)]


def run(assignments: list[str], name: str = "sweep") -> list[str]:
    """Execute notebook 02 once per setting; write the comparison table and figure."""
    default = paths.run_paths("")
    if not default.initiatives.exists():
        raise FileNotFoundError("run `make reports` first: the sweep reuses its cleaned table")
    grid = []
    for setting in settings(assignments):  # every setting is validated before any run
        tag = "-".join(f"{k}{re.sub(r'[^A-Za-z0-9.]+', '', v)}" for k, v in setting.items())
        run_name = paths.check_run_name(f"{name}-{tag}"[:80])
        overrides = params.load_overrides(None, [f"{k}={v}" for k, v in setting.items()])
        params.resolve(run_name, overrides)
        grid.append((setting, run_name, overrides))
    rows, lines = [], []
    for setting, run_name, overrides in grid:
        rp = paths.run_paths(run_name)
        rp.processed.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(default.initiatives, rp.initiatives)
        params.write_run(run_name, overrides)
        lines.append(f"ran     {run_notebook('02_topics', run_name)}")
        m = pd.read_csv(rp.tables / "topic_metrics.csv")
        rows.append(
            {
                **setting,
                **dict(zip(m["metric"], m["value"], strict=True)),
                "run": paths.rel_to_root(rp.reports),
            }
        )
    table = pd.DataFrame(rows)
    folder = paths.run_paths("").reports / "sweeps" / name
    files.write_csv(folder / "comparison.csv", table)
    figures.set_theme()
    label = table[[k for k in settings(assignments)[0]]].astype(str).agg(", ".join, axis=1)
    metrics_shown = [
        c for c in ("silhouette", "stability_ari", "adjusted_rand", "v_measure") if c in table
    ]
    fig, ax = plt.subplots(figsize=(8, 4))
    table.assign(setting=label).set_index("setting")[metrics_shown].astype(float).plot.bar(
        ax=ax, rot=0, color=figures.OKABE_ITO[: len(metrics_shown)]
    )
    ax.set(title="Topic metrics across settings", xlabel="Setting", ylabel="Value")
    fig.tight_layout()
    figures.save(fig, "comparison", folder)
    plt.close(fig)
    lines.append(f"wrote   {paths.rel_to_root(folder / 'comparison.csv')} and comparison.png/svg")
    return lines
