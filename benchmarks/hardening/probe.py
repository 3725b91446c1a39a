"""Run inside one checkout's own .venv: call its cleaning functions on the harness's inputs.

``python probe.py requests.json`` prints one JSON result per request. The same requests work
against the old code (1e4933a: ``ic2analysis.read`` / ``normalise`` / ``clean``) and the new
(``ic2analysis.cleaning``), so that ``cases.py`` can compare their outcomes. Each result holds
what came back, or the exception's class and message (and whether it is the project's own
``MappingError``, i.e. a message written for the user).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import traceback

NEW = importlib.util.find_spec("ic2analysis.cleaning") is not None

if NEW:
    from ic2analysis.cleaning import clean as _clean
    from ic2analysis.cleaning import read as _read
    from ic2analysis.cleaning.parse import amounts as _amounts
    from ic2analysis.cleaning.parse import dates as _dates
else:
    from ic2analysis import clean as _clean
    from ic2analysis import normalise as _norm
    from ic2analysis import read as _read
from ic2analysis.errors import MappingError  # noqa: E402 (after the version's imports)


def amount(text: str) -> dict:
    if NEW:
        got = _amounts.read_amount(text)
        a, warning = got.amount, got.warning
    else:
        a, warning = _norm.amount(text), ""
    return {
        "value": a.value if a else None,
        "currency": a.currency if a else None,
        "warning": warning,
    }


def date(text: str, order: str = "reject") -> dict:
    p = _dates.period(text, order) if NEW else _norm.period(text)
    return {"date": p.date_start, "precision": p.precision, "warning": getattr(p, "warning", "")}


def read(path: str) -> dict:
    events: list = []
    frame = _read.read_file(path, events) if NEW else _read.read_file(path)
    cols = [c for c in frame.columns if not c.startswith("_")]
    rows = frame[cols].astype(str).to_dict("records")
    return {"n": len(frame), "rows": rows, "events": [e.get("reason", "") for e in events]}


def clean(path: str) -> dict:
    res = _clean.clean([path])
    table = res.table
    log = getattr(res, "log", None)
    log_rows = log.astype(str).to_dict("records") if hasattr(log, "to_dict") else []
    keep = ("title", "title_local", "region", "date_start", "date_precision", "amount",
            "currency", "source_url", "lead_body")  # fmt: skip
    cols = [c for c in keep if c in table.columns]
    counts = res.counts
    return {
        "n": len(table),
        "rows": table[cols].astype(str).to_dict("records"),
        "rejected": counts.get("rejected"),
        "warnings": counts.get("warnings", 0),
        "log": [r for r in log_rows if r.get("outcome") != "kept"][:50],
    }


def one(req: dict) -> dict:
    fn = {"amount": amount, "date": date, "read": read, "clean": clean}[req["fn"]]
    try:
        return {"ok": True, "result": fn(*req["args"])}
    except Exception as exc:  # every failure is an outcome to classify
        return {
            "ok": False,
            "error": type(exc).__name__,
            "message": str(exc)[:500],
            "ours": isinstance(exc, MappingError),
            "trace": traceback.format_exc()[-800:],
        }


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as fh:
        requests = json.load(fh)
    print(json.dumps([one(r) for r in requests], default=str))
