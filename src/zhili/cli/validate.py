"""`zhili validate`: the CI gate for a data directory."""

from __future__ import annotations

import click

from zhili.cli.options import command, data_option
from zhili.cli.outcome import settle
from zhili.errors import ExitCode


@command("validate")
@data_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              help="text（默认，带原文和插入符）、json（机器读取）、github（GitHub Actions 标注）。")
@click.option("--strict", is_flag=True, default=False, help="警告也视为不通过（退出码 1）。")
@click.pass_context
def command(ctx: click.Context, data_dir: str | None, fmt: str, strict: bool) -> None:
    """校验数据目录：语法、字段、取值、相互引用，一次报告全部问题。

    退出码：0 通过；1 数据有误（加 --strict 时警告也算）；2 用法错误；3 内部错误。

    \b
    示例：
      zhili validate
      zhili validate --data examples/taicang --format json
      zhili validate --format github      # 在 GitHub Actions 中标注出错的行
    """
    from zhili.loading.datadir import resolve
    from zhili.loading.registry import display_name, load
    from zhili.render import diagnostics as render_diags
    from zhili.render.cells import safe

    from zhili.lifetime import keep

    path = resolve(data_dir)
    result = keep(load(path))  # freed by the end of the process (see zhili.lifetime)
    diags = result.diagnostics
    failed = bool(result.errors) or (strict and bool(result.warnings))
    settle(ExitCode.FINDINGS if failed else ExitCode.OK)  # before writing: a broken pipe keeps the failure
    skipped = result.skipped
    if fmt == "json":
        extra = {"data": display_name(path), "skipped": [s.to_dict() for s in skipped]}
        click.echo(render_diags.as_json(not failed, diags, extra), nl=False)
    elif fmt == "github":
        click.echo(render_diags.github(diags) + render_diags.skipped_github(skipped), nl=False)
        verdict = "校验未通过" if failed else "校验通过"
        click.echo(f"{verdict}：{safe(display_name(path))}。{render_diags.summary(diags)}", err=True)
    else:
        if diags:
            click.echo(render_diags.text(diags), err=failed)
        if skipped:
            click.echo(render_diags.skipped_text(skipped), err=failed)
        if failed:
            click.echo(f"校验未通过：{safe(display_name(path))}。{render_diags.summary(diags)}", err=True)
        else:
            click.echo(f"校验通过：{safe(display_name(path))}。{_counts(result)}" + (f"（{len(diags)} 个警告）" if diags else ""))
    ctx.exit(int(ExitCode.FINDINGS if failed else ExitCode.OK))


def _counts(result: object) -> str:
    reg = getattr(result, "registry")
    return (f"{reg.scheme.name}：{len(reg.types)} 个类型、{len(reg.communities)} 个社区、"
            f"{len(reg.units)} 个单位、{len(reg.tasks)} 项任务。")
