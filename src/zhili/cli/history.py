"""`zhili history COMMUNITY`: one community over the years — type, ranking, measures, tasks and progress."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from zhili.cli.options import as_of_option, command, data_option, output_options

if TYPE_CHECKING:
    from zhili.domain.history import History
    from zhili.model.registry import Registry
    from zhili.render.output import Output


@command("history")
@click.argument("community", metavar="社区")
@as_of_option
@data_option
@output_options
def command(community: str, as_of: str | None, data_dir: str | None, fmt: str | None, output: str | None,
            force: bool) -> None:
    """一个社区的历年情况：每年的类型、名次、得分和评定，帮扶措施与帮带，本类型的任务及进展，一社区一策方案。

    社区写名称、id，或能唯一确定它的一部分名称（与 zhili communities 列出的一致）。

    类型按 communities.yaml 中登记的类型；分类规则的计算结果一并列出，不一致时请运行 zhili classify。

    \b
    示例：
      zhili history 社区名称
      zhili history 社区id --format json
      zhili history 社区名称 --format markdown -o 社区历年情况.md
    """
    from zhili.cli.emit import emit
    from zhili.domain import tasks
    from zhili.domain.history import history
    from zhili.domain.lookup import find_community
    from zhili.loading.cache import load_registry
    from zhili.loading.datadir import resolve

    folder = resolve(data_dir)
    reg = load_registry(folder)
    found = find_community(reg, community)
    day = tasks.parse_date(as_of, "--as-of") or tasks.today()
    records, unreadable = recorded_types(folder, found.id)
    emit(build_output(reg, history(reg, found, day, records), unreadable), fmt, output, force)


def recorded_types(folder: Any, community_id: str) -> tuple[list[Any] | None, int]:
    """The community's type in each commit of communities.yaml; (None, 0) outside a git repository."""
    from zhili.errors import UsageError
    from zhili.loading.revisions import community_types, find_repository

    try:
        repo = find_repository(folder)
    except UsageError:
        return None, 0
    return community_types(repo, community_id)


