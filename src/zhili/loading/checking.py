"""What every cross-reference check works with: the validated files, the registry assembled from them,
and the helpers the checks share (near names for hints, duplicate positions).

The loader (`zhili.loading.registry`) builds a `CheckContext` and runs the checks; the check modules
(`*_checks.py`) import only this module, never the loader, so the dependencies run one way:
checking ← *_checks ← registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from zhili.diagnostics import Diagnostic, Severity
from zhili.loading.source import SourceFile
from zhili.model.registry import Registry


@dataclass
class Loaded:
    """What one file became: its source (for positions) and its validated model."""

    source: SourceFile
    model: Any


@dataclass(frozen=True)
class Skipped:
    """Checks not done because a file they need could not be read or validated (its errors are reported)."""

    file: str
    message: str  # Chinese, e.g. "communities.yaml 有语法错误：涉及社区的相互引用检查未进行"

    def to_dict(self) -> dict[str, str]:
        return {"file": self.file, "message": self.message}


@dataclass
class CheckContext:
    registry: Registry
    files: dict[str, Loaded]
    failed: set[str] = field(default_factory=set)
    skipped: list[Skipped] = field(default_factory=list)

    def skip(self, kind: str, message: str) -> None:
        """Say that a check was not done because of an error already reported in `kind`'s file."""
        shown = self.files[kind].source.display if kind in self.files else kind
        note = Skipped(shown, message)
        if note not in self.skipped:
            self.skipped.append(note)

    def has(self, *kinds: str) -> bool:
        """True when every named file validated (checks skip files whose problems were already reported)."""
        return all((k in self.files or bool(self.each(k))) and k not in self.failed for k in kinds)

    def each(self, kind: str) -> list[tuple[str, Loaded]]:
        """The validated files of a directory kind (e.g. evaluations/2021.yaml), in file-name order."""
        return [(key, loaded) for key, loaded in self.files.items() if key.startswith(kind + "/")]

    def diag(self, kind: str, path: tuple[Any, ...], code: str, message: str, hint: str = "",
             severity: Severity = Severity.ERROR, at_key: bool = False) -> Diagnostic:
        return self.files[kind].source.diag(path, code, message, hint, severity, at_key)


Check = Callable[[CheckContext], Iterable[Diagnostic]]


def suggest(name: str, candidates: Iterable[str]) -> str:
    import difflib

    pool = list(dict.fromkeys(candidates))
    parts = [p for p in re.split("[、，,；;]", name) if p.strip()]
    if len(parts) > 1:  # "[甲、乙]" is one name to YAML: suggesting "甲、乙" back would only repeat it
        return f"一项只写一个名称，多个名称用英文逗号分隔：写成 [{', '.join(p.strip() for p in parts)}]。"
    near = pool
    if len(near) > 2000:  # difflib compares with every candidate: in a large registry, only plausible ones
        near = [c for c in pool if c[:1] == name[:1] and abs(len(c) - len(name)) <= 3][:2000]
    close = difflib.get_close_matches(name, near, n=3, cutoff=0.4)
    contained = [c for c in pool if name and (name in c or c in name)]
    picks = list(dict.fromkeys(contained + close))[:3]
    return f"您是否要找：{'、'.join(picks)}？" if picks else ""


def duplicates(values: list[Any]) -> list[int]:
    seen: set[Any] = set()
    dup = []
    for i, v in enumerate(values):
        if v in seen:
            dup.append(i)
        seen.add(v)
    return dup
