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
    """The format to write: --format, or what the -o file's extension says. A file's extension must be one
    zhili knows and must agree with --format: a CSV never lands in an .xlsx, a table never in a .csv."""
    if not output:
        return fmt or "table"
    from zhili.render.cells import safe

    ext = Path(output).suffix.lower()
    known = "、".join(f"{e}（{f}）" for e, f in EXTENSIONS.items())
    derived = EXTENSIONS.get(ext)
    if derived is None:
        what = f"扩展名 {safe(ext)}" if ext else "没有扩展名"
        raise UsageError(f"无法从文件名 {safe(output)} 判断输出格式：{what}。",
                         f"输出文件的扩展名决定格式（再给 --format 时两者须一致），可用：{known}。")
    if fmt and fmt != derived:
        right = next(e for e, f in EXTENSIONS.items() if f == fmt)
        raise UsageError(f"--format {fmt} 与输出文件 {safe(output)} 的扩展名 {safe(ext)}（{derived}）不一致，未写入。",
                         f"把文件名改为 *{right}，或去掉 --format（按扩展名写 {derived}）。")
    return derived


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

    # a pipe gets $COLUMNS or 160 to wrap at; only a real terminal's width makes a long table change layout
    real = "COLUMNS" in os.environ or bool(getattr(sys.stdout, "isatty", lambda: False)())
    return render_table(out, width=None if to_file else terminal_width(), color=(not to_file) and color_wanted(),
                        fit=not to_file and real)


def emit(out: Output, fmt: str | None, output: str | None, force: bool = False) -> None:
    chosen = pick_format(fmt, output)
    content = render(out, chosen, to_file=output is not None)
    if output is None:
        assert isinstance(content, str)
        click.echo(content, nl=False)
        return
    write_file(Path(output), content, force)
    from zhili.render.cells import safe  # a path typed on the command line may hold terminal escapes

    click.echo(f"已写入 {safe(output)}", err=True)


def write_file(path: Path, content: str | bytes, force: bool) -> None:
    """Atomic write (temporary file, then rename); never overwrites unless `force`."""
    from zhili.fsio import write_atomic

    write_atomic(path, content, force)
