"""Collecting progress and scores from each unit: what each fill-in form holds, what a filled row means,
and how filled rows merge into progress.yaml / evaluations/<年度>.yaml. Pure: no files, no openpyxl.

A progress form goes to each unit that leads or supports tasks (a unit group is expanded to its
members); a score form goes to each street-level unit, listing the communities it scores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

from zhili.diagnostics import Diagnostic, error
from zhili.importing.table import belongs_header

# status shown in the drop-down → the `done` flag of a progress entry
STATUSES: dict[str, bool] = {"进行中": False, "已完成": True}
PROGRESS_LOCKED_N = 5  # 序号, type, 重点任务, 牵头单位, 配合单位: see progress_locked
PROGRESS_FILLED = ("日期", "状态", "已做工作", "下一步")
SCORE_LOCKED_N = 4  # 社区标识, 社区, the lowest level's unit, type: see score_locked
SCORE_FILLED = ("得分",)


def progress_locked(reg: Any) -> tuple[str, ...]:
    """The locked headers of a progress form; the type column takes the scheme's `type_label`."""
    return ("序号", reg.type_label, "重点任务", "牵头单位", "配合单位")


def score_locked(reg: Any) -> tuple[str, ...]:
    """The locked headers of a score form; the unit column is 所属 + the lowest level's declared name."""
    return ("社区标识", "社区", belongs_header(reg.level_label()), reg.type_label)
NEXT_PREFIX = "下一步："


def stages(reg: Any) -> list[tuple[str, str]]:
    """The declared evaluation stages (id, label)."""
    return [(s.id, s.label) for s in reg.evaluation.stages] if reg.evaluation is not None else []


def stage_key(reg: Any, text: str) -> str | None:
    """A declared stage given as its id or its label."""
    for key, label in stages(reg):
        if text.strip() in (key, label):
            return key
    return None


SELECTION_CHOICES = ("是", "否")


def stage_choices(reg: Any) -> tuple[str, ...]:
    """What a form's cell may hold: () for a score 0–100, else the allowed words."""
    method = reg.evaluation.method if reg.evaluation is not None else "scores"
    if method == "selection":
        return SELECTION_CHOICES
    return tuple(reg.evaluation.grades) if method == "grades" else ()


@dataclass
class Form:
    """One fill-in workbook: who fills it, and the locked rows they fill in."""

    kind: str  # "progress" | "scores"
    unit: str  # canonical unit (street for scores)
    rows: list[list[str]]  # locked cells, in `locked` order
    stage: str | None = None
    year: int | None = None
    stage_label: str = ""  # the declared label of `stage`
    choices: tuple[str, ...] = ()  # a selection's 是/否 or the declared grades; () for a score 0–100
    locked: tuple[str, ...] = ()  # the locked columns' headers (progress_locked / score_locked)


def _joined(names: Iterable[str]) -> str:
    return "、".join(names) or "——"


def progress_forms(reg: Any, only: str | None = None) -> list[Form]:
    """One form per unit that leads or supports a task, in units.yaml order; `only` keeps one unit. A task that
    names no unit at all (牵头单位未明确, no support) is on every unit's form: anyone may report on it."""
    locked = progress_locked(reg)
    forms: dict[str, Form] = {u.name: Form("progress", u.name, [], locked=locked) for u in reg.units}
    for task in reg.tasks:
        row = [str(task.no), task.type or "", task.title, _joined(task.lead) if task.lead else "未明确",
               _joined(task.support)]
        for unit in reg.canonical_units([*task.lead, *task.support]) or reg.units:
            forms[unit.name].rows.append(row)
    return [f for f in forms.values() if f.rows and (only is None or f.unit == only)]


def score_forms(reg: Any, stage: str, year: int, only: str | None = None) -> list[Form]:
    """One form per street-level unit with communities: its communities, one score column."""
    label, choices, locked = dict(stages(reg)).get(stage, stage), stage_choices(reg), score_locked(reg)
    forms: dict[str, Form] = {u.name: Form("scores", u.name, [], stage, year, label, choices, locked)
                              for u in reg.lowest_level_units()}
    for c in reg.communities:
        unit = reg.unit(c.street)
        street = unit.name if unit is not None else c.street
        type_ = reg.type_of(c.type)
        forms.setdefault(street, Form("scores", street, [], stage, year, label, choices, locked)).rows.append(
            [c.id, c.name, street, type_.name if type_ else (c.type or "")])
    return [f for f in forms.values() if f.rows and (only is None or f.unit == only)]


