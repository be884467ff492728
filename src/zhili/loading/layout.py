"""The files of a data directory: their names, which are required, and the model each is validated with.

No pydantic here: the cache (`zhili.loading.cache`) needs the list of files to fingerprint a data
directory before it knows whether the models must be loaded at all. `FileSpec.model` imports its
model class on first use.
"""

from __future__ import annotations

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

    @property
    def model(self) -> type[BaseModel]:
        module, _, cls = self.model_name.partition(":")
        found: Any = getattr(import_module(module), cls)
        return found  # type: ignore[no-any-return]

    def paths(self, data_dir: Path) -> list[tuple[str, Path]]:
        """(key in `files`, path) for each file of this kind; a directory kind keys its files "kind/file"."""
        if self.pattern is None:
            return [(self.kind, data_dir / self.name)]
        folder = data_dir / self.name
        return [(f"{self.kind}/{p.name}", p) for p in sorted(folder.glob(self.pattern))] if folder.is_dir() else []


SPECS: list[FileSpec] = [
    FileSpec("types", "types.yaml", "zhili.model.scheme:TypesFile", True, "方案与社区类型"),
    FileSpec("units", "units.yaml", "zhili.model.unit:UnitsFile", True, "单位"),
    FileSpec("communities", "communities.yaml", "zhili.model.community:CommunitiesFile", True, "社区"),
    FileSpec("tasks", "tasks.yaml", "zhili.model.task:TasksFile", True, "任务台账"),
    FileSpec("evaluations", "evaluations", "zhili.model.evaluation:EvaluationYear", False, "年度评议", pattern="*.yaml"),
    FileSpec("remediation", "remediation.yaml", "zhili.model.evaluation:RemediationFile", False, "后进社区帮扶措施"),
    FileSpec("progress", "progress.yaml", "zhili.model.progress:ProgressFile", False, "任务进展记录"),
    FileSpec("plans", "plans.yaml", "zhili.model.plan:PlansFile", False, "一社区一策方案报送"),
    FileSpec("needs", "needs.yaml", "zhili.model.catalogue:NeedsFile", False, "治理需求目录"),
    FileSpec("resources", "resources.yaml", "zhili.model.catalogue:ResourcesFile", False, "治理资源清单"),
]


_YAML_SUFFIXES = (".yaml", ".yml")


def strays(data_dir: Path) -> list[tuple[Path, bool]]:
    """YAML files in the data directory (and its data folders) that zhili does not read, each with
    whether it is a data file under the wrong extension (`progress.yml`, `evaluations/2022.yml`):
    those are errors, the others warnings. Hidden files (`.pre-commit-config.yaml`) are tools' own."""
    known = {s.name for s in SPECS if s.pattern is None}
    folders = {s.name: s for s in SPECS if s.pattern is not None}
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
            spec = folders[path.name]
            try:
                inner = sorted(path.iterdir())
            except OSError:
                continue
            found += [(p, True) for p in inner if not p.name.startswith(".") and p.suffix.lower() in _YAML_SUFFIXES
                      and not p.match(spec.pattern or "")]
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
