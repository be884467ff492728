"""What a command may leave for the end of the process to free.

The console script (`zhili.cli.app.main`) ends the process with `os._exit` once the command is done,
without the interpreter's teardown. But a registry a command drops before that is freed object by object
(about half a second for 100,000 communities) only for the process to end: the loader hands it here
instead. Only the last one is kept (a command that loads revision after revision frees each before the
next), and only after `main` has said that the process ends so: in process (tests, a library caller)
`keep` keeps nothing.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

_kept: list[object] = [None]
_until_exit = False


def keep_until_exit() -> None:
    """From now on, `keep` keeps: the process will end without freeing what it holds."""
    global _until_exit
    _until_exit = True


def keep(value: T) -> T:
    """`value`, held (in place of the one held before) until the process ends, when it ends without teardown."""
    if _until_exit:
        _kept[0] = value
    return value
