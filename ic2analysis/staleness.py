"""Is a run's output current? Decided by the content of its inputs, not by file times.

Make compares modification times, and a fresh ``git clone`` sets every file's time to the
moment of checkout, so make alone would re-run all three notebooks although the committed
outputs are exactly what the code produces. Here each step of a run (the three notebooks,
then the index) has a *key*: one SHA-256 over what the step reads.

* the step's parameter file text (``params.dump``) and, for 01, the inputs' fingerprint
  (``params/inputs.sha256``: the mapping's bytes) and ``data/verification.csv``;
* every package module the notebook imports, followed transitively through the package's
  own imports (``ast``, nothing is executed), plus the package's data files (``resources/``);
  for the index, every package source file (the manifest hashes them all) and the templates;
* files named by a parameter (``counterpart_pairs``) or read by a notebook by fixed path;
* ``requirements.lock`` (the versions that produced the bytes);
* the key of the step before it (02 reads what 01 wrote), so a change travels downstream.

After a step succeeds its key is recorded in ``<run>/stamps.json`` (committed with the
reports). Before ``make build``, ``sync`` compares each recorded key with the current one:
a step whose key matches gets its target's time set to now, so make sees it as current; a
step whose key differs gets its target's time set to 1970, so make re-runs it (and, through
the file times, every step after it). ``plan`` answers the same question without touching
anything (``make -q reports``).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from . import files, paths

STAMPS = "stamps.json"
INDEX = "index"
PACKAGE = "ic2analysis"
# Files the steps read by a fixed path, besides their parameters and imports.
READS: dict[str, tuple[str, ...]] = {
    "01_clean": ("data/verification.csv", "data/bodies.csv"),
    "02_topics": ("benchmarks/results/topic_settings.csv",),
    "03_bridges": (
        "params/known_body_pairs.csv",
        "benchmarks/results/counterpart_variants.csv",
    ),
    INDEX: (),
}
# Every notebook's HTML is written by the runner (with the nbconvert template).
RUNNER = ("ic2analysis.runner",)
DATA_DIRS = ("ic2analysis/resources", "ic2analysis/reporting/fonts")
INDEX_DIRS = ("ic2analysis/reporting/templates",)
INDEX_MODULES = ("ic2analysis.reporting.report",)
ENVIRONMENT = ("requirements.lock",)
SOURCE_SUFFIXES = (".py", ".csv", ".j2", ".json", ".yaml", ".css", ".js")  # as manifest's


def _module_file(name: str) -> Path | None:
    """The source file of package module ``name`` (a package's ``__init__``), or None."""
    base = paths.ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported(source: Path, name: str) -> set[str]:
    """Package modules that ``source`` (module ``name``) imports, absolute and relative."""
    return set(_imports_in(source.read_bytes(), str(source), name))


def _statements(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every statement under ``body``, nested blocks included: imports are statements, so the
    expressions (nine in ten nodes, the cost of ``ast.walk``) need not be visited."""
    todo: list[ast.AST] = list(body)
    while todo:
        node = todo.pop()
        yield node
        for block in ("body", "orelse", "finalbody", "handlers", "cases"):
            inner = getattr(node, block, None)
            if isinstance(inner, list):
                todo.extend(inner)


# An import statement starts a line (after its indentation); the scan parses just those
# statements. A statement after ':' or ';' on one line, or a candidate that does not parse
# alone, sends the file to the full parse, so the scan never finds less than the parse.
_IMPORT_AT_START = re.compile(rb"^[ \t]*(?:from[ \t]+[.\w]+[ \t]+import\b|import[ \t]+[\w(])", re.M)
_IMPORT_INLINE = re.compile(rb"[:;][ \t]*(?:from[ \t]+[.\w]+[ \t]+import\b|import[ \t]+\w)")


def _import_statements(code: bytes) -> list[ast.stmt] | None:
    """The import statements that start a line of ``code``, each parsed alone; None when the
    file needs the full parse (about 15 times dearer: 0.17 s for the package's modules)."""
    if _IMPORT_INLINE.search(code):
        return None
    out: list[ast.stmt] = []
    for m in _IMPORT_AT_START.finditer(code):
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        end = _line_end(code, start)
        while _continues(code[start:end]):  # a parenthesised or backslashed statement
            if end >= len(code):
                return None
            end = _line_end(code, end + 1)
        try:
            out.extend(ast.parse(code[start:end]).body)
        except SyntaxError:
            return None
    return out


def _line_end(code: bytes, start: int) -> int:
    end = code.find(b"\n", start)
    return len(code) if end < 0 else end


def _continues(statement: bytes) -> bool:
    return statement.count(b"(") > statement.count(b")") or statement.rstrip().endswith(b"\\")


@functools.cache
def _imports_in(code: bytes, filename: str, name: str) -> frozenset[str]:
    """The parse behind :func:`_imported`, once per file content (every step's key walks the
    same modules: parsing each once makes a no-op ``make reports`` about 4 times cheaper)."""
    is_pkg = filename.endswith("__init__.py")
    here = name.split(".") if is_pkg else name.split(".")[:-1]
    found: set[str] = set()
    statements = _import_statements(code)
    if statements is None:
        statements = list(_statements(ast.parse(code, filename=filename).body))
    for node in statements:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = here[: len(here) - node.level + 1] if node.level else []
            base = ".".join(parts + ([node.module] if node.module else []))
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return frozenset(m for m in found if m == PACKAGE or m.startswith(PACKAGE + "."))


def closure(roots: Iterable[str]) -> list[Path]:
    """Source files of the package modules reachable from ``roots`` (and their packages)."""
    seen: dict[str, Path] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # parent packages
        if (source := _module_file(name)) is None:
            continue  # an imported name that is not a module (a function, a class)
        seen[name] = source
        todo.extend(_imported(source, name))
    return sorted(set(seen.values()))


def notebook_imports(notebook: str) -> set[str]:
    """Package modules imported by the notebook's paired ``.py``."""
    return _imported(paths.NOTEBOOKS / f"{notebook}.py", "notebooks." + notebook)


def _tree(folder: str) -> list[Path]:
    root = paths.ROOT / folder
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def sources(step: str) -> list[Path]:
    """Every file whose bytes a step's key covers (parameters and data aside)."""
    if step == INDEX:  # the manifest hashes every package source file: all of them count
        found = [f for f in _tree(PACKAGE) if f.suffix in SOURCE_SUFFIXES]
        found += closure(INDEX_MODULES) + [f for d in INDEX_DIRS for f in _tree(d)]
    else:
        nb = paths.NOTEBOOKS
        found = [nb / f"{step}.ipynb", nb / f"{step}.py"]
        found += closure(notebook_imports(step) | set(RUNNER))
    found += [f for d in DATA_DIRS for f in _tree(d)]
    found += [paths.ROOT / f for f in READS[step] + ENVIRONMENT]
    return sorted(set(found))


def _named_files(values: Mapping[str, object]) -> list[Path]:
    """Files inside the project named by a parameter value (e.g. ``counterpart_pairs``)."""
    out = []
    for v in values.values():
        if isinstance(v, str) and v and "\n" not in v and len(v) < 400:
            p = paths.resolve_input(v)
            if p.is_file() and paths.ROOT in p.resolve().parents:
                out.append(p)
    return out


def key(step: str, params_text: str, extra: Iterable[Path], before: str, inputs: str) -> str:
    """SHA-256 over the step's parameters, inputs, source files and the previous key."""
    h = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        h.update(f"{label}\0{len(data)}\0".encode() + data)

    add("step", step.encode())
    add("before", before.encode())
    add("params", params_text.encode())
    add("inputs", inputs.encode())
    for f in sorted(set(sources(step)) | set(extra)):
        rel = paths.rel_to_root(f)
        add(f"file {rel}", f.read_bytes() if f.is_file() else b"(missing)")
    return h.hexdigest()


def keys(params_texts: Mapping[str, str], inputs: str) -> dict[str, str]:
    """The key of each step of a run, from its parameter files' text and input fingerprint."""
    import yaml

    out: dict[str, str] = {}
    before = ""
    for step, text in params_texts.items():
        named = _named_files(yaml.safe_load(text) or {})
        before = key(step, text, named, before, "" if out else inputs)
        out[step] = before
    out[INDEX] = key(INDEX, "", [], before, "")
    return out


def run_keys(rp: paths.RunPaths, notebooks: Iterable[str]) -> dict[str, str]:
    """The keys of a run from the parameter files and fingerprint it has written."""

    def text(path: Path) -> str:
        return path.read_text(encoding="utf-8") if path.is_file() else ""

    texts = {nb: text(rp.params / f"{nb}.yaml") for nb in notebooks}
    return keys(texts, text(rp.params / "inputs.sha256"))


def recorded(rp: paths.RunPaths) -> dict[str, str]:
    """The keys recorded by the run's last successful steps ({} when none)."""
    path = rp.reports / STAMPS
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


def record(rp: paths.RunPaths, step: str, value: str) -> None:
    """Record that ``step`` succeeded with key ``value`` (rewritten only when it changes)."""
    data = recorded(rp)
    if data.get(step) == value:
        return
    data[step] = value
    files.write_text(rp.reports / STAMPS, json.dumps(data, indent=1, sort_keys=True) + "\n")


def target(rp: paths.RunPaths, step: str) -> Path:
    """The file make builds for ``step``."""
    if step == INDEX:
        return rp.reports / "index.html"
    return rp.notebooks / f"{step}.ipynb"


def plan(rp: paths.RunPaths, current: Mapping[str, str]) -> dict[str, str]:
    """Each step's state: 'current', or why it would run (the first stale step stales the rest)."""
    done = recorded(rp)
    out: dict[str, str] = {}
    stale = False
    for step, value in current.items():
        if stale:
            out[step] = "runs after a step before it"
        elif not target(rp, step).exists():
            out[step] = "no output yet"
        elif done.get(step) != value:
            out[step] = "its inputs changed" if step in done else "no record of its inputs"
        else:
            out[step] = "current"
        stale = stale or out[step] != "current"
    return out


def sync(rp: paths.RunPaths, current: Mapping[str, str]) -> dict[str, str]:
    """Set each target's time so that make's decision is the content's decision."""
    states = plan(rp, current)
    now = time.time()
    for i, (step, state) in enumerate(states.items()):
        t = target(rp, step)
        if not t.exists():
            continue
        stamp = now + i * 1e-3 if state == "current" else 0  # later steps newer than earlier
        os.utime(t, (stamp, stamp))
    return states
