"""A data file as read: its bytes, text, plain value, and (lazily) where each value stands."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zhili.diagnostics import Diagnostic, Severity
from zhili.loading import yamlread

Path_ = tuple[Any, ...]


@dataclass
class SourceFile:
    display: str  # the name shown to users: relative to the working directory where possible
    data: bytes
    text: str
    value: Any
    _values: dict[Path_, tuple[int, int]] | None = field(default=None, repr=False)
    _keys: dict[Path_, tuple[int, int]] | None = field(default=None, repr=False)
    _lines: yamlread.LineIndex | None = field(default=None, repr=False)

    def _index(self) -> tuple[dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]:
        if self._values is None:
            self._values, self._keys = yamlread.position_index(self.data)
        assert self._keys is not None
        return self._values, self._keys

    def position(self, path: Path_, at_key: bool = False) -> tuple[int, int]:
        """Line and column of the value at `path` (or of its key), else of the nearest enclosing node."""
        values, keys = self._index()
        if at_key and path in keys:
            return keys[path]
        p = tuple(path)
        while p:
            if p in values:
                return values[p]
            if p in keys:
                return keys[p]
            p = p[:-1]
        return values.get((), (1, 1))

    def diag(self, path: Path_, code: str, message: str, hint: str = "",
             severity: Severity = Severity.ERROR, at_key: bool = False) -> Diagnostic:
        line, col = self.position(path, at_key)
        if self._lines is None:  # many diagnostics in one large file: find each line without rescanning
            self._lines = yamlread.LineIndex(self.text)
        return Diagnostic(self.display, line, col, code, message, hint, severity, self._lines.line(line))
