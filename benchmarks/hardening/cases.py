"""The tester's cases of issues #16 and #19, run against one checkout and classified.

    python benchmarks/hardening/cases.py --tree /tmp/old --label before
    python benchmarks/hardening/cases.py --tree . --label after
    python benchmarks/hardening/cases.py --table      # results.csv and the README table

Each case is a realistic awkward input or command. Its outcome is one of: handled well,
unclear error (a traceback or a message that names no file/row/column/parameter), silently
wrong (a wrong value or a success that should not be), security problem (a command in a
value ran, or something was written outside the run). Cleaning cases go through
``probe.py`` in the checkout's own .venv; command cases run its ``make``. Not part of
``make test`` (it runs full pipelines); the regression tests in ``tests/`` are.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import inputs  # noqa: E402

WELL, UNCLEAR, WRONG, SECURITY = (
    "handled well",
    "unclear error",
    "silently wrong",
    "security problem",
)
WORK = Path(tempfile.gettempdir()) / "ic2-hardening"
MARKERS = WORK / "inputs" / "markers"


@dataclass
class Case:
    id: str
    issue: str
    area: str
    what: str
    kind: str  # probe | make | run | custom
    spec: dict
    judge: Callable[[dict], tuple[str, str]]


CASES: list[Case] = []


def case(id_, issue, area, what, kind, spec, judge):
    CASES.append(Case(id_, issue, area, what, kind, spec, judge))


# ------------------------------------------------------------------ judges
def _err(r: dict) -> tuple[str, str]:
    """A failure: well if it is the project's own message, unclear if it is a bare exception."""
    msg = f"{r['error']}: {r['message'][:160]}"
    return (WELL if r.get("ours") else UNCLEAR), msg


def amount_is(value: float | None, currency: str | None):
    def judge(r):
        if not r["ok"]:
            return _err(r)
        got = r["result"]
        shown = f"{got['value']} {got['currency']} {got['warning']}".strip()
        if value is None:  # ambiguous: must stay empty, with a warning
            if got["value"] is None:
                return (WELL if got["warning"] else WRONG), shown or "empty, no warning"
            return WRONG, shown
        if got["value"] is not None and abs(got["value"] - value) < 1e-6 * value:
            return (WELL if got["currency"] == currency else WRONG), shown
        return WRONG, shown or "no amount"

    return judge


def date_is(iso: str | None, precision: str = "", warn: bool = False):
    def judge(r):
        if not r["ok"]:
            if iso is None and r["error"] == "ValueError" and "unambiguous" in r["message"]:
                return WELL, r["message"][:120]
            return (UNCLEAR if iso is None else WRONG), f"{r['error']}: {r['message'][:120]}"
        got = r["result"]
        shown = f"{got['date']} ({got['precision']}) {got['warning']}".strip()
        if iso is None:
            return WRONG, f"read as {shown}"
        ok = got["date"] == iso and (not precision or got["precision"] == precision)
        return (WELL if ok and (got["warning"] or not warn) else WRONG), shown

    return judge


def read_gives(check: Callable[[dict], bool], note: Callable[[dict], str], logged: str = ""):
    """A read that must succeed, give rows passing ``check`` and (optionally) log ``logged``."""

    def judge(r):
        if not r["ok"]:  # a file that should be read was refused: the message misleads
            return UNCLEAR, f"{r['error']}: {r['message'][:140]}"
        res = r["result"]
        if not check(res):
            return WRONG, note(res)
        if logged and not any(logged in e for e in res["events"]):
            return WRONG, f"{note(res)}; no log line '{logged}'"
        return WELL, note(res)

    return judge


def titles(res: dict) -> list[str]:
    return [row.get("title", "") for row in res["rows"]]


def rejected_with(*words: str):
    def judge(r):
        if r["ok"]:
            return WRONG, f"accepted ({r['result'].get('n')} rows)"
        text = r["message"].lower()
        ok = r.get("ours") and all(w in text for w in words)
        return (WELL if ok else UNCLEAR), f"{r['error']}: {r['message'][:140]}"

    return judge


def no_markers() -> bool:
    return not any(MARKERS.iterdir()) if MARKERS.exists() else True


