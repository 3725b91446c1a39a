"""The codebook machines read: ``data/datapackage.json``, a Frictionless Data Package of the
processed table (and the verification log when it exists), built from the pandera schema
and the data dictionary in ``data/README.md``, so the three cannot drift apart.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .. import files, paths
from ..cleaning import bodies_register
from ..cleaning.schema import SCHEMA

VERSION = "1.2.0"
TYPES = {"str": "string", "Int64": "integer", "int64": "integer", "float64": "number"}
OPTIONAL = {  # columns that the inputs desk adds; described here until the schema has them
    "source_type": (
        "Kind of source behind source_url",
        ["", "issuer", "scholarly", "official-media", "secondary", "mirror"],
    ),
    "notes": ("Free-text notes of the desk; not read by the analysis", None),
    "lead_body_local": ("Lead body (bodies) in the local language, separated by ;", None),
    "amount_scope": (
        "What amount covers, as stated",
        ["", "total", "per year", "per project", "per person"],
    ),
}
VERIFICATION = {
    "id": "Item id (processed table)",
    "field": "Field that was checked",
    "value": "Value after the check",
    "verdict": "Outcome of the check",
    "evidence_url": "Page that supports the verdict",
    "note": "Short note on the check",
}


def dictionary(readme: Path = paths.DATA / "README.md") -> dict[str, str]:
    """``{column: meaning}`` from the data dictionary table of ``data/README.md``."""
    if not readme.exists():
        return {}
    rows = re.findall(r"^\| `([a-z_]+)` \| [^|]+ \| ([^|]+) \|", readme.read_text("utf-8"), re.M)
    return {name: meaning.strip() for name, meaning in rows}


def _constraints(column: pa.Column) -> dict:
    out: dict = {}
    for check in column.checks:
        stats = check.statistics or {}
        if "allowed_values" in stats:
            out["enum"] = list(stats["allowed_values"])
        elif "pattern" in stats:
            out["pattern"] = str(getattr(stats["pattern"], "pattern", stats["pattern"]))
        elif check.name == "str_length" and stats.get("min_value") == 1:
            out["required"] = True
        elif "min_value" in stats and "max_value" in stats:
            out.update(minimum=stats["min_value"], maximum=stats["max_value"])
        elif check.name in ("greater_than_or_equal_to", "ge") and "min_value" in stats:
            out["minimum"] = stats["min_value"]
    return out


def field(name: str, meanings: dict[str, str]) -> dict:
    """One field of the table schema, from the pandera column when the schema has it."""
    if name in SCHEMA.columns:
        col = SCHEMA.columns[name]
        f = {"name": name, "type": TYPES.get(str(col.dtype), "string")}
        cons = _constraints(col)
        if name in (SCHEMA.unique or []):
            cons["unique"] = True
    else:
        text, enum = OPTIONAL.get(name, ("Column not in the schema", None))
        f, cons = {"name": name, "type": "string"}, ({"enum": enum} if enum else {})
        meanings = {name: meanings.get(name, text), **meanings}
    if meanings.get(name):
        f["description"] = meanings[name]
    if cons:
        f["constraints"] = cons
    return f


def bodies_resource(path: Path = bodies_register.REGISTER) -> dict | None:
    """The register of bodies (``data/bodies.csv``), its fields from the register's schema."""
    if not path.exists():
        return None
    schema = bodies_register.SCHEMA
    fields = []
    for name in _header(path):
        col = schema.columns[name]
        f = {"name": name, "type": "string", "description": bodies_register.DESCRIPTIONS[name]}
        cons = _constraints(col)
        if name == "id":
            cons["unique"] = True
        if cons:
            f["constraints"] = cons
        fields.append(f)
    return {
        "name": "bodies",
        "path": "bodies.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "encoding": "utf-8",
        "schema": {"fields": fields, "missingValues": [""], "primaryKey": ["id"]},
    }


def _header(path: Path) -> list[str]:
    return list(pd.read_csv(path, dtype=str, nrows=0).columns)


def package(out: paths.RunPaths) -> dict:
    """The descriptor for the run's processed table and the verification log."""
    meanings = dictionary()
    base = out.processed.parent
    table = {
        "name": "initiatives",
        "path": out.initiatives.relative_to(base).as_posix(),
        "profile": "tabular-data-resource",
        "format": "csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [field(n, meanings) for n in _header(out.initiatives)],
            "missingValues": [""],
            "primaryKey": ["id"],
        },
    }
    resources = [table]
    if (register := bodies_resource(base / "bodies.csv")) is not None:
        resources.append(register)
    log = base / "verification.csv"
    if log.exists():
        fields = [
            {"name": n, "type": "string", "description": VERIFICATION.get(n, "")}
            for n in _header(log)
        ]
        for f in fields:
            if f["name"] == "verdict":
                f["constraints"] = {"enum": ["confirmed", "corrected", "unverified"]}
        resources.append(
            {
                "name": "verification",
                "path": "verification.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {"fields": fields, "missingValues": [""]},
            }
        )
    return {
        "name": "ic2analysis-mapping",
        "title": "Personalised medicine in Europe and China",
        "version": VERSION,
        "profile": "tabular-data-package",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "contributors": [
            {"title": "ic2analysis contributors (Europe and China desks)", "role": "author"}
        ],
        "sources": [{"title": "IC2PerMed mapping desks", "path": "data/raw"}],
        "resources": resources,
    }


def write(out: paths.RunPaths) -> Path | None:
    """Write ``datapackage.json`` next to the run's processed folder (None: no table)."""
    if not out.initiatives.exists():
        return None
    text = json.dumps(package(out), indent=2, ensure_ascii=False) + "\n"
    return files.write_text(out.processed.parent / "datapackage.json", text)
