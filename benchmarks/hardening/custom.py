"""The harness's cases that need more than one call: memory, faults, copies, threads; tables.

Each case function takes the checkout and the input files and returns ``{"judged": (outcome,
note)}`` with the outcome words of ``cases.py``.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

WELL, UNCLEAR, WRONG, SECURITY = (
    "handled well",
    "unclear error",
    "silently wrong",
    "security problem",
)
HERE = Path(__file__).resolve().parent


def _py(tree: Path) -> str:
    return str(tree / ".venv" / "bin" / "python")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IC2_", "MAKE"))}
    return {**env, "OMP_NUM_THREADS": "1"}


def probe(tree: Path, requests: list[dict], work: Path) -> list[dict]:
    """Every cleaning request through ``probe.py`` in the checkout's own .venv, at once."""
    req = work / "requests.json"
    req.write_text(json.dumps(requests), encoding="utf-8")
    p = subprocess.run(
        [_py(tree), str(HERE / "probe.py"), str(req)],
        cwd=tree, env=_env(), capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    return json.loads(p.stdout.strip().splitlines()[-1])


STRAY = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, 4 * 2**30))
t = time.perf_counter()
try:
    from ic2analysis.cleaning import read
    frame = read.read_file(sys.argv[1], [])
except ImportError:
    from ic2analysis import read
    try:
        frame = read.read_file(sys.argv[1])
    except MemoryError:
        frame = None
