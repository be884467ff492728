"""A 重点工作任务台账 table → task entries, and what importing them would change in tasks.yaml.

Pure: tables in, entries and diagnostics out. The layout is the usual office one (the bundled ledger 附件):
序号 / 社区类型 / 重点任务 / 牵头单位 / 配合单位 / 备注, in any order, a title row or two above the header,
the header repeated on each printed page, a blank (or vertically merged) type cell continuing the type
above it within one page, and units separated by 、，, or line breaks. A table that writes the type on
every row (as zhili's own exports do) has no runs: there a blank type cell means no type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Collection, Mapping, Sequence

from zhili.diagnostics import Diagnostic, error
from zhili.importing.names import did_you_mean, is_none, row_number, split_units
from zhili.importing.table import Column, SheetTable, find_layout

COLUMNS = (
    Column("no", "序号", ("序号", "编号", "序", "No", "NO")),
    Column("type", "社区类型", ("社区类型", "类型", "类别", "社区类别")),
    Column("title", "重点任务", ("重点任务", "工作任务", "任务名称", "重点工作任务", "任务", "工作内容"), required=True),
    Column("lead", "牵头单位", ("牵头单位", "责任单位", "牵头部门", "责任部门", "牵头"), required=True),
    Column("support", "配合单位", ("配合单位", "协同单位", "配合部门", "协办单位", "配合")),
    Column("note", "备注", ("备注", "说明")),
)
LEDGER_FIELDS = ("type", "title", "lead", "support", "note")  # what a ledger row carries


@dataclass
class ImportedTask:
    no: str  # the ledger's 序号 as written (12 for "12." or "12、"), e.g. 25 or 三.1
    type: str | None
    title: str
    lead: list[str]
    support: list[str]
    note: str | None
    where: str  # 台账.docx 表1 第3行
    given: frozenset[str] = frozenset(LEDGER_FIELDS)  # the fields the table has a column for

    def fields(self) -> dict[str, Any]:
        return {"no": yaml_no(self.no), "type": self.type, "title": self.title, "lead": list(self.lead),
                "support": list(self.support), "note": self.note}


@dataclass
class Unknown:
    """A unit or type name the data directory does not declare, where it first appears, close matches."""

    kind: str  # "unit" | "type"
    name: str
    where: str
    hint: str


def yaml_no(no: str) -> int | str:
    """How tasks.yaml writes a 序号: plain digits as a number (as the bundled ledgers do), other text as text."""
    return int(no) if no.isdigit() and no.isascii() and (no == "0" or not no.startswith("0")) else no


def label(key: str) -> str:
    return next(c.label for c in COLUMNS if c.key == key)


def parse(tables: Sequence[SheetTable], known_units: Collection[str],
          mapping: Mapping[str, str] | None = None) -> tuple[list[ImportedTask], list[Diagnostic]]:
    """Every task row of every table, in order. A table without the header is reported, not guessed at."""
    tasks: list[ImportedTask] = []
    diags: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for table in tables:
        layout, problems = find_layout(table, COLUMNS, mapping)
        if layout is None:
            if len(tables) == 1 or mapping:
                diags.extend(problems)
            continue  # a document may hold other tables (a 发文 header, a signature block)
        cols = layout.columns
        continues = not _types_on_every_row(table, layout)
        type_above: str | None = None
        for index in range(layout.header + 1, len(table.rows)):
            cells = table.rows[index]
            if not any(c.strip() for c in cells):
                continue
            if layout.is_header(cells):  # the header repeated on a new page: the type does not run across it
                type_above = None
                continue

            def get(key: str) -> str:
                pos = cols.get(key)
                return cells[pos].strip() if pos is not None and pos < len(cells) else ""

            where = table.where(index)
            if "no" in cols:
                number = row_number(get("no"))
                no = str(number) if number is not None else get("no")
                if not no:
                    diags.append(error(table.where(index, label("no")), 0, 0, "ZL202", "序号为空。",
                                       "照录台账的序号，如 25、三.1；合计、说明等非任务行请删去。"))
                    continue
            else:
                no = str(len(tasks) + 1)
            if no in seen:
                diags.append(error(table.where(index, label("no")), 0, 0, "ZL303",
                                   f"序号 {no} 重复（{seen[no]} 已用）。", "每项任务一个序号。"))
                continue
            seen[no] = where
            type_text = get("type")
            if type_text or not continues:
                type_above = None if not type_text or is_none(type_text) else type_text
            title = get("title")
            if not title:
                diags.append(error(table.where(index, label("title")), 0, 0, "ZL202", "重点任务为空。", "照录台账中的任务名称。"))
                continue
            lead = split_units(get("lead"), known_units)  # may be empty: validation warns 牵头单位未明确
            note = get("note")
            tasks.append(ImportedTask(no, type_above, title, lead, split_units(get("support"), known_units),
                                      None if not note or is_none(note) else note, where,
                                      frozenset(k for k in LEDGER_FIELDS if k in cols)))
    if not tasks and not diags:
        shown = tables[0].file if tables else "文件"
        diags.append(error(shown, 0, 0, "ZL202", "没有找到任务台账表格（表头应有 重点任务、牵头单位 等列）。",
                           "检查文件是否正确；表头文字不同时，用 --map 映射文件指明各列的表头。"))
    return tasks, diags


def _types_on_every_row(table: SheetTable, layout: Any) -> bool:
    """Does the table write the type on every row (two adjacent rows name the same type)? Then a blank type
    cell means "no type". Otherwise the table writes a type once per run, as the 附件 does with merged or
    blank cells, and a blank cell continues the type above. (A Word cell merged down several rows reads
    as its text on each row, so merged tables count as writing every row.)"""
    pos = layout.columns.get("type")
    if pos is None:
        return True
    previous = ""
    for cells in table.rows[layout.header + 1:]:
        if layout.is_header(cells):
            previous = ""
            continue
        text = cells[pos].strip() if pos < len(cells) else ""
        if text and text == previous and not is_none(text):
            return True
        previous = text
    return False


def unknowns(tasks: Sequence[ImportedTask], units: Collection[str], types: Collection[str]) -> list[Unknown]:
    """Names not declared in units.yaml (names, aliases, groups) or types.yaml (names, ids), first place each."""
    found: dict[tuple[str, str], Unknown] = {}
    unit_list, type_list = sorted(units), sorted(types)  # suggestions in a stable order
    for t in tasks:
        if t.type is not None and t.type not in types and ("type", t.type) not in found:
            found[("type", t.type)] = Unknown("type", t.type, f"{t.where} {label('type')}", did_you_mean(t.type, type_list))
        for key in ("lead", "support"):
            for name in getattr(t, key):
                if name not in units and ("unit", name) not in found:
                    found[("unit", name)] = Unknown("unit", name, f"{t.where} {label(key)}", did_you_mean(name, unit_list))
    return list(found.values())


def unknown_diagnostics(items: Sequence[Unknown]) -> list[Diagnostic]:
    out = []
    for u in items:
        what, code, file = ("单位", "ZL302", "units.yaml") if u.kind == "unit" else ("社区类型", "ZL301", "types.yaml")
        out.append(error(u.where, 0, 0, code, f"未知的{what}“{u.name}”。{u.hint}",
                         f"改正表格中的写法，或在 {file} 中补充（加 --add-missing 可自动补充最简条目，之后请补全）。"))
    return out


@dataclass
class TaskChanges:
    """What importing does to tasks.yaml: entries to append, entries to replace (by no), unchanged ones."""

    added: list[ImportedTask] = field(default_factory=list)
    changed: list[tuple[ImportedTask, dict[str, tuple[Any, Any]]]] = field(default_factory=list)  # field → (old, new)
    unchanged: list[ImportedTask] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.added and not self.changed


def compare(existing: Sequence[Mapping[str, Any]], imported: Sequence[ImportedTask],
            type_key: Callable[[str], str] = str) -> TaskChanges:
    """Imported rows against tasks.yaml entries with the same 序号; only the fields a ledger carries count.
    `type_key` maps a type's name or id to one key, so a type written by id in tasks.yaml and by name in
    the table is the same type."""
    by_no = {str(e.get("no")): e for e in existing}
    changes = TaskChanges()
    for task in imported:
        old = by_no.get(task.no)
        if old is None:
            changes.added.append(task)
            continue
        new = task.fields()
        diff = {k: (_plain(old.get(k), k), new[k]) for k in LEDGER_FIELDS
                if k in task.given and _plain(old.get(k), k) != new[k]}
        if "type" in diff and None not in diff["type"] and type_key(diff["type"][0]) == type_key(diff["type"][1]):
            del diff["type"]
        (changes.changed.append((task, diff)) if diff else changes.unchanged.append(task))
    return changes


def _plain(value: Any, key: str) -> Any:
    if value is None and key in ("lead", "support"):
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return None if value is None else str(value)
