"""One definition of the parameters: validated up front, and everything else generated from it."""

from __future__ import annotations

import ast

import papermill as pm
import pytest

from ic2analysis import config, paramfiles, params, paths, sweep

BAD = [
    ("02_topics", {"k": 3.7}, "k = 3.7"),
    ("02_topics", {"k": True}, "k = True"),
    ("02_topics", {"k": 0}, "k = 0"),
    ("02_topics", {"k": "8"}, "k = '8'"),
    ("02_topics", {"k_range": [10, 4]}, "k_range = [10, 4]"),
    ("02_topics", {"k_range": [4]}, "k_range"),
    ("02_topics", {"n_init": 0}, "n_init"),
    ("02_topics", {"seed": -1}, "seed"),
    ("02_topics", {"stability_seeds": 1}, "stability_seeds"),
    ("02_topics", {"min_df": 2.5}, "min_df = 2.5"),
    ("02_topics", {"min_df": 0.5, "max_df": 0.3}, "min_df = 0.5 is above max_df"),
    ("02_topics", {"sublinear_tf": "yes"}, "sublinear_tf"),
    ("01_clean", {"dedupe_threshold": 0}, "dedupe_threshold"),
    ("01_clean", {"date_order": "ymd"}, "date_order"),
    ("01_clean", {"mapping": "a.csv"}, "mapping"),
    ("03_bridges", {"weights": {"balnce": 1}}, "weights.balnce"),
    ("03_bridges", {"weights": {"balance": 0, "recency": 0}}, "at least one weight above 0"),
    ("03_bridges", {"weights": {"balance": -0.5, "recency": 1}}, "weights.balance"),
    ("03_bridges", {"gap_ratio": 1}, "gap_ratio"),
    ("03_bridges", {"top_opportunities": 0}, "top_opportunities"),
    ("03_bridges", {"weights": {"cooperation": 1}}, "weights.cooperation"),
    ("03_bridges", {"dirichlet_concentration": 0}, "dirichlet_concentration"),
    ("03_bridges", {"weight_draws": 5}, "weight_draws"),
    ("03_bridges", {"gap_similarity": 0}, "gap_similarity"),
    ("03_bridges", {"fragile_below": 1.5}, "fragile_below"),
    ("03_bridges", {"counterparts_per_item": 0}, "counterparts_per_item"),
]


@pytest.mark.parametrize(("notebook", "override", "names"), BAD)
def test_bad_values_are_refused_naming_parameter_and_value(notebook, override, names):
    with pytest.raises(config.ParameterError) as err:
        params.merged(notebook, override)
    assert names in str(err.value) and notebook in str(err.value)


def test_unknown_keys_are_refused_at_every_level():
    with pytest.raises(config.ParameterError, match="unknown parameter"):
        params.resolve("", {"kk": 8})
    with pytest.raises(config.ParameterError, match="unknown parameter"):
        params.resolve("", {"02_topics": {"kk": 8}})


def test_good_values_pass_unchanged():
    p = params.merged("02_topics", {"k": 8, "seed": 1, "min_df": 0.01, "max_df": 5}, run="x")
    assert (p["k"], p["seed"], p["min_df"], p["max_df"], p["run"]) == (8, 1, 0.01, 5, "x")
    assert type(p["min_df"]) is float and type(p["max_df"]) is int


def test_weights_left_out_count_as_zero_and_defaults_are_the_documented_ones():
    w = params.merged("03_bridges", {"weights": {"balance": 0.5, "recency": 0.5}})["weights"]
    assert w == {"balance": 0.5, "recency": 0.5, "complementarity": 0.0}
    assert params.defaults("03_bridges")["weights"] == config.DEFAULT_WEIGHTS


def test_data_dependent_checks_name_the_parameter():
    with pytest.raises(config.ParameterError, match="k = 8: expected fewer clusters than the 5"):
        config.Topics(k=8).check_against(5)
    with pytest.raises(config.ParameterError, match="min_df = 9"):
        config.Topics(min_df=9).check_against(5)
    config.Topics(k=4).check_against(5)


def test_the_default_min_df_fits_the_smallest_mapping():
    """The default min_df (capped at 2 % of the items) never stops a mapping of 1-4 items."""
    for n in (1, 2, 4):
        config.Topics().check_against(n)
    with pytest.raises(config.ParameterError, match="min_df = 6: expected at most the 4"):
        config.Topics(min_df=6).check_against(4)