def make_judge(expect_rc0: bool, needs: str = ""):
    """Nothing executed; rc as expected; ``needs`` in the output when refused."""

    def judge(r):
        if r["markers"] or r["escaped"]:
            return SECURITY, f"ran or wrote outside: {r['markers'] + r['escaped']}"
        tail = (r["err"] or r["out"]).strip().splitlines()[-1:] or [""]
        if expect_rc0:
            return (WELL if r["rc"] == 0 and not r["written"] else WRONG), (
                f"rc {r['rc']}, wrote {len(r['written'])} files"
            )
        if r["rc"] == 0:
            return WRONG, "accepted"
        said = [x for x in (r["err"] + r["out"]).splitlines() if x.startswith("error:")]
        if "Traceback" in r["err"] or not said or needs not in said[0]:
            return UNCLEAR, tail[0][:160]
        return WELL, said[0][:160]

    return judge


def param_refused(name: str):
    """A bad parameter value: refused with a message naming the parameter (no traceback)."""

    def judge(r):
        if r["markers"]:
            return SECURITY, "a command ran"
        text = r["err"] + r["out"]
        if r["rc"] == 0:
            return WRONG, "accepted; the run completed"
        said = [ln for ln in text.splitlines() if ln.startswith("error:")]
        last = [ln for ln in text.splitlines() if ln.strip()][-1:] or [""]
        where = "after notebook 01 ran" if r["ran_01"] else "before notebook 01"
        if "Traceback" in text or "PapermillExecutionError" in text or not said:
            return UNCLEAR, f"{where}: {last[0][:140]}"
        if name not in said[0] or "not valid YAML" in said[0]:
            return UNCLEAR, f"{where}: {said[0][:140]}"
        return WELL, f"{where}: {said[0][:150]}"

    return judge


def param_accepted(key: str, expected: Any):
    def judge(r):
        if r["rc"] != 0:
            lines = [x for x in (r["err"] + r["out"]).splitlines() if x.strip()][-1:] or [""]
            return UNCLEAR, lines[0][:160]
        got = r["params"].get(key)
        return (WELL if got == expected else WRONG), f"{key} = {got}"

    return judge


def small_run(statement: list[str]):
    """A small mapping: the run completes and the index says what it could not do."""

    def judge(r):
        if r["rc"] != 0:
            lines = [x for x in (r["err"] + r["out"]).splitlines() if x.strip()][-1:] or [""]
            return UNCLEAR, lines[0][:160]
        index = r["index"]
        missing = [s for s in statement if s.lower() not in index.lower()]
        if missing:
            return WRONG, f"index does not say: {missing}"
        return WELL, "index: " + "; ".join(statement)

    return judge


# ------------------------------------------------------------------ #16: shell and Makefile
F = "{inputs}"  # replaced by the inputs folder
for key, what in {
    "backtick": "MAPPING file name with backticks (`touch ...`)",
    "dollar": "MAPPING file name with $(...)",
    "squote": "MAPPING file name with a single quote",
    "dquote": "MAPPING file name with double quotes",
    "space": "MAPPING file name with spaces",
    "semicolon": "MAPPING file name with ;",
}.items():
    case(
        f"shell-mapping-{key}", "#16", "shell", what, "run",
        {"vars": {"MAPPING": "@" + key}, "target": "reports"},
        lambda r: (SECURITY, "a command in the name ran") if r["markers"] else (
            (WELL, f"read {r['n_processed']} items, no command ran")
            if r["n_processed"] == 4 else
            (UNCLEAR, ((r["err"] or r["out"]).strip().splitlines() or [""])[-1][:160])
        ),
    )  # fmt: skip
HOSTILE_VARS = {
    "shell-run-semicolon": ({"RUN": f"x;touch {MARKERS}/pwned_run"}, "RUN='x;touch f'", "run name"),
    "shell-run-escape": ({"RUN": "../../ic2h-escape"}, "RUN=../../somewhere", "run name"),
    "shell-set-backtick": ({"SET": f"seed=`touch {MARKERS}/pwned_set`"}, "SET='seed=`cmd`'",
                           "seed"),
    "shell-set-dollar": ({"SET": f"seed=$(touch {MARKERS}/pwned_set2)"}, "SET='seed=$(cmd)'",
                         "seed"),
    "shell-params-shell": ({"PARAMS": f"p $(shell touch {MARKERS}/pwned_p).yaml"},
                           "PARAMS=$(shell ...)", "parameter file"),
    "shell-k-dollar": ({"K": f"$$(touch {MARKERS}/pwned_k)"}, "K='$$(cmd)'", "k"),
    "shell-seed-quote": ({"SEED": f"1'; touch {MARKERS}/pwned_seed; '"}, "SEED with quotes and ;",
                         "seed"),
}  # fmt: skip
for cid, (vars_, what, needs) in HOSTILE_VARS.items():
    case(cid, "#16", "shell", what, "make", {"args": ["reports"], "vars": vars_},
         make_judge(False, needs))  # fmt: skip
