"""The files of a data directory: their names, which are required, and the model each is validated with.

No pydantic here: the cache (`zhili.loading.cache`) needs the list of files to fingerprint a data
directory before it knows whether the models must be loaded at all. `FileSpec.model` imports its
model class on first use.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

    from zhili.diagnostics import Diagnostic


@dataclass(frozen=True)
class FileSpec:
    kind: str
    name: str  # file name inside the data directory
    model_name: str  # "module:Class" of the pydantic model the file is validated with
    required: bool = True
    label: str = ""  # Chinese description for messages
    pattern: str | None = None  # set for a directory of files: `name` is the directory, this the glob
    folder: str | None = None  # a registry that may instead be a folder of *.yaml files: the folder's name

    @property
    def model(self) -> type[BaseModel]:
        module, _, cls = self.model_name.partition(":")
        found: Any = getattr(import_module(module), cls)
        return found  # type: ignore[no-any-return]

    def paths(self, data_dir: Path) -> list[tuple[str, Path]]:
        """(key in `files`, path) for each file of this kind; a directory kind keys its files "kind/file".

        A registry that may be a folder (`folder`) gives its single file when that exists, then the
        folder's *.yaml files in name order when the folder exists (both: the loader refuses, ZL010);
        with neither, the single file (so that a required one is reported missing)."""
        if self.pattern is None and self.folder is None:
            return [(self.kind, data_dir / self.name)]
        if self.pattern is not None:
            folder = data_dir / self.name
            return [(f"{self.kind}/{p.name}", p) for p in sorted(folder.glob(self.pattern))] if folder.is_dir() else []
        single = data_dir / self.name
        out = [(self.kind, single)] if os.path.lexists(single) else []
        files, _ = folder_files(data_dir, self.folder)
        out += [(f"{self.kind}/{p.name}", p) for p in files]
        return out or [(self.kind, single)]

    def is_folder(self, data_dir: Path) -> bool:
        """Is this registry written as a folder in `data_dir` (and not as its single file)?"""
        return self.folder is not None and (data_dir / self.folder).is_dir() and not os.path.lexists(data_dir / self.name)


SPECS: list[FileSpec] = [
    FileSpec("types", "types.yaml", "zhili.model.scheme:TypesFile", True, "方案与社区类型"),
    FileSpec("units", "units.yaml", "zhili.model.unit:UnitsFile", True, "单位"),
    FileSpec("communities", "communities.yaml", "zhili.model.community:CommunitiesFile", True, "社区", folder="communities"),
    FileSpec("tasks", "tasks.yaml", "zhili.model.task:TasksFile", True, "任务台账"),
    FileSpec("evaluations", "evaluations", "zhili.model.evaluation:EvaluationYear", False, "年度评议", pattern="*.yaml"),
    FileSpec("remediation", "remediation.yaml", "zhili.model.evaluation:RemediationFile", False, "后进社区帮扶措施"),
    FileSpec("progress", "progress.yaml", "zhili.model.progress:ProgressFile", False, "任务进展记录", folder="progress"),
    FileSpec("plans", "plans.yaml", "zhili.model.plan:PlansFile", False, "一社区一策方案报送", folder="plans"),
    FileSpec("needs", "needs.yaml", "zhili.model.catalogue:NeedsFile", False, "治理需求目录"),
    FileSpec("resources", "resources.yaml", "zhili.model.catalogue:ResourcesFile", False, "治理资源清单"),
]

# Files one registry folder may hold: a country's 40,000 towns, one file each, stay below it; a repository
# that puts millions of files there is refused (ZL014) instead of being listed and opened one by one.
MAX_FOLDER_FILES = 50_000


def folder_files(data_dir: Path, name: str) -> tuple[list[Path], bool]:
    """The *.yaml files (not hidden) directly in the registry folder `name`, in name order; and whether
    there were more than MAX_FOLDER_FILES (then none are given). Nothing when the folder is absent, is not a folder,
    or lies outside the data directory (a link elsewhere: `folder_diagnostics` reports it)."""
    folder = data_dir / name
    if not folder.is_dir() or not _inside(folder, data_dir):
        return [], False
    found: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".yaml") and not entry.name.startswith("."):
                    found.append(entry.name)
                    if len(found) > MAX_FOLDER_FILES:
                        break
    except OSError:
        return [], False
    if len(found) > MAX_FOLDER_FILES:  # refused whole (ZL014): none of its files is read
        return [], True
    return [folder / n for n in sorted(found)], False


def _inside(path: Path, root: Path) -> bool:
    real, top = os.path.realpath(path), os.path.realpath(root)
    try:
        return os.path.commonpath([real, top]) == top
    except ValueError:  # another drive (Windows)
        return False


def folder_listing(data_dir: Path) -> list[str]:
    """Every name inside each registry folder (not only *.yaml), for the cache's fingerprint: a file or
    folder appearing there may change what the full load reports (an empty folder, a subfolder)."""
    out: list[str] = []
    for spec in SPECS:
        if spec.folder is None or not os.path.lexists(data_dir / spec.folder):
            continue
        out.append(f"{spec.folder}/")
        try:
            with os.scandir(data_dir / spec.folder) as entries:
                names = [e.name + ("/" if e.is_dir(follow_symlinks=False) else "") for e in entries]
        except OSError:
            continue
        if len(names) <= MAX_FOLDER_FILES + 1:
            out += [f"{spec.folder}/{n}" for n in sorted(names)]
    return out



def spec_of(kind: str) -> FileSpec:
    return next(s for s in SPECS if s.kind == kind)

_YAML_SUFFIXES = (".yaml", ".yml")


def strays(data_dir: Path) -> list[tuple[Path, bool]]:
    """YAML files in the data directory (and its data folders) that zhili does not read, each with
    whether it is a data file under the wrong extension (`progress.yml`, `evaluations/2022.yml`):
    those are errors, the others warnings. Hidden files (`.pre-commit-config.yaml`) are tools' own."""
    known = {s.name for s in SPECS if s.pattern is None}
    folders = {s.name: s.pattern for s in SPECS if s.pattern is not None}
    folders.update({s.folder: "*.yaml" for s in SPECS if s.folder is not None})
    stems = {Path(n).stem for n in known}
    found: list[tuple[Path, bool]] = []
    try:
        top = sorted(data_dir.iterdir())
    except OSError:
        return []
    for path in top:
        if path.name.startswith("."):
            continue
        if path.name in folders and path.is_dir():
            if not _inside(path, data_dir):  # a link out of the data directory (ZL004): not listed
                continue
            pattern = folders[path.name]
            try:
                inner = sorted(path.iterdir())
            except OSError:
                continue
            found += [(p, True) for p in inner if not p.name.startswith(".") and p.suffix.lower() in _YAML_SUFFIXES
                      and not p.match(pattern)]
        elif path.suffix.lower() in _YAML_SUFFIXES and path.name not in known:
            found.append((path, path.stem in stems))
    return found


