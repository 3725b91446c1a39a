"""The bodies register ``data/bodies.csv``: the key organisations as data (issue #20).

The register is written and reviewed by hand; the pipeline only reads and checks it. Each
body has a stable id (``B-CN-NHC``), its English and local names, acronym, region, country,
a type from :data:`BODY_TYPES`, its parent, its predecessors and successors with years
(``id:year``: the renames live here, not in code), its own site and ``aliases``: the
names as the desks write them, in either script, old names included (``|``-separated).

:class:`Register` turns a name as written into an id. A name shared by several bodies
(``Ministry of Health`` of Italy, Spain, ... and of China before 2013) is told apart by the
item's country, then its region; a name that matches nothing gets fuzzy suggestions.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from rapidfuzz import fuzz, process

from .. import paths
from ..errors import MappingError
from ..text import fold, simplified

REGISTER = paths.DATA / "bodies.csv"
BODY_TYPES = (
    "ministry",
    "regulator",
    "funder",
    "standards body",
    "research infrastructure",
    "research institute or university",
    "hospital or hospital network",
    "international organisation",
    "company",
    "consortium",
    "professional society",
    "parliament or council",
    "government",
    "other",
)
BODY_REGIONS = ("Europe", "China", "International")
COLUMNS = (
    "id",
    "name_en",
    "name_local",
    "acronym",
    "region",
    "country",
    "type",
    "parent_id",
    "predecessor_ids",
    "successor_ids",
    "url",
    "aliases",
    "verified",
)
ID = r"B-[A-Z]{2,3}-[A-Z0-9-]+"
_LINKS = rf"^({ID}:(19|20)\d{{2}}(; {ID}:(19|20)\d{{2}})*)?$"


def _text(*checks: pa.Check, required: bool = False) -> pa.Column:
    checks = checks + ((pa.Check.str_length(min_value=1),) if required else ())
    return pa.Column(str, checks=list(checks), nullable=False)


SCHEMA = pa.DataFrameSchema(
    {
        "id": _text(pa.Check.str_matches(rf"^{ID}$"), required=True),
        "name_en": _text(required=True),
        "name_local": _text(),
        "acronym": _text(),
        "region": _text(pa.Check.isin(BODY_REGIONS)),
        "country": _text(pa.Check.str_matches(r"^([A-Z]{2}|EU|INT)$")),
        "type": _text(pa.Check.isin(BODY_TYPES)),
        "parent_id": _text(pa.Check.str_matches(rf"^({ID})?$")),
        "predecessor_ids": _text(pa.Check.str_matches(_LINKS)),
        "successor_ids": _text(pa.Check.str_matches(_LINKS)),
        "url": _text(pa.Check.str_matches(r"^(https?://\S+)?$")),
        "aliases": _text(),
        "verified": _text(required=True),
    },
    strict=True,
    unique=["id"],
    ordered=True,
)
DESCRIPTIONS = {
    "id": "Stable body id: B-<country>-<short name>",
    "name_en": "English name",
    "name_local": "Name in the local language (Chinese for Chinese bodies), when it exists",
    "acronym": "Acronym as used by the body",
    "region": "Europe, China or International",
    "country": "ISO 3166 country code, EU or INT",
    "type": "Function of the body (controlled list, see data/README.md)",
    "parent_id": "Id of the body it belongs to",
    "predecessor_ids": "Bodies it replaced, with the year: id:year; ...",
    "successor_ids": "Bodies that replaced it, with the year: id:year; ...",
    "url": "The body's own site, when confirmed (empty rather than guessed)",
    "aliases": "Names as the desks write them, either script, old names; separated by |",
    "verified": "What was checked, and how",
}


def key(name: str) -> str:
    """The matching key of a name: folded, simplified Chinese, lower case, no end dots."""
    return re.sub(r"\s+", " ", simplified(fold(name))).strip(" .;,").lower()


def links(cell: str) -> list[tuple[str, int]]:
    """``"B-CN-NHC:2018; ..."`` -> ``[("B-CN-NHC", 2018), ...]``."""
    out = []
    for part in filter(None, (p.strip() for p in cell.split(";"))):
        bid, year = part.rsplit(":", 1)
        out.append((bid, int(year)))
    return out


def _row_error(path: Path, frame: pd.DataFrame, bid: str, column: str, expected: str, got):
    row = int(frame.index[frame["id"] == bid][0]) + 2  # header is line 1
    return MappingError(paths.rel_to_root(path), expected, row, column, got)


def _check_links(frame: pd.DataFrame, path: Path) -> None:
    """Every parent, predecessor and successor is a register id, and renames agree both ways."""
    ids = set(frame["id"])
    for r in frame.itertuples():
        if r.parent_id and r.parent_id not in ids:
            raise _row_error(path, frame, r.id, "parent_id", "an id of the register", r.parent_id)
        for column, back in (
            ("predecessor_ids", "successor_ids"),
            ("successor_ids", "predecessor_ids"),
        ):
            for other, year in links(getattr(r, column)):
                if other not in ids:
                    raise _row_error(path, frame, r.id, column, "ids of the register", other)
                mirror = links(frame.loc[frame["id"] == other, back].iloc[0])
                if (r.id, year) not in mirror:
                    expected = f"{other} to list {r.id}:{year} in {back}"
                    raise _row_error(path, frame, r.id, column, expected, f"{other}:{year}")


def load(path: Path = REGISTER) -> pd.DataFrame:
    """Read and validate the register; a broken link names the file, row and column."""
    if not path.exists():
        raise MappingError(paths.rel_to_root(path), "the bodies register (data/bodies.csv)")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    try:
        frame = SCHEMA.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        first = exc.failure_cases.iloc[0]
        row = first["index"]
        raise MappingError(
            paths.rel_to_root(path),
            f"a valid register ({first['check']})",
            int(row) + 2 if pd.notna(row) else None,
            str(first["column"]),
            first["failure_case"],
        ) from exc
    _check_links(frame, path)
    return frame


@dataclass
class Resolution:
    """The bodies of one ``lead_body`` cell: ids found and names not found (with suggestions)."""

    ids: list[str] = field(default_factory=list)
    unknown: list[tuple[str, list[str]]] = field(default_factory=list)


class Register:
    """Names (aliases, either script, old names) to ids, and ids to names and successors."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame.set_index("id", drop=False)
        self._names: dict[str, list[str]] = {}
        for r in frame.itertuples():
            names = [r.name_en, r.name_local, r.acronym, *r.aliases.split("|")]
            for n in {key(n) for n in names if n.strip()}:
                self._names.setdefault(n, []).append(r.id)
        self._choices = sorted(self._names)
        self._current: dict[str, str] = {}  # id -> the body carrying it today, once per id

    def lookup(self, name: str, country: str = "", region: str = "") -> list[str]:
        """The ids a name may mean, narrowed by the item's country, then its region."""
        found = self._names.get(key(name), [])
        if len(found) <= 1:
            return list(found)
        c = country[:2] if country not in ("EU", "INT") else country
        for test in (
            lambda b: self.frame.at[b, "country"] == c,
            lambda b: self.frame.at[b, "region"] == region,
        ):
            narrowed = [b for b in found if test(b)]
            if len(narrowed) == 1:
                return narrowed
            if narrowed:
                found = narrowed
        return found

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Closest register names (rapidfuzz token-set ratio >= 70) as ``id (name)``."""
        hits = process.extract(key(name), self._choices, scorer=fuzz.token_set_ratio, limit=n)
        out = []
        for choice, score, _ in hits:
            if score >= 70:
                out.extend(f"{b} ({self.frame.at[b, 'name_en']})" for b in self._names[choice])
        return list(dict.fromkeys(out))[:n]

    def resolve(self, cell: str, country: str = "", region: str = "") -> Resolution:
        """Every ``;``-separated name of a cell to one id; the rest reported with suggestions."""
        res = Resolution()
        for name in filter(None, (p.strip() for p in fold(cell).split(";"))):
            found = self.lookup(name, country, region)
            bare = re.sub(r"\s*[(（][^)）]*[)）]", "", name).strip()
            if not found and bare and bare != name:  # 'NMPA (registration)': a note in brackets
                found = self.lookup(bare, country, region)
            if len(found) == 1:
                res.ids.append(found[0])
            else:
                hint = [f"{b} ({self.frame.at[b, 'name_en']})" for b in found]
                res.unknown.append((name, hint or self.suggest(name)))
        return res

    def current(self, bid: str) -> str:
        """The body that carries ``bid`` on today: its successors followed to the latest."""
        if bid not in self._current:
            self._current[bid] = self._follow(bid)
        return self._current[bid]

    def _follow(self, bid: str) -> str:
        seen = {bid}
        while succ := links(self.frame.at[bid, "successor_ids"]):
            bid = max(succ, key=lambda s: s[1])[0]
            if bid in seen:
                break
            seen.add(bid)
        return bid

    def label(self, bid: str) -> str:
        """``National Health Commission (NHC)``: English name with its acronym."""
        name, acr = self.frame.at[bid, "name_en"], self.frame.at[bid, "acronym"]
        return f"{name} ({acr})" if acr and acr not in name else name

    def local(self, bid: str) -> str:
        """The body's local name, or ''."""
        return self.frame.at[bid, "name_local"] if bid in self.frame.index else ""


@functools.lru_cache(maxsize=4)
def register(path: Path = REGISTER) -> Register:
    """The register of ``path``, read once per process."""
    return Register(load(path))
