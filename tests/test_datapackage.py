"""data/datapackage.json: built from the pandera schema, valid under Frictionless."""

import json
import shutil

import pandas as pd
from frictionless import validate

from ic2analysis import paths
from ic2analysis.cleaning.schema import SCHEMA
from ic2analysis.reporting import datapackage

COMMITTED = paths.RunPaths("", paths.REPORTS, paths.PROCESSED)


def test_committed_package_is_current_and_valid():
    path = paths.DATA / "datapackage.json"
    assert json.loads(path.read_text(encoding="utf-8")) == datapackage.package(COMMITTED)
    report = validate(str(path))
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:5]
    assert report.tasks[0].stats["rows"] == len(pd.read_csv(paths.PROCESSED / "initiatives.csv"))


def test_package_and_schema_agree():
    fields = {
        f["name"]: f for f in datapackage.package(COMMITTED)["resources"][0]["schema"]["fields"]
    }
    assert set(SCHEMA.columns) <= set(fields)
    assert fields["kind"]["constraints"]["enum"] == [
        "policy",
        "programme",
        "standard",
        "initiative",
    ]
    assert fields["year_start"]["type"] == "integer" and fields["amount"]["type"] == "number"
    assert fields["id"]["constraints"]["unique"] and fields["title"]["constraints"]["required"]
    assert all(f.get("description") for f in fields.values())


def test_validation_rejects_rows_the_schema_rejects(tmp_path):
    out = paths.RunPaths("", tmp_path / "reports", tmp_path / "processed")
    out.processed.mkdir(parents=True)
    frame = pd.read_csv(paths.PROCESSED / "initiatives.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "region"] = "Mars"
    frame.loc[2, "id"] = frame.loc[1, "id"]
    frame = frame.assign(source_type="issuer")
    frame.loc[3, "source_type"] = "blog"
    frame.to_csv(out.initiatives, index=False)
    path = datapackage.write(out)
    report = validate(str(path))
    found = [
        (e.type, getattr(e, "field_name", None), e.row_number)
        for t in report.tasks
        for e in t.errors
    ]
    assert found == [
        ("constraint-error", "region", 2),
        ("unique-error", "id", 4),
        ("primary-key", None, 4),
        ("constraint-error", "source_type", 5),
    ]
    shutil.rmtree(tmp_path)
