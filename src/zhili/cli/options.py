"""Options shared by many commands, defined once."""

from __future__ import annotations

import functools
from typing import Any, Callable

import click

FORMATS = ("table", "json", "csv", "markdown", "xlsx", "docx")
EXTENSIONS = {".json": "json", ".csv": "csv", ".md": "markdown", ".markdown": "markdown", ".xlsx": "xlsx", ".docx": "docx",
              ".txt": "table"}


def command(name: str, **kwargs: Any) -> Callable[[Callable[..., Any]], click.Command]:
    """`click.command` with zhili's usage line (Chinese metavar)."""
    kwargs.setdefault("options_metavar", "[选项]")
    return click.command(name, **kwargs)


def data_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--data", "data_dir", metavar="目录", default=None, callback=_locate_data,
        help="数据目录。默认依次取：环境变量 ZHILI_DATA；当前目录（其中有 types.yaml 等数据文件时）或其下的 data；"
             "所在 git 仓库根目录或其下的 data；都没有时才用内置示例数据（并在标准错误中说明）。",
    )(f)


def _locate_data(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """The data directory every command reads; says so on stderr when it is the bundled sample."""
    from zhili.loading.datadir import display_name, locate  # no pydantic: a cached command starts without it
    from zhili.render.cells import safe

    found = locate(value)
    if found.bundled:
        click.echo(f"使用内置示例数据：{safe(display_name(found.path))}（当前目录及所在 git 仓库中没有 zhili 数据文件；"
                   "用 --data 指定自己的数据目录）。", err=True)
    return str(found.path)


def output_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--format / -o / --force, for every listing command."""

    @click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                  help="输出格式：table（表格，默认）、json、csv、markdown、xlsx、docx（Word，可打印）。省略时按 -o 文件的扩展名决定；"
                       "与扩展名不一致时报错（退出码 2）。")
    @click.option("-o", "--output", "output", metavar="文件", default=None,
                  help="写入文件而不是屏幕，扩展名决定格式：.json、.csv、.md、.xlsx、.docx、.txt（表格文本）。")
    @click.option("--force", is_flag=True, default=False, help="允许覆盖已存在的输出文件。")
    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return f(*args, **kwargs)

    return wrapper


def as_of_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--as-of", "as_of", metavar="日期", default=None,
                        help="以哪一天为“今天”计算（YYYY-MM-DD，默认今天，北京时间）。")(f)


def dimension_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--dimension (group by a classification dimension) and --value 维度=取值 (filter, repeatable)."""

    @click.option("--dimension", "dimension", metavar="维度", default=None,
                  help="按该分类维度分组（维度的 id 或名称，如 type、theme、主题），表头用维度的名称。")
    @click.option("--value", "values", metavar="维度=取值", multiple=True,
                  help="只看该维度取该值的社区，如 --value theme=生态；可重复（同时满足）。维度和取值都可写 id 或名称。")
    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return f(*args, **kwargs)

    return wrapper


def level_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """--level: group and total by the units of a declared administrative level."""
    return click.option("--level", "level", metavar="层级", default=None,
                        help="按该层级的单位分组并合计（层级的 id 或名称，见 types.yaml 的 levels），表头用层级的名称。")(f)
