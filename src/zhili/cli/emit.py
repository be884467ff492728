"""The sink: render an Output in the chosen format and write it to the screen or a file."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from zhili.cli.options import EXTENSIONS
from zhili.errors import UsageError
from zhili.render.output import Output


def color_wanted() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(sys.stdout, "isatty", lambda: False)())


def terminal_width() -> int:
    """The terminal's width; piped output gets $COLUMNS or 160 so long cells wrap instead of sprawling."""
    return shutil.get_terminal_size((160, 24)).columns


def pick_format(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    if output:
        ext = Path(output).suffix.lower()
        if ext in EXTENSIONS:
            return EXTENSIONS[ext]
        raise UsageError(f"无法从文件名 {output} 判断输出格式。", "加上 --format，或使用 .json/.csv/.md/.xlsx/.docx 扩展名。")
    return "table"


def render(out: Output, fmt: str, to_file: bool) -> str | bytes:
    if fmt == "json":
        from zhili.render.formats import render_json

        return render_json(out)
    if fmt == "csv":
        from zhili.render.formats import render_csv

        return render_csv(out)
    if fmt == "markdown":
        from zhili.render.formats import render_markdown

        return render_markdown(out)
    if fmt in ("xlsx", "docx"):
        if not to_file:
            raise UsageError(f"{fmt} 是二进制格式，不能输出到屏幕。", f"用 -o 文件名.{fmt} 写入文件。")
        if fmt == "docx":
            from zhili.render.docx import render_docx

            return render_docx(out)
        from zhili.render.xlsx import render_xlsx

        return render_xlsx(out)
    from zhili.render.table import render as render_table

    return render_table(out, width=None if to_file else terminal_width(), color=(not to_file) and color_wanted())


def emit(out: Output, fmt: str | None, output: str | None, force: bool = False) -> None:
    chosen = pick_format(fmt, output)
    content = render(out, chosen, to_file=output is not None)
    if output is None:
        assert isinstance(content, str)
        click.echo(content, nl=False)
        return
    write_file(Path(output), content, force)
    click.echo(f"已写入 {output}", err=True)


def write_file(path: Path, content: str | bytes, force: bool) -> None:
    """Atomic write (temporary file, then rename); never overwrites unless `force`."""
    from zhili.render.atomic import write_atomic

    write_atomic(path, content, force)
