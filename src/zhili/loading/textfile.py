"""A data file's bytes and characters, before YAML: bounded reading, decoding, invisible characters.

Reads at most the size limit and only regular files (never a device or a pipe), decodes UTF-8 with
or without a BOM and names the first byte that is not UTF-8, and finds what YAML would report badly
or not at all: control and invisible characters, a BOM in the middle, tabs used for indentation,
overlong lines. `LineIndex` finds the text of any line quickly, for the excerpts under diagnostics.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from array import array
from bisect import bisect_right
from pathlib import Path

from zhili.diagnostics import Diagnostic, error

MAX_LINE_CHARS = 65_536
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_DIAGNOSTICS_PER_FILE = 200

_BAD_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufff9-\ufffb\ufffe\uffff]"
)
# a double-quoted scalar can spell any of them as an escape ("\\e[31m", "\\u202e", "\\ufeff")
_BAD_ESCAPED = re.compile(_BAD_CHARS.pattern[:-1] + "\ufeff]")
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)
_LONE_CR = re.compile("\r(?!\n)")
_LONG_LINE = re.compile("[^\n]{%d}" % (MAX_LINE_CHARS + 1))

_INVISIBLE_NAMES = {
    "\u200b": "零宽空格",
    "\u200c": "零宽非连接符",
    "\u200d": "零宽连接符",
    "\u200e": "从左到右标记",
    "\u200f": "从右到左标记",
    "\u2028": "行分隔符",
    "\u2029": "段分隔符",
    "\u202a": "双向控制字符",
    "\u202b": "双向控制字符",
    "\u202c": "双向控制字符",
    "\u202d": "双向控制字符",
    "\u202e": "双向控制字符（从右到左覆盖）",
    "\u2066": "双向控制字符",
    "\u2067": "双向控制字符",
    "\u2068": "双向控制字符",
    "\u2069": "双向控制字符",
    "\ufffe": "非字符",
    "\uffff": "非字符",
}


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return line, index - start + 1


class LineIndex:
    """Where each line of a text starts, so that showing the lines of many diagnostics stays linear."""

    def __init__(self, text: str):
        self.text = text
        starts = array("q", [0])
        find = text.find
        pos = find("\n")
        while pos >= 0:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.starts = starts

    def line(self, line: int) -> str:
        if not 0 < line <= len(self.starts):
            return ""
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def line_of_index(self, index: int) -> int:
        return bisect_right(self.starts, index)


def _line_of(text: str, line: int) -> str:
    if line < 1:
        return ""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    return text[start:end if end >= 0 else len(text)].rstrip("\r")


def decode(data: bytes, file: str) -> tuple[str | None, list[Diagnostic]]:
    """Decode UTF-8 (with or without BOM); anything else is a diagnostic naming the first bad byte."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return None, [
            error(file, 1, 1, "ZL101", "文件是 UTF-32 编码（以 UTF-32 字节顺序标记开头），zhili 只读取 UTF-8。",
                  "用记事本或 WPS 打开后“另存为”，编码选择 UTF-8，再保存。")
        ]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            error(file, 1, 1, "ZL101", "文件是 UTF-16 编码（以 UTF-16 字节顺序标记开头），zhili 只读取 UTF-8。",
                  "用记事本或 WPS 打开后“另存为”，编码选择 UTF-8，再保存。")
        ]
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        pos = exc.start
        line = body.count(b"\n", 0, pos) + 1
        col = pos - (body.rfind(b"\n", 0, pos) + 1) + 1
        nul_share = body.count(b"\x00") / max(len(body), 1)
        guess = ""
        line_start = body.rfind(b"\n", 0, pos) + 1
        line_end = body.find(b"\n", pos)
        line_bytes = body[line_start:line_end if line_end >= 0 else len(body)]
        if nul_share > 0.6:
            guess = "（看起来是没有字节顺序标记的 UTF-32）"
        elif nul_share > 0.2:
            guess = "（看起来是没有字节顺序标记的 UTF-16）"
        elif _decodes(line_bytes, "gb18030") and _utf8_elsewhere(body, line_start, line_end):
            guess = "（这一行看起来是 GBK/GB18030 编码，而文件的其余部分是 UTF-8：常见于从另一个文件复制粘贴了这一行）"
        elif _decodes(body, "gb18030"):
            guess = "（看起来是 GBK/GB18030 编码，常见于记事本或 WPS 的默认保存）"
        elif _decodes(line_bytes, "gb18030"):
            guess = "（这一行看起来是 GBK/GB18030 编码，而它前面的内容是 UTF-8：常见于从另一个文件复制粘贴了这一行）"
        else:
            guess = "（也不是 GBK/GB18030，可能是二进制文件）"
        return None, [
            error(file, line, col, "ZL101",
                  f"文件不是 UTF-8 编码：第 {line} 行第 {col} 个字节（0x{body[pos]:02X}）无法按 UTF-8 读取{guess}。",
                  "用记事本或 WPS 打开后“另存为”，编码选择 UTF-8，再保存。")
        ]