case("shell-make-help", "#16", "shell", "make help writes nothing", "make",
     {"args": ["help"], "vars": {}}, make_judge(True))  # fmt: skip
case("shell-make-n", "#16", "shell", "make -n reports writes nothing", "make",
     {"args": ["-n", "reports"], "vars": {"K": "5"}}, make_judge(True))  # fmt: skip
case("shell-make-n-hostile", "#16", "shell", "make -n reports with hostile values", "make",
     {"args": ["-n", "reports"], "vars": {"RUN": f"x;touch {MARKERS}/pwned_n",
      "SET": f"seed=`touch {MARKERS}/pwned_n2`"}}, make_judge(True))  # fmt: skip

# ------------------------------------------------------------------ #16: parameters
for cid, set_, key, expected in [
    ("set-readme-weights", "weights={balance: 0.5, recency: 0.5}", "weights", "balance"),
    ("set-readme-k-range-old", "k_range=[4,10] lsa_components=0", "k_range", [4, 10]),
    ("set-readme-k-range", "k_range=[4,10] lsa_components=20", "k_range", [4, 10]),
    ("set-readme-k-seed", None, "k", 8),
]:
    case(cid, "#16", "parameters", f"README example SET={set_!r}" if set_ else "README K=8 SEED=1",
         "params", {"vars": {"SET": set_} if set_ else {"K": "8", "SEED": "1"}, "stop": True},
         param_accepted(key, expected))  # fmt: skip
for cid, set_, name in [
    ("param-weights-unknown-key", "weights={balnce: 1}", "balnce"),
    ("param-unknown-key", "kk=3", "kk"),
    ("param-k-float", "k=3.7", "k"),
    ("param-k-bool", "k=true", "k"),
    ("param-k-zero", "k=0", "k"),
    ("param-k-range-inverted", "k_range=[12,4]", "k_range"),
    ("param-n-init-zero", "n_init=0", "n_init"),
    ("param-seed-negative", "seed=-1", "seed"),
    ("param-stability-seeds-one", "stability_seeds=1", "stability_seeds"),
    (
        "param-weights-all-zero",
        "weights={balance: 0, recency: 0, complementarity: 0, cooperation: 0}",
        "weights",
    ),
    ("param-weights-negative", "weights={balance: -1}", "weights"),
    ("param-dedupe-zero", "dedupe_threshold=0", "dedupe_threshold"),
    ("param-date-order-bad", "date_order=ymd-ish", "date_order"),
    ("param-k-above-items", "k=500", "k"),
    ("param-min-df-above-corpus", "min_df=100000", "min_df"),
]:
    spec = {"vars": {"SET": set_}}
    if name == "n_init":  # renamed consensus_n_init when the topics procedure changed
        spec["new"], name = {"SET": "consensus_n_init=0"}, "n_init"
    case(cid, "#16", "parameters", f"SET='{set_}'", "params", spec, param_refused(name))

# ------------------------------------------------------------------ #16: amounts
for cid, text, value, cur in [
    ("amount-eu-thousands", "EUR 1.000.000", 1e6, "EUR"),
    ("amount-eu-mio", "€1,5 Mio.", 1.5e6, "EUR"),
    ("amount-mrd", "€2 Mrd.", 2e9, "EUR"),
    ("amount-bn", "EUR 1.5 bn", 1.5e9, "EUR"),
    ("amount-programme-year", "Horizon 2020 EUR 10 million", 1e7, "EUR"),
    ("amount-range", "PLN 104-105 million", None, None),
    ("amount-hkd", "HK$ 50 million", 5e7, "HKD"),
    ("amount-twd", "NT$ 3 billion", 3e9, "TWD"),
    ("amount-hkd-zh", "港币5亿元", 5e8, "HKD"),
    ("amount-jpy", "¥ 1,000 million (JPY)", 1e9, "JPY"),
    ("amount-qianwan", "5千万元", 5e7, "CNY"),
    ("amount-yi-trad", "3.5億元", 3.5e8, "CNY"),
    ("amount-wan-trad", "5000萬元", 5e7, "CNY"),
    ("amount-usd-zh", "2亿美元", 2e8, "USD"),
    ("amount-eur-zh", "1亿欧元", 1e8, "EUR"),
    ("amount-cn-numerals", "五亿元", 5e8, "CNY"),
    ("amount-en-thousands", "EUR 1,000,000", 1e6, "EUR"),
    ("amount-ambiguous-1.500", "EUR 1.500", None, None),
    ("amount-name-year-zh", "Healthy China 2030 100亿元", 1e10, "CNY"),
]:
    case(cid, "#16", "amounts", repr(text), "probe", {"fn": "amount", "args": [text]},
         amount_is(value, cur))  # fmt: skip