def env(**kw):
    return {params.ENV[k]: v for k, v in kw.items()}


def test_set_is_split_like_a_shell_and_values_are_yaml():
    run, over = params.from_env(
        env(SET="weights={balance: 0.5, recency: 0.5} k_range='[3, 6]' milestones=[]", K="8")
    )
    assert over == {
        "weights": {"balance": 0.5, "recency": 0.5},
        "k_range": [3, 6],
        "milestones": [],
        "k": 8,
    }
    assert run.startswith("k8_set-")
    with pytest.raises(config.ParameterError, match="quote"):
        params.from_env(env(SET="k_range='[3, 6]"))


def test_values_are_never_evaluated():
    with pytest.raises(config.ParameterError, match="not valid YAML"):
        params.from_env(env(SET="seed=`touch x`"))
    _, over = params.from_env(env(SET="seed='$(id)' milestones=[$(id)]", SEED=""))
    assert over == {"seed": "$(id)", "milestones": ["$(id)"]}
    with pytest.raises(config.ParameterError, match="seed"):
        params.resolve("", over)


@pytest.mark.parametrize("name", ["../../somewhere", "x;touch f", "a b", "$(id)", "`id`"])
def test_hostile_run_names_are_refused(name):
    with pytest.raises(ValueError, match="run name"):
        params.from_env(env(RUN=name))


def test_run_name_from_a_hostile_mapping_name_is_a_safe_slug(tmp_path):
    run, over = params.from_env(env(MAPPING="my file;rm -rf `x` $(y).csv", SEED="1"))
    assert paths.check_run_name(run) == run and run.startswith("seed1_my-file-rm")
    assert over["mapping"] == ["my file;rm -rf `x` $(y).csv"]


def test_sweep_axes_from_k_and_set():
    axes = sweep.from_env(env(K="6 8", SET="min_df=1 2 ngram_range='[1, 1]' '[1, 2]'"))
    grid = sweep.settings(axes)
    assert len(grid) == 8 and grid[0] == {"k": "6", "min_df": "1", "ngram_range": "[1, 1]"}


def test_params_files_and_notebook_cells_are_generated_from_config():
    assert paramfiles.write_all(check=True) == [], "run make params"


@pytest.mark.parametrize("notebook", config.NOTEBOOKS)
def test_notebook_parameters_cell_matches_the_model(notebook):
    cell = pm.inspect_notebook(str(paths.NOTEBOOKS / f"{notebook}.ipynb"))
    values = {k: ast.literal_eval(v["default"]) for k, v in cell.items()}
    assert values == config.MODELS[notebook]().values()


def test_from_cell_validates_the_notebook_namespace():
    ns = {"k": 5, "seed": 3, "unrelated": object()}
    p = config.Topics.from_cell(ns)
    assert (p.k, p.seed, p.k_range) == (5, 3, [6, 12])
    with pytest.raises(config.ParameterError, match="k = 1"):
        config.Topics.from_cell({"k": 1})


def test_notebook_pairs_are_in_sync():
    assert paramfiles.unpaired() == [], "run make sync"


def test_parameter_files_are_rewritten_only_when_they_change(out_dir):
    from ic2analysis import runstate

    assert len(params.write_run("r", {})) == 3
    target = paths.run_paths("r").params / "02_topics.yaml"
    stamp = target.stat().st_mtime_ns
    assert params.write_run("r", {}) == [] and target.stat().st_mtime_ns == stamp
    assert params.write_run("r", {"k": 8}) == [paths.rel_to_root(target)]
    assert yaml_load(target)["k"] == 8
    assert runstate.write_fingerprint("r", []) is True
    assert runstate.write_fingerprint("r", []) is False
    mapping = out_dir / "my map.csv"
    mapping.write_text("a\n")
    assert runstate.write_fingerprint("r", [str(mapping)]) is True
    assert runstate.write_fingerprint("r", [str(mapping)]) is False
    mapping.write_text("b\n")
    assert runstate.write_fingerprint("r", [str(mapping)]) is True
    with pytest.raises(FileNotFoundError, match="no such file"):
        runstate.write_fingerprint("r", [str(out_dir / "missing.csv")])


def yaml_load(path):
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))
