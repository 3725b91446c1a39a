"""Faults: a notebook's outputs land together or not at all; one run at a time; one checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from ic2analysis import files, paths, runner, runstate


def test_staged_writes_land_only_on_commit(tmp_path, monkeypatch):
    stage = tmp_path / "stage"
    monkeypatch.setenv(files.STAGE_ENV, str(stage))
    files.write_text(tmp_path / "out" / "a.csv", "1\n")
    files.write_text(tmp_path / "out" / "a.csv", "2\n")
    files.write_text(tmp_path / "b.txt", "b")
    assert not (tmp_path / "out").exists() and not (tmp_path / "b.txt").exists()
    monkeypatch.delenv(files.STAGE_ENV)
    files.commit(stage)
    assert (tmp_path / "out" / "a.csv").read_text() == "2\n" and (tmp_path / "b.txt").exists()
    assert not stage.exists()


def _notebook(folder: Path, name: str, fail: bool) -> None:
    cells = [
        nbformat.v4.new_code_cell('out = ""', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "from pathlib import Path\nfrom ic2analysis import files\n"
            "files.write_text(Path(out) / 'tables' / 'a.csv', 'new\\n')\n"
            "files.write_text(Path(out) / 'figures' / 'b.svg', 'new\\n')"
        ),
        nbformat.v4.new_code_cell("raise KeyboardInterrupt('stopped')" if fail else "1"),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": runner.KERNEL, "display_name": "k", "language": "python"}
    nbformat.write(nb, folder / f"{name}.ipynb")


@pytest.mark.slow
def test_an_interrupted_notebook_leaves_old_outputs_and_no_index(out_dir, monkeypatch, tmp_path):
    src = tmp_path / "nbs"
    src.mkdir()
    monkeypatch.setattr(paths, "NOTEBOOKS", src)
    rp = paths.run_paths("")
    files.write_text(rp.tables / "a.csv", "old\n")
    files.write_text(rp.reports / "index.html", "<p>complete</p>")
    files.write_text(rp.params / "01_clean.yaml", f"out: {rp.reports}\n")
    _notebook(src, "01_clean", fail=True)
    (rp.notebooks / ".stage-01_clean.killed").mkdir(parents=True)  # a run killed by SIGKILL
    with pytest.raises(BaseException, match="stopped"):
        runner.run_notebook("01_clean", "")
    assert (rp.tables / "a.csv").read_text() == "old\n"
    assert not (rp.figures / "b.svg").exists()
    assert not (rp.reports / "index.html").exists(), "an index would claim a complete run"
    assert (rp.notebooks / "01_clean.failed.ipynb").exists()
    assert not [p for p in rp.notebooks.iterdir() if p.name.startswith(".")]
    _notebook(src, "01_clean", fail=False)
    runner.run_notebook("01_clean", "")  # the next run completes
    assert (rp.tables / "a.csv").read_text() == "new\n" and (rp.figures / "b.svg").exists()
    assert not (rp.notebooks / "01_clean.failed.ipynb").exists()


def test_a_second_run_of_the_same_run_is_refused_or_waits(out_dir, monkeypatch):
    monkeypatch.delenv(runstate.LOCK_HELD_ENV, raising=False)
    with runstate.lock("r1"):
        with pytest.raises(runstate.RunBusy, match="'r1' is in progress"):
            with runstate.lock("r1", wait=False):
                pass
        with runstate.lock("r2", wait=False):  # another run is independent
            pass
        code = "from ic2analysis import runstate\nwith runstate.lock('r1'):\n    print('got it')"
        child = subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=os.environ
        )
        first = child.stdout.readline()
        assert "waiting for run 'r1'" in first
    assert child.communicate(timeout=60)[0].strip() == "got it" and child.returncode == 0


def test_a_copied_checkout_is_refused(tmp_path):
    copy = tmp_path / "copy of ic2analysis"
    (copy / "ic2analysis").mkdir(parents=True)
    (copy / "Makefile").write_text("all:\n")
    with pytest.raises(runstate.WrongCheckout) as err:
        runstate.check_checkout(copy)
    msg = str(err.value)
    assert str(paths.ROOT) in msg and str(copy) in msg and "make -C" in msg
    runstate.check_checkout(paths.ROOT)
    runstate.check_checkout(tmp_path)  # not a checkout at all: nothing to say


def test_the_cli_refuses_to_run_from_a_copied_checkout(tmp_path):
    copy = tmp_path / "copy"
    (copy / "ic2analysis").mkdir(parents=True)
    (copy / "Makefile").write_text("all:\n")
    env = {**os.environ, "IC2_OUTPUT_DIR": str(tmp_path / "out")}
    res = subprocess.run(
        [sys.executable, "-m", "ic2analysis.cli", "params"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 3 and "the .venv belongs to that checkout" in res.stderr
    assert not (tmp_path / "out").exists()


def test_threads_are_limited_for_kernels(monkeypatch):
    monkeypatch.delenv(runner.THREADS_ENV, raising=False)
    for var in runner.THREAD_VARS:
        monkeypatch.delenv(var, raising=False)
    assert runner.limit_threads() == 1
    assert all(os.environ[v] == "1" for v in runner.THREAD_VARS)
    monkeypatch.setenv(runner.THREADS_ENV, "2")
    assert runner.limit_threads() == 2 and os.environ["OMP_NUM_THREADS"] == "2"
    monkeypatch.setenv(runner.THREADS_ENV, "0")
    with pytest.raises(ValueError, match="IC2_THREADS"):
        runner.limit_threads()


@pytest.mark.slow
def test_the_kernel_sees_one_thread(tmp_path, monkeypatch):
    """threadpoolctl inside a kernel started by the runner reports the limit."""
    monkeypatch.delenv(runner.THREADS_ENV, raising=False)
    src = tmp_path / "t.ipynb"
    code = textwrap.dedent(
        """\
        import numpy, sklearn.cluster  # noqa: F401, E401
        from threadpoolctl import threadpool_info
        print(sorted({p["num_threads"] for p in threadpool_info()}))"""
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": runner.KERNEL, "display_name": "k", "language": "python"}
    nbformat.write(nb, src)
    runner.execute(src, tmp_path / "out" / "t.ipynb", {})
    out = nbformat.read(tmp_path / "out" / "t.ipynb", as_version=4)
    assert out.cells[0].outputs[0]["text"].strip() == "[1]"


@pytest.mark.slow
def test_a_failing_notebook_is_reported_in_one_line(tmp_path):
    src = tmp_path / "04_x.ipynb"
    code = "from ic2analysis import config\nconfig.Topics(k=8).check_against(5)"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": runner.KERNEL, "display_name": "k", "language": "python"}
    nbformat.write(nb, src)
    with pytest.raises(runner.NotebookError) as err:
        runner.execute(src, tmp_path / "out" / "04_x.ipynb", {})
    msg = str(err.value)
    assert msg.startswith("04_x stopped: ParameterError: k = 8: expected fewer clusters")
    assert "04_x.failed.ipynb" in msg


def test_a_kernel_of_another_environment_is_refused(tmp_path, monkeypatch):
    import json

    spec = tmp_path / "kernels" / runner.KERNEL
    spec.mkdir(parents=True)
    argv = ["/elsewhere/original/.venv/bin/python", "-m", "ipykernel_launcher", "-f", "{c}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "x"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    with pytest.raises(runstate.WrongCheckout, match="/elsewhere/original"):
        runstate.check_kernel()
    monkeypatch.delenv("JUPYTER_PATH")
    runstate.check_kernel()  # this environment's own kernel


def test_the_kernel_folder_is_the_one_jupyter_client_finds(tmp_path, monkeypatch):
    import json

    from jupyter_client.kernelspec import KernelSpecManager

    assert runstate.kernel_dir(runner.KERNEL) == Path(
        KernelSpecManager().get_kernel_spec(runner.KERNEL).resource_dir
    )
    for where in ("first", "second"):  # the first folder of JUPYTER_PATH wins, as in jupyter
        spec = tmp_path / where / "kernels" / "IC2Analysis"
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({"argv": ["x"], "display_name": where}))
    monkeypatch.setenv("JUPYTER_PATH", f"{tmp_path / 'first'}{os.pathsep}{tmp_path / 'second'}")
    found = runstate.kernel_dir(runner.KERNEL)
    assert found == tmp_path / "first" / "kernels" / "IC2Analysis"
    assert found == Path(KernelSpecManager().get_kernel_spec(runner.KERNEL).resource_dir)
    assert runstate.kernel_dir("no-such-kernel") is None


@pytest.mark.slow
def test_the_kernel_is_gone_and_every_output_kept(tmp_path):
    """The kernel is stopped at once after the last cell, which keeps its output, and both
    HTML pages are written (nbconvert was loaded in a thread meanwhile)."""
    src = tmp_path / "k.ipynb"
    cells = ["import os\npid = os.getpid()", "print(pid)"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": runner.KERNEL, "display_name": "k", "language": "python"}
    nbformat.write(nb, src)
    runner.execute(src, tmp_path / "out" / "k.ipynb", {})
    out = nbformat.read(tmp_path / "out" / "k.ipynb", as_version=4)
    pid = int(out.cells[1].outputs[0]["text"])
    assert pid != os.getpid()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # neither running nor left as a zombie
    assert str(pid) in (tmp_path / "out" / "k.html").read_text(encoding="utf-8")
    assert str(pid) in (tmp_path / "out" / "k.reader.html").read_text(encoding="utf-8")
