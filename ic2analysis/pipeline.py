"""Command line used by the Makefile: write a run's parameters, execute notebooks, report.

    python -m ic2analysis.pipeline params  --run NAME [--file F] [--set k=v ...]
    python -m ic2analysis.pipeline execute NOTEBOOK --run NAME
    python -m ic2analysis.pipeline report  --run NAME
    python -m ic2analysis.pipeline sweep   --set "k=6 8 10" [--set ...]
"""

from __future__ import annotations

import argparse
import sys
import time

import yaml

from . import io, params, paths
from .errors import MappingError


def write_params(run: str, file: str | None, assignments: list[str],
                 notebooks: list[str] | None = None) -> list[str]:
    """Write the run's merged parameter file of each notebook (all by default)."""
    rp = paths.run_paths(run)
    overrides = params.load_overrides(file, assignments)
    out = []
    for nb in notebooks or params.NOTEBOOKS:
        target = rp.params / f"{nb}.yaml"
        io.write_text(target, params.dump(params.merged(nb, overrides, run)))
        out.append(paths.rel_to_root(target))
    return out


def execute(notebook: str, run: str) -> str:
    """Execute one notebook of the run with its parameter file."""
    from . import notebook as nbmod

    rp = paths.run_paths(run)
    p = yaml.safe_load((rp.params / f"{notebook}.yaml").read_text(encoding="utf-8"))
    target = rp.notebooks / f"{notebook}.ipynb"
    start = time.perf_counter()
    nbmod.execute(paths.NOTEBOOKS / f"{notebook}.ipynb", target, p)
    return f"{paths.rel_to_root(target)} ({time.perf_counter() - start:.1f} s)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ic2analysis.pipeline")
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("params")
    a.add_argument("--run", default="")
    a.add_argument("--file", default=None)
    a.add_argument("--set", action="append", default=[])
    a.add_argument("--notebook", action="append", choices=params.NOTEBOOKS)
    b = sub.add_parser("execute")
    b.add_argument("notebook", choices=params.NOTEBOOKS)
    b.add_argument("--run", default="")
    c = sub.add_parser("report")
    c.add_argument("--run", default="")
    d = sub.add_parser("sweep")
    d.add_argument("--set", action="append", default=[],
                   help="key=v1 v2 ...: values to sweep (space separated YAML values)")
    d.add_argument("--name", default="sweep")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "params":
            for line in write_params(args.run, args.file, args.set, args.notebook):
                print(f"  params  {line}")
        elif args.cmd == "execute":
            print(f"  ran     {execute(args.notebook, args.run)}", flush=True)
        elif args.cmd == "report":
            from . import report

            for line in report.build(paths.run_paths(args.run)):
                print(f"  wrote   {line}")
        elif args.cmd == "sweep":
            from . import sweep

            for line in sweep.run(args.set, args.name):
                print(f"  {line}", flush=True)
    except (MappingError, params.ParameterError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
