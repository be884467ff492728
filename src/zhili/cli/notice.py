"""`zhili notice`: the 督导通报 — overdue and stalled tasks by lead unit as of a day, with the counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from zhili.cli.options import as_of_option, command, data_option, output_options

if TYPE_CHECKING:
    from zhili.domain.notice import LeadLine, Notice
    from zhili.model.registry import Registry
    from zhili.render.output import Output, Section

DEFAULT_STALLED = 60


@command("notice")
@click.option("--stalled", metavar="天数", type=click.IntRange(min=1), default=None,
              help=f"多少天没有进展记录算“无动静”。默认取 types.yaml 的 scheme.notice.stalled_days，没有则为 {DEFAULT_STALLED} 天。")
@as_of_option
@data_option
@output_options
def command(stalled: int | None, as_of: str | None, data_dir: str | None, fmt: str | None, output: str | None,
            force: bool) -> None:
    """督导通报：截至某日逾期和“无动静”的重点工作任务，按牵头单位列出，附项数。

    逾期、无进展的判断与 zhili tasks 相同；已逾期的任务不再重复列入“无动静”。几个单位共同牵头同样的
    任务时合为一行（按台账的写法，单位组写组名），每项任务只计一次。

    用 -o 通报.docx 写成公文格式的 Word 文件（A4，仿宋三号，标题小标宋，落款和日期在文末）；
    发文机关和主送机关取自 types.yaml 的 scheme.notice（没有则用方案的发文机关）。

    \b
    示例：
      zhili notice --as-of 2021-12-31
      zhili notice --as-of 2021-12-31 --stalled 90 -o 督导通报.docx
      zhili notice --data examples/taicang --as-of 2022-12-31 --format json
    """
    from zhili.cli.emit import emit
    from zhili.domain.notice import build
    from zhili.domain.tasks import parse_date, today
    from zhili.loading.cache import load_registry
    from zhili.loading.datadir import resolve

    reg = load_registry(resolve(data_dir))
    day = parse_date(as_of, "--as-of") or today()
    settings = reg.scheme.notice
    days = stalled or (settings.stalled_days if settings and settings.stalled_days else DEFAULT_STALLED)
    emit(notice_output(reg, build(reg, day, days)), fmt, output, force)


def notice_output(reg: Registry, n: Notice) -> Output:
    from zhili.render.cells import scheme_source
    from zhili.render.docx import chinese_date
    from zhili.render.output import Column, Document, Output, Section, Table

    rows = [{"kind": "逾期", "lead": line.label, "count": len(line.tasks),
             "tasks": [f"{s.task.no}. {s.task.title}（逾期 {s.overdue_days} 天）" for s in line.tasks]}
            for line in n.overdue]
    rows += [{"kind": f"{n.stalled_days} 天以上无进展", "lead": line.label, "count": len(line.tasks),
              "tasks": [f"{s.task.no}. {s.task.title}（{_idle(s)}）" for s in line.tasks]} for line in n.stalled]
    columns = [Column("kind", "类别"), Column("lead", "牵头单位"), Column("count", "项数", "right"), Column("tasks", "任务")]
    s = reg.scheme
    title = f"关于{s.name}重点工作任务推进情况的督导通报"
    summary = (f"截至{chinese_date(n.as_of)}，台账共有重点工作任务 {n.total_tasks} 项，已完成 {n.done_tasks} 项，"
               f"逾期 {n.overdue_tasks} 项，{n.stalled_days} 天以上没有进展记录的 {n.stalled_tasks} 项（不含已逾期的任务）。")
    notes = [summary]
    sections = [
        Section("总体情况", [summary]),
        _section("逾期任务", n.overdue, lambda st: f"逾期 {st.overdue_days} 天", "没有逾期任务。"),
        _section("推进缓慢的任务", n.stalled, _idle, f"没有 {n.stalled_days} 天以上没有进展记录的任务。"),
        Section("有关要求", ["请以上牵头单位对照重点工作任务台账查找原因，明确整改措施和完成时限，抓紧推进，"
                             "并及时报送进展情况。配合单位要主动对接，形成工作合力。"]),
    ]
    source = scheme_source(s, with_date=False)
    opening = f"按照{source or s.name}要求，现将重点工作任务推进情况通报如下。"
    sections[0].paragraphs.insert(0, opening)
    settings = s.notice
    document = Document(title, sections, recipients=settings.recipients if settings else None,
                        issuer=(settings.issuer if settings and settings.issuer else s.issuer), date=n.as_of)
    table = Table(columns, rows, f"督导通报（截至 {n.as_of.isoformat()}）：逾期 {n.overdue_tasks} 项，"
                                 f"{n.stalled_days} 天以上无进展 {n.stalled_tasks} 项", name="督导通报")
    return Output([table], n.to_dict(), notes, title=title, as_of=n.as_of, document=document)


def _idle(s) -> str:  # noqa: ANN001 - a TaskState
    since = f"最近进展 {s.last_progress.isoformat()}" if s.last_progress else "没有进展记录"
    return f"{s.idle_days} 天无进展，{since}"


def _section(heading: str, lines: list[LeadLine], detail, empty: str) -> Section:  # noqa: ANN001
    from zhili.render.output import Section

    if not lines:
        return Section(heading, [empty])
    count = sum(len(line.tasks) for line in lines)
    intro = f"共 {len(lines)} 个（组）牵头单位、{count} 项次：" if len(lines) > 1 else ""
    items = [(f"{line.label}（{len(line.tasks)} 项）",
              "；".join(f"{st.task.no}. {st.task.title}，{detail(st)}" for st in line.tasks) + "。") for line in lines]
    return Section(heading, [intro] if intro else [], items)
