"""`zhili collect`: fill-in workbooks for each unit; `zhili collect import`: the filled ones back into the data."""

from __future__ import annotations

import click

from zhili.cli.options import as_of_option, data_option


@click.group("collect", invoke_without_command=True, options_metavar="[选项]", subcommand_metavar="[import 文件...]")
@click.option("-o", "--output", "out_dir", metavar="目录", default="填报表", show_default=True, help="存放填报表的目录（不存在则创建）。")
@click.option("--stage", metavar="阶段", default=None,
              help="生成某一评议阶段的评分表（最低层级的每个单位一份）：写 types.yaml 中 evaluation.stages 声明的阶段 id "
                   "或名称。省略时生成任务进展填报表（每个单位一份）。")
@click.option("--year", type=int, metavar="年度", default=None, help="评分表的评议年度（默认 --as-of 所在年度）。")
@click.option("--unit", metavar="单位", default=None, help="只为这个单位（名称、别名或简称）生成。")
@click.option("--force", is_flag=True, default=False, help="覆盖目录中已有的同名填报表。")
@as_of_option
@data_option
@click.pass_context
def command(ctx: click.Context, out_dir: str, stage: str | None, year: int | None, unit: str | None, force: bool,
            as_of: str | None, data_dir: str | None) -> None:
    """为每个单位生成 Excel 填报表，收回后用 zhili collect import 导入。

    任务进展表：每个牵头或配合单位一份，列出它的任务，填写日期、状态（下拉选择）、已做工作、下一步。
    评分表（--stage）：最低层级的每个单位一份，列出它的社区，填写一列得分（入选为 是/否，等次为声明的等次）。
    锁定的列不能修改；第一个工作表是填写说明。

    \b
    示例：
      zhili collect -o 填报表
      zhili collect --unit 某单位 -o 填报表
      zhili collect --stage street_review --year 2021 -o 评分表
      zhili collect import 填报表/*.xlsx
    """
    if ctx.invoked_subcommand is not None:
        return
    from pathlib import Path

    from zhili.domain.tasks import parse_date, today
    from zhili.domain.units import find_unit
    from zhili.errors import UsageError
    from zhili.importing.collect import stage_key, stages
    from zhili.importing.collect_service import write_forms
    from zhili.loading.datadir import resolve
    from zhili.loading.cache import load_registry

    reg = load_registry(resolve(data_dir))
    key = None
    if stage is not None and reg.evaluation is not None:
        key = stage_key(reg, stage)
        if key is None:
            declared = "、".join(f"{k}（{label}）" for k, label in stages(reg))
            raise UsageError(f"types.yaml 没有声明评议阶段“{stage}”。", f"可选：{declared}。")
    elif stage is not None:
        key = stage  # write_forms says that there are no evaluation rules
    name = find_unit(reg, unit).name if unit else None
    day = parse_date(as_of, "--as-of") or today()
    written = write_forms(reg, Path(out_dir), key, year, name, day, force)
    click.echo(f"已在 {out_dir} 中生成 {len(written)} 份填报表：{'、'.join(written[:10])}{'等' if len(written) > 10 else ''}")


@command.command("import", options_metavar="[选项]")
@click.argument("files", metavar="文件...", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, default=False, help="只检查并显示将要导入的内容，不写入。")
@as_of_option
@data_option
def import_(files: tuple[str, ...], dry_run: bool, as_of: str | None, data_dir: str | None) -> None:
    """检查交回的填报表并导入 progress.yaml / evaluations/<年度>.yaml。

    逐格检查：填报单位、锁定的列是否被改动、状态是否允许、日期是否晚于今天、得分是否在 0–100。
    有任何问题时什么都不导入。同一份表导入两次不会重复记录；两份表对同一事项填得不同时列出，不导入。

    \b
    示例：
      zhili collect import 填报表/*.xlsx --dry-run
      zhili collect import 填报表/进展填报_某单位.xlsx
    """
    from zhili.domain.tasks import parse_date, today
    from zhili.importing.collect_service import import_forms
    from zhili.loading.datadir import resolve
    from zhili.render.cells import safe

    report = import_forms(resolve(data_dir), files, parse_date(as_of, "--as-of") or today(), dry_run)
    for line in report.lines:
        click.echo(safe(line))
