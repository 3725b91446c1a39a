"""Notebook parameters: YAML defaults in ``params/``, overridden by a YAML file or ``key=value``.

Values are parsed with ``yaml.safe_load`` (never ``eval``), so lists and nested mappings
survive the trip to Papermill unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from . import files, paths

NOTEBOOKS = ("01_clean", "02_topics", "03_bridges")


class ParameterError(ValueError):
    """A parameter override that cannot be applied."""


def defaults(notebook: str) -> dict[str, Any]:
    """The default parameters of ``notebook`` from ``params/<notebook>.yaml``."""
    file = paths.PARAMS / f"{notebook}.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ParameterError(f"{paths.rel_to_root(file)}: expected a mapping of parameters")
    return data


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


def load_overrides(file: str | Path | None, assignments: list[str]) -> dict[str, Any]:
    """Merge a YAML parameter file (flat, or with one section per notebook) and assignments."""
    out: dict[str, Any] = {}
    if file:
        p = paths.resolve_input(file)
        if not p.exists():
            raise ParameterError(f"parameter file {file}: not found")
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ParameterError(f"parameter file {file}: expected a YAML mapping")
        out.update(data)
    for a in assignments:
        k, v = parse_assignment(a)
        out[k] = v
    return out


def merged(notebook: str, overrides: dict[str, Any], run: str = "") -> dict[str, Any]:
    """Defaults of ``notebook`` updated with the overrides that concern it, plus ``run``.

    A key that no notebook knows is an error, so a typo never passes silently.
    """
    known = {k for nb in NOTEBOOKS for k in defaults(nb)} | set(NOTEBOOKS)
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ParameterError(
            f"unknown parameter(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    params = defaults(notebook)
    for key, value in overrides.items():
        if key in NOTEBOOKS:
            if key == notebook:
                if not isinstance(value, dict):
                    raise ParameterError(f"section {key!r}: expected a mapping")
                bad = sorted(set(value) - set(params))
                if bad:
                    raise ParameterError(f"section {key!r}: unknown parameter(s) {', '.join(bad)}")
                params.update(value)
        elif key in params:
            params[key] = value
    params["run"] = paths.check_run_name(run)
    return params


def dump(params: dict[str, Any]) -> str:
    """Stable YAML text for a parameter set."""
    return yaml.safe_dump(params, sort_keys=True, allow_unicode=True, default_flow_style=None)


def write_run(
    run: str, file: str | None, assignments: list[str], notebooks: list[str] | None = None
) -> list[str]:
    """Write the run's merged parameter file of each notebook (all by default)."""
    rp = paths.run_paths(run)
    overrides = load_overrides(file, assignments)
    out = []
    for nb in notebooks or NOTEBOOKS:
        target = rp.params / f"{nb}.yaml"
        files.write_text(target, dump(merged(nb, overrides, run)))
        out.append(paths.rel_to_root(target))
    return out
