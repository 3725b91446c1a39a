"""What a run needs around its notebooks: one lock, its inputs' fingerprint, one checkout.

* A run holds an exclusive ``fcntl.flock`` on ``<run>/.lock`` for its whole duration, so a
  second ``make reports`` of the same run waits for the first (or, with ``IC2_NO_WAIT=1``,
  refuses) instead of interleaving their writes.
* ``<run>/params/inputs.sha256`` lists the hash of every input file and is rewritten only
  when one changes: notebook 01 depends on it, so file names make cannot spell (spaces,
  quotes) never reach the Makefile.
* A ``.venv`` copied with its checkout still imports the original checkout's package and
  would write into the original's reports: ``check_checkout`` refuses that.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from . import files, paths

LOCK_HELD_ENV = "IC2_LOCK_HELD"
NO_WAIT_ENV = "IC2_NO_WAIT"
INDEX_FILES = ("index.html", "index.zh.html", "manifest.json")


class RunBusy(RuntimeError):
    """Another process holds the run's lock."""


class WrongCheckout(RuntimeError):
    """The imported package belongs to another checkout than the one being run."""


@contextlib.contextmanager
def lock(run: str, wait: bool | None = None) -> Iterator[Path]:
    """Hold the run's lock; wait for another holder unless ``wait`` is False."""
    rp = paths.run_paths(run)
    if os.environ.get(LOCK_HELD_ENV) == (run or "default"):
        yield rp.reports / ".lock"  # a parent process (cli reports) holds it for us
        return
    if wait is None:
        wait = not os.environ.get(NO_WAIT_ENV)
    rp.reports.mkdir(parents=True, exist_ok=True)
    path = rp.reports / ".lock"
    with open(path, "a+", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            if not wait:
                raise RunBusy(
                    f"run {run or 'default'!r} is in progress ({holder}); wait for it to "
                    "finish or choose another RUN"
                ) from None
            print(f"  waiting for run {run or 'default'!r} ({holder}) to finish", flush=True)
            fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}\n")
        fh.flush()
        try:
            yield path
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


def input_files(mapping: list[str]) -> list[Path]:
    """The files a run reads: its mapping, or every visible file in data/raw, and the bodies
    register (``data/bodies.csv``) that cleaning resolves lead bodies with."""
    register = [paths.DATA / "bodies.csv"] if (paths.DATA / "bodies.csv").is_file() else []
    if mapping:
        found = [paths.resolve_input(m) for m in mapping]
        missing = [m for m, p in zip(mapping, found, strict=True) if not p.is_file()]
        if missing:
            raise FileNotFoundError(f"mapping {missing[0]!r}: no such file")
        return found + register
    raw = sorted(p for p in paths.RAW.iterdir() if p.is_file() and not p.name.startswith("."))
    return raw + register


def fingerprint(files_: list[Path]) -> str:
    """One line per input: its SHA-256 and its path (relative to the root when inside it)."""
    lines = []
    for f in files_:
        digest = hashlib.sha256(f.read_bytes()).hexdigest()
        lines.append(f"{digest}  {paths.rel_to_root(f)}")
    return "\n".join(lines) + "\n"


def write_fingerprint(run: str, mapping: list[str]) -> bool:
    """Rewrite ``<run>/params/inputs.sha256`` if the inputs changed; True when rewritten."""
    target = paths.run_paths(run).params / "inputs.sha256"
    text = fingerprint(input_files(mapping))
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return False
    files.write_text(target, text)
    return True


def invalidate_index(run: str) -> None:
    """Remove the run's index and manifest: from now until ``report`` they would lie."""
    rp = paths.run_paths(run)
    for name in INDEX_FILES:
        (rp.reports / name).unlink(missing_ok=True)


def check_checkout(cwd: Path | None = None) -> None:
    """Refuse when the package, the ``.venv`` and the working checkout are not the same one."""
    venv_home = Path(sys.prefix).resolve().parent
    here = (cwd or Path.cwd()).resolve()
    for where in (venv_home, here):
        if (where / "Makefile").exists() and (where / "ic2analysis").is_dir():
            if where != paths.ROOT:
                raise WrongCheckout(
                    f"this checkout is {where}, but its Python ({sys.executable}) imports "
                    f"ic2analysis from {paths.ROOT}: the .venv belongs to that checkout "
                    f"(it was copied with the folder). Recreate it here: "
                    f"rm -rf {where / '.venv'} && make -C {where} setup"
                )


def kernel_dir(name: str) -> Path | None:
    """The folder of Jupyter kernel spec ``name``, found as jupyter_client finds it (the first
    of ``jupyter_path("kernels")`` holding it, names compared in lower case), without importing
    jupyter_client: that import alone was a third of a no-op ``make reports``."""
    from jupyter_core.paths import jupyter_path

    for folder in map(Path, jupyter_path("kernels")):
        if folder.is_dir():
            for entry in sorted(os.listdir(folder)):
                if entry.lower() == name.lower() and (folder / entry / "kernel.json").is_file():
                    return folder / entry
    return None


def check_kernel(name: str = "ic2analysis") -> None:
    """Refuse when the notebooks' Jupyter kernel runs another environment's Python.

    A copied ``.venv`` keeps a kernel spec that starts the original checkout's interpreter, so
    the notebooks would import and write into the original even when this CLI does not.
    """
    resource_dir = kernel_dir(name)
    if resource_dir is None:
        raise WrongCheckout(f"no Jupyter kernel {name!r}: run make setup")
    argv = json.loads((resource_dir / "kernel.json").read_text(encoding="utf-8"))["argv"]
    kernel_env = Path(argv[0]).parent.parent
    if kernel_env != Path(sys.prefix):
        raise WrongCheckout(
            f"the Jupyter kernel {name!r} ({resource_dir}) starts {argv[0]}, the "
            f"Python of {kernel_env.parent}, not this environment ({sys.prefix}): the .venv "
            f"was copied from that checkout. Recreate it here: rm -rf {sys.prefix} && make setup"
        )
