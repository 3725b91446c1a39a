"""Pause Python's cyclic garbage collector during a bulk step that makes millions of objects.

The collector's full passes walk every live container. While cleaning builds 100k rows'
lists, dicts and strings (none of them in a reference cycle) it made seven such passes:
1.6-2.2 s of 10 s (benchmarks/README.md, issue 18). Reference counting still frees
everything as soon as it is unused; only objects in a cycle wait until the step ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block (or decorated function), then restore
    the state it had; forked children inherit the pause."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
