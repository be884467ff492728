"""`zhili progress add`: one entry, checked like a collected one, written like every other write."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from zhili.errors import UsageError
from zhili.importing import collect
from zhili.importing.collect_service import _add_progress
from zhili.importing.service import Report, finish
from zhili.importing.yamlwrite import DataWriter


def add_progress(data_dir: Path, task_no: str, unit_text: str, day: date, note: str, done: bool, as_of: date,
                 dry_run: bool, milestone: str | None = None, into: str | None = None) -> Report:
    from zhili.domain.units import find_unit

    writer = DataWriter(data_dir)
    if into is not None:
        writer.target_file("progress", into)  # a bad --file is refused before anything else
    reg = writer.check_before()
    task_no = task_no.strip()
    task = next((t for t in reg.tasks if t.no == task_no), None)
    if task is None:
        raise UsageError(f"没有序号为 {task_no} 的任务。", "运行 zhili tasks 查看全部任务的序号（照原样写，如 25、三.1）。")
    if milestone is not None:
        from zhili.domain.schedule import milestone_key

        milestone = milestone.strip()
        if not any(milestone in milestone_key(m) for m in task.milestones):
            known = "、".join(m.title or m.by.isoformat() for m in task.milestones)
            raise UsageError(f"任务 {task_no} 没有节点“{milestone}”。",
                             f"该任务的节点：{known}。" if known else "该任务没有节点（tasks.yaml 中的 milestones）。")
    unit = find_unit(reg, unit_text)
    if unit.is_group:
        raise UsageError(f"“{unit.name}”是单位组，进展要由其中的一个单位报告。", f"写出具体单位，如 {'、'.join(sorted(unit.members)[:3])}。")
    involved = {u.name for u in reg.canonical_units([*task.lead, *task.support])}
    if involved and unit.name not in involved:  # a task naming no unit takes progress from any unit
        raise UsageError(f"{unit.name} 不是任务 {task_no}（{task.title}）的牵头或配合单位。",
                         f"该任务的单位：{'、'.join(sorted(involved))}。")
    if day > as_of:
        raise UsageError(f"进展日期 {day.isoformat()} 晚于今天（{as_of.isoformat()}）。", "记录已经发生的进展；用 --date 写实际日期。")
    if not note.strip():
        raise UsageError("--note 不能为空。", "简要写明做了什么。")
    value = {"task": task_no, "date": day, "unit": unit.name, "note": note.strip(), "done": done}
    if milestone is not None:
        value["milestone"] = milestone
    recorded: dict[tuple, list[dict]] = {}
    for p in reg.progress:
        u = reg.unit(p.unit)
        recorded.setdefault((p.task, u.name if u else p.unit, p.date), []).append(
            {"task": p.task, "date": p.date, "unit": u.name if u else p.unit, "note": p.note, "done": p.done,
             **({"milestone": p.milestone} if getattr(p, "milestone", None) is not None else {})})
    entry = collect.Entry((task_no, unit.name, day), value, "命令行")
    merged = collect.merge([entry], recorded)
    report = Report(dry_run=dry_run)
    if merged.known:
        report.lines.append("已有相同的进展记录，未重复写入。")
        return report
    _add_progress(writer, [entry], into)
    report.lines.append(f"记录进展：任务 {task_no}（{task.title}），{unit.name}，{day.isoformat()}{f'，完成节点 {milestone}' if milestone else ''}{'，已完成' if done else ''}。")
    finish(writer, report)
    return report
