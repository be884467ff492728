"""Error hierarchy and exit codes.

Domain and loading code raise `ZhiliError` subclasses; the CLI layer (`zhili.cli.app`)
is the only place that turns them into messages and exit codes.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from zhili.diagnostics import Diagnostic


class ExitCode(IntEnum):
    """Process exit codes: a contract for CI scripts."""

    OK = 0
    FINDINGS = 1  # data invalid, or a --check found something
    USAGE = 2  # bad command line: unknown option, unknown unit, ...
    INTERNAL = 3  # a bug in zhili


class ZhiliError(Exception):
    """Base of every error zhili reports to a user. `message` is Chinese user text."""

    exit_code: ExitCode = ExitCode.FINDINGS
    code = "error"  # the `code` of the JSON error object (`--format json`): a contract, English

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(ZhiliError):
    """The command line asks for something that does not exist or makes no sense."""

    exit_code = ExitCode.USAGE
    code = "usage"


class MissingPartError(ZhiliError):
    """The data set is valid but lacks the optional part this command needs (no plans.yaml, no needs.yaml,
    no coverage targets, no evaluations for the year). The same exit code for every command: 2, like a
    usage error — the question cannot be asked of this data set — never 1, which `--check` uses for findings."""

    exit_code = ExitCode.USAGE
    code = "missing_part"


class DataError(ZhiliError):
    """The data directory cannot be used: invalid files, missing files."""

    exit_code = ExitCode.FINDINGS
    code = "data_invalid"

    def __init__(self, message: str, diagnostics: Sequence["Diagnostic"] = (), hint: str | None = None):
        super().__init__(message, hint)
        self.diagnostics = list(diagnostics)


class FindingsError(ZhiliError):
    """A query ran and found what a `--check` fails on."""

    exit_code = ExitCode.FINDINGS
    code = "findings"
