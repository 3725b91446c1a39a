"""environment.yml (for conda users) pins the same versions as requirements.lock."""

import re

import yaml

from ic2analysis import paths


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock() -> dict[str, str]:
    pins = {}
    for line in (paths.ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[norm(name)] = version.strip()
    return pins


def test_environment_matches_the_lock():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    pinned = lock()
    specs = [d for d in env["dependencies"] if isinstance(d, str)]
    specs += next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    checked = 0
    for spec in specs:
        m = re.match(r"^([A-Za-z0-9_.-]+)=?=([0-9][^\s]*)$", spec)
        if not m or m.group(1) == "python":
            continue
        assert pinned.get(norm(m.group(1))) == m.group(2), f"{spec} vs lock"
        checked += 1
    assert checked >= 20


def test_every_declared_dependency_is_pinned():
    import tomllib

    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    deps = project["dependencies"] + project["optional-dependencies"]["dev"]
    pinned = lock()
    missing = [d for d in deps if norm(re.split(r"[<>=!\[ ]", d)[0]) not in pinned]
    assert not missing
