"""The schema of the processed table, checked with pandera on every run."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .vocabularies import (
    AMOUNT_SCOPES,
    KINDS,
    PERSPECTIVES,
    REGIONS,
    SOURCE_TYPES,
    STATUSES,
    SUBTYPES,
)

COLUMNS = (
    "id",
    "region",
    "kind",
    "subtype",
    "title",
    "title_local",
    "acronym",
    "jurisdiction",
    "country_code",
    "year_start",
    "year_end",
    "date_start",
    "date_precision",
    "lead_body",
    "lead_body_local",
    "lead_body_ids",
    "lead_body_canonical",
    "status",
    "doc_no",
    "amount",
    "currency",
    "amount_scope",
    "scale",
    "perspectives",
    "perspective_primary",
    "keywords",
    "description",
    "source_url",
    "source_type",
    "notes",
    "sources",
    "n_sources",
    "regions_reported",
)


def _matches(pattern: str) -> pa.Check:
    """``Check.str_matches``, each distinct value tested once (most columns repeat a few
    values; pandas' own match is a Python loop over every row without pyarrow)."""
    rx = re.compile(pattern)

    def check(s: pd.Series) -> pd.Series:
        codes, distinct = pd.factorize(s.to_numpy(dtype=object))  # NaN -> -1: fails
        ok = np.fromiter((isinstance(v, str) and bool(rx.match(v)) for v in distinct), bool)
        return pd.Series(np.append(ok, False)[codes], index=s.index)

    return pa.Check(
        check, name="str_matches", error=f"str_matches('{pattern}')",
        statistics={"pattern": pattern},
    )  # fmt: skip


def _opt_in(values: tuple[str, ...]) -> pa.Check:
    return pa.Check.isin(("", *values))


def _str(*checks: pa.Check, required: bool = False) -> pa.Column:
    checks = checks + ((pa.Check.str_length(min_value=1),) if required else ())
    return pa.Column(str, checks=list(checks), nullable=False)


SCHEMA = pa.DataFrameSchema(
    {
        "id": _str(_matches(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"), required=True),
        "region": _str(pa.Check.isin(REGIONS)),
        "kind": _str(pa.Check.isin(KINDS)),
        "subtype": _str(_opt_in(SUBTYPES)),
        "title": _str(required=True),
        "title_local": _str(),
        "acronym": _str(),
        "jurisdiction": _str(),
        "country_code": _str(_matches(r"^([A-Z]{2}|INT|CN-[A-Z]{2})?$")),
        "year_start": pa.Column("Int64", pa.Check.in_range(1950, 2049), nullable=True),
        "year_end": pa.Column("Int64", pa.Check.in_range(1950, 2100), nullable=True),
        "date_start": _str(_matches(r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")),
        "date_precision": _str(pa.Check.isin(("", "year", "month", "day"))),
        "lead_body": _str(),
        "lead_body_local": _str(),
        "lead_body_ids": _str(_matches(r"^(B-[A-Z]{2,3}-[A-Z0-9-]+(;B-[A-Z]{2,3}-[A-Z0-9-]+)*)?$")),
        "lead_body_canonical": _str(),
        "status": _str(_opt_in(STATUSES)),
        "doc_no": _str(),
        "amount": pa.Column(float, pa.Check.ge(0), nullable=True),
        "currency": _str(_matches(r"^([A-Z]{3})?$")),
        "amount_scope": _str(_opt_in(AMOUNT_SCOPES)),
        "scale": _str(),
        "perspectives": _str(
            _matches(r"^((" + "|".join(PERSPECTIVES) + r")(;(" + "|".join(PERSPECTIVES) + r"))*)?$")
        ),
        "perspective_primary": _str(_opt_in(tuple(PERSPECTIVES))),
        "keywords": _str(),
        "description": _str(required=True),
        "source_url": _str(_matches(r"^https?://\S+$")),
        "source_type": _str(_opt_in(SOURCE_TYPES)),
        "notes": _str(),
        "sources": _str(required=True),
        "n_sources": pa.Column(int, pa.Check.ge(1)),
        "regions_reported": _str(_matches(r"^(China|Europe)(;(China|Europe))?$")),
    },
    checks=[
        pa.Check(
            lambda df: (
                df["year_end"].isna()
                | df["year_start"].isna()
                | (df["year_end"] >= df["year_start"])
            ),
            name="year_end >= year_start",
            element_wise=False,
        ),
    ],
    unique=["id"],
    strict=True,
    ordered=True,
    coerce=False,
)