# ------------------------------------------------------------------ #16: dates
for cid, text, order, iso, prec, warn in [
    ("date-slash-ambiguous", "11/7/2016", "reject", None, "", False),
    ("date-slash-dmy", "11/7/2016", "dmy", "2016-07-11", "day", True),
    ("date-slash-unambiguous", "25/12/2016", "reject", "2016-12-25", "day", False),
    ("date-dotted-year-month", "2016.10", "reject", "2016-10", "month", False),
    ("date-dotted-dmy", "21.03.2017", "reject", "2017-03-21", "day", False),
]:
    spec = {"fn": "date", "args": [text, order]}
    case(cid, "#16", "dates", f"{text!r} (date_order={order})", "probe", spec,
         date_is(iso, prec, warn))  # fmt: skip


def _dates_in(res, i):
    return res["rows"][i].get("year", "") if i < len(res["rows"]) else ""


case("date-cell-number-2016.10", "#16", "dates", "cell typed 2016.10 (a number)", "probe",
     {"fn": "clean", "args": ["@date_cells"]},
     read_gives(lambda r: r["rows"][0].get("date_start") == "2016-10",
                lambda r: f"date_start {r['rows'][0].get('date_start')}"))  # fmt: skip
case("date-cell-format-yyyy-mm", "#16", "dates", "date cell shown as yyyy-mm", "probe",
     {"fn": "clean", "args": ["@date_cells"]},
     read_gives(lambda r: r["rows"][1].get("date_start") == "2016-06",
                lambda r: f"date_start {r['rows'][1].get('date_start')}"))  # fmt: skip
case("date-cell-format-yyyy-nian", "#16", "dates", "date cell shown as yyyy年", "probe",
     {"fn": "clean", "args": ["@date_cells"]},
     read_gives(lambda r: r["rows"][2].get("date_start") == "2016",
                lambda r: f"date_start {r['rows'][2].get('date_start')}"))  # fmt: skip
case("date-slash-in-file", "#16", "dates", "a mapping with 11/7/2016: rejected row, named",
     "probe", {"fn": "clean", "args": ["@slash_date"]},
     lambda r: _err(r) if not r["ok"] else (
         (WELL, "row rejected with its column") if r["result"]["rejected"] == 1 and any(
             "date" in str(x.get("reason", "")) for x in r["result"]["log"])
         else (WRONG, f"{r['result']['n']} kept, date {r['result']['rows'][:1]}")))  # fmt: skip


def _amounts_warned(r):
    """The range stays empty with a warning; the programme year is not the amount."""
    if not r["ok"]:
        return _err(r)
    got = [str(x.get("amount", "")) for x in r["result"]["rows"]]
    good = all(a in ("", "nan", "None", "10000000.0") for a in got) and r["result"]["warnings"]
    return (WELL if good else WRONG), f"amounts {got}, {r['result']['warnings']} warnings"


case("amount-in-file-warned", "#16", "amounts",
     "a mapping with 'PLN 104-105 million' and 'Horizon 2020 EUR 10 million'", "probe",
     {"fn": "clean", "args": ["@amounts"]}, _amounts_warned)  # fmt: skip

# ------------------------------------------------------------------ #16: encodings and formats
case("csv-windows-1252", "#16", "formats", "Windows-1252 CSV (é, ü, €, –)", "probe",
     {"fn": "read", "args": ["@cp1252"]},
     read_gives(lambda r: titles(r) == ["Stratégie für Gesundheit – €"],
                lambda r: f"title {titles(r)}"))  # fmt: skip
case("csv-semicolon", "#16", "formats", "';'-separated CSV (European Excel export)", "probe",
     {"fn": "read", "args": ["@semi"]},
     read_gives(lambda r: titles(r) == ["Genome plan", "Second plan"],
                lambda r: f"{r['n']} rows"))  # fmt: skip
