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
        "--data", "data_dir", metavar="目录", default=None,
        help="数据目录。默认依次取：环境变量 ZHILI_DATA、当前目录下的 data、内置的游仙区数据。",
    )(f)


def output_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--format / -o / --force, for every listing command."""

    @click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                  help="输出格式：table（表格，默认）、json、csv、markdown、xlsx、docx（Word，可打印）。省略时按 -o 文件的扩展名决定。")
    @click.option("-o", "--output", "output", metavar="文件", default=None,
                  help="写入文件而不是屏幕（.json/.csv/.md/.xlsx/.docx 自动选择格式）。")
    @click.option("--force", is_flag=True, default=False, help="允许覆盖已存在的输出文件。")
    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return f(*args, **kwargs)

    return wrapper


def as_of_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--as-of", "as_of", metavar="日期", default=None,
                        help="以哪一天为“今天”计算（YYYY-MM-DD，默认今天，北京时间）。")(f)