# -- reading filled forms ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FilledRow:
    """One row of a returned form: the cells as read, and where they came from."""

    where: str  # 进展填报_某单位.xlsx 第5行
    locked: tuple[str, ...]
    filled: tuple[Any, ...]  # date/str/number/None as the workbook holds them


@dataclass
class Entry:
    """A progress entry or a score, with the place it came from."""

    key: tuple[Any, ...]  # (task, unit, date) or (year, community, stage)
    value: dict[str, Any]
    where: str


def _header(form: Form, index: int) -> str:
    return form.locked[index] if index < len(form.locked) else f"第{index + 1}列"


def _cell(where: str, column: str) -> str:
    return f"{where} {column}"


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value if not hasattr(value, "date") else value.date()
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*", value)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def _locked_mismatch(form: Form, row: FilledRow, by_key: Mapping[str, Sequence[str]], key_header: str, unknown: str,
                     changed: str, hint: str) -> Diagnostic | None:
    """ZL311 at the first locked cell that differs from the form as generated (the key column when the
    row's key is not one of the form's), or None when the locked cells are as they were written."""
    expected = by_key.get(row.locked[0] if row.locked else "")
    if expected is not None and tuple(expected) == tuple(row.locked):
        return None
    column = next((_header(form, i) for i, v in enumerate(row.locked) if expected is None or v != expected[i]), key_header)
    return error(_cell(row.where, column), 0, 0, "ZL311", f"{unknown if expected is None else changed}。", hint)


def read_progress(form: Form, rows: Sequence[FilledRow], as_of: date) -> tuple[list[Entry], list[Diagnostic]]:
    """Progress entries from a filled progress form; every problem located at its cell."""
    by_no = {r[0]: r for r in form.rows}
    entries: list[Entry] = []
    diags: list[Diagnostic] = []
    for row in rows:
        wrong = _locked_mismatch(form, row, by_no, "序号", f"任务 {row.locked[0] if row.locked else ''} 不由 {form.unit} 牵头或配合",
                                 "锁定的列被修改，与任务台账不符",
                                 "不要修改灰色的锁定列；请用 zhili collect 重新生成本单位的填报表，再把填报内容抄过去。")
        if wrong is not None:
            diags.append(wrong)
            continue
        day, status, done_text, next_text = (list(row.filled) + [None] * 4)[:4]
        if all(v in (None, "") for v in (day, status, done_text, next_text)):
            continue  # not reported this time
        parsed = _date(day)
        problems = []
        if parsed is None:
            problems.append(("日期", "ZL206", f"日期“{day if day not in (None, '') else '（空）'}”无效。", "写成 2021-06-30 这样的日期。"))
        elif parsed > as_of:
            problems.append(("日期", "ZL206", f"日期 {parsed.isoformat()} 晚于今天（{as_of.isoformat()}）。", "填写已经完成工作的日期。"))
        status_text = str(status or "").strip()
        if status_text not in STATUSES:
            problems.append(("状态", "ZL207", f"状态“{status_text or '（空）'}”不是允许的取值。",
                             f"从下拉列表中选择：{'、'.join(STATUSES)}。"))
        if not str(done_text or "").strip():
            problems.append(("已做工作", "ZL202", "已做工作为空。", "简要写明做了什么。"))
        for column, code, message, hint in problems:
            diags.append(error(_cell(row.where, column), 0, 0, code, message, hint))
        if problems:
            continue
        note = str(done_text).strip()
        if str(next_text or "").strip():
            note = f"{note}；{NEXT_PREFIX}{str(next_text).strip()}"
        value = {"task": row.locked[0], "date": parsed, "unit": form.unit, "note": note, "done": STATUSES[status_text]}
        entries.append(Entry((row.locked[0], form.unit, parsed), value, row.where))
    return entries, diags