case("csv-1.3mb-cell", "#16", "formats", "a 1.3 MB cell", "probe",
     {"fn": "read", "args": ["@bigcell"]},
     read_gives(lambda r: r["n"] == 1 and len(r["rows"][0]["description"]) == 1_300_000,
                lambda r: f"{r['n']} rows"))  # fmt: skip

# ------------------------------------------------------------------ #16: workbooks
case("xlsx-hidden-first-sheet", "#16", "workbooks", "hidden first sheet (old version)", "probe",
     {"fn": "read", "args": ["@hidden_sheet"]},
     read_gives(lambda r: titles(r) == ["Genome plan"], lambda r: f"titles {titles(r)}",
                "hidden sheet"))  # fmt: skip
case("xlsx-instructions-sheet", "#16", "workbooks", "first sheet of instructions", "probe",
     {"fn": "read", "args": ["@instructions"]},
     read_gives(lambda r: titles(r) == ["Genome plan", "Second plan"],
                lambda r: f"titles {titles(r)}", "sheet"))  # fmt: skip
case("xlsx-template-sheet", "#16", "workbooks", "template sheet with one example row", "probe",
     {"fn": "read", "args": ["@template"]},
     read_gives(lambda r: titles(r) == ["Genome plan", "Second plan", "Third plan"],
                lambda r: f"titles {titles(r)}", "sheet"))  # fmt: skip
case("xlsx-hidden-rows", "#16", "workbooks", "hidden rows", "probe",
     {"fn": "read", "args": ["@hidden_rows"]},
     read_gives(lambda r: "Withdrawn plan" not in titles(r) and r["n"] == 2,
                lambda r: f"titles {titles(r)}", "hidden"))  # fmt: skip
case("xlsx-merged-cells", "#16", "workbooks", "merged cells (region, kind over two rows)",
     "probe", {"fn": "read", "args": ["@merged"]},
     read_gives(lambda r: r["n"] == 3 and r["rows"][1].get("region") == "Europe",
                lambda r: f"row 3 region {r['rows'][1].get('region') if r['n'] > 1 else '-'}",
                "merged"))  # fmt: skip
case("xlsx-two-level-header", "#16", "workbooks", "two-level header", "probe",
     {"fn": "read", "args": ["@two_level"]},
     read_gives(lambda r: titles(r) == ["Genome plan"] and r["rows"][0].get("region") == "Europe",
                lambda r: f"rows {r['rows'][:1]}"))  # fmt: skip
case("xlsx-traditional-header", "#16", "workbooks", "traditional headers (編號, 計劃名稱, 地區)",
     "probe", {"fn": "read", "args": ["@traditional"]},
     read_gives(lambda r: r["n"] == 1 and "精準醫學研究計劃" in str(r["rows"][0]),
                lambda r: f"{r['n']} rows"))  # fmt: skip
case(
    "xlsx-chinese-only-header",
    "#16",
    "workbooks",
    "Chinese-only header (no English title column): refused naming the column",
    "probe",
    {"fn": "read", "args": ["@chinese_only"]},
    rejected_with("title", "row 1"),
)
case("xlsx-traditional-values", "#16", "workbooks", "traditional values (中國, 計劃)", "probe",
     {"fn": "clean", "args": ["@traditional"]},
     read_gives(lambda r: r["n"] == 1 and r["rows"][0].get("region") == "China",
                lambda r: f"{r['n']} kept, rejected {r['rejected']}"))  # fmt: skip
case(
    "xlsx-source-org-link-url",
    "#16",
    "workbooks",
    "来源 holds organisations, 链接 the URL",
    "probe",
    {"fn": "clean", "args": ["@source_org"]},
    read_gives(
        lambda r: r["n"] == 1 and r["rows"][0].get("source_url") == "https://most.gov.cn/1",
        lambda r: f"source_url {r['rows'][0].get('source_url') if r['n'] else '-'}",
    ),
)

# ------------------------------------------------------------------ #16: outputs
for cid, what, needle in [
    ("out-formula-equals", "title '=HYPERLINK(...)'", "=HYPERLINK"),
    ("out-formula-plus", "title '+cmd|...'", "+cmd"),
    ("out-formula-minus", "title '-2+3 ...'", "-2+3"),
    ("out-formula-at", "title '@SUM(...)'", "@SUM"),
    ("out-formula-tab", "description starting with a tab and =", "=1+1 tab first"),
]:
    case(cid, "#16", "outputs", f"{what} in tables/*.csv and the processed table", "run",
         {"vars": {"MAPPING": "@hostile_cells", "RUN": "hostile"}, "target": "reports",
          "needle": needle},
         lambda r: (UNCLEAR, "run failed: " + r["tail"]) if not r["csv_cells"] else (
             (SECURITY, f"written verbatim in {r['raw_cells'][0]}") if r["raw_cells"]
             else (WELL, f"neutralised in {r['csv_cells']} cells")))  # fmt: skip
