"""Files on disk, for every layer: atomic writes, and paths as users see them.

Neutral ground: render (outputs), loading (the cache) and importing (data files) all write through
`write_atomic`, and nothing here imports them back.

Every file zhili writes is written atomically and never overwrites without --force.

The content goes to a temporary file in the target's directory, is flushed to disk, and only then
takes the target's name: readers see the old file or the new one, never half of one. Without
`force` the new name is taken with a hard link, which fails if the name exists, so a file that
appears between any check and the write is still never overwritten. The temporary file is removed
whatever happens.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from zhili.errors import UsageError

_REASONS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘是只读的",
    errno.EDQUOT: "超出了磁盘配额",
    errno.ENAMETOOLONG: "文件名太长",
}


def write_atomic(path: Path, content: str | bytes, force: bool = False, private: bool = False) -> None:
    """`private`: the file keeps mkstemp's mode 0600 (the cache, which only its owner may write)."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{path} 是目录，不能写成文件。", "给出文件名，如 -o 台账.xlsx。")
    if not force and (path.exists() or path.is_symlink()):
        raise _exists(path)
    if force and _special(path):  # a link, pipe or device is never replaced, even with --force
        raise UsageError(f"{path} 不是普通文件（是符号链接、管道或设备），zhili 不会覆盖它，--force 也不会。",
                         "换一个输出文件名；或者确认无误后先手动删除它。")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"目录 {parent} 不存在。", "先创建目录，或换一个输出路径。")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise _failed(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if not private:
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a written file gets the usual mode
        if force:
            os.replace(tmp, path)
        else:
            _publish_new(tmp, path)
    except FileExistsError:
        raise _exists(path) from None
    except OSError as exc:
        raise _failed(path, exc) from None
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:  # renamed into place
            pass
        except OSError:
            pass


def _publish_new(tmp: str, path: Path) -> None:
    """Give the temporary file the name `path` only if that name is free, in one step."""
    try:
        os.link(tmp, path)  # fails with FileExistsError if the name is taken, even by a racing writer
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
        # a file system without hard links: reserve the name exclusively, then move the content over it
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        os.close(fd)
        os.replace(tmp, path)


def _special(path: Path) -> bool:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _exists(path: Path) -> UsageError:
    return UsageError(f"文件 {path} 已存在，未覆盖。", "换一个文件名，或加上 --force 覆盖。")


def _failed(path: Path, exc: OSError) -> UsageError:
    reason = _REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    return UsageError(f"无法写入 {path}：{reason}。原有文件（如果有）保持不变。", "换一个可写的位置，或检查权限和磁盘空间。")


def display_name(path: Path) -> str:
    """A path as users see it: relative to the working directory where possible."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    if rel == ".":  # the current directory: its full name says more than "."
        return os.getcwd()
    return rel if not rel.startswith("..") else str(path)
