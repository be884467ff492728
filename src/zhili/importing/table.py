"""Tables as read from an office file, with the position of every cell, and finding columns by header.

A `SheetTable` is what a reader returns: rows of cell texts with their 1-based row numbers, under a
place name such as "台账.docx 表1" or "台账.xlsx 工作表 Sheet1". Columns are found by header text and
synonyms, or named by a mapping (`--map`), in the way hledger's CSV rules name a bank's columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from zhili.diagnostics import Diagnostic, error

_SPACE = re.compile(r"[\s\u3000]+")


@dataclass(frozen=True)
class SheetTable:
    """One table of one file: `rows[i]` is the text of each cell of source row `numbers[i]`."""

    file: str  # as shown to users, e.g. 台账.docx
    place: str  # 表1, 工作表 Sheet1, or "" for a CSV file
    rows: list[list[str]]
    numbers: list[int] = field(default_factory=list)

    def row_number(self, index: int) -> int:
        return self.numbers[index] if self.numbers else index + 1

    def where(self, index: int, column: str = "") -> str:
        """"台账.docx 表1 第12行 牵头单位": the place a diagnostic points at."""
        parts = [self.file, self.place, f"第{self.row_number(index)}行", column]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Column:
    """A field of the entries being imported: its key, Chinese label, header synonyms, whether required."""

    key: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False


def belongs_header(level_name: str) -> str:
    """The header of a community's unit column: 所属 + the lowest level's declared name (所属单位 stays as is)."""
    return level_name if level_name.startswith("所属") else f"所属{level_name}"


def norm(text: str) -> str:
    """Header text compared without spaces, full-width spaces and line breaks."""
    return _SPACE.sub("", text or "")


@dataclass(frozen=True)
class Layout:
    """Where the header row is and which column (0-based) holds each field."""

    header: int  # index into rows
    columns: dict[str, int]
    header_cells: tuple[str, ...]

    def is_header(self, cells: Sequence[str]) -> bool:
        """A header row repeated further down (on each printed page)."""
        normed = tuple(norm(c) for c in cells)
        return all(normed[i] == norm(self.header_cells[i]) for i in self.columns.values() if i < len(normed))


def find_layout(table: SheetTable, columns: Sequence[Column], mapping: Mapping[str, str] | None = None,
                search_rows: int = 10) -> tuple[Layout | None, list[Diagnostic]]:
    """The header row among the first `search_rows` rows (title rows above it are skipped).

    With `mapping` (field key → header text), those headers name the fields instead of the synonyms.
    """
    wanted = {c.key: ((norm(mapping[c.key]),) if mapping and c.key in mapping else tuple(norm(s) for s in c.synonyms))
              for c in columns}
    best: tuple[int, dict[str, int]] | None = None
    for index, cells in enumerate(table.rows[:search_rows]):
        found: dict[str, int] = {}
        normed = [norm(c) for c in cells]
        for col in columns:
            for pos, text in enumerate(normed):
                if text and text in wanted[col.key] and pos not in found.values():
                    found[col.key] = pos
                    break
        if all(c.key in found for c in columns if c.required):
            best = (index, found)
            break
    if best is None:
        required = [c for c in columns if c.required]
        names = "、".join(f"{c.label}（{'/'.join(wanted[c.key])}）" for c in required)
        where = " ".join(p for p in (table.file, table.place) if p)
        return None, [error(where, 0, 0, "ZL202", f"在前 {search_rows} 行中找不到表头：需要的列是 {names}。",
                            "检查这是不是要导入的表格；表头文字不同时，用 --map 映射文件指明各列的表头。")]
    index, found = best
    return Layout(index, found, tuple(table.rows[index])), []


def parse_mapping(text: str, columns: Sequence[Column], file: str) -> tuple[dict[str, str], list[Diagnostic]]:
    """A --map file: one `字段: 表头文字` per line (field as its key or Chinese label); # starts a comment."""
    by_name = {c.key: c.key for c in columns} | {c.label: c.key for c in columns}
    mapping: dict[str, str] = {}
    diags: list[Diagnostic] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.match(r"^(.*?)[:：](.*)$", line)
        name, header = (match.group(1).strip(), match.group(2).strip().strip("\"'“”")) if match else ("", "")
        if not name or not header:
            diags.append(error(file, number, 1, "ZL209", f"映射写法有误：“{line}”。", "每行写成 字段: 表头文字，如 牵头单位: 责任部门。"))
            continue
        if name not in by_name:
            known = "、".join(c.label for c in columns)
            diags.append(error(file, number, 1, "ZL201", f"未知的字段“{name}”。", f"可映射的字段：{known}。"))
            continue
        mapping[by_name[name]] = header
    return mapping, diags
