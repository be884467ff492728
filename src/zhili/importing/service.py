"""`zhili import ledger|communities`: read the file, map its rows, decide the changes, write them safely.

The one place the pure parts (`ledger`, `roster`) meet the edges (`readers`, `yamlwrite`). Returns a
`Report` of Chinese lines for the command to print; raises `ZhiliError`s for everything that stops it.
"""

from __future__ import annotations

from collections import Counter

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from zhili.diagnostics import Diagnostic, error
from zhili.errors import DataError, UsageError
from zhili.importing import ledger, roster
from zhili.importing.readers import read_tables
from zhili.importing.table import Column, belongs_header, parse_mapping
from zhili.importing.yamlwrite import DataWriter, block_list, flow, mapping, schema_line

ADDED_NOTE = "由 zhili import --add-missing 补充的最简条目：请核对并补全"
_MAP_MAX = 64 * 1024


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    dry_run: bool = False


def _mapping(map_file: str | None, columns: Sequence[Column]) -> dict[str, str] | None:
    if map_file is None:
        return None
    path = Path(map_file)
    if not path.is_file():
        raise UsageError(f"映射文件不存在：{path}。", "--map 指向一个文本文件，每行写 字段: 表头文字。")
    if path.stat().st_size > _MAP_MAX:
        raise DataError(f"映射文件 {path.name} 过大。", hint="映射文件每行一个字段，通常只有几行。")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"映射文件 {path.name} 不是 UTF-8 编码。", hint="用记事本或 VS Code 另存为 UTF-8。") from None
    found, diags = parse_mapping(text, columns, path.name)
    if diags:
        raise DataError(f"映射文件 {path.name} 有误，未导入。", diags)
    return found


def _read(file: str, encoding: str | None) -> list[Any]:
    if encoding is not None and Path(file).suffix.lower() != ".csv":
        raise UsageError("--encoding 只用于 CSV 文件。", ".docx 和 .xlsx 文件自带编码信息，去掉 --encoding 即可。")
    tables, diags = read_tables(Path(file), encoding)
    if diags:
        raise DataError(f"{Path(file).name} 中有无法使用的单元格，未导入。", diags)
    return tables


def _unit_names(reg: Any) -> set[str]:
    return ({u.name for u in reg.units} | {a for u in reg.units for a in u.aliases}
            | {g.name for g in reg.groups} | {a for g in reg.groups for a in g.aliases})


def _type_names(reg: Any) -> set[str]:
    return {t.name for t in reg.types} | {t.id for t in reg.types}


def _unit_kind(reg: Any, name: str, street: bool = False) -> str:
    """A first guess for a unit added by --add-missing (the comment asks for a check): a declared kind the
    name ends with; else, for a roster's 所属单位 column, the kind most units of the lowest level have."""
    kinds = list(reg.vocabularies.unit_kinds) if reg.vocabularies is not None else []
    for kind in sorted(kinds, key=len, reverse=True):
        if name.endswith(kind):
            return kind
    if street:
        common = Counter(u.kind for u in reg.lowest_level_units()).most_common(1)
        if common:
            return common[0][0]
    others = Counter(u.kind for u in reg.units if reg.level_of(u) is None).most_common(1)
    return others[0][0] if others else (kinds[0] if kinds else reg.units[0].kind)


def _placed(reg: Any) -> list[tuple[str, Any]]:
    """`level` (and `parent`, when the level above has exactly one unit) for a unit a roster adds."""
    lowest = reg.lowest_level()
    if lowest is None or not reg.levels_declared:
        return []
    pairs: list[tuple[str, Any]] = [("level", lowest.id)]
    above = reg.units_at(reg.levels[-2].id) if len(reg.levels) > 1 else []
    return pairs + ([("parent", above[0].name)] if len(above) == 1 else [])


def _add_missing(writer: DataWriter, units: Sequence[str], types: Sequence[str], report: Report,
                 streets: bool = False, reg: Any = None) -> None:
    if units:
        doc = writer.doc("units.yaml")
        for name in units:
            doc["units"].append(mapping([("name", name), ("kind", _unit_kind(reg, name, streets)),
                                         *(_placed(reg) if streets else []), ("aliases", [])],
                                        f"{ADDED_NOTE}（kind 是猜测；集合称谓请移到 groups）"))
        report.lines.append(f"补充单位 {len(units)} 个（units.yaml）：{'、'.join(units)}")
    if types:
        doc = writer.doc("types.yaml")
        used = {str(t.get("id")) for t in doc["types"]}
        category = (doc.get("categories") or [{}])[0].get("id")
        for name in types:
            n = len(used) + 1
            while f"type-{n}" in used:
                n += 1
            used.add(f"type-{n}")
            doc["types"].append(mapping([("id", f"type-{n}"), ("name", name), ("category", category), ("definition", None)],
                                        f"{ADDED_NOTE}（id、定义）"))
        report.lines.append(f"补充社区类型 {len(types)} 个（types.yaml）：{'、'.join(types)}")