peak = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM"))
rows = "MemoryError" if frame is None else len(frame)
print(rows, round(time.perf_counter() - t, 2), peak // 1024)
"""


def stray(tree: Path, files: dict) -> dict:
    """The stray-cell workbook under a 4 GB address-space limit and a 300 s timeout."""
    try:
        p = subprocess.run([_py(tree), "-c", STRAY, str(files["stray"])], cwd=tree, env=_env(),
                           capture_output=True, text=True, timeout=300)  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"judged": (UNCLEAR, "did not finish in 300 s (the machine's memory fills)")}
    if p.returncode != 0:
        return {"judged": (UNCLEAR, p.stderr.strip().splitlines()[-1][:140])}
    rows, seconds, mb = p.stdout.split()
    note = f"{rows} rows, {seconds} s, peak {mb} MB (4 GB limit)"
    good = rows == "1" and float(seconds) < 5 and int(mb) < 200
    return {"judged": (WELL if good else UNCLEAR, note)}


def _make(tree: Path, *args: str, **vars_: str) -> subprocess.Popen:
    cmd = [
        "make",
        "--no-print-directory",
        "reports",
        *args,
        *(f"{k}={v}" for k, v in vars_.items()),
    ]
    out = subprocess.PIPE
    return subprocess.Popen(
        cmd, cwd=tree, env=_env(), stdout=out, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip


def _leftovers(run_dir: Path) -> list[str]:
    return sorted(str(p.relative_to(run_dir)) for p in run_dir.rglob(".stage*"))


def interrupted(tree: Path, files: dict) -> dict:
    """A complete run, then one with a changed k interrupted (Ctrl-C) during the topics, rerun."""
    run_dir = tree / "reports" / "runs" / "intr"
    shutil.rmtree(run_dir, ignore_errors=True)
    first = _make(tree, MAPPING=str(files["twenty"]), RUN="intr", K="3")
    out1 = first.communicate(timeout=900)[0]
    if first.returncode != 0:
        return {"judged": (UNCLEAR, "the first run failed: " + out1.strip().splitlines()[-1][:120])}
    second = _make(tree, MAPPING=str(files["twenty"]), RUN="intr", K="4")
    t = time.time()
    nb02 = run_dir / "notebooks" / "02_topics.ipynb"
    m0 = nb02.stat().st_mtime
    while time.time() - t < 120 and second.poll() is None:
        if any(p.name.startswith(".stage") for p in run_dir.rglob("*")) or time.time() - t > 12:
            break
        time.sleep(0.5)
    os.killpg(second.pid, signal.SIGINT)
    try:
        second.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(second.pid, signal.SIGKILL)
        second.communicate()
    index = run_dir / "index.html"
    stale = index.exists() and nb02.exists() and nb02.stat().st_mtime == m0
    left = _leftovers(run_dir)
    third = _make(tree, MAPPING=str(files["twenty"]), RUN="intr", K="4")
    out3 = third.communicate(timeout=900)[0]
    done = third.returncode == 0 and index.exists()
    note = (f"after Ctrl-C: index {'kept (claims the old run)' if stale else 'absent'}, "
            f"stage leftovers {len(left)}; rerun {'completes' if done else 'fails'}")  # fmt: skip
    if not done:
        return {"judged": (UNCLEAR, note + ": " + out3.strip().splitlines()[-1][:80])}
    return {"judged": (WRONG if stale else WELL, note)}


def concurrent(tree: Path, files: dict) -> dict:
    """Two runs of the same RUN started together: the second waits (or refuses)."""
    run_dir = tree / "reports" / "runs" / "conc"
    shutil.rmtree(run_dir, ignore_errors=True)
    a = _make(tree, MAPPING=str(files["twenty"]), RUN="conc", K="3")
    time.sleep(1.5)
    b = _make(tree, MAPPING=str(files["twenty"]), RUN="conc", K="3")
    out_a, out_b = a.communicate(timeout=900)[0], b.communicate(timeout=900)[0]
    waited = "waiting for run" in out_b or "in progress" in out_b
    ok = a.returncode == 0 and (run_dir / "index.html").exists() and not _leftovers(run_dir)
    note = f"rc {a.returncode}/{b.returncode}; second {'waited' if waited else 'ran at once'}"
    if not ok:
        return {"judged": (UNCLEAR, note + ": " + out_a.strip().splitlines()[-1][:80])}
    return {"judged": (WELL if waited else WRONG, note)}


def copied(tree: Path, files: dict) -> dict:
    """A copy of the checkout with its .venv: the copy must not run the original's code."""
    copy = Path(os.environ.get("TMPDIR", "/tmp")) / "ic2-hardening" / (tree.name + "-copy")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(tree, copy, symlinks=True,
                    ignore=shutil.ignore_patterns("runs", "sweeps", ".git"))  # fmt: skip
    try:
        before = set((tree / "reports" / "runs").glob("*"))
        p = _make(copy, MAPPING=str(files["twenty"]), RUN="copytest", K="3")
        out = p.communicate(timeout=900)[0]
        wrote_original = set((tree / "reports" / "runs").glob("*")) - before
        last = (out.strip().splitlines() or [""])[-1][:140]
        if wrote_original:
            return {"judged": (WRONG, f"rc {p.returncode}; wrote into the original's reports/runs")}
        if p.returncode != 0 and "checkout" in out:
            return {"judged": (WELL, last)}
        return {"judged": (UNCLEAR, f"rc {p.returncode}: {last}")}
    finally:
        shutil.rmtree(copy, ignore_errors=True)
        shutil.rmtree(tree / "reports" / "runs" / "copytest", ignore_errors=True)


THREADS = """
import os
try:
    from ic2analysis import runner
    runner.limit_threads()
except (ImportError, AttributeError):
    import ic2analysis.notebook  # the old runner sets nothing
print(os.environ.get("OMP_NUM_THREADS", "unset"))
"""


def threads(tree: Path, files: dict) -> dict:
    """What the runner passes to the notebooks' kernels (the timing spread: threads.csv)."""
    env = {k: v for k, v in _env().items() if k != "OMP_NUM_THREADS"}
    p = subprocess.run([_py(tree), "-c", THREADS], cwd=tree, env=env, capture_output=True,
                       text=True)  # fmt: skip
    got = p.stdout.strip()
    if got == "1":
        return {"judged": (WELL, "kernels get OMP/BLAS threads = 1 (IC2_THREADS to change)")}
    return {"judged": (WRONG, f"kernels get OMP_NUM_THREADS={got}: all cores, libgomp spins")}


CUSTOM = {"stray": stray, "interrupted": interrupted, "concurrent": concurrent,
          "copied": copied, "threads": threads}  # fmt: skip


def write_table(cases: list, here: Path) -> None:
    """results.csv and the table in README.md from results-before.json and results-after.json."""
    res = {k: json.loads((here / f"results-{k}.json").read_text()) for k in ("before", "after")}
    extra = here / "results-before2.json"  # the slow cases, run beside the others
    if extra.exists():
        res["before"].update(json.loads(extra.read_text()))
    rows = []
    for c in cases:
        b = res["before"].get(c.id, ["not run", ""])
        a = res["after"].get(c.id, ["not run", ""])
        rows.append([c.id, c.issue, c.area, c.what, b[0], b[1], a[0], a[1]])
    with (here / "results.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["case", "issue", "area", "what", "before", "before_detail", "after",
                    "after_detail"])  # fmt: skip
        w.writerows(rows)
    counts = {k: {} for k in ("before", "after")}
    for r in rows:
        counts["before"][r[4]] = counts["before"].get(r[4], 0) + 1
        counts["after"][r[6]] = counts["after"].get(r[6], 0) + 1
    outcomes = [WELL, UNCLEAR, WRONG, SECURITY, "not run"]
    lines = ["| outcome | before (1e4933a) | after |", "|---|---:|---:|"]
    lines += [f"| {o} | {counts['before'].get(o, 0)} | {counts['after'].get(o, 0)} |"
              for o in outcomes]  # fmt: skip
    lines += [
        "",
        "| case | issue | what | before | after | after: detail |",
        "|---|---|---|---|---|---|",
    ]
    esc = lambda s: str(s).replace("|", "\\|").replace("\n", " ").replace("\t", "\\t")  # noqa: E731
    lines += [
        f"| {r[0]} | {r[1]} | {esc(r[3])} | {r[4]} | {r[6]} | {esc(r[7])[:110]} |" for r in rows
    ]
    readme = here / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- table -->", "<!-- /table -->"
    head, rest = text.split(start, 1)
    text = head + start + "\n" + "\n".join(lines) + "\n" + end + rest.split(end, 1)[1]
    readme.write_text(text, encoding="utf-8")
