"""Which data directory a command reads.

In order: --data; $ZHILI_DATA; the current directory when it holds zhili data files at its root; its
`data/`; the same two places in each directory above it up to the root of its git repository (outside
git: each directory above it that holds zhili data files). Only
where none of these holds zhili data, and the git repository holds none a few levels down either, is
the bundled sample used, and the caller is told so (`Located.bundled`): a user's data is never
silently replaced by the sample.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from zhili.errors import UsageError
from zhili.fsio import display_name  # noqa: F401  (re-exported)
from zhili.loading.layout import SPECS

_PACKAGE = Path(__file__).resolve().parent.parent
_SEARCH_DEPTH = 3  # how far below a repository's root to look for data before refusing the sample
_SEARCH_DIRS = 2000  # and in at most this many directories
_SKIP = {"node_modules", "site-packages", "__pycache__", "venv"}


@dataclass(frozen=True)
class Located:
    path: Path
    origin: str  # Chinese: where the choice came from, for messages
    bundled: bool = False


def bundled(name: str = "youxian") -> Path:
    """A data set shipped with zhili: in a wheel under zhili/_bundled/, in a checkout at the repo root."""
    installed = _PACKAGE / "_bundled" / name
    if installed.is_dir():
        return installed
    repo = _PACKAGE.parent.parent
    checkout = repo / "data" if name == "youxian" else repo / "examples" / name
    return checkout


def holds_data(directory: Path) -> bool:
    """Does `directory` hold a zhili data file (types.yaml, units.yaml, …, evaluations/) at its root?"""
    try:
        return any(os.path.lexists(directory / spec.name) or (spec.folder and os.path.lexists(directory / spec.folder))
                   for spec in SPECS)
    except OSError:
        return False


def git_root(start: Path) -> Path | None:
    """The top of the git work tree `start` is in (a `.git` folder, or file for a worktree), if any."""
    for folder in (start, *start.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return None


def locate(option: str | os.PathLike[str] | None, cwd: Path | None = None) -> Located:
    if option is not None:
        return Located(_existing(Path(option), "--data"), "--data")
    env = os.environ.get("ZHILI_DATA")
    if env:
        return Located(_existing(Path(env), "环境变量 ZHILI_DATA"), "环境变量 ZHILI_DATA")
    here = (Path.cwd() if cwd is None else cwd).resolve()
    root = git_root(here)
    # (folder, as shown): the current directory by relative names, the ones above by full paths
    places = [(here, Path(".")), (here / "data", Path("data"))]
    for folder in here.parents:
        if root is None:  # outside git: a data directory the current one is inside (e.g. its evaluations/)
            places.append((folder, folder))
        elif folder == root or root in folder.parents:
            places += [(folder, folder), (folder / "data", folder / "data")]
    for n, (folder, shown) in enumerate(places):
        if holds_data(folder) or (n == 1 and folder.is_dir()):  # ./data is meant as data even when empty
            return Located(shown if cwd is None else folder, "当前目录" if n < 2 else "上级目录")
    if root is not None:
        found = _data_below(root)
        if found:
            listed = "、".join(str(p) for p in found[:5])
            raise UsageError(f"当前目录不是 zhili 数据目录，但所在的 git 仓库 {root} 中有 zhili 数据：{listed}。",
                             "在数据目录中运行，或用 --data 指定要使用的数据目录（为免误用，不会改用内置示例数据）。")
    return Located(bundled(), "内置示例数据", bundled=True)


def resolve(option: str | os.PathLike[str] | None) -> Path:
    return locate(option).path


def _data_below(root: Path) -> list[Path]:
    """Folders down to _SEARCH_DEPTH below `root` that hold a types.yaml (hidden folders skipped)."""
    found: list[Path] = []
    seen = 0
    level = [root]
    for _ in range(_SEARCH_DEPTH):
        below: list[Path] = []
        for folder in level:
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith(".") or entry.name in _SKIP:
                    continue
                try:
                    if not entry.is_dir(follow_symlinks=False):
                        continue
                except OSError:
                    continue
                seen += 1
                if seen > _SEARCH_DIRS:
                    return found
                path = Path(entry.path)
                if os.path.lexists(path / "types.yaml"):
                    found.append(path)
                else:
                    below.append(path)
        level = below
    return found


def _existing(path: Path, origin: str) -> Path:
    if not path.exists():
        raise UsageError(f"数据目录不存在：{path}（来自 {origin}）。", "检查路径是否写对；数据目录里应有 types.yaml 等文件。")
    if not path.is_dir():
        raise UsageError(f"{path} 不是目录（来自 {origin}）。", "--data 要指向数据目录，而不是其中的某个文件。")
    return path
