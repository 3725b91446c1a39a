"""Execute a notebook with Papermill and make its outputs byte-stable for reviewers.

Volatile metadata (timings, paths, random cell ids) is removed, so that re-running with the
same data and parameters gives the same bytes; HTML is exported twice, with and without code.
The kernel writes into a stage that is committed only when the whole notebook succeeded, and
runs with one OpenMP/BLAS thread (``THREADS``; measured in benchmarks/README.md: without a
limit, notebook 02's time on a shared 2-core machine swings with libgomp's spinning threads).
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from . import files, paths, runstate
from .errors import NotebookError
from .reporting import export, nbimports

if TYPE_CHECKING:
    import nbformat

KERNEL = "ic2analysis"
THREADS = 1
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
THREADS_ENV = "IC2_THREADS"


def limit_threads() -> int:
    """Set the OpenMP/BLAS thread variables (inherited by kernels) to IC2_THREADS or 1."""
    n = os.environ.get(THREADS_ENV, "") or str(THREADS)
    if not n.isdigit() or int(n) < 1:
        raise ValueError(f"{THREADS_ENV}={n!r}: expected a whole number of threads >= 1")
    for var in THREAD_VARS:
        os.environ[var] = n
    return int(n)


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove what changes from run to run: timings, paths, environment, random ids."""
    params = nb.metadata.get("papermill", {}).get("parameters")
    nb.metadata.pop("papermill", None)
    if params is not None:
        nb.metadata["ic2analysis"] = {"parameters": params}
    nb.metadata.pop("widgets", None)
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        cell["id"] = f"cell-{i:02d}"
    return nb


def execute(source: Path, target: Path, parameters: dict, progress: bool | None = None) -> Path:
    """Run ``source`` with ``parameters``; write the stripped notebook and its HTML files.

    Everything the notebook writes is staged and lands only when the run succeeds; a failed
    or interrupted run leaves the previous outputs in place and keeps the failed notebook
    beside them for inspection.
    """
    nbimports.prepare()
    import nbformat
    import papermill as pm  # before the thread: nbconvert imports what papermill does

    warm = threading.Thread(target=export.warm_up, name="nbconvert warm-up", daemon=True)
    warm.start()  # nbconvert's import and templates load while the kernel runs (0.5 s)

    if progress is None:
        progress = sys.stderr.isatty() and not os.environ.get("CI")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".ipynb")
    os.close(fd)
    for stale in target.parent.glob(f".stage-{target.stem}.*"):  # from a killed run
        files.discard(stale)
    stage = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".stage-{target.stem}."))
    limit_threads()
    os.environ[files.STAGE_ENV] = str(stage)
    try:
        pm.execute_notebook(
            str(source),
            tmp,
            parameters=parameters,
            kernel_name=KERNEL,
            progress_bar=progress,
            log_output=False,
            cwd=str(Path(source).parent),
            shutdown_kernel="immediate",  # every cell has replied: a polite shutdown waits 0.8 s
        )
    except BaseException as exc:
        warm.join()  # not left importing while the interpreter exits
        files.discard(stage)
        failed = target.with_name(f"{target.stem}.failed.ipynb")
        os.replace(tmp, failed)
        if isinstance(exc, pm.PapermillExecutionError):
            raise NotebookError(
                f"{Path(source).stem} stopped: {exc.ename}: {exc.evalue} "
                f"(the notebook as it ran: {paths.rel_to_root(failed)})"
            ) from None
        raise
    finally:
        os.environ.pop(files.STAGE_ENV, None)
    if (stage / files.JOURNAL).exists():
        files.commit(stage)
    files.discard(stage)
    nb = strip(nbformat.read(tmp, as_version=4))
    Path(tmp).unlink()
    files.write_text(target, nbformat.writes(nb) + "\n")
    warm.join()
    files.write_text(target.with_suffix(".html"), export.export_html(nb, with_code=True))
    files.write_text(target.with_name(f"{target.stem}.reader.html"), export.export_html(nb, False))
    target.with_name(f"{target.stem}.failed.ipynb").unlink(missing_ok=True)
    return target


def install_kernel(name: str = KERNEL) -> Path:
    """Register this environment's Python as the Jupyter kernel ``name`` (in sys.prefix).

    The kernel logs at ERROR level so that runs show progress, not the kernel's warnings.
    """
    import json

    from ipykernel.kernelspec import install

    path = Path(install(kernel_name=name, display_name="Python (ic2analysis)", prefix=sys.prefix))
    spec = json.loads((path / "kernel.json").read_text(encoding="utf-8"))
    if "--IPKernelApp.log_level=ERROR" not in spec["argv"]:
        spec["argv"].append("--IPKernelApp.log_level=ERROR")
    (path / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return path


def run_notebook(notebook: str, run: str) -> str:
    """Execute one notebook of the run with its parameter file, holding the run's lock.

    The run's index is removed first: until ``report`` rewrites it, it would claim a
    complete run that an interruption could leave incomplete.
    """
    rp = paths.run_paths(run)
    with runstate.lock(run):
        p = yaml.safe_load((rp.params / f"{notebook}.yaml").read_text(encoding="utf-8"))
        target = rp.notebooks / f"{notebook}.ipynb"
        runstate.invalidate_index(run)
        start = time.perf_counter()
        execute(paths.NOTEBOOKS / f"{notebook}.ipynb", target, p)
    return f"{paths.rel_to_root(target)} ({time.perf_counter() - start:.1f} s)"
