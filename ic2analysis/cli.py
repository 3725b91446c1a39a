"""Command line used by the Makefile. User values arrive only as environment variables.

python -m ic2analysis.cli reports   validate, lock the run, record its parameters, run make build
python -m ic2analysis.cli reports --question   what reports would run, by content (exit 1 if any)
python -m ic2analysis.cli params    validate and write the run's parameter files only
python -m ic2analysis.cli execute NOTEBOOK   run one notebook of the run named by IC2_BUILD
python -m ic2analysis.cli report    write the index and manifest of the run named by IC2_BUILD
python -m ic2analysis.cli sweep     one topics run per value of IC2_K / IC2_SET
python -m ic2analysis.cli defaults [--check]   (re)generate params/*.yaml and parameter cells
python -m ic2analysis.cli pairs     check that each notebook's .ipynb matches its .py
python -m ic2analysis.cli diff      what changed in the mapping since IC2_FROM (make diff FROM=rev)

The Makefile exports MAPPING, RUN, SET, PARAMS, K and SEED as IC2_MAPPING ... IC2_SEED; they
are parsed here (``params.from_env``) and never pasted into a shell command.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from . import params, paths, runstate, staleness
from .config import NOTEBOOKS, ParameterError
from .errors import MappingError, NotebookError

BUILD_ENV = "IC2_BUILD"


def _build_run() -> str:
    return paths.check_run_name(os.environ.get(BUILD_ENV, ""))


def question() -> int:
    """What ``reports`` would run, judged by content; 1 when anything would, else 0.

    Writes nothing (``make -q reports`` and ``make -n reports`` come here).
    """
    run, overrides = params.from_env()
    values = params.resolve(run, overrides)
    inputs = runstate.fingerprint(runstate.input_files(overrides.get("mapping") or []))
    current = staleness.keys({nb: params.dump(v) for nb, v in values.items()}, inputs)
    states = staleness.plan(paths.run_paths(run), current)
    for step, state in states.items():
        print(f"  {'current' if state == 'current' else 'would run':9} {step}: {state}")
    return 0 if all(s == "current" for s in states.values()) else 1


def reports() -> int:
    """Validate everything, then run ``make build`` for the run while holding its lock.

    Before make, each target's time is set from the content of its inputs
    (``staleness.sync``), so that a fresh clone with current outputs runs nothing.
    """
    run, overrides = params.from_env()
    params.resolve(run, overrides)  # every notebook's parameters, before anything is written
    params.jobs()  # IC2_JOBS too, so that a bad value fails before notebook 01 runs
    mapping = overrides.get("mapping") or []
    runstate.input_files(mapping)
    with runstate.lock(run):
        for line in params.write_run(run, overrides):
            print(f"  params  {line}")
        rp = paths.run_paths(run)
        if runstate.write_fingerprint(run, mapping):
            print(f"  inputs  {paths.rel_to_root(rp.params / 'inputs.sha256')}")
        staleness.sync(rp, staleness.run_keys(rp, NOTEBOOKS))
        env = {**os.environ, runstate.LOCK_HELD_ENV: run or "default", BUILD_ENV: run}
        cmd = ["make", "--no-print-directory", "-C", str(paths.ROOT), "build", f"BUILD={run}"]
        return subprocess.run(cmd, env=env, check=False).returncode


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m ic2analysis.cli")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("reports", help="validate, lock, record parameters, make build")
    r.add_argument("--question", action="store_true", help="only say what would run (exit 1)")
    sub.add_parser("params", help="validate and write the run's parameter files")
    sub.add_parser("execute", help="run one notebook").add_argument("notebook", choices=NOTEBOOKS)
    sub.add_parser("report", help="write index.html and manifest.json")
    d = sub.add_parser("sweep", help="one topics run per setting")
    d.add_argument("--name", default="sweep")
    g = sub.add_parser("defaults", help="generate params/*.yaml and the parameters cells")
    g.add_argument("--check", action="store_true", help="fail if they differ from config")
    sub.add_parser("pairs", help="fail if a notebooks/*.ipynb differs from its paired .py")
    sub.add_parser("diff", help="what changed in the mapping since IC2_FROM (a tag or commit)")
    return ap


def _dispatch(args: argparse.Namespace) -> int:
    if args.cmd == "reports":
        return question() if args.question else reports()
    if args.cmd == "params":
        run, overrides = params.from_env()
        for line in params.write_run(run, overrides):
            print(f"  params  {line}")
    elif args.cmd == "execute":
        from .runner import run_notebook

        run = _build_run()
        print(f"  ran     {run_notebook(args.notebook, run)}", flush=True)
        rp = paths.run_paths(run)
        staleness.record(rp, args.notebook, staleness.run_keys(rp, NOTEBOOKS)[args.notebook])
    elif args.cmd == "report":
        from .reporting import report

        run = _build_run()
        with runstate.lock(run):
            rp = paths.run_paths(run)
            for line in report.build(rp):
                print(f"  wrote   {line}")
            index_key = staleness.run_keys(rp, NOTEBOOKS)[staleness.INDEX]
            staleness.record(rp, staleness.INDEX, index_key)
    elif args.cmd == "sweep":
        from . import sweep

        for line in sweep.run(sweep.from_env(), args.name):
            print(f"  {line}", flush=True)
    elif args.cmd == "defaults":
        from . import paramfiles

        changed = paramfiles.write_all(check=args.check)
        for line in changed:
            print(f"  {'differs' if args.check else 'wrote  '} {line}")
        return 1 if args.check and changed else 0
    elif args.cmd == "pairs":
        from . import paramfiles

        for line in paramfiles.unpaired():
            print(f"  unpaired {line}: run make sync", file=sys.stderr)
        return 1 if paramfiles.unpaired() else 0
    elif args.cmd == "diff":
        return diff(os.environ.get("IC2_FROM", ""))
    return 0


def diff(rev: str) -> int:
    """Write tables/changes.csv and the changes pages: the mapping now against ``rev``."""
    import pandas as pd

    from .analysis import changes
    from .reporting import changes_page

    if not rev:
        print("usage: make diff FROM=<git tag or commit>", file=sys.stderr)
        return 2
    now = pd.read_csv(paths.ROOT / changes.TABLE, dtype=str, keep_default_na=False)
    table = changes.compare(changes.at_revision(rev), now)
    for line in changes_page.write(paths.run_paths(""), rev, table, changes.summary(table)):
        print(f"  wrote   {line}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        runstate.check_checkout()
        if args.cmd in ("reports", "execute", "sweep"):
            runstate.check_kernel()
        return _dispatch(args)
    except (MappingError, ParameterError, NotebookError, ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (runstate.RunBusy, runstate.WrongCheckout) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
