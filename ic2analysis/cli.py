"""Command line used by the Makefile: write a run's parameters, execute notebooks, report.

python -m ic2analysis.cli params  --run NAME [--file F] [--set k=v ...]
python -m ic2analysis.cli execute NOTEBOOK --run NAME
python -m ic2analysis.cli report  --run NAME
python -m ic2analysis.cli sweep   --set "k=6 8 10" [--set ...]
"""

from __future__ import annotations

import argparse
import sys

from . import params, paths
from .errors import MappingError
from .runner import run_notebook


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ic2analysis.cli")
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
    d.add_argument(
        "--set",
        action="append",
        default=[],
        help="key=v1 v2 ...: values to sweep (space separated YAML values)",
    )
    d.add_argument("--name", default="sweep")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "params":
            for line in params.write_run(args.run, args.file, args.set, args.notebook):
                print(f"  params  {line}")
        elif args.cmd == "execute":
            print(f"  ran     {run_notebook(args.notebook, args.run)}", flush=True)
        elif args.cmd == "report":
            from .reporting import report

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
