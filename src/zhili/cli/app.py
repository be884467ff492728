"""The `zhili` command group: lazy command loading and the one place errors become exit codes."""

from __future__ import annotations

import atexit
import gc
import importlib
import os
import sys
from typing import Any, NoReturn

import click

from zhili import __version__
from zhili.cli import i18n
from zhili.cli.outcome import settle, settled
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
    "diff": "zhili.cli.diff:command",
    "history": "zhili.cli.history:command",
    "import": "zhili.cli.import_cmd:command",
    "collect": "zhili.cli.collect:command",
    "progress": "zhili.cli.progress:command",
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
        ctx.meta[ARGS] = [*ctx._protected_args, *ctx.args]  # the group's invoke consumes them
        as_json = ctx.meta[JSON_ERRORS] = wants_json(ctx.meta[ARGS])  # known before parsing
        try:
            return super().invoke(ctx)
        except click.exceptions.ClickException as exc:
            _escape_message(exc)
            if not as_json:
                raise
            sub = getattr(exc, "ctx", None)
            hint = f"运行“{sub.command_path} -h”查看帮助。" if sub is not None else "运行“zhili -h”查看帮助。"
            _quietly(lambda e: report_json("usage", e.format_message(), hint, e.exit_code), exc)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except ZhiliError as exc:
            if _debug(ctx):
                raise
            settle(exc.exit_code)
            _quietly(report, exc)
            ctx.exit(int(exc.exit_code))
        except BrokenPipeError:
            # the reader stopped early: the exit code is the one the command had settled on, so a
            # failure stays a failure (`zhili validate 2>&1 | head -1` under `set -o pipefail`)
            _silence_output()
            ctx.exit(settled(ctx))
        except Exception as exc:  # a bug in zhili: never a traceback for users
            if _debug(ctx):
                raise
            if as_json:
                _quietly(_internal_json, exc)
            else:
                _quietly(_internal, exc)
            ctx.exit(int(ExitCode.INTERNAL))
        finally:
            if collecting:
                gc.enable()


def _debug(ctx: click.Context) -> bool:
    root = ctx.find_root()
    return bool((root.obj or {}).get("debug")) or os.environ.get("ZHILI_DEBUG") == "1"


def _escape_message(exc: click.exceptions.ClickException) -> None:
    """click repeats what was typed ("'2021\x1b[2J' 不是有效的整数"): escape it before it reaches a terminal;
    and a broken pipe while showing it must not change its exit code (2)."""
    from zhili.render.cells import safe

    original = exc.format_message
    exc.format_message = lambda: safe(original())  # type: ignore[method-assign]
    show = exc.show

    def show_quietly(file: Any = None) -> None:  # a reader gone away keeps the usage error's exit code
        try:
            show(file)
        except BrokenPipeError:
            _silence_output()

    exc.show = show_quietly  # type: ignore[method-assign]


_INTERNAL_HINT = "这是 zhili 的缺陷，不是您的数据问题。请加 --debug 重新运行，并把输出附在问题报告中。"


def _internal_message(exc: Exception) -> str:
    from zhili.render.cells import safe

    return f"内部错误：{type(exc).__name__}: {safe(str(exc))}"


def _internal(exc: Exception) -> None:
    click.echo(_internal_message(exc), err=True)
    click.echo(_INTERNAL_HINT, err=True)


def _internal_json(exc: Exception) -> None:
    report_json("internal", _internal_message(exc), _INTERNAL_HINT, int(ExitCode.INTERNAL))


def _quietly(write: Any, exc: Exception) -> None:
    """Write an error report; a reader that has gone away (broken pipe) does not change the exit code."""
    try:
        write(exc)
    except BrokenPipeError:
        _silence_output()


def _silence_output() -> None:
    """Point stdout and stderr at the null device, so that flushing them at exit cannot fail again."""
    for stream in (sys.stdout, sys.stderr):
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError, AttributeError):
            pass


ARGS = "zhili.args"  # ctx.meta key: the command line after `zhili [options]`
JSON_ERRORS = "zhili.json_errors"  # ctx.meta key: the command line asked for --format json


def wants_json(args: list[str]) -> bool:
    """Whether the command line asks for `--format json` (then errors, too, are JSON on stdout)."""
    for i, arg in enumerate(args):
        if arg == "--":
            return False
        if arg == "--format" and i + 1 < len(args):
            if args[i + 1] == "json":
                return True
        elif arg == "--format=json":
            return True
    return False


def report_json(code: str, message: str, hint: str | None, exit_code: int, diagnostics: Any = None) -> None:
    """An error as one JSON object on stdout: `code` (English, stable), `message` and `hint` (Chinese),
    `exit_code`, and for invalid data the `diagnostics` (file, line, column, code, message, hint)."""
    from zhili.render.formats import to_json

    error: dict[str, Any] = {"error": True, "code": code, "message": message, "hint": hint, "exit_code": exit_code}
    if diagnostics:
        error["diagnostics"] = [d.to_dict() for d in diagnostics]
    click.echo(to_json(error), nl=False)


def _takes_format(ctx: click.Context | None) -> bool:
    """Whether the command this command line names (through any subcommand groups) has `--format`."""
    if ctx is None:
        return True
    root = ctx.find_root()
    command: click.Command = root.command
    for arg in root.meta.get(ARGS, []):
        if not isinstance(command, click.Group):
            break
        sub = command.get_command(root, arg)
        if sub is None:
            break
        command = sub
    return any(getattr(p, "name", None) == "format" for p in command.params)


def report(exc: ZhiliError) -> None:
    """A ZhiliError as Chinese text on stderr; with `--format json`, as a JSON object on stdout."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.find_root().meta.get(JSON_ERRORS):
        report_json(exc.code, exc.message, exc.hint, int(exc.exit_code), getattr(exc, "diagnostics", None))
        return
    if isinstance(exc, DataError) and exc.diagnostics:
        from zhili.render import diagnostics as render_diags

        more = render_diags.MORE_WITH_JSON if _takes_format(ctx) else render_diags.MORE_AFTER_FIX
        click.echo(render_diags.text(exc.diagnostics, limit=20, more=more), err=True)
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
      zhili tasks --lead 某单位       某单位牵头的任务
      zhili types --format json      社区类型，JSON 输出
    """
    ctx.obj = {"debug": debug}


def main() -> None:
    """Console-script entry point (and `python -m zhili`). Once click has finished and the exit code is
    known, the process leaves without the interpreter's teardown (see `leave`)."""
    from zhili import lifetime

    lifetime.keep_until_exit()
    try:
        cli.main(prog_name="zhili")
        code = 0
    except SystemExit as exc:
        if exc.code is not None and not isinstance(exc.code, int):
            raise  # a message for the interpreter to print
        code = exc.code or 0
    leave(code)


def leave(code: int) -> NoReturn:
    """Exit with `code` at once, as mypy does: the atexit handlers run and stdout and stderr are flushed (a
    reader gone away keeps the code, as in `ZhiliGroup.invoke`), but the interpreter does not free, one by
    one, the objects of a registry that may hold a province (a few per cent of `zhili validate` there; the
    loader leaves the registry to `zhili.lifetime` for this). Every file a command writes is closed by
    then (zhili writes files only inside `with`)."""
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:  # a thread to wait for: the ordinary exit
        sys.exit(code)
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None:  # not CPython: the ordinary exit
        sys.exit(code)
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except BrokenPipeError:
            _silence_output()
        except (OSError, ValueError):
            pass
    os._exit(code)
