import subprocess
import sys
from pathlib import Path

import pytest

from ic2analysis import files, params, paths


def test_root_does_not_depend_on_the_working_directory(tmp_path):
    code = "from ic2analysis import paths; print(paths.ROOT)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert Path(out) == paths.ROOT and (paths.ROOT / "pyproject.toml").exists()


def test_default_and_named_runs(monkeypatch):
    monkeypatch.delenv(paths.OUTPUT_ENV, raising=False)
    assert paths.run_paths("").processed == paths.PROCESSED
    named = paths.run_paths("k8_seed1")
    assert named.reports == paths.REPORTS / "runs" / "k8_seed1"
    assert named.initiatives == named.reports / "processed" / "initiatives.csv"


def test_output_env_redirects_everything(out_dir):
    rp = paths.run_paths("")
    assert rp.reports == out_dir.resolve() and rp.processed == out_dir.resolve() / "processed"


@pytest.mark.parametrize("name", ["../x", "a/b", "-x", "x" * 81, "a b"])
def test_unsafe_run_names_are_refused(name):
    with pytest.raises(ValueError, match="run name"):
        paths.run_paths(name)


def test_values_are_yaml_not_strings_and_never_evaluated():
    assert params.parse_assignment("k_range=[4, 12]") == ("k_range", [4, 12])
    assert params.parse_assignment("weights={a: 1}") == ("weights", {"a": 1})
    assert params.parse_assignment("k=auto") == ("k", "auto")
    key, value = params.parse_assignment("k=__import__('os').getcwd()")
    assert value == "__import__('os').getcwd()"


def test_overrides_apply_where_known_and_unknown_keys_fail():
    p = params.merged("02_topics", {"k": 8, "seed": 1}, run="x")
    assert (p["k"], p["seed"], p["run"]) == (8, 1, "x")
    assert "k" not in params.merged("01_clean", {"k": 8})
    with pytest.raises(params.ParameterError, match="unknown parameter"):
        params.merged("02_topics", {"kk": 8})


def test_parameter_file_with_sections(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("seed: 3\n02_topics:\n  k_range: [3, 5]\n", encoding="utf-8")
    over = params.load_overrides(f, ["k=4"])
    p = params.merged("02_topics", over)
    assert (p["seed"], p["k_range"], p["k"]) == (3, [3, 5], 4)


def test_atomic_write_leaves_no_temp_files(tmp_path):
    files.write_text(tmp_path / "t.csv", "a\n")
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]
    assert oct((tmp_path / "t.csv").stat().st_mode & 0o777) != "0o600"