def _unknown_error(unknown: Sequence[Diagnostic]) -> DataError:
    return DataError(f"表格中有 {len(unknown)} 个数据目录未声明的单位或社区类型，未导入。", unknown,
                     "改正表格中的写法；确是新单位或新类型时，加 --add-missing 自动补充最简条目（之后请补全）。")


def _show(value: Any) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "（无）"
    return str(value)


def _conflicts(items: Sequence[tuple[str, str, dict[str, tuple[Any, Any]]]], what: str | Sequence[str]) -> DataError:
    """`what`: the data file the entries are in, or one file per item (a registry written as a folder)."""
    files = [what] * len(items) if isinstance(what, str) else list(what)
    diags = [error(where, 0, 0, "ZL402",
                   f"与 {in_file} 现有的{name} 不同：" + "；".join(f"{k} “{_show(a)}” → “{_show(b)}”" for k, (a, b) in diff.items()),
                   "确认要以表格为准时加 --force；否则改正表格。")
             for (where, name, diff), in_file in zip(items, files)]
    return DataError(f"{len(diags)} 条与现有数据不同，未覆盖，也未写入任何内容。", diags,
                     "加 --dry-run 可先查看全部变化；加 --force 以表格为准覆盖。")


def import_ledger(data_dir: Path, file: str, encoding: str | None, map_file: str | None,
                  add_missing: bool, force: bool, dry_run: bool) -> Report:
    columns = ledger.COLUMNS
    fields = _mapping(map_file, columns)
    tables = _read(file, encoding)
    writer = DataWriter(data_dir)
    reg = writer.check_before()
    units, types = _unit_names(reg), _type_names(reg)
    tasks, diags = ledger.parse(tables, units, fields)
    if diags:
        raise DataError(f"{Path(file).name} 中有 {len(diags)} 处问题，未导入。", diags)
    report = Report(dry_run=dry_run)
    missing = ledger.unknowns(tasks, units, types)
    if missing and not add_missing:
        raise _unknown_error(ledger.unknown_diagnostics(missing))
    _add_missing(writer, [m.name for m in missing if m.kind == "unit"], [m.name for m in missing if m.kind == "type"], report, reg=reg)
    doc = writer.doc("tasks.yaml")
    changes = ledger.compare(list(doc["tasks"]), tasks, lambda t: getattr(reg.type_of(t), "id", t))
    if changes.changed and not force:
        raise _conflicts([(t.where, f"任务 {t.no}", {ledger.label(k): v for k, v in diff.items()})
                          for t, diff in changes.changed], "tasks.yaml")
    by_no = {str(e.get("no")): e for e in doc["tasks"]}
    for task, diff in changes.changed:
        entry = by_no[task.no]
        for key in diff:
            value = task.fields()[key]
            entry[key] = flow(value) if isinstance(value, list) else value
        report.lines.append(f"修改任务 {task.no}（{task.title}）：{'、'.join(ledger.label(k) for k in diff)}")
    for task in changes.added:
        doc["tasks"].append(mapping(list(task.fields().items())))
    if changes.added:
        report.lines.append(f"新增任务 {len(changes.added)} 项：序号 {_ranges([t.no for t in changes.added])}")
        if dry_run:  # what would be added, row by row, to check before writing
            report.lines.extend(f"  {t.no}. {t.title}（牵头：{_show(t.lead)}；{t.where}）" for t in changes.added)
    report.lines.append(f"读到任务 {len(tasks)} 项；与 tasks.yaml 相同 {len(changes.unchanged)} 项。")
    finish(writer, report)
    return report


