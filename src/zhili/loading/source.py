"""A data file as read: its plain value, and (lazily) where each value stands and the lines to quote.

A large file's bytes are not kept once its value is built (at 100,000 communities they were 92 MB held
for diagnostics that mostly never come): a diagnostic that needs a line and column reads the file again,
and a digest taken when it was first read proves that the bytes are the same. If the file changed or
vanished in between, no position can be trusted: loading stops with `FileChangedError` instead of
pointing at a line of a different text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhili.diagnostics import Diagnostic, Severity
from zhili.errors import DataError
from zhili.loading import yamlread
from zhili.loading.positions import Positions
from zhili.loading.textfile import decode

Path_ = tuple[Any, ...]

# files up to this many bytes keep them (they cost nothing, and most diagnostics are in small files);
# larger ones are read again when a diagnostic needs a position
KEEP_BYTES = 1024 * 1024


class FileChangedError(DataError):
    """A data file changed (or vanished) between reading it and placing one of its diagnostics."""


def digest(data: bytes) -> bytes:
    return hashlib.sha1(data, usedforsecurity=False).digest()


@dataclass
class SourceFile:
    display: str  # the name shown to users: relative to the working directory where possible
    data: bytes | None  # the bytes as read; None once dropped (see `content`)
    value: Any
    path: Path | None = None  # where to read the bytes again
    root: Path | None = None  # the data directory the file must lie in (as when it was first read)
    _digest: bytes | None = field(default=None, repr=False)
    _size: int = field(default=0, repr=False)
    _positions: Positions | None = field(default=None, repr=False)
    _lines: yamlread.LineIndex | None = field(default=None, repr=False)
    _text: str | None = field(default=None, repr=False)

    @classmethod
    def read(cls, display: str, data: bytes, value: Any, path: Path | None, root: Path | None = None) -> SourceFile:
        """A file just read: a large one keeps only its size and digest (the bytes go with the caller's
        last reference), unless there is no path to read them again."""
        if path is None or len(data) <= KEEP_BYTES:
            return cls(display, data, value, path, root)
        return cls(display, None, value, path, root, digest(data), len(data))

    @property
    def content(self) -> bytes:
        """The file's bytes, read again (and proved unchanged) when they were not kept."""
        if self.data is None:
            assert self.path is not None
            data, _problems = yamlread.read_path(self.path, self.display, self.root)
            if data is None or len(data) != self._size or digest(data) != self._digest:
                raise FileChangedError(
                    f"{self.display} 在 zhili 读取之后被修改（或被删除、替换），无法给出其中问题所在的行和列。",
                    hint="等文件保存完毕、不再有程序写入它之后，重新运行 zhili。")
            self.data = data  # kept from now on: a file with one problem often has more
        return self.data

    @property
    def text(self) -> str:
        """The decoded text, for the lines diagnostics quote; decoded again only when one asks (a file
        that was read cleanly decodes cleanly), so that large files are not held twice."""
        if self._text is None:
            text, _ = decode(self.content, self.display)
            self._text = text or ""
        return self._text

    def position(self, path: Path_, at_key: bool = False) -> tuple[int, int]:
        """Line and column of the value at `path` (or of its key), else of the nearest enclosing node."""
        if self._positions is None:  # found only when a diagnostic asks: most files never need it
            self._positions = Positions(self.content)
        return self._positions.lookup(path, at_key)

    def diag(self, path: Path_, code: str, message: str, hint: str = "",
             severity: Severity = Severity.ERROR, at_key: bool = False) -> Diagnostic:
        line, col = self.position(path, at_key)
        if self._lines is None:  # many diagnostics in one large file: find each line without rescanning
            self._lines = yamlread.LineIndex(self.text)
        return Diagnostic(self.display, line, col, code, message, hint, severity, self._lines.line(line))
