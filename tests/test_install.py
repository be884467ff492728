"""zhili works after installation, from any directory: both the editable install and a built wheel.

`zhili validate` without --data, run from a directory that has no ./data, must find the data set
bundled in the package and validate it (issue 2, section 4).
"""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import DATA, ROOT, TAICANG


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ZHILI_DATA", "PYTHONPATH", "NO_COLOR")}
    env.update(extra)
    return env


def python(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def test_editable_install_validates_the_bundled_data_from_any_directory(tmp_path):
    env = clean_env()
    where = python("-c", "import zhili; print(zhili.__file__)", cwd=tmp_path, env=env)
    assert Path(where.stdout.strip()).resolve() == (ROOT / "src" / "zhili" / "__init__.py").resolve()
    assert not (tmp_path / "data").exists()
    result = python("-m", "zhili", "validate", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "校验通过" in result.stdout and "5 个类型、25 个社区" in result.stdout
    assert str(DATA) in result.stdout  # the checkout's data, since an editable install has no copy
    script = Path(sys.executable).parent / "zhili"
    result = subprocess.run([str(script), "types", "--format", "json"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0 and '"name": "商品住宅型社区"' in result.stdout


def test_wheel_install_validates_the_bundled_data_from_any_directory(tmp_path):
    wheels, target, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = clean_env(PIP_DISABLE_PIP_VERSION_CHECK="1")
    built = python("-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT),
                   cwd=tmp_path, env=env)
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("zhili-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "zhili/_bundled/youxian/types.yaml" in names and "zhili/__main__.py" in names
    assert not any(n.startswith("tests/") for n in names)

    installed = python("-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel),
                       cwd=tmp_path, env=env)
    assert installed.returncode == 0, installed.stderr
    bundled = target / "zhili" / "_bundled" / "youxian"
    same = filecmp.dircmp(DATA, bundled)
    assert same.left_only == same.right_only == same.diff_files == [], "the wheel ships the current data"

    env = clean_env(PYTHONPATH=str(target))
    where = python("-c", "import zhili; print(zhili.__file__)", cwd=elsewhere, env=env)
    assert Path(where.stdout.strip()).resolve() == (target / "zhili" / "__init__.py").resolve()
    result = python("-m", "zhili", "validate", cwd=elsewhere, env=env)
    assert result.returncode == 0, result.stderr
    assert f"校验通过：{bundled}。" in result.stdout and "5 个类型、25 个社区、" in result.stdout

    # the 太仓 set ships too, and `init` finds its templates in the installed package
    assert filecmp.dircmp(TAICANG, target / "zhili" / "_bundled" / "taicang").diff_files == []
    made = python("-m", "zhili", "init", "新区", "--scheme", "taicang", cwd=elsewhere, env=env)
    assert made.returncode == 0, made.stderr
    checked = python("-m", "zhili", "validate", "--data", "新区", cwd=elsewhere, env=env)
    assert checked.returncode == 0, checked.stderr
    made = python("-m", "zhili", "init", "空白", "--scheme", "empty", cwd=elsewhere, env=env)
    assert made.returncode == 0, made.stderr
    assert python("-m", "zhili", "validate", "--data", "空白", cwd=elsewhere, env=env).returncode == 0
