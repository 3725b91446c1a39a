"""Progress bars for long loops: visible on a terminal, silent in notebooks and under CI.

Committed notebook outputs must stay byte-stable, so a bar is drawn only when standard
error is a terminal, no Jupyter kernel runs the code and ``CI`` is unset. ``IC2_PROGRESS=1``
forces bars on, ``IC2_PROGRESS=0`` off. Use it around any loop that takes seconds::

    from ic2analysis.progress import progress
    for k in progress(k_values, "k sweep"):
        ...
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")
ENV = "IC2_PROGRESS"


def enabled() -> bool:
    """Whether bars are drawn here and now (see the module docstring for the rule)."""
    forced = os.environ.get(ENV, "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    if os.environ.get("CI") or "ipykernel" in sys.modules:
        return False
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


def progress(items: Iterable[T], desc: str, total: int | None = None) -> Iterator[T]:
    """Iterate over ``items``, with a bar named ``desc`` when ``enabled()``."""
    if not enabled():
        yield from items
        return
    with tqdm(
        items, desc=desc, total=total, file=sys.stderr, leave=False, dynamic_ncols=True
    ) as bar:
        yield from bar