def read_scores(form: Form, rows: Sequence[FilledRow]) -> tuple[list[Entry], list[Diagnostic]]:
    """Scores from a filled score form: 0–100, for the street's own communities only."""
    by_id = {r[0]: r for r in form.rows}
    entries: list[Entry] = []
    diags: list[Diagnostic] = []
    for row in rows:
        wrong = _locked_mismatch(form, row, by_id, "社区标识", f"社区 {row.locked[0] if row.locked else ''} 不属于 {form.unit}",
                                 "锁定的列被修改，与社区名册不符", "不要修改灰色的锁定列；请用 zhili collect 重新生成本单位的评分表。")
        if wrong is not None:
            diags.append(wrong)
            continue
        score = row.filled[0] if row.filled else None
        if score in (None, ""):
            continue
        if form.choices:
            text = str(score).strip()
            if text not in form.choices:
                diags.append(error(_cell(row.where, "得分"), 0, 0, "ZL336", f"“{score}”不是{form.stage_label}可填的结果。",
                                   f"从下拉列表中选择：{'、'.join(form.choices)}。"))
                continue
            entries.append(Entry((form.year, row.locked[0], form.stage), {form.stage or "": text}, row.where))
            continue
        number = _number(score)
        if number is None or not 0 <= number <= 100:
            diags.append(error(_cell(row.where, "得分"), 0, 0, "ZL205", f"得分“{score}”不是 0–100 之间的数。", "填写 0 到 100 的分数。"))
            continue
        entries.append(Entry((form.year, row.locked[0], form.stage), {form.stage or "": number}, row.where))
    return entries, diags


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = value
    else:
        text = str(value).strip()
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            return None
        number = float(text)
    return int(number) if float(number).is_integer() else float(number)


# -- merging ---------------------------------------------------------------------------------------------------

@dataclass
class Merge:
    """What a set of filled forms adds: new entries, ones already recorded, and disagreements (not merged)."""

    new: list[Entry] = field(default_factory=list)
    known: list[Entry] = field(default_factory=list)
    conflicts: list[Diagnostic] = field(default_factory=list)


def merge(entries: Sequence[Entry], existing: Mapping[tuple[Any, ...], Sequence[dict[str, Any]]],
          labels: Mapping[str, str] | None = None) -> Merge:
    """Entries against what is recorded (by key) and against each other.

    Same key, same value: already there, adds nothing. Same key, another value: a conflict, reported with
    both places, and neither is merged. `labels`: the declared stage labels by stage id."""
    labels = labels or {}
    out = Merge()
    first: dict[tuple[Any, ...], Entry] = {}
    clashing: set[tuple[Any, ...]] = set()
    for e in entries:
        records = existing.get(e.key)
        if records:
            recorded = next((r for r in records if all(_same(r.get(k), v) for k, v in e.value.items())), None)
            if recorded is not None:
                out.known.append(e)
            else:
                recorded = records[0]
                shown = "；".join(f"{labels.get(k, _LABELS.get(k, k))} 现为“{_show(recorded.get(k))}”，表格为“{_show(v)}”"
                                 for k, v in e.value.items() if not _same(recorded.get(k), v))
                out.conflicts.append(error(e.where, 0, 0, "ZL402", f"与已记录的数据不同：{shown}。",
                                           "核实后直接修改数据文件，或改正表格后重新导入。"))
            continue
        other = first.get(e.key)
        if other is None:
            first[e.key] = e
        elif all(_same(other.value.get(k), v) for k, v in e.value.items()):
            out.known.append(e)
        else:
            clashing.add(e.key)
            out.conflicts.append(error(e.where, 0, 0, "ZL402", f"与 {other.where} 填报的不一致，两处都未导入。",
                                       "与两个填报单位核实，改正其中一份后重新导入。"))
    out.new = [e for k, e in first.items() if k not in clashing]
    return out


_LABELS = {"note": "进展说明", "done": "是否完成"}


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "（空）" if value is None else str(value)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    if a is None or b is None:
        return a is None and b is None or (a in (False, None) and b in (False, None))
    return str(a) == str(b)
