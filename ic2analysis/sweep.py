"""Parameter sweeps of the topics notebook: one Papermill run per setting, one comparison.

Each setting runs notebook 02 into its own run folder (reports/runs/sweep-<setting>), on the
default run's processed table; the metrics of all runs are gathered in reports/sweeps/.
"""

from __future__ import annotations

import itertools
import re
import shutil

import matplotlib.pyplot as plt
import pandas as pd

from . import files, params, paths
from .reporting import figures
from .runner import run_notebook


def settings(assignments: list[str]) -> list[dict]:
    """Expand ``key=v1 v2 ...`` assignments into the grid of settings they describe."""
    axes = []
    for a in assignments:
        key, sep, values = a.partition("=")
        if not sep or not values.split():
            raise params.ParameterError(f"sweep {a!r}: expected key=value1 value2 ...")
        axes.append([(key.strip(), v) for v in values.split()])
    if not axes:
        raise params.ParameterError('sweep: give at least one key=values, e.g. K="6 8 10"')
    return [dict(combo) for combo in itertools.product(*axes)]


def run(assignments: list[str], name: str = "sweep") -> list[str]:
    """Execute notebook 02 once per setting; write the comparison table and figure."""
    default = paths.run_paths("")
    if not default.initiatives.exists():
        raise FileNotFoundError("run `make reports` first: the sweep reuses its cleaned table")
    rows, lines = [], []
    for setting in settings(assignments):
        tag = "-".join(f"{k}{re.sub(r'[^A-Za-z0-9.]+', '', v)}" for k, v in setting.items())
        run_name = paths.check_run_name(f"{name}-{tag}"[:80])
        rp = paths.run_paths(run_name)
        rp.processed.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(default.initiatives, rp.initiatives)
        params.write_run(run_name, None, [f"{k}={v}" for k, v in setting.items()])
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
