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
