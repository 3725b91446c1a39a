"""The verification log (``data/verification.csv``) and the audit shares computed from it.

One row per item and checked field (issues #11, #12): ``id, field, value, verdict,
evidence_url, note``. Verdicts are ``confirmed``, ``corrected`` or ``unverified``; every id
must exist in the processed table. The helpers give, per region, the share of each
``source_type`` and the share of items whose key fields are all confirmed or corrected.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .. import paths
from ..errors import MappingError
from .vocabularies import SOURCE_TYPES

VERIFICATION = paths.DATA / "verification.csv"
VERDICTS = ("confirmed", "corrected", "unverified")
KEY_FIELDS = ("title", "date_start", "lead_body", "source_url")
CHECKED = ("confirmed", "corrected")

SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "field": pa.Column(str, pa.Check.str_length(min_value=1)),
        "value": pa.Column(str),
        "verdict": pa.Column(str, pa.Check.isin(VERDICTS)),
        "evidence_url": pa.Column(str, pa.Check.str_matches(r"^(https?://\S+)?$")),
        "note": pa.Column(str),
    },
    strict=True,
    ordered=True,
)


def load(items: pd.DataFrame, file: Path | None = None) -> pd.DataFrame:
    """The verification log, validated, with every id present in ``items``.

    Raises MappingError naming the file and row of the first unknown id; pandera raises on
    a bad verdict, URL or column.
    """
    file = file or VERIFICATION
    log = pd.read_csv(file, dtype=str, keep_default_na=False)
    log = SCHEMA.validate(log)
    known = set(items["id"])
    unknown = log.index[~log["id"].isin(known)]
    if len(unknown):
        i = int(unknown[0])
        raise MappingError(
            paths.rel_to_root(file), "an id of the processed table", i + 2, "id", log.at[i, "id"]
        )
    return log


def source_type_shares(items: pd.DataFrame) -> pd.DataFrame:
    """Share of items per region with each ``source_type`` ('' = not yet classified)."""
    values = items["source_type"].where(items["source_type"].isin(SOURCE_TYPES), "")
    tab = pd.crosstab(items["region"], values, normalize="index")
    tab = tab.reindex(columns=[*SOURCE_TYPES, ""], fill_value=0.0)
    tab.columns.name = "source_type"
    return tab.round(4)


def key_fields_confirmed(items: pd.DataFrame, log: pd.DataFrame) -> pd.Series:
    """Per region, the share of items whose title, start date, lead body and source URL are
    all confirmed or corrected in the log (an item without rows counts as unchecked)."""
    ok = log[log["field"].isin(KEY_FIELDS) & log["verdict"].isin(CHECKED)]
    fields_ok = ok.groupby("id")["field"].nunique()
    complete = set(fields_ok[fields_ok == len(KEY_FIELDS)].index)
    return items.assign(ok=items["id"].isin(complete)).groupby("region")["ok"].mean().round(4)


def coverage(items: pd.DataFrame, log: pd.DataFrame) -> pd.Series:
    """Per region, the share of items with at least one row in the log."""
    return items.assign(ok=items["id"].isin(set(log["id"]))).groupby("region")["ok"].mean()


def summary(items: pd.DataFrame, log: pd.DataFrame | None) -> pd.DataFrame:
    """Per region: items, the share of each ``source_type`` (and of the two that count as
    citable, issuer + scholarly), the share of items in the log, and the number and share of
    items with every key field checked (0 when there is no log yet). The index page reads it."""
    shares = source_type_shares(items)
    empty = pd.DataFrame(columns=list(SCHEMA.columns))
    log = empty if log is None else log
    checked = key_fields_confirmed(items, log)
    n = items.groupby("region").size()
    out = pd.DataFrame(
        {
            "items": n,
            **{t: shares[t] for t in SOURCE_TYPES},
            "unclassified": shares[""],
            "issuer_or_scholarly": shares["issuer"] + shares["scholarly"],
            "in_verification_log": coverage(items, log),
            "key_fields_checked": checked,
            "key_fields_checked_items": (checked * n).round().astype(int),
        }
    )
    out.index.name = "region"
    return out.round(4).reset_index()
