"""What every cross-reference check works with: the validated files, the registry assembled from them,
and the helpers the checks share (near names for hints, duplicate positions).

The loader (`zhili.loading.registry`) builds a `CheckContext` and runs the checks; the check modules
(`*_checks.py`) import only this module, never the loader, so the dependencies run one way:
checking ← *_checks ← registry.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from zhili.diagnostics import Diagnostic, Severity
from zhili.fsio import display_name
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
    _offsets: dict[tuple[str, str], tuple[list[int], list[str]]] = field(default_factory=dict, repr=False)

    def skip(self, kind: str, message: str) -> None:
        """Say that a check was not done because of an error already reported in `kind`'s file."""
        parts = self.parts(kind)
        shown = parts[0][1].source.display if len(parts) == 1 and parts[0][0] == kind else self.folder_display(kind)
        note = Skipped(shown, message)
        if note not in self.skipped:
            self.skipped.append(note)

    def has(self, *kinds: str) -> bool:
        """True when every named file validated (checks skip files whose problems were already reported)."""
        return all((k in self.files or bool(self.each(k))) and k not in self.failed for k in kinds)

    def each(self, kind: str) -> list[tuple[str, Loaded]]:
        """The validated files of a directory kind (e.g. evaluations/2021.yaml), in file-name order."""
        return [(key, loaded) for key, loaded in self.files.items() if key.startswith(kind + "/")]

    def folder_display(self, kind: str) -> str:
        """The folder of a registry written as one (communities/ ...), as users see it."""
        return display_name(self.registry.data_dir / kind)

    def parts(self, kind: str) -> list[tuple[str, Loaded]]:
        """The validated files of `kind`: its single file, or the files of its folder in name order (the
        order in which the registry joined their lists)."""
        return [(kind, self.files[kind])] if kind in self.files else self.each(kind)

    def locate(self, kind: str, path: tuple[Any, ...]) -> tuple[Loaded, tuple[Any, ...]]:
        """The file that holds the value at `path` of the joined registry, and its path in that file.

        ("communities", 130, "type") of a folder registry is the 130th community counted over all its
        files: in the file where that one is written, it is ("communities", 130 - the entries of the
        files before it, "type"). A path outside a list (("requirement", "task")) is in the first file
        whose model has a value there."""
        parts = self.parts(kind)
        if len(parts) == 1:
            return parts[0][1], path
        if len(path) >= 2 and isinstance(path[1], int) and parts:
            starts, keys = self._starts(kind, path[0])
            n = bisect_right(starts, path[1]) - 1
            return self.files[keys[n]], (path[0], path[1] - starts[n], *path[2:])
        for _, loaded in parts:
            if path and getattr(loaded.model, str(path[0]), None) is not None:
                return loaded, path
        return parts[0][1], path

    def _starts(self, kind: str, attr: str) -> tuple[list[int], list[str]]:
        """Where each file's entries of list `attr` begin in the joined list (files without any skipped)."""
        if (kind, attr) not in self._offsets:
            starts: list[int] = []
            keys: list[str] = []
            total = 0
            for key, loaded in self.parts(kind):
                count = len(getattr(loaded.model, attr, None) or ())
                if count:
                    starts.append(total)
                    keys.append(key)
                total += count
            self._offsets[(kind, attr)] = (starts or [0], keys or [self.parts(kind)[0][0]])
        return self._offsets[(kind, attr)]

    def place(self, kind: str, path: tuple[Any, ...]) -> str:
        """Where the value at `path` is written, for a message: "communities/涪城区.yaml 第 12 行" (named
        within the data directory; the diagnostic's own file is shown in full)."""
        loaded, inner = self.locate(kind, path)
        line, _ = loaded.source.position(inner)
        key = next(k for k, v in self.parts(kind) if v is loaded)
        name = key if "/" in key else os.path.basename(loaded.source.display)  # as named in the data directory
        return f"{name} 第 {line} 行"

    def diag(self, kind: str, path: tuple[Any, ...], code: str, message: str, hint: str = "",
             severity: Severity = Severity.ERROR, at_key: bool = False) -> Diagnostic:
        """A diagnostic at `path` of `kind` (a folder registry: in the file that holds it, see `locate`)."""
        loaded, inner = self.locate(kind, path)
        return loaded.source.diag(inner, code, message, hint, severity, at_key)


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
    """The positions of values that appeared before (the first occurrence is not listed)."""
    return [i for i, _ in duplicate_pairs(values)]


def duplicate_pairs(values: list[Any]) -> list[tuple[int, int]]:
    """(position, position of its first occurrence) for each value that appeared before."""
    first: dict[Any, int] = {}
    pairs = []
    for i, v in enumerate(values):
        j = first.setdefault(v, i)
        if j != i:
            pairs.append((i, j))
    return pairs