def _utf8_elsewhere(body: bytes, line_start: int, line_end: int) -> bool:
    """Is there Chinese text in UTF-8 outside the line that is not UTF-8 (a line pasted from a GBK file)?"""
    head = body[:line_start]
    if not head.isascii():
        return True  # everything before the first bad byte is valid UTF-8
    tail = body[line_end + 1:] if line_end >= 0 else b""
    end = len(tail)
    while end > 0:  # the tail up to its next bad line: UTF-8 with some Chinese in it?
        try:
            return not tail[:end].decode("utf-8").isascii()
        except UnicodeDecodeError as exc:
            end = tail.rfind(b"\n", 0, exc.start)
    return False


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _may_have_long_line(text: str) -> bool:
    """Is any line longer than MAX_LINE_CHARS? Steps a window of MAX_LINE_CHARS + 1 characters from line
    start to line start: a window without a newline is such a line. About len(text) / MAX_LINE_CHARS
    steps, instead of a regular expression over every character."""
    window = MAX_LINE_CHARS + 1
    start, size = 0, len(text)
    while size - start >= window:
        newline = text.rfind("\n", start, start + window)
        if newline < 0:
            return True
        start = newline + 1
    return False


def check_text(text: str, file: str) -> list[Diagnostic]:
    """Character-level problems that YAML would report badly or not at all (at most the cap, then ZL119)."""
    diags: list[Diagnostic] = []
    place = _Places(text)

    def full() -> bool:
        return len(diags) >= MAX_DIAGNOSTICS_PER_FILE

    if "<<<<<<<" in text or ">>>>>>>" in text:
        diags.extend(_merge_conflicts(text, file))
    for m in _BAD_CHARS.finditer(text):
        if full():
            break
        ch = m.group()
        line, col = place.at(m.start())
        name = _INVISIBLE_NAMES.get(ch, "控制字符")
        diags.append(error(file, line, col, "ZL116", f"第 {line} 行含有{name} U+{ord(ch):04X}，它不可见却会改变名称或显示。",
                           "删除这个字符（可在编辑器中打开“显示不可见字符”后定位），名称只用普通文字。"))
    cr = _LONE_CR.search(text) if "\r" in text else None
    if cr is not None and not full():  # YAML counts a lone CR as a line break, editors mostly do not
        line, col = place.at(cr.start())
        diags.append(error(file, line, col, "ZL116", f"第 {line} 行中间有单独的回车符（CR，U+000D），YAML 会把它当成换行。",
                           "删除这个字符；文件的换行请统一用 LF 或 CRLF（记事本“另存为”即可）。"))
    idx = text.find("\ufeff")
    if idx >= 0 and not full():
        line, col = place.at(idx)
        diags.append(error(file, line, col, "ZL117", "文件中间出现了字节顺序标记（BOM，U+FEFF），常见于把两个文件拼接在一起。",
                           "删除这个不可见字符；只有文件开头可以有 BOM。"))
    for m in (_TAB_INDENT.finditer(text) if "\t" in text else ()):
        if full():
            break
        line, col = place.at(m.end() - 1)
        diags.append(error(file, line, col, "ZL103", "这一行用制表符（Tab）缩进，YAML 只允许用空格缩进。",
                           "把行首的 Tab 换成空格（每级 2 个空格）。"))
    m = _LONG_LINE.search(text) if _may_have_long_line(text) else None
    if m and not full():
        line, _ = place.at(m.start())
        diags.append(error(file, line, 1, "ZL118", f"第 {line} 行超过 {MAX_LINE_CHARS} 个字符。",
                           "把过长的内容拆成多行或多个条目；数据文件中不应有这么长的一行。"))
    if full():
        diags.append(too_many(file, MAX_DIAGNOSTICS_PER_FILE))
    return diags


_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?:[ \t].*)?\r?$", re.MULTILINE)


def _merge_conflicts(text: str, file: str) -> list[Diagnostic]:
    """git's conflict markers: YAML would call `<<<<<<< HEAD` a missing colon; say what it is and where it ends."""
    out: list[Diagnostic] = []
    start: int | None = None
    for m in _CONFLICT.finditer(text):
        marker = m.group(1)
        line = text.count("\n", 0, m.start()) + 1
        if marker[0] == "<":
            start = line
        elif marker[0] == ">":
            first = start if start is not None else line
            out.append(error(file, first, 1, "ZL121",
                             f"第 {first} 行到第 {line} 行是没有解决的 git 合并冲突（从“<<<<<<<”到“>>>>>>>”）。",
                             "在“=======”前后两段内容中保留正确的一段（或把两段合并），删除 <<<<<<<、=======、>>>>>>> "
                             "这三行标记，再运行 zhili validate。"))
            start = None
    if start is not None:
        out.append(error(file, start, 1, "ZL121", f"第 {start} 行是没有解决的 git 合并冲突的开头（“<<<<<<<”），但找不到结尾“>>>>>>>”。",
                         "保留正确的内容，删除所有 <<<<<<<、=======、>>>>>>> 标记行，再运行 zhili validate。"))
    return out


