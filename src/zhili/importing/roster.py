"""A community roster table (社区 / 所属 + the lowest level's name / 类型, optional attributes) → community entries. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from zhili.diagnostics import Diagnostic, error
from zhili.importing.names import did_you_mean, is_none
from zhili.importing.table import Column, SheetTable, belongs_header, find_layout, norm

# Headers recognised for the unit column whatever the scheme calls its lowest level (input tolerance only:
# the scheme's own level name, and 所属 + it, are recognised first and are what messages show).
USUAL_UNIT_HEADERS = ("所属单位", "单位", "所属街道（镇）", "所属街道(镇)", "所属街道", "街道（镇）", "街道(镇)", "所属镇（街道）",
                      "所属镇", "街道", "镇（街道）", "镇")
DEFAULT_LEVEL = "所属单位"
DEFAULT_TYPE_LABEL = "社区类型"


def base_columns(level: str = DEFAULT_LEVEL, type_label: str = DEFAULT_TYPE_LABEL) -> tuple[Column, ...]:
    """The fixed roster columns; the unit column is labelled 所属 + `level` (the lowest level's declared name)."""
    header = belongs_header(level)
    own = (header, level, level.removeprefix("所属"))
    unit_headers = tuple(dict.fromkeys(h for h in (*own, *map(_half_width, own), *map(_full_width, own),
                                                   *USUAL_UNIT_HEADERS) if h))
    return (
        Column("id", "标识", ("标识", "id", "ID", "社区标识")),
        Column("name", "社区", ("社区", "社区名称", "社区（村）", "村（社区）", "名称", "社区名"), required=True),
        Column("street", header, unit_headers, required=True),
        Column("type", "类型", tuple(dict.fromkeys(("类型", type_label, "社区类型", "类别")))),
        Column("note", "备注", ("备注", "说明")),
    )


def _half_width(text: str) -> str:
    return norm(text).replace("（", "(").replace("）", ")")


def _full_width(text: str) -> str:
    return norm(text).replace("(", "（").replace(")", "）")
_INT = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?\d+\.\d+$")


@dataclass
class ImportedCommunity:
    id: str | None
    name: str
    street: str
    type: str | None
    attributes: dict[str, Any]
    note: str | None
    where: str


def columns_for(attributes: Sequence[Any], level: str = DEFAULT_LEVEL,
                type_label: str = DEFAULT_TYPE_LABEL) -> tuple[Column, ...]:
    """The roster columns: the fixed ones, then one per declared attribute (found by its label or name)."""
    extra = tuple(Column(f"attr:{a.name}", a.label, (a.label, a.name)) for a in attributes)
    return base_columns(level, type_label) + extra


def _value(text: str) -> Any:
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def parse(tables: Sequence[SheetTable], attributes: Sequence[Any],
          mapping: Mapping[str, str] | None = None, level: str = DEFAULT_LEVEL,
          type_label: str = DEFAULT_TYPE_LABEL) -> tuple[list[ImportedCommunity], list[Diagnostic]]:
    """`level`: the lowest level's declared name, used in the unit column's header and in messages."""
    columns = columns_for(attributes, level, type_label)
    header = belongs_header(level)
    out: list[ImportedCommunity] = []
    diags: list[Diagnostic] = []
    for table in tables:
        layout, problems = find_layout(table, columns, mapping)
        if layout is None:
            if len(tables) == 1 or mapping:
                diags.extend(problems)
            continue
        cols = layout.columns
        street_above = ""
        for index in range(layout.header + 1, len(table.rows)):
            cells = table.rows[index]
            if not any(c.strip() for c in cells) or layout.is_header(cells):
                continue

            def get(key: str) -> str:
                pos = cols.get(key)
                return cells[pos].strip() if pos is not None and pos < len(cells) else ""

            street = get("street") or street_above  # a merged unit cell covers the rows below it
            street_above = street
            name = get("name")
            if not name:
                diags.append(error(table.where(index, "社区"), 0, 0, "ZL202", "社区名称为空。", "每行一个社区；合计等非社区行请删去。"))
                continue
            if not street:
                diags.append(error(table.where(index, header), 0, 0, "ZL202", f"{header}为空。",
                                   f"填写该社区所属的{level.removeprefix('所属')}。"))
                continue
            if name.startswith(street) and len(name) > len(street):
                name = name[len(street):]  # <unit><name> → <name>, as communities.yaml writes names
            type_text = get("type")
            attrs = {key[5:]: _value(get(key)) for key in cols if key.startswith("attr:") and get(key) and not is_none(get(key))}
            note = get("note")
            out.append(ImportedCommunity(get("id") or None, name, street, None if not type_text or is_none(type_text) else type_text,
                                         attrs, note or None, table.where(index)))
    if not out and not diags:
        shown = tables[0].file if tables else "文件"
        diags.append(error(shown, 0, 0, "ZL202", f"没有找到社区名册表格（表头应有 社区、{header} 等列）。",
                           "检查文件是否正确；表头文字不同时，用 --map 映射文件指明各列的表头。"))
    return out, diags


@dataclass
class RosterChanges:
    added: list[ImportedCommunity] = field(default_factory=list)
    changed: list[tuple[ImportedCommunity, Any, dict[str, tuple[Any, Any]]]] = field(default_factory=list)
    unchanged: list[ImportedCommunity] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.added and not self.changed


def compare(existing: Sequence[Mapping[str, Any]], imported: Sequence[ImportedCommunity]) -> RosterChanges:
    """Rows against communities.yaml entries with the same id, or else the same street and name."""
    by_id = {str(e.get("id")): e for e in existing}
    by_name = {(str(e.get("street")), str(e.get("name"))): e for e in existing}
    changes = RosterChanges()
    for row in imported:
        old = by_id.get(row.id) if row.id else by_name.get((row.street, row.name))
        if old is None:
            changes.added.append(row)
            continue
        diff: dict[str, tuple[Any, Any]] = {}
        for key in ("name", "street", "type"):
            if getattr(row, key) is not None and str(old.get(key)) != getattr(row, key):
                diff[key] = (old.get(key), getattr(row, key))
        old_attrs = old.get("attributes") or {}
        for key, value in row.attributes.items():
            if str(old_attrs.get(key)) != str(value):
                diff[f"attributes.{key}"] = (old_attrs.get(key), value)
        (changes.changed.append((row, old, diff)) if diff else changes.unchanged.append(row))
    return changes


def unknown_names(rows: Sequence[ImportedCommunity], streets: Sequence[str], units: Sequence[str],
                  types: Sequence[str], level: str = DEFAULT_LEVEL) -> list[tuple[str, str, str, str]]:
    """(kind, name, where, did-you-mean) for streets and types not declared; first place each."""
    seen: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for r in rows:
        if r.street not in units and ("unit", r.street) not in seen:
            seen[("unit", r.street)] = ("unit", r.street, f"{r.where} {belongs_header(level)}", did_you_mean(r.street, streets))
        if r.type is not None and r.type not in types and ("type", r.type) not in seen:
            seen[("type", r.type)] = ("type", r.type, f"{r.where} 类型", did_you_mean(r.type, types))
    return list(seen.values())

