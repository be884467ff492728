"""`zhili report`: the HTML brief for a year, paginated for A4, for a leaders' meeting."""

from __future__ import annotations

import click

from zhili.cli.options import command, data_option, dimension_options, level_option
from zhili.cli.rank import Year


@command("report")
@click.option("--year", type=Year(), metavar="年度", default=None, help="报告哪一年的年度排队（必填），如 2021。")
@click.option("-o", "--output", "output", metavar="文件", default=None, help="写入的 HTML 文件，如 report.html；省略时输出到屏幕。")
@click.option("--force", is_flag=True, default=False, help="允许覆盖已存在的输出文件。")
@click.option("--as-of", "as_of", metavar="日期", default=None,
              help="任务逾期按哪一天计算（YYYY-MM-DD）。默认为 --year 那一年的 12 月 31 日（该年未结束时为今天，北京时间）。")
@dimension_options
@level_option
@data_option
def command(year: int | None, output: str | None, force: bool, as_of: str | None, dimension: str | None,
            values: tuple[str, ...], level: str | None, data_dir: str | None) -> None:
    """生成 HTML 年度简报（单个文件），供领导班子会议使用。

    内容：方案与各类型社区数（以及方案声明的其他分类维度各取值的社区数；--dimension 只列该维度）；年度排队（综合得分条形图，标出先进、后进）；按牵头单位的逾期任务；配置标准未达标的社区。

    单个文件，不引用外部脚本、字体或图片，图表是内嵌 SVG；手机上也便于阅读。打印时按 A4 分页：分页由 zhili
    安排（标题不落在页底，表格只在行间断开并重复表头），每页印“第 N 页，共 M 页”，页首写明共几页。

    \b
    示例：
      zhili report --year 2021 -o report.html
      zhili report --year 2022 --as-of 2022-12-31 -o 2022年度简报.html
      zhili report --year 2021 --value type=某类型 -o 某类型.html

    --value 只报告符合的社区和与之相关的任务（名次仍按整个类型计算）。
    """
    from zhili.cli.emit import write_file
    from zhili.domain import tasks
    from zhili.domain.report import build
    from zhili.errors import UsageError
    from zhili.loading.datadir import resolve
    from zhili.loading.cache import load_registry
    from zhili.render.cells import safe
    from zhili.render.html import render_report

    reg = load_registry(resolve(data_dir))
    if year is None:
        have = "、".join(str(e.year) for e in reg.evaluations if e.evaluations)
        raise UsageError("请用 --year 指定报告的年度，如 --year 2021。",
                         f"有评议数据的年度：{have}。" if have else "数据中没有年度评议，任写一个年度即可，如 --year 2024。")
    day = tasks.parse_date(as_of, "--as-of")
    if day is None:
        day = tasks.year_end(year, tasks.today())
        click.echo(f"任务逾期按 {day.isoformat()} 计算（{year} 年的年末或今天，取较早者）；用 --as-of 指定其他日期。", err=True)
    from zhili.domain import dimensions as dims

    filters = dims.parse_filters(reg, values)
    group = dims.find_dimension(reg, dimension) if dimension else None
    from zhili.domain.level_totals import find_level

    chosen = find_level(reg, level) if level else None
    html = render_report(build(reg, year, day, filters, group, chosen))
    if output is None:
        click.echo(html, nl=False)
        return
    from pathlib import Path

    write_file(Path(output), html, force)
    click.echo(f"已写入 {safe(output)}", err=True)  # the path may hold terminal escapes