case("out-dollar-in-title", "#16", "outputs", "'$' in titles and descriptions (mathtext)", "run",
     {"vars": {"MAPPING": "@hostile_cells", "RUN": "hostile"}, "target": "reports"},
     lambda r: (WELL, "figures drawn, run completed") if r["rc"] == 0 else (
         UNCLEAR, r["tail"]))  # fmt: skip

# ------------------------------------------------------------------ #19: small mappings
case("small-readme-minimal-4", "#19", "small mappings",
     "make reports MAPPING=examples/minimal_mapping.csv (4 items)", "run",
     {"vars": {"MAPPING": "examples/minimal_mapping.csv"}, "target": "reports"},
     small_run(["Topics were not computed", "topics need at least 12"]))  # fmt: skip
case("small-1-item", "#19", "small mappings", "a mapping of 1 item", "run",
     {"vars": {"MAPPING": "@one", "RUN": "one"}, "target": "reports"},
     small_run(["Topics were not computed", "Only one region (Europe)"]))  # fmt: skip
case("small-2-items", "#19", "small mappings", "a mapping of 2 items", "run",
     {"vars": {"MAPPING": "@two", "RUN": "two"}, "target": "reports"},
     small_run(["Topics were not computed"]))  # fmt: skip
case("small-20-items", "#19", "small mappings", "a mapping of 20 items (k_range clipped)", "run",
     {"vars": {"MAPPING": "@twenty", "RUN": "twenty"}, "target": "reports"},
     small_run(["The topics were adapted to this mapping", "clipped"]))  # fmt: skip
case("small-one-region", "#19", "small mappings", "12 items, China only", "run",
     {"vars": {"MAPPING": "@china", "RUN": "china"}, "target": "reports"},
     small_run(["Only one region (China)"]))  # fmt: skip
case("index-rejected-warnings", "#16", "outputs",
     "index headline shows rejected rows and warnings", "run",
     {"vars": {"MAPPING": "@slash_date", "RUN": "slash"}, "target": "reports"},
     small_run(['rejected rows<b>1</b>']))  # fmt: skip

case("all-rows-rejected", "#16", "outputs", "a mapping whose every row is rejected", "run",
     {"vars": {"MAPPING": "@all_rejected", "RUN": "allrejected"}, "target": "reports"},
     lambda r: (WRONG, "run completed with no item") if r["rc"] == 0 else (
         (WELL, r["said"]) if "were rejected" in r["said"] else (UNCLEAR, r["tail"])))  # fmt: skip

# ------------------------------------------------------------------ custom: faults, memory, copy
case(
    "bounded-stray-cell",
    "#19",
    "bounded reading",
    "stray ' ' at XFD1048576 (27 KB workbook)",
    "custom",
    {"fn": "stray"},
    lambda r: r["judged"],
)
case(
    "fault-interrupted",
    "#16",
    "faults",
    "a run killed during notebook 02, then rerun",
    "custom",
    {"fn": "interrupted"},
    lambda r: r["judged"],
)
case(
    "fault-concurrent",
    "#16",
    "faults",
    "two concurrent runs of the same RUN",
    "custom",
    {"fn": "concurrent"},
    lambda r: r["judged"],
)
case(
    "copied-checkout",
    "#19",
    "one checkout",
    "a copy of the checkout with its .venv",
    "custom",
    {"fn": "copied"},
    lambda r: r["judged"],
)
case(
    "threads-limited",
    "#19",
    "threads",
    "notebooks run with a fixed OpenMP/BLAS thread count",
    "custom",
    {"fn": "threads"},
    lambda r: r["judged"],
)


# ------------------------------------------------------------------ execution
def _resolve(value: str, files: dict[str, Path]) -> str:
    return str(files[value[1:]]) if isinstance(value, str) and value.startswith("@") else value


