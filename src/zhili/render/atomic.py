"""Every file zhili writes is written atomically and never overwrites without --force."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from zhili.errors import UsageError


def write_atomic(path: Path, content: str | bytes, force: bool = False) -> None:
    if path.exists() and not force:
        raise UsageError(f"文件 {path} 已存在，未覆盖。", "换一个文件名，或加上 --force 覆盖。")
    if path.is_dir():
        raise UsageError(f"{path} 是目录，不能写成文件。", "给出文件名，如 -o 台账.xlsx。")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"目录 {parent} 不存在。", "先创建目录，或换一个输出路径。")
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
