"""What a command's exit code will be, known before its output is written.

A reader that stops early (`zhili validate 2>&1 | head -1`) breaks the pipe while zhili is still
writing. The command group (`zhili.cli.app`) then exits with the code the command had already
settled on, so a broken pipe never turns a failure into success: commands call `settle` as soon as
they know they will fail, before writing what explains the failure.
"""

from __future__ import annotations

import click

from zhili.errors import ExitCode

_KEY = "zhili.exit_code"


def settle(code: ExitCode) -> None:
    """Record the exit code the running command will end with (the worst one settled wins)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta[_KEY] = max(int(code), int(ctx.meta.get(_KEY, ExitCode.OK)))


def settled(ctx: click.Context) -> int:
    """The exit code settled so far (0 when the command has not said it will fail)."""
    return int(ctx.meta.get(_KEY, ExitCode.OK))