def _env(tree: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IC2_", "MAKE"))}
    return {**env, "OMP_NUM_THREADS": env.get("OMP_NUM_THREADS", "1"), "IC2_NO_WAIT": "1"}


TREE: list[Path] = []


def _clear_markers() -> list[str]:
    """Files a hidden command made: in the markers folder, or ``pwned*`` where make ran."""
    hits = [*MARKERS.glob("*"), *(p for t in TREE for p in t.glob("pwned*"))]
    for p in hits:
        p.unlink()
    return sorted(p.name for p in hits)


def _escaped(tree: Path) -> list[str]:
    hits = [
        p for base in (tree.parent, tree.parent.parent, tree) for p in base.glob("ic2h-escape*")
    ]
    for p in hits:
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    return [str(p) for p in hits]


def _snapshot(tree: Path) -> dict[str, int]:
    skip = (".venv", ".git", "__pycache__")
    return {
        str(p.relative_to(tree)): p.stat().st_mtime_ns
        for p in tree.rglob("*")
        if p.is_file() and not any(s in p.parts for s in skip)
    }


def run_make(tree: Path, args: list[str], vars_: dict[str, str], timeout: int = 900) -> dict:
    cmd = ["make", "--no-print-directory", *args, *(f"{k}={v}" for k, v in vars_.items() if v)]
    t = time.perf_counter()
    try:
        p = subprocess.run(cmd, cwd=tree, env=_env(tree), capture_output=True, text=True,
                           timeout=timeout)  # fmt: skip
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as exc:
        rc, out, err = -9, str(exc.stdout or ""), f"timeout after {timeout} s"
    return {"rc": rc, "out": out, "err": err, "seconds": round(time.perf_counter() - t, 1)}


def _run_dir(tree: Path, out: str, run: str) -> Path:
    for line in out.splitlines():
        if line.startswith("Reports: "):
            return tree / Path(line.split()[1]).parent
    return tree / "reports" / "runs" / run if run else tree / "reports"


def _csv_cells(folder: Path, needle: str) -> tuple[int, list[str]]:
    """Cells containing ``needle`` in every CSV under ``folder``; those written verbatim."""
    n, raw = 0, []
    for f in sorted(folder.rglob("*.csv")):
        with f.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    if needle in cell:
                        n += 1
                        if cell.startswith(needle[0]):
                            raw.append(f.name)
    return n, raw


RUN_CACHE: dict[str, dict] = {}


def exec_run(c: Case, tree: Path, files: dict[str, Path]) -> dict:
    vars_ = {k: _resolve(v, files) for k, v in c.spec["vars"].items()}
    key = json.dumps(vars_, sort_keys=True)
    if key not in RUN_CACHE:
        _clear_markers()
        before = {p for p in tree.glob("reports/runs/*")}
        r = run_make(tree, [c.spec.get("target", "reports")], vars_)
        r["markers"] = _clear_markers()
        new = sorted({p for p in tree.glob("reports/runs/*")} - before)
        run_dir = _run_dir(tree, r["out"], vars_.get("RUN", ""))
        if not run_dir.exists() and new:
            run_dir = new[-1]
        r["run_dir"] = str(run_dir)
        index = run_dir / "index.html"
        r["index"] = index.read_text(encoding="utf-8") if index.exists() else ""
        proc = [
            *run_dir.glob("data/processed/initiatives.csv"),
            *run_dir.glob("**/initiatives.csv"),
        ]
        r["n_processed"] = (
            sum(1 for _ in csv.reader(proc[0].open(encoding="utf-8"))) - 1 if proc else 0
        )
        lines = [x for x in (r["err"] + r["out"]).splitlines() if x.strip()]
        r["tail"] = (lines[-1] if lines else "")[:160]
        said = [x for x in lines if x.startswith("error:")]
        r["said"] = (said[0] if said else "")[:160]
        RUN_CACHE[key] = r
    r = dict(RUN_CACHE[key])
    if "needle" in c.spec:
        r["csv_cells"], r["raw_cells"] = _csv_cells(Path(r["run_dir"]), c.spec["needle"])
        r["csv_cells"] = r["csv_cells"] if r["rc"] == 0 or r["csv_cells"] else 0
    return r


def exec_params(c: Case, tree: Path, files: dict[str, Path]) -> dict:
    """``make reports`` with the values; killed once notebook 02 has started, if it gets there.

    Parameters checked before work make ``make`` stop at once; the old code only fails inside
    a notebook, so a run is allowed to go on until it fails or completes (timeout 15 min).
    """
    new = (tree / "ic2analysis" / "cleaning").exists()
    vars_ = {k: v for k, v in c.spec["new" if new and "new" in c.spec else "vars"].items() if v}
    vars_.setdefault("RUN", "p-" + c.id[:40])
    _clear_markers()
    run_dir = tree / "reports" / "runs" / vars_["RUN"]
    shutil.rmtree(run_dir, ignore_errors=True)
    if c.spec.get("stop"):  # an accepted value: only the recorded parameters matter
        r = _until_params(tree, vars_, run_dir)
    else:
        r = run_make(tree, ["reports"], vars_)
    r["markers"] = _clear_markers()
    r["ran_01"] = (run_dir / "notebooks" / "01_clean.ipynb").exists()
    pfile = run_dir / "params" / "03_bridges.yaml"
    params = {}
    import yaml

    for nb in ("01_clean", "02_topics", "03_bridges"):
        f = run_dir / "params" / f"{nb}.yaml"
        if f.exists():
            params.update(yaml.safe_load(f.read_text(encoding="utf-8")) or {})
    if isinstance(params.get("weights"), dict):
        w = params["weights"]
        params["weights"] = "balance" if w.get("balance") == 0.5 and w.get("recency") == 0.5 else w
    r["params"] = params
    del pfile
    return r


def _until_params(tree: Path, vars_: dict[str, str], run_dir: Path) -> dict:
    """Start ``make reports`` and stop it once the run's three parameter files are written."""
    import signal

    cmd = ["make", "--no-print-directory", "reports", *(f"{k}={v}" for k, v in vars_.items())]
    p = subprocess.Popen(cmd, cwd=tree, env=_env(tree), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
    want = [run_dir / "params" / f"{nb}.yaml" for nb in ("01_clean", "02_topics", "03_bridges")]
    t = time.time()
    while p.poll() is None and time.time() - t < 600 and not all(f.exists() for f in want):
        time.sleep(0.3)
    stopped = p.poll() is None
    if stopped:
        time.sleep(1)
        os.killpg(p.pid, signal.SIGTERM)
    out, err = p.communicate()
    return {"rc": 0 if stopped or p.returncode == 0 else p.returncode, "out": out, "err": err}


def exec_make(c: Case, tree: Path, files: dict[str, Path]) -> dict:
    shutil.rmtree(tree / ".make", ignore_errors=True)  # the old Makefile's state, git-ignored
    _clear_markers()
    _escaped(tree)
    before = _snapshot(tree)
    r = run_make(tree, c.spec["args"], {k: _resolve(v, files) for k, v in c.spec["vars"].items()})
    after = _snapshot(tree)
    r["written"] = sorted(k for k in after if after[k] != before.get(k))
    r["markers"] = _clear_markers()
    r["escaped"] = _escaped(tree)
    return r


def main() -> None:
    import custom

    ap = argparse.ArgumentParser()
    ap.add_argument("--tree", type=Path)
    ap.add_argument("--label")
    ap.add_argument("--only", nargs="*", default=[])
    ap.add_argument("--kinds", nargs="*", default=["probe", "make", "params", "run", "custom"])
    ap.add_argument("--table", action="store_true")
    args = ap.parse_args()
    if args.table:
        custom.write_table(CASES, HERE)
        return
    tree = args.tree.resolve()
    TREE.append(tree)
    files = inputs.build(WORK / "inputs")
    MARKERS.mkdir(parents=True, exist_ok=True)
    chosen = [c for c in CASES if (not args.only or c.id in args.only) and c.kind in args.kinds]
    out_file = HERE / f"results-{args.label}.json"
    results = json.loads(out_file.read_text()) if out_file.exists() else {}
    probes = [c for c in chosen if c.kind == "probe"]
    if probes:
        reqs = [{"fn": c.spec["fn"], "args": [_resolve(a, files) for a in c.spec["args"]]}
                for c in probes]  # fmt: skip
        got = custom.probe(tree, reqs, WORK)
        for c, r in zip(probes, got, strict=True):
            results[c.id] = list(c.judge(r))
    for c in chosen:
        if c.kind == "probe":
            continue
        run = {"make": exec_make, "params": exec_params, "run": exec_run}.get(c.kind)
        r = run(c, tree, files) if run else custom.CUSTOM[c.spec["fn"]](tree, files)
        results[c.id] = list(c.judge(r))
        print(f"{c.id:32s} {results[c.id][0]:16s} {results[c.id][1][:90]}", flush=True)
        out_file.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    out_file.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    for c in probes:
        print(f"{c.id:32s} {results[c.id][0]:16s} {results[c.id][1][:90]}")


if __name__ == "__main__":
    main()
