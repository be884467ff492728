"""Which data directory a command reads: --data, else $ZHILI_DATA, else ./data, else the bundled set."""

from __future__ import annotations

import os
from pathlib import Path

from zhili.errors import UsageError

_PACKAGE = Path(__file__).resolve().parent.parent


def bundled(name: str = "youxian") -> Path:
    """A data set shipped with zhili: in a wheel under zhili/_bundled/, in a checkout at the repo root."""
    installed = _PACKAGE / "_bundled" / name
    if installed.is_dir():
        return installed
    repo = _PACKAGE.parent.parent
    checkout = repo / "data" if name == "youxian" else repo / "examples" / name
    return checkout


def resolve(option: str | os.PathLike[str] | None) -> Path:
    if option is not None:
        return _existing(Path(option), "--data")
    env = os.environ.get("ZHILI_DATA")
    if env:
        return _existing(Path(env), "环境变量 ZHILI_DATA")
    local = Path("data")
    if local.is_dir():
        return local
    return bundled()


def _existing(path: Path, origin: str) -> Path:
    if not path.exists():
        raise UsageError(f"数据目录不存在：{path}（来自 {origin}）。", "检查路径是否写对；数据目录里应有 types.yaml 等文件。")
    if not path.is_dir():
        raise UsageError(f"{path} 不是目录（来自 {origin}）。", "--data 要指向数据目录，而不是其中的某个文件。")
    return path
