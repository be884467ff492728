"""A data file as read: its bytes, text, plain value, and (lazily) where each value stands."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zhili.diagnostics import Diagnostic, Severity
from zhili.loading import yamlread
from zhili.loading.positions import Positions
from zhili.loading.textfile import decode

Path_ = tuple[Any, ...]


@dataclass
class SourceFile:
    display: str  # the name shown to users: relative to the working directory where possible
    data: bytes
    value: Any
    _positions: Positions | None = field(default=None, repr=False)
    _lines: yamlread.LineIndex | None = field(default=None, repr=False)
    _text: str | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        """The decoded text, for the lines diagnostics quote; decoded again only when one asks (a file
        that was read cleanly decodes cleanly), so that large files are not held twice."""
        if self._text is None:
            text, _ = decode(self.data, self.display)
            self._text = text or ""
        return self._text

    def position(self, path: Path_, at_key: bool = False) -> tuple[int, int]:
        """Line and column of the value at `path` (or of its key), else of the nearest enclosing node."""
        if self._positions is None:  # found only when a diagnostic asks: most files never need it
            self._positions = Positions(self.data)
        return self._positions.lookup(path, at_key)

    def diag(self, path: Path_, code: str, message: str, hint: str = "",
             severity: Severity = Severity.ERROR, at_key: bool = False) -> Diagnostic:
        line, col = self.position(path, at_key)
        if self._lines is None:  # many diagnostics in one large file: find each line without rescanning
            self._lines = yamlread.LineIndex(self.text)
        return Diagnostic(self.display, line, col, code, message, hint, severity, self._lines.line(line))
