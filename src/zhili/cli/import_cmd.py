"""`zhili import ledger|communities FILE`: bring an office's Word/Excel/CSV table into the data directory."""

from __future__ import annotations

from typing import Any, Callable

import click

from zhili.cli.options import data_option


def _import_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed((
        click.argument("file", metavar="文件"),
        data_option,
        click.option("--encoding", metavar="编码", default=None,
                     help="CSV 文件的编码：默认 UTF-8（有无 BOM 均可）；Excel 另存的中文 CSV 常用 gb18030。"),
        click.option("--map", "map_file", metavar="映射文件", default=None,
                     help="表头与字段的映射文件：每行“字段: 表头文字”，如“牵头单位: 责任科室”。"),
        click.option("--add-missing", is_flag=True, default=False,
                     help="把未声明的单位、社区类型作为最简条目补充到 units.yaml / types.yaml（带注释，之后请补全）。"),
        click.option("--force", is_flag=True, default=False, help="表格与现有数据不同时，以表格为准覆盖。"),
        click.option("--dry-run", is_flag=True, default=False, help="只显示将要做的变化，不写入。"),
    )):
        f = option(f)
    return f


@click.group("import", options_metavar="[选项]", subcommand_metavar="ledger|communities 文件 [选项]")
def command() -> None:
    """从 Word（.docx）、Excel（.xlsx）或 CSV 表格导入任务台账或社区名册。

    按表头文字找列（顺序不限，常见同义词都认得），跳过表头上方的标题行和每页重复的表头。
    未声明的单位、类型会列出并给出相近的名称，不会擅自添加；与现有数据不同的条目不覆盖，除非加 --force。
    写入前后都校验数据目录，写入是原子的：要么全部写入，要么什么都不改。

    \b
    示例：
      zhili import ledger 台账.docx --data 我区数据 --dry-run
      zhili import communities 社区名册.xlsx --data 我区数据
    """


@command.command("ledger", options_metavar="[选项]")
@_import_options
def ledger(file: str, data_dir: str | None, encoding: str | None, map_file: str | None,
           add_missing: bool, force: bool, dry_run: bool) -> None:
    """导入重点工作任务台账（序号 / 社区类型 / 重点任务 / 牵头单位 / 配合单位 / 备注）到 tasks.yaml。

    社区类型单元格合并或留空时沿用上一行的类型（不跨越重复的表头）；单位用“、，,”或换行分隔；
    “——”“---”表示无。

    \b
    示例：
      zhili import ledger 台账.docx --data 我区数据 --dry-run
      zhili import ledger 台账.xlsx --data 我区数据 --add-missing
      zhili import ledger 台账.csv --encoding gb18030 --map 列名.txt
    """
    from zhili.importing.service import import_ledger
    from zhili.loading.datadir import resolve

    _print(import_ledger(resolve(data_dir), file, encoding, map_file, add_missing, force, dry_run))


@command.command("communities", options_metavar="[选项]")
@_import_options
@click.option("--file", "into", default=None, metavar="文件名",
              help="社区台账分文件存放（communities/ 文件夹）时，新社区写入其中的这个文件（没有则新建）。"
                   "不写时，新社区写入已有同一所属单位社区的文件，没有则写入文件夹中按文件名排在最后的文件。")
def communities(file: str, data_dir: str | None, encoding: str | None, map_file: str | None,
                add_missing: bool, force: bool, dry_run: bool, into: str | None) -> None:
    """导入社区名册（社区 / 所属单位（表头可写“所属”加方案最低层级的名称）/ 类型，以及 types.yaml 中声明的属性列）到 communities.yaml
    （或 communities/ 文件夹中的文件）。

    已有的社区按标识、或按所属单位和名称对应，改在它所在的文件中；新社区没有“标识”列时生成 community-N 形式的标识。

    \b
    示例：
      zhili import communities 社区名册.xlsx --data 我区数据 --dry-run
      zhili import communities 新增社区.xlsx --data 我市数据 --file 某区.yaml
    """
    from zhili.importing.service import import_communities
    from zhili.loading.datadir import resolve

    _print(import_communities(resolve(data_dir), file, encoding, map_file, add_missing, force, dry_run, into))


def _print(report: Any) -> None:
    from zhili.render.cells import safe

    for line in report.lines:
        click.echo(safe(line))
