"""Shared fixtures: a CliRunner, the bundled data directories, and a writable copy of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from zhili.cli.app import cli

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
TAICANG = ROOT / "examples" / "taicang"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


class Run:
    """Invoke `zhili ARGS...` in-process; stdout and stderr are kept apart."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, env: dict[str, str] | None = None, input: str | None = None):
        return self.runner.invoke(cli, [str(a) for a in args], env=env, input=input, catch_exceptions=False)


@pytest.fixture(autouse=True, scope="session")
def _own_cache(tmp_path_factory: pytest.TempPathFactory):
    """The registry cache (zhili.loading.cache) of the test run, never the user's."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ZHILI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        mp.delenv("ZHILI_NO_CACHE", raising=False)
        yield


@pytest.fixture
def run() -> Run:
    return Run()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled 游仙 data set."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a data file, failing loudly when `old` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
