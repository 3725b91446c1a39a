"""A run's parameters: the defaults of ``config``, overridden by a YAML file or ``key=value``.

Overrides arrive from the Makefile as environment variables (``IC2_K``, ``IC2_SEED``,
``IC2_MAPPING``, ``IC2_SET``, ``IC2_PARAMS``, ``IC2_RUN``), never through shell text.
``SET`` is split with ``shlex`` and each value is YAML (``yaml.safe_load``, never ``eval``),
so lists and mappings such as ``weights={balance: 0.5, recency: 0.5}`` arrive intact.
Everything is validated for all three notebooks before anything is written.
"""

from __future__ import annotations

import os
import re
import shlex
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from . import config, files, paths
from .config import NOTEBOOKS, ParameterError

__all__ = ["NOTEBOOKS", "ParameterError"]

ENV = {k: f"IC2_{k}" for k in ("MAPPING", "RUN", "SET", "PARAMS", "K", "SEED")}
JOBS_ENV = "IC2_JOBS"


def jobs(env: Mapping[str, str] | None = None) -> int:
    """Worker processes for the stability refits and large TF-IDF counts; with 2 or more, the
    steps of ``forked`` (an SVG, half of a large cleaning, the counterpart search) also run
    beside the work they do not depend on: IC2_JOBS, else every core.

    The results are the same for any number (each refit depends only on its items, seed and
    k); ``cli reports`` checks it before any work starts, the refits read it here.
    """
    n = (os.environ if env is None else env).get(JOBS_ENV, "") or str(os.cpu_count() or 1)
    if not n.isdigit() or int(n) < 1:
        raise ParameterError(f"{JOBS_ENV}={n!r}: expected a whole number of processes >= 1")
    return int(n)


def defaults(notebook: str) -> dict[str, Any]:
    """The default parameters of ``notebook`` (from ``config``), without the run name."""
    values = config.MODELS[notebook]().values()
    values.pop("run")
    return values


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse ``key=value``; the value is YAML (``8``, ``[4, 12]``, ``auto``, ``{a: 1}``)."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ParameterError(f"override {text!r}: expected key=value")
    try:
        return key, yaml.safe_load(value) if value.strip() else ""
    except yaml.YAMLError as exc:
        raise ParameterError(f"override {text!r}: the value is not valid YAML ({exc})") from exc


_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def words(text: str) -> list[str]:
    """Split text the way a shell would (quotes group words; nothing is expanded or run)."""
    try:
        return shlex.split(text, comments=False, posix=True)
    except ValueError as exc:
        raise ParameterError(f"SET {text!r}: {exc} (close the quote)") from None


def split_set(text: str) -> list[str]:
    """Split ``SET`` into ``key=value`` assignments.

    Words are split with shlex; a word that does not start with ``key=`` continues the value
    before it, so ``weights={balance: 0.5, recency: 0.5} k=8`` is two assignments.
    """
    out: list[str] = []
    for word in words(text):
        if _KEY.match(word) or not out:
            out.append(word)
        else:
            out[-1] += " " + word
    return out


def _read_yaml(file: str | Path, what: str) -> dict[str, Any]:
    p = paths.resolve_input(file)
    if not p.is_file():
        raise ParameterError(f"{what} {file}: not found")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{what} {file}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ParameterError(f"{what} {file}: expected a YAML mapping of parameters")
    return data


def load_overrides(file: str | Path | None, assignments: list[str]) -> dict[str, Any]:
    """Merge a YAML parameter file (flat, or with one section per notebook) and assignments."""
    out: dict[str, Any] = dict(_read_yaml(file, "parameter file")) if file else {}
    for a in assignments:
        k, v = parse_assignment(a)
        out[k] = v
    return out


def merged(notebook: str, overrides: Mapping[str, Any], run: str = "") -> dict[str, Any]:
    """Defaults of ``notebook`` updated with the overrides that concern it, validated.

    A key that no notebook knows is an error, so a typo never passes silently.
    """
    known = {k for nb in NOTEBOOKS for k in defaults(nb)} | set(NOTEBOOKS)
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ParameterError(
            f"unknown parameter(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    values = defaults(notebook)
    for key, value in overrides.items():
        if key in NOTEBOOKS:
            if key == notebook:
                if not isinstance(value, dict):
                    raise ParameterError(f"section {key!r}: expected a mapping")
                bad = sorted(set(value) - set(values))
                if bad:
                    raise ParameterError(f"section {key!r}: unknown parameter(s) {', '.join(bad)}")
                values.update(value)
        elif key in values:
            values[key] = value
    values["run"] = run
    return config.validate(config.MODELS[notebook], values).values()


def dump(values: Mapping[str, Any]) -> str:
    """Stable YAML text for a parameter set."""
    return yaml.safe_dump(dict(values), sort_keys=True, allow_unicode=True, default_flow_style=None)


def from_env(env: Mapping[str, str] | None = None) -> tuple[str, dict[str, Any]]:
    """The run name and the overrides that the Makefile's variables describe."""
    env = os.environ if env is None else env
    v = {k: env.get(name, "") for k, name in ENV.items()}
    assignments = [f"k={v['K']}"] * bool(v["K"]) + [f"seed={v['SEED']}"] * bool(v["SEED"])
    assignments += split_set(v["SET"])
    overrides = load_overrides(v["PARAMS"] or None, assignments)
    if v["MAPPING"]:
        overrides["mapping"] = [v["MAPPING"]]
    run = v["RUN"] or run_name(v)
    return paths.check_run_name(run), overrides


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-.")[:30]


def run_name(v: Mapping[str, str]) -> str:
    """A folder name derived from the overrides (k8_seed1_<mapping>_<params>_set-<crc>)."""
    parts = [f"k{_slug(v['K'])}" if v["K"] else "", f"seed{_slug(v['SEED'])}" if v["SEED"] else ""]
    parts += [_slug(Path(v[k]).stem) if v[k] else "" for k in ("MAPPING", "PARAMS")]
    if v["SET"]:
        parts.append(f"set-{zlib.crc32(v['SET'].encode()) & 0xFFFFFF:06x}")
    return "_".join(p for p in parts if p)[:80]


def resolve(run: str, overrides: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Validated parameters of every notebook of the run (raises before anything is written)."""
    paths.check_run_name(run)
    return {nb: merged(nb, overrides, run) for nb in NOTEBOOKS}


def write_run(run: str, overrides: Mapping[str, Any]) -> list[str]:
    """Write each notebook's parameter file, only where it changed (so make stays exact)."""
    values = resolve(run, overrides)
    rp = paths.run_paths(run)
    out = []
    for nb, v in values.items():
        target = rp.params / f"{nb}.yaml"
        text = dump(v)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            files.write_text(target, text)
            out.append(paths.rel_to_root(target))
    return out
