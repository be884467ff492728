"""`zhili progress add`: record one progress entry in progress.yaml from the command line."""

from __future__ import annotations

import click

from zhili.cli.options import as_of_option, data_option


@click.group("progress", options_metavar="[选项]", subcommand_metavar="add [选项]")
def command() -> None:
    """记录任务进展（写入 progress.yaml 或 progress/ 文件夹，保留文件中的注释和格式）。

    \b
    示例：
      zhili progress add --task 3 --unit 某单位 --date 2021-06-30 --note 完成物业服务企业考评
    """


@command.command("add", options_metavar="[选项]")
@click.option("--task", "task_no", required=True, metavar="序号", help="任务序号（tasks.yaml 中的 no，照原样写，如 25、三.1）。")
@click.option("--unit", required=True, metavar="单位", help="报告进展的单位（名称、别名或简称），须是该任务的牵头或配合单位。")
@click.option("--date", "day", default=None, metavar="日期", help="进展日期 YYYY-MM-DD（默认今天，北京时间；不能晚于今天）。")
@click.option("--note", required=True, metavar="说明", help="做了什么。")
@click.option("--milestone", default=None, metavar="节点", help="这条进展完成了任务的哪个节点（节点名称或节点日期）。")
@click.option("--done", is_flag=True, default=False, help="任务已完成。")
@click.option("--dry-run", is_flag=True, default=False, help="只显示将要写入的记录，不写入。")
@click.option("--file", "into", default=None, metavar="文件名",
              help="进展记录分文件存放（progress/ 文件夹）时，写入其中的这个文件（没有则新建）；"
                   "不写时写入文件夹中按文件名排在最后的文件。")
@as_of_option
@data_option
def add(task_no: str, unit: str, day: str | None, note: str, milestone: str | None, done: bool, dry_run: bool,
        as_of: str | None, data_dir: str | None, into: str | None) -> None:
    """记录一条任务进展。写入前后都校验数据目录；相同的记录已存在时不重复写入。

    \b
    示例：
      zhili progress add --task 3 --unit 某单位 --date 2021-06-30 --note 完成物业服务企业考评
      zhili progress add --task 26 --unit 区委组织部 --note 督导全部完成 --done
      zhili progress add --task 5 --unit 某单位 --note 首批 25 个完成 --milestone 首批
      zhili progress add --task 3 --unit 某单位 --note 完成考评 --file 2021.yaml   # 写入 progress/2021.yaml
    """
    from zhili.domain.tasks import parse_date, today
    from zhili.importing.progress_service import add_progress
    from zhili.loading.datadir import resolve
    from zhili.render.cells import safe

    now = parse_date(as_of, "--as-of") or today()
    report = add_progress(resolve(data_dir), task_no, unit, parse_date(day, "--date") or now, note, done, now, dry_run,
                          milestone, into)
    for line in report.lines:
        click.echo(safe(line))
