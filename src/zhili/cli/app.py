"""The `zhili` command group: lazy command loading and the one place errors become exit codes."""

from __future__ import annotations

import gc
import importlib
import os
import sys
from typing import Any

import click

from zhili import __version__
from zhili.cli import i18n
from zhili.errors import DataError, ExitCode, ZhiliError

i18n.install()  # before any decorator evaluates click's default help texts

# name -> "module:attribute"; a command's module is imported only when that command runs.
COMMANDS: dict[str, str] = {
    "validate": "zhili.cli.validate:command",
    "types": "zhili.cli.types_cmd:command",
    "communities": "zhili.cli.communities:command",
    "tasks": "zhili.cli.tasks:command",
    "rank": "zhili.cli.rank:command",
    "coverage": "zhili.cli.coverage:command",
    "projects": "zhili.cli.projects:command",
    "units": "zhili.cli.units:command",
    "plans": "zhili.cli.plans:command",
    "classify": "zhili.cli.classify:command",
    "schema": "zhili.cli.schema:command",
    "init": "zhili.cli.init:command",
    "standards": "zhili.cli.standards:command",
    "report": "zhili.cli.report:command",
    "notice": "zhili.cli.notice:command",
}

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class ZhiliGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx: click.Context) -> Any:
        # A command runs once and exits. The cyclic garbage collector is off meanwhile: zhili builds no
        # reference cycles worth collecting (reference counting frees the rest), and over a provincial
        # registry the collector would walk hundreds of thousands of result objects again and again.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except ZhiliError as exc:
            if _debug(ctx):
                raise
            report(exc)
            ctx.exit(int(exc.exit_code))
        except BrokenPipeError:
            _silence_stdout()
            ctx.exit(int(ExitCode.OK))
        except Exception as exc:  # a bug in zhili: never a traceback for users
            if _debug(ctx):
                raise
            from zhili.render.cells import safe

            click.echo(f"内部错误：{type(exc).__name__}: {safe(str(exc))}", err=True)
            click.echo("这是 zhili 的缺陷，不是您的数据问题。请加 --debug 重新运行，并把输出附在问题报告中。", err=True)
            ctx.exit(int(ExitCode.INTERNAL))
        finally:
            if collecting:
                gc.enable()


def _debug(ctx: click.Context) -> bool:
    root = ctx.find_root()
    return bool((root.obj or {}).get("debug")) or os.environ.get("ZHILI_DEBUG") == "1"


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def report(exc: ZhiliError) -> None:
    """A ZhiliError as Chinese text on stderr."""
    if isinstance(exc, DataError) and exc.diagnostics:
        from zhili.render import diagnostics as render_diags

        click.echo(render_diags.text(exc.diagnostics, limit=20), err=True)
    from zhili.render.cells import safe  # messages repeat what users typed: never let it drive the terminal

    click.echo(f"错误：{safe(exc.message)}", err=True)
    if exc.hint:
        click.echo(f"提示：{safe(exc.hint)}", err=True)


@click.group(cls=ZhiliGroup, context_settings=CONTEXT_SETTINGS, options_metavar="[选项]",
             subcommand_metavar="命令 [参数]...")
@click.version_option(__version__, "-V", "--version", prog_name="zhili", help="显示版本并退出。")
@click.option("--debug", is_flag=True, default=False, help="出错时显示完整的技术信息（traceback），供开发者排查。")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """zhili（治理）：城乡社区分类治理的数据校验与查询工具。

    数据是一个目录中的 YAML 文件（types.yaml、communities.yaml、units.yaml、tasks.yaml 等）。
    不指定 --data 时，依次使用环境变量 ZHILI_DATA、当前目录（其中有数据文件时）或其下的 data、
    所在 git 仓库根目录或其下的 data；都没有时才用内置示例数据，并在标准错误中说明。

    \b
    示例：
      zhili validate                 校验数据（CI 门禁）
      zhili tasks --lead 区住建局     区住建局牵头的任务
      zhili types --format json      社区类型，JSON 输出
    """
    ctx.obj = {"debug": debug}


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="zhili")