def stray_diagnostics(data_dir: Path) -> list[Diagnostic]:
    """A located message for every YAML file zhili does not read: never silence (see `strays`)."""
    from zhili.diagnostics import error, warning
    from zhili.fsio import display_name

    out: list[Diagnostic] = []
    for path, misnamed in strays(data_dir):
        shown = display_name(path)
        if misnamed:
            out.append(error(shown, 0, 0, "ZL005",
                             f"{shown} 的扩展名是 {path.suffix}，zhili 只读取扩展名为 .yaml 的数据文件，这个文件没有被读取。",
                             f"把它改名为 {path.stem}.yaml。"))
        else:
            out.append(warning(shown, 0, 0, "ZL006", f"zhili 不读取 {shown}：这不是 zhili 的数据文件名。",
                             "数据文件用 zhili 的文件名（types.yaml、communities.yaml 等，见 zhili init）；"
                             "不是数据的 YAML 文件请移出数据目录。"))
    return out


def folder_diagnostics(data_dir: Path) -> list[Diagnostic]:
    """What is wrong with the form of the registries that may be folders (communities/, progress/,
    plans/): both forms at once (ZL010), an empty folder (ZL011), a folder that is not one (ZL012), a
    subfolder whose files would not be read (ZL013), too many files (ZL014), a link out of the data
    directory (ZL004). A .yml file inside is a stray (`strays`, ZL005)."""
    from zhili.diagnostics import error
    from zhili.fsio import display_name

    out: list[Diagnostic] = []
    for spec in SPECS:
        if spec.folder is None:
            continue
        folder, single = data_dir / spec.folder, data_dir / spec.name
        if not os.path.lexists(folder):
            continue
        shown = display_name(folder)
        if not folder.is_dir():
            out.append(error(shown, 0, 0, "ZL012", f"{shown} 不是文件夹：{spec.label}要么写在 {spec.name} 中，要么写在文件夹 "
                                                   f"{spec.folder}/ 中的 .yaml 文件里。",
                             f"删除或改名 {shown}；分文件存放时，建立文件夹 {spec.folder}/，每个文件写 {spec.kind}: [...]。"))
            continue
        if not _inside(folder, data_dir):
            out.append(error(shown, 0, 0, "ZL004", f"{shown} 是指向数据目录之外的链接，zhili 不读取它。",
                             "数据文件必须在数据目录之中：删除这个链接，把文件夹本身放进数据目录。"))
            continue
        if os.path.lexists(single):
            single_shown = display_name(single)
            out.append(error(single_shown, 0, 0, "ZL010",
                             f"{single_shown} 和文件夹 {shown}/ 同时存在：{spec.label}只能写在其中一处，两处都没有读取。",
                             f"把 {spec.name} 中的条目移到 {spec.folder}/ 中的一个文件里（如 {spec.folder}/其他.yaml）后删除 "
                             f"{spec.name}；或者删除文件夹 {spec.folder}/。"))
        files, more = folder_files(data_dir, spec.folder)
        if more:
            out.append(error(shown, 0, 0, "ZL014", f"文件夹 {shown}/ 中的 .yaml 文件超过 {MAX_FOLDER_FILES:,} 个，zhili 不读取它。",
                             "按上一级单位合并文件（如每个区县一个文件）；检查文件夹是否由程序误生成。"))
            continue
        if not files and not os.path.lexists(single):
            out.append(error(shown, 0, 0, "ZL011", f"文件夹 {shown}/ 中没有 .yaml 文件：{spec.label}一条也没有读到。",
                             f"在其中放入至少一个 .yaml 文件（内容为 {spec.kind}: [...]）；不分文件时删除这个文件夹，改用 {spec.name}。"))
        try:
            with os.scandir(folder) as entries:
                subfolders = sorted(e.name for e in entries if not e.name.startswith(".") and e.is_dir(follow_symlinks=False))
        except OSError:
            subfolders = []
        for name in subfolders[:MAX_DIAGNOSTICS_IN_FOLDER]:
            inner = display_name(folder / name)
            out.append(error(inner, 0, 0, "ZL013", f"{inner}/ 是子文件夹：zhili 只读取 {shown}/ 中直接存放的 .yaml 文件，"
                                                   "子文件夹里的文件没有被读取。",
                             f"把其中的文件移到 {shown}/ 下（文件名可以带上一级单位的名称，如 上级单位-本单位.yaml）。"))
    return out


MAX_DIAGNOSTICS_IN_FOLDER = 20  # subfolders named one by one; more are the same mistake
