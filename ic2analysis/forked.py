"""One computation in a forked process while this one goes on, for independent steps.

The child sees the parent's memory as it was at the fork (shared, copy on write), so the
inputs are never copied or pickled; only the result comes back, pickled through a pipe.
With one job (``IC2_JOBS=1``), or when asked not to fork, the computation runs when its
result is asked for, as if it had been called there. Either way the result is the same.
"""

from __future__ import annotations

import multiprocessing
import pickle
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

from .params import jobs

T = TypeVar("T")

# Steps are forked for mappings of at most this many items (rows). Beyond, the analysis holds
# several GB and two steps' working memory at once passes the 8 GB target: at a million rows,
# with cleaning's halves forked, the processes together held 8.66 GiB (benchmarks/README.md).
MAX_ITEMS = 200_000


class Forked(Generic[T]):
    """``fn()`` started in a child process now; ``result()`` waits for it (or runs it)."""

    def __init__(self, fn: Callable[[], T], fork: bool = True) -> None:
        self._fn, self._process, self._pipe = fn, None, None
        if fork and jobs() >= 2:
            ctx = multiprocessing.get_context("fork")
            self._pipe, child_end = ctx.Pipe(duplex=False)
            # not a daemon: the child may start its own workers (TF-IDF counting)
            self._process = ctx.Process(target=_child, args=(fn, child_end))
            self._process.start()
            child_end.close()

    @property
    def forked(self) -> bool:
        """Whether ``fn`` runs in a child process."""
        return self._process is not None

    def result(self) -> T:
        """The value of ``fn()`` (asked for once); an exception in the child is raised here."""
        if self._process is None:
            return self._fn()
        try:
            ok, value = self._pipe.recv()  # before join: a large result fills the pipe
        except EOFError:  # the child died before sending anything
            ok, value = False, None
        finally:
            self._pipe.close()
            self._process.join()
        if ok:
            return value
        if value is None:
            raise RuntimeError(
                f"the forked process of {_name(self._fn)} ended without a result "
                f"(exit code {self._process.exitcode})"
            )
        raise value


def _name(fn: Callable) -> str:
    return getattr(fn, "__qualname__", repr(fn))


def _child(fn: Callable, pipe) -> None:
    try:
        out = (True, fn())
    except BaseException as exc:  # noqa: BLE001  # handed to the parent, which raises it
        out = (False, exc)
    try:
        pipe.send(out if out[0] else (False, pickle.loads(pickle.dumps(out[1]))))
    except Exception as exc:  # an unpicklable result or exception: say what, not silence
        why = f"{_name(fn)} in a forked process: {out[1]!r} could not be sent back ({exc!r})"
        pipe.send((False, RuntimeError(f"{why}\n{traceback.format_exc()}")))
    finally:
        pipe.close()