def import_communities(data_dir: Path, file: str, encoding: str | None, map_file: str | None,
                       add_missing: bool, force: bool, dry_run: bool, into: str | None = None) -> Report:
    """`into`: for a communities/ folder, the file that new communities go to (see `DataWriter.target_file`)."""
    writer = DataWriter(data_dir)
    reg = writer.check_before()
    columns = roster.columns_for(reg.attributes, reg.level_label(), reg.type_label)
    fields = _mapping(map_file, columns)
    tables = _read(file, encoding)
    rows, diags = roster.parse(tables, reg.attributes, fields, reg.level_label(), reg.type_label)
    if diags:
        raise DataError(f"{Path(file).name} 中有 {len(diags)} 处问题，未导入。", diags)
    report = Report(dry_run=dry_run)
    lowest = [u.name for u in reg.lowest_level_units()]
    missing = roster.unknown_names(rows, lowest, sorted(_unit_names(reg)), sorted(_type_names(reg)), reg.level_label())
    if missing and not add_missing:
        raise _unknown_error([error(where, 0, 0, "ZL304" if kind == "unit" else "ZL301",
                                    f"未知的{reg.level_label() if kind == 'unit' else reg.type_label}“{name}”。{hint}",
                                    f"改正表格中的写法，或在 {'units.yaml' if kind == 'unit' else 'types.yaml'} 中补充。")
                              for kind, name, where, hint in missing])
    not_streets = _not_streets(reg, rows)
    if not_streets:
        raise DataError(f"{len(not_streets)} 个所属{reg.level_label()}在 units.yaml 中不是“{reg.level_label()}”一级的单位，未导入。",
                        not_streets)
    _add_missing(writer, [m[1] for m in missing if m[0] == "unit"], [m[1] for m in missing if m[0] == "type"], report,
                 streets=True, reg=reg)
    if into is not None:
        writer.target_file("communities", into)  # a bad --file is refused before anything else
    # every file of the registry (one communities.yaml, or each file of communities/): an entry is
    # changed where it is written, so it stays in its file
    holder: dict[int, str] = {}
    entries: list[Any] = []
    for name in writer.registry_files("communities"):
        for entry in writer.read(name)["communities"]:
            holder[id(entry)] = name
            entries.append(entry)
    changes = roster.compare(entries, rows)
    if changes.changed and not force:
        raise _conflicts([(r.where, f"社区 {r.street}{r.name}", diff) for r, _, diff in changes.changed],
                         [holder[id(e)] for _, e, _ in changes.changed])
    for row, entry, diff in changes.changed:
        writer.doc(holder[id(entry)])  # the file it is written in changes
        for key, (_, new) in diff.items():
            if key.startswith("attributes."):
                if entry.get("attributes") is None:
                    entry["attributes"] = mapping([])
                entry["attributes"][key[len("attributes."):]] = new
            else:
                entry[key] = new
        report.lines.append(f"修改社区 {row.street}{row.name}：{'、'.join(diff)}")
    used = {str(e.get("id")) for e in entries}
    street_file = {str(e.get("street")): holder[id(e)] for e in entries}  # the last file holding each street
    for row in changes.added:
        ident = row.id or _new_id(used)
        used.add(ident)
        target = writer.target_file("communities", into, street_file.get(row.street))
        doc = writer.doc(target, _new_file(writer, "communities", "社区台账"))
        pairs: list[tuple[str, Any]] = [("id", ident), ("name", row.name), ("street", row.street), ("type", row.type)]
        if row.attributes:
            pairs.append(("attributes", mapping(list(row.attributes.items()))))
        if row.note:
            pairs.append(("note", row.note))
        block_list(doc, "communities").append(mapping(pairs, None if row.id else "id 由 zhili import 生成，可改为拼音等稳定标识"))
    if changes.added:
        report.lines.append(f"新增社区 {len(changes.added)} 个：{'、'.join(r.name for r in changes.added[:20])}"
                            + ("等" if len(changes.added) > 20 else ""))
    report.lines.append(f"读到社区 {len(rows)} 个；与现有社区台账相同 {len(changes.unchanged)} 个。")
    finish(writer, report)
    return report


def _not_streets(reg: Any, rows: Sequence[roster.ImportedCommunity]) -> list[Diagnostic]:
    """Units the roster names that units.yaml declares, but not at the lowest level."""
    lowest = {u.name for u in reg.lowest_level_units()}
    label = reg.level_label()
    seen: dict[str, Diagnostic] = {}
    for r in rows:
        unit = reg.unit(r.street)
        if unit is not None and unit.name not in lowest and r.street not in seen:
            at = reg.level_of(unit)
            column = belongs_header(label)
            seen[r.street] = error(f"{r.where} {column}", 0, 0, "ZL326",
                                   f"“{r.street}”在 units.yaml 中{f'是“{at.name}”一级的单位' if at else '不在任何层级中'}，不是“{label}”。",
                                   f"{reg.community_label}属于“{label}”一级的单位；在 units.yaml 中给它写 level: {reg.lowest_level().id}。")
    return list(seen.values())


def _new_file(writer: DataWriter, kind: str, label: str) -> str:
    """The text a new file of a registry folder starts with (`--file` naming a file not yet there)."""
    return schema_line(writer, kind, 1) + f"# {label}（由 zhili 写入）\n\n{kind}: []\n"


def _new_id(used: set[str]) -> str:
    n = len(used) + 1
    while f"community-{n}" in used:
        n += 1
    return f"community-{n}"


def _ranges(numbers: Sequence[str]) -> str:
    """序号 in the ledger's order, consecutive plain numbers as a range: 2–30、三.1、三.2."""
    out: list[str] = []
    for n in numbers:
        if (out and n.isdigit() and re.fullmatch(r"\d+(–\d+)?", out[-1])
                and int(out[-1].split("–")[-1]) == int(n) - 1):
            out[-1] = f"{out[-1].split('–')[0]}–{n}"
        else:
            out.append(n)
    return "、".join(out)


def finish(writer: DataWriter, report: Report) -> None:
    if report.dry_run:
        changed = writer.commit(write=False)
        report.lines.append(f"（演练，未写入）将修改：{'、'.join(sorted(changed))}" if changed else "（演练）没有需要写入的变化。")
        return
    report.written = writer.commit()
    report.lines.append(f"已写入：{'、'.join(report.written)}" if report.written else "没有变化，未写入任何文件。")
