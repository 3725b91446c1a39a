"""The figures stage of the pipeline task: five of the project's figures, saved and discarded."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .settings import BRIDGE_PARAMS, SEED


class Model:
    """The bits of a topic model that bridges and the figures need: assignments, names."""

    def __init__(self, table: Any, labels: Any) -> None:
        import pandas as pd

        self.labels = {int(c): f"topic {c}" for c in sorted(set(labels.tolist()))}
        names = [self.labels[int(c)] for c in labels]
        self.assignments = pd.DataFrame(
            {"id": table["id"].to_numpy(), "cluster": labels, "label": names, "name_en": names}
        )


def figures(table: Any, model: Model, emb: Any, tables: dict[str, Any]) -> int:
    """Draw and save five figures (PNG + SVG) to a temporary folder; return the count."""
    import matplotlib.pyplot as plt
    from sklearn.decomposition import TruncatedSVD

    from ic2analysis.analysis import bridges
    from ic2analysis.reporting import figures as figs

    figs.set_theme()
    coords = TruncatedSVD(2, random_state=SEED).fit_transform(emb.tfidf)  # a 2-D map
    makers: list[tuple[str, Callable[[], Any]]] = [
        ("region_kind", lambda: figs.region_kind(table)),
        ("cluster_sizes", lambda: figs.cluster_sizes(model.assignments, table["region"])),
        (
            "topic_map",
            lambda: figs.topic_map(coords, model.assignments, table["region"], model.labels),
        ),
        ("balance", lambda: figs.balance_bars(tables["balance_topics"], "label")),
        (
            "opportunities",
            lambda: figs.opportunity_ranking(
                tables["opportunities"], "label", bridges.COMPONENTS, BRIDGE_PARAMS["weights"]
            ),
        ),
    ]
    with tempfile.TemporaryDirectory() as folder:
        for name, make in makers:
            fig = make()
            figs.save(fig, name, Path(folder))
            plt.close(fig)
    return len(makers)