class _Places:
    """Line and column of positions in one text; walking forward costs only the distance walked."""

    def __init__(self, text: str):
        self.text, self.index, self.line = text, 0, 1

    def at(self, index: int) -> tuple[int, int]:
        if index < self.index:
            self.index, self.line = 0, 1
        self.line += self.text.count("\n", self.index, index)
        self.index = index
        return self.line, index - (self.text.rfind("\n", 0, index) + 1) + 1


def too_many(file: str, count: int) -> Diagnostic:
    """Closes a file's list once it reaches the cap: the rest of the file was not examined."""
    return error(file, 0, 0, "ZL119", f"这个文件的问题超过 {count} 个，只列出了前 {count} 个，其余内容没有再检查。",
                 "先改正列出的问题（它们常常是同一个原因，例如缩进或复制错误），再重新运行 zhili validate。")


def read_path(path: Path, shown: str, root: Path | None = None) -> tuple[bytes | None, list[Diagnostic]]:
    """A data file's bytes, read with a bound: never more than the size limit, never a device or a pipe.

    With `root` (the data directory) the file must also lie inside it once every link is resolved: a
    link to /proc/self/environ, to ~/.ssh or to a folder elsewhere is refused (ZL004) and never opened,
    so no diagnostic can quote a line of it. The resolved path is then opened without following a link
    in its last part, so a link swapped in after the check is refused too."""
    try:
        if root is not None:
            real = os.path.realpath(path)
            inside = os.path.realpath(root)
            if not _inside(real, inside) and not _missing_link(path):
                return None, [_outside(shown)]
            path = Path(real)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        if root is not None:
            flags |= getattr(os, "O_NOFOLLOW", 0)
        # O_NONBLOCK: opening a named pipe must not wait for a writer (it is refused just below)
        fd = os.open(path, flags)
        try:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                return None, [error(shown, 0, 0, "ZL001", f"{shown} 是目录，不是数据文件。", "删除或改名这个目录。")]
            if not stat.S_ISREG(st.st_mode):
                return None, [error(shown, 0, 0, "ZL001", f"{shown} 不是普通文件（是设备、管道或套接字）。",
                                    "数据文件必须是普通的 YAML 文件：删除这个名称，放入真正的文件。")]
            if st.st_size > MAX_FILE_BYTES:
                return None, [_too_large(shown, st.st_size)]
            with os.fdopen(fd, "rb", closefd=False) as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        finally:
            os.close(fd)
    except FileNotFoundError:
        return None, [error(shown, 0, 0, "ZL001", f"找不到文件 {shown}。", "检查文件名；可以用 zhili init 生成一套模板。")]
    except PermissionError:
        return None, [error(shown, 0, 0, "ZL001", f"没有权限读取 {shown}。", "检查文件权限（如 chmod u+r），或换一个有权限的用户运行。")]
    except IsADirectoryError:
        return None, [error(shown, 0, 0, "ZL001", f"{shown} 是目录，不是数据文件。", "删除或改名这个目录。")]
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, [error(shown, 0, 0, "ZL001", f"无法读取 {shown}：符号链接形成了循环（链接最终指向自己）。",
                                "删除这个链接，放入真正的数据文件。")]
        return None, [error(shown, 0, 0, "ZL001", f"无法读取 {shown}（系统错误 {exc.errno}：{exc.strerror or exc}）。",
                            "检查文件是否存在、是否可读、磁盘是否正常。")]
    if len(data) > MAX_FILE_BYTES:  # the file grew while it was read
        return None, [_too_large(shown, len(data))]
    return data, []


def _inside(real: str, root: str) -> bool:
    try:
        return os.path.commonpath([real, root]) == root
    except ValueError:  # another drive (Windows): not inside
        return False


def _missing_link(path: Path) -> bool:
    """A link whose target does not exist: left to the open, which reports it as a missing file."""
    return os.path.islink(path) and not os.path.exists(path)


def _outside(file: str) -> Diagnostic:
    return error(file, 0, 0, "ZL004", f"{file} 是指向数据目录之外的链接，zhili 不读取它。",
                 "数据文件必须是数据目录里的普通文件：删除这个链接，把文件本身放进数据目录。")


def _too_large(file: str, size: int) -> Diagnostic:
    return error(file, 0, 0, "ZL003", f"文件有 {size / 1024 / 1024:.0f} MB，超过了 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限。",
                 "数据文件不应这么大：检查是否误放了其他文件；社区台账、进展记录、方案报送可以分文件存放（如 communities/ 文件夹）。")
