"""CI tests the newest release of every dependency and the lowest supported ones, and README states them."""

from __future__ import annotations

import re

from conftest import ROOT

CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
LOWEST = ROOT / ".ci" / "lowest.txt"
PYPROJECT = (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def lower_bounds() -> dict[str, str]:
    project = PYPROJECT.split("[project]")[1].split("\n[", 1)[0]  # no tomllib before Python 3.11
    extras = PYPROJECT.split("[project.optional-dependencies]")[1].split("\n[", 1)[0]
    listed = re.findall(r'^\s+"([^"]+)",$', project.split("dependencies = [")[1].split("]")[0] + extras, re.MULTILINE)
    bounds = {}
    for requirement in listed:
        name, version = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", requirement).groups()
        bounds[name.lower()] = version
    return bounds


def pinned() -> dict[str, str]:
    pins = {}
    for line in LOWEST.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.strip().lower()] = version.strip()
    return pins


def test_every_dependency_has_a_lower_bound_and_the_constraints_file_pins_exactly_it():
    assert pinned() == lower_bounds()


def test_readme_states_the_lowest_supported_versions():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- versions:start -->")[1].split("<!-- versions:end -->")[0]
    rows = dict(re.findall(r"^\| ([A-Za-z][\w.-]*)[^|]*\| ([0-9.]+) \|$", table, re.MULTILINE))
    (requires,) = re.findall(r'^requires-python = ">=([0-9.]+)"$', PYPROJECT, re.MULTILINE)
    assert rows.pop("Python") == requires
    assert {k.lower(): v for k, v in rows.items()} == lower_bounds()


def test_ci_runs_the_tests_with_the_newest_and_with_the_lowest_releases():
    newest = re.search(r"python3 -m venv (\S+)\n\1/bin/pip install -q --upgrade --upgrade-strategy eager -e '\.\[test\]'", CI)
    assert newest, "no venv installed with --upgrade"
    assert f"{newest.group(1)}/bin/python -m pytest" in CI
    lowest = re.search(r"python3 -m venv (\S+)\n\1/bin/pip install -q -c \.ci/lowest\.txt -e '\.\[test\]'", CI)
    assert lowest, "no venv installed from .ci/lowest.txt"
    assert f"{lowest.group(1)}/bin/python -m pytest" in CI
    assert CI.count("-m slow") == 1  # the slow tests run once, in the main venv


def test_ci_builds_the_native_reader_and_requires_it_then_tests_the_fallback_too():
    """.ci/run installs libyaml's headers and a compiler, requires the native reader before the README's
    install (tests/test_native_reader.py then fails if it was not built) and runs the tests again with
    the pure-Python reader."""
    install = CI.index("pip install -q -e '.[test]' && pytest\n")
    assert "libyaml-dev" in CI[:install] and "export ZHILI_REQUIRE_NATIVE=1" in CI[:install]
    assert "\nZHILI_READER=python pytest\n" in CI[install:]
    assert 'requires = ["hatchling>=1.18", "setuptools>=61"]' in PYPROJECT
    assert "[tool.hatch.build.targets.wheel.hooks.custom]" in PYPROJECT
    assert (ROOT / "hatch_build.py").is_file() and (ROOT / "src" / "zhili" / "loading" / "_yamlfast.c").is_file()