def build_output(reg: Registry, h: History, unreadable: int = 0) -> Output:
    from zhili.domain import tasks as task_domain
    from zhili.domain.classify import STATUS_LABELS
    from zhili.domain.history import stage_labels
    from zhili.render.output import Column, Output, Table

    c = h.community
    names = {x.id: x.name for x in reg.communities}
    cls = h.classification
    rule_text = cls.computed.name if cls.computed else "无法判断"
    info = Table([Column("item", "项目"), Column("value", "内容")], [
        {"item": "社区", "value": f"{c.name}（{c.id}）"}, {"item": reg.level_label(), "value": c.street},
        {"item": "登记类型", "value": h.type.name if h.type else "尚未登记"},
        {"item": "分类规则计算", "value": f"{rule_text}：{cls.reason}" if cls.reason else rule_text},
        {"item": "类型调整", "value": _reclassified_text(h)},
        {"item": "试点开始", "value": c.pilot_start},
        {"item": "一社区一策", "value": f"{h.plan.submitted} 报送" if h.plan else "未报送"},
    ], f"{c.name}（{c.street}）")
    stages = stage_labels(reg)
    year_cols = [Column("year", "年度", "right"), Column("type", reg.type_label), Column("rank_text", "名次", "right"),
                 *(Column("stage:" + key, label, "right") for key, label in stages), Column("score", "综合", "right"),
                 Column("designation", "评定"), Column("pairs", "帮带建议")]
    year_rows = []
    for y in h.years:
        d = y.to_dict()
        pairs = [p.advanced.community.name if p.lagging.community.id == c.id and p.advanced else
                 p.lagging.community.name for p in y.pairs]
        then = f"（当时登记为{y.recorded_then or '未登记'}）" if y.known_then and y.recorded_then != y.type.name else ""
        year_rows.append({"year": y.year, "type": y.type.name + then,
                          "rank_text": f"{d['rank']}/{y.ranked}" if d["rank"] is not None else "未评",
                          **{"stage:" + k: v for k, v in d["scores"].items()}, "score": d["score"], "designation": _designation(d),
                          "pairs": "、".join(pairs) or None})
    measure_cols = [Column("year", "后进年度", "right"), Column("role", "角色"), Column("measure", "措施"),
                    Column("who", "责任单位或社区"), Column("start", "开始"), Column("end", "结束")]
    measures = [{"year": r.year, "role": "受帮扶", "measure": r.measure,
                 "who": names.get(r.partner, r.partner) if r.partner else r.unit, "start": r.start, "end": r.end}
                for r in h.remediation]
    measures += [{"year": r.year, "role": "帮带", "measure": r.measure, "who": names.get(r.community, r.community),
                  "start": r.start, "end": r.end} for r in h.helping]
    task_cols = [Column("no", "序号", "right"), Column("title", "任务"), Column("lead", "牵头单位"),
                 Column("deadline", "期限"), Column("status", "状态")]
    declared = task_domain.recurrences(reg)
    task_rows = [{"no": s.task.no, "title": s.task.title, "lead": "、".join(s.task.lead) or task_domain.UNNAMED_LEAD,
                  "deadline": task_domain.deadline_text(s.task, declared), "status": task_domain.status_text(s)} for s in h.tasks]
    progress_cols = [Column("date", "日期"), Column("task", "任务", "right"), Column("unit", "单位"),
                     Column("note", "进展"), Column("done", "完成")]
    progress_rows = [{"date": p.date, "task": p.task, "unit": p.unit, "note": p.note, "done": p.done} for p in h.progress]
    type_name = h.type.name if h.type else "本类型"
    change_cols = [Column("date", "提交日期"), Column("commit", "提交"), Column("subject", "提交说明"),
                   Column("old", "原类型"), Column("new", "新类型")]
    change_rows = [{"date": r.date or "（未提交）", "commit": r.commit[:10] if r.commit else None, "subject": r.subject or None,
                    "old": r.old or "未登记", "new": r.new or "未登记"} for r in h.reclassifications or []]
    tables = [info, *([Table(change_cols, change_rows, "类型调整（数据仓库的提交记录）")] if change_rows else []),
              Table(year_cols, year_rows, "历年评议"), Table(measure_cols, measures, "帮扶措施与帮带"),
              Table(task_cols, task_rows, f"{type_name}的任务（截至 {h.as_of}）"),
              Table(progress_cols, progress_rows, "这些任务的进展记录")]
    notes = [f"另有 {h.general_tasks} 项任务适用于所有类型，未逐项列出（zhili tasks 查看）。"] if h.general_tasks else []
    if not h.years:
        notes.append("数据中没有该社区类型可用的年度评议。")
    if h.reclassifications:
        notes.append("各年度都按当前登记的类型排队。")
    if unreadable:
        notes.append(f"communities.yaml 有 {unreadable} 个历史版本无法读取，其中的类型未计入类型调整。")

    def data() -> dict[str, Any]:
        return {
            "id": c.id, "name": c.name, "street": c.street, "type": h.type.name if h.type else None,
            "type_id": h.type.id if h.type else None, "pilot_start": c.pilot_start, "as_of": h.as_of,
            "classification": {"status": cls.status, "status_label": STATUS_LABELS[cls.status],
                               "computed": cls.computed.name if cls.computed else None,
                               "computed_id": cls.computed.id if cls.computed else None, "reason": cls.reason},
            "years": [y.to_dict() for y in h.years],
            "reclassifications": None if h.reclassifications is None else [r.to_dict() for r in h.reclassifications],
            "remediation": [_measure(r) for r in h.remediation],
            "helping": [_measure(r) for r in h.helping],
            "plan": None if h.plan is None else {"submitted": h.plan.submitted,
                                                 "targets": [{"name": t.name, "value": t.value, "unit": t.unit, "year": t.year}
                                                             for t in h.plan.targets]},
            "tasks": [{"no": s.task.no, "title": s.task.title, "lead": list(s.task.lead), "due": s.task.due,
                       "status": s.status, "status_label": task_domain.status_text(s)} for s in h.tasks],
            "progress": [{"task": p.task, "date": p.date, "unit": p.unit, "note": p.note, "done": p.done} for p in h.progress],
            "general_tasks": h.general_tasks,
        }

    return Output(tables, None, notes, Table(year_cols, year_rows, "历年评议"), build_data=data)


def _reclassified_text(h: History) -> str:
    if h.reclassifications is None:
        return "数据目录不在 git 仓库中，无从查找类型调整的记录"
    if not h.reclassifications:
        return "数据仓库的提交记录中没有类型调整"
    return "；".join(f"{r.date or '未提交'}：{r.old or '未登记'} → {r.new or '未登记'}" for r in h.reclassifications)


def _designation(d: dict[str, Any]) -> str | None:
    text = d["designation_label"] or d.get("result_label") or (f"待定{'先进' if d['pending'] == 'advanced' else '后进'}" if d["pending"] else None)
    if text and d["veto"]:
        text += "（否决）"
    if d["moved_up"]:
        text = (text + "，" if text else "") + "晋位升级"
    return text


def _measure(r: Any) -> dict[str, Any]:
    return {"year": r.year, "measure": r.measure, "unit": r.unit, "partner": r.partner, "start": r.start, "end": r.end}
