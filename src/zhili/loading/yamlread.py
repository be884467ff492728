"""The strict YAML reader: bytes in, plain values (dict / list / str / None) and diagnostics out.

It iterates libyaml's event stream and builds plain values directly, so nothing is ever re-typed:
every scalar stays the text the user wrote (`010`, `no`, `8:30`, `2021-03-19` are all strings) and
only the pydantic models give values their types. A plain empty scalar, `~` and `null` become None.

It refuses, with line and column: non-UTF-8 bytes, control and invisible characters, tabs used for
indentation, the traps of Chinese input methods (full-width colon, space, hyphen and comma), duplicate
keys, anchors, aliases, merge keys, explicit tags, several documents, non-text keys, nesting deeper
than any zhili file needs, and empty files.
It also refuses the inputs libyaml reads differently from the YAML specification (comments glued to a
quote or bracket, under-indented continuation lines, `[?x]`, `[-]`, ...; `zhili.loading.yamlconform`),
so that nothing is ever read as a value other than the one written (docs/yaml-conformance.md).

Bytes and characters are checked first (`zhili.loading.textfile`). Positions are not kept while
reading (that would double the memory of a large registry); `position_index` re-reads a file and maps
paths to positions, and is only called when a diagnostic needs a place (see `zhili.loading.positions`).

Two readers build the same values. The native one (`zhili.loading._yamlfast`, C over libyaml's parser,
built by `pip install` where a C compiler and libyaml are present) builds them without a Python object
per event; at the first sign of anything the pure-Python one below would refuse or look at again it
gives up, and the pure-Python reader reads the same bytes, so every diagnostic comes from one place.
Without the extension the pure-Python reader does everything. `ZHILI_READER=python` forces it,
`ZHILI_READER=native` requires the extension (docs/yaml-conformance.md).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, replace
from typing import Any, Callable

from zhili.diagnostics import Diagnostic, error
from zhili.loading import yamlconform
from zhili.loading.textfile import (  # noqa: F401  (re-exported: the reader's public names)
    _BAD_ESCAPED,
    _INVISIBLE_NAMES,
    MAX_DIAGNOSTICS_PER_FILE,
    MAX_FILE_BYTES,
    MAX_LINE_CHARS,
    LineIndex,
    _line_of,
    _too_large,
    check_text,
    decode,
    read_path,
    too_many,
)

# PyYAML is imported when the pure-Python reader first runs (`_events`), not before: the native reader
# reads clean files without it, so `zhili validate` on clean data starts without importing it.
yaml: Any = None
_Parser: Any = None  # libyaml's parser through PyYAML (CSafeLoader), or PyYAML's pure-Python one without it
AliasEvent: Any = None
DocumentStartEvent: Any = None
MappingEndEvent: Any = None
MappingStartEvent: Any = None
ScalarEvent: Any = None
SequenceEndEvent: Any = None
SequenceStartEvent: Any = None


def _pyyaml() -> None:
    yamlconform.bind_pyyaml(globals())

try:  # the native reader: optional, built by `pip install` where a C compiler and libyaml are present
    from zhili.loading import _yamlfast as _native
except ImportError:  # pragma: no cover - depends on the build
    _native = None  # type: ignore[assignment]

READER_ENV = "ZHILI_READER"

MAX_DEPTH = 24
# Entries (mappings and lists) one file may hold. Memory follows the number of entries more than the
# bytes: 99 MB of one-line entries ("- {id: a1, name: 甲, street: 乙}") are over 3 million of them and
# would need well over 2 GB. A province's largest file holds a few hundred thousand.
MAX_ENTRIES = 1_000_000
# Values (keys and scalars) one file may hold: time follows their number. 99 MB of entries with forty
# short attributes each are 25 million values and a minute of CPU; a province's file holds a few million.
MAX_VALUES = 8_000_000

_SHARED_MAX = 48  # characters: the longest value shared (the native reader: 48 bytes)
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_PLAIN_SPECIAL = _NULLS | {"-"}  # a lone `-` is looked at again by yamlconform (`[-]` is not YAML)
_TRAP_CHARS = re.compile("[：－\u3000，]")
_FW_COLON_KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w\-]*)\s*：")
_FW_DASH = re.compile(r"^\s*(－)")
_FW_SPACE_INDENT = re.compile("^[ \t]*(\u3000)")



class _Nothing:
    """Marks "no document" (distinct from an empty document, which is None)."""


NOTHING: Any = _Nothing()
_NOKEY: Any = object()
_intern = sys.intern
_DISCARD: Any = object()


@dataclass
class ReadResult:
    value: Any
    text: str  # the decoded text; "" when the native reader read the file without a doubt (not kept)
    diagnostics: list[Diagnostic]


# libyaml's English problem texts → Chinese messages and hints.
_SYNTAX: list[tuple[str, str, str]] = [
    ("mapping values are not allowed", "此处不能出现“键: 值”。",
     "检查缩进是否与上一行对齐；如果值里本身含有“: ”，请把整个值用英文双引号括起来。"),
    ("could not find expected ':'", "缺少英文冒号“:”。",
     "每个字段写成“字段名: 值”，冒号是英文半角冒号，后面跟一个空格。"),
    ("did not find expected key", "缩进不对齐，或这里缺少字段名。",
     "同一层的字段必须左对齐；检查这一行和上一行的缩进。"),
    ("did not find expected '-' indicator", "缩进不一致：这一行既没有和同一层的字段对齐，也不是同一列表的新一项。",
     "同一层的字段必须左对齐，同一列表的各项“- ”也必须左对齐（每级缩进 2 个空格）。"),
    ("did not find expected node content", "这里缺少内容。", "检查是否多写了符号或少写了值。"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合。",
     "检查成对的引号 \" \" 和括号 [ ] { } 是否都已闭合。"),
    ("found invalid Unicode character escape code", "双引号字符串中有无效的 Unicode 转义（\\u 或 \\U 后的编码不是有效字符）。",
     "检查反斜杠后的编码，或去掉引号直接写出这个字符。"),
    ("found unknown escape character", "双引号字符串中有无效的转义字符（反斜杠 \\）。",
     "把反斜杠写成 \\\\，或改用单引号。"),
    ("expected ',' or ']'", "流式列表 [ ] 没有闭合或缺少逗号。",
     "列表写成 [甲, 乙]，用英文逗号分隔，并以 ] 结束。"),
    ("expected ',' or '}'", "流式映射 { } 没有闭合或缺少逗号。",
     "映射写成 {键: 值, 键: 值}，用英文逗号分隔，并以 } 结束。"),
    ("found character '\\t'", "这里有制表符（Tab），YAML 不允许用 Tab 缩进。", "把 Tab 换成空格。"),
    ("found a tab character", "这里有制表符（Tab），YAML 不允许用 Tab 缩进。", "把 Tab 换成空格。"),
    ("found character that cannot start any token", "这个字符不能出现在值的开头。",
     "如果这是文字的一部分，请把整个值用英文双引号括起来。"),
    ("found undefined alias", "使用了未定义的别名（*）。", "zhili 不支持锚点和别名：把内容直接写出来。"),
    ("found unexpected ':'", "多余的冒号。", "如果值里含有冒号，请把整个值用英文双引号括起来。"),
    ("block sequence entries are not allowed", "此处不能开始列表项“- ”。", "检查缩进：列表项应另起一行并缩进。"),
    ("expected <document start>", "文件中有多余的内容，或缩进回到了最左侧之外。", "检查这一行的缩进和上一行是否属于同一结构。"),
    ("expected a single document", "一个文件中只能有一个文档。", "删除多余的“---”分隔符，或把内容拆到不同文件。"),
    ("found duplicate anchor", "重复的锚点（&）。", "zhili 不支持锚点和别名：把内容直接写出来。"),
    ("unacceptable character", "文件中有 YAML 不接受的字符。", "删除控制字符；用 UTF-8 重新保存文件。"),
    ("while scanning an anchor", "锚点（&）写法有误。", "zhili 不支持锚点和别名：把内容直接写出来。"),
    ("while scanning an alias", "别名（*）写法有误。", "zhili 不支持锚点和别名：如果值以 * 开头，请用引号括起来。"),
    ("while scanning a tag", "标签（!）写法有误。", "zhili 不支持标签：如果值以 ! 开头，请用引号括起来。"),
    ("found incompatible YAML document", "不支持的 YAML 版本声明。", "删除 %YAML 开头的行。"),
    ("found duplicate", "重复的 YAML 指令。", "删除以 % 开头的行。"),
    ("found an indentation indicator equal to 0", "块文字的缩进数字不能是 0。",
     "在 | 或 > 后面写 1 到 9 之间的数字，或者不写数字。"),
    ("did not find expected comment or line break", "这一行的末尾多了内容：块文字标记（| 或 >）、“---”或 % 指令后面只能写注释。",
     "把多出的内容移到下一行并缩进，或删除它；注释以“ #”开头。"),
    ("found unknown directive name", "未知的 % 指令。", "删除以 % 开头的行：zhili 的数据文件不需要指令。"),
    ("could not find expected directive name", "“%”后面缺少指令名。",
     "删除以 % 开头的行；如果这是文字，请把它缩进或用英文双引号括起来。"),
    ("found unexpected document indicator", "引号中的文字里，行首出现了文档分隔符“---”或“...”。",
     "把这一行缩进，或把引号中的文字写在一行里。"),
    # the same problems in the words of PyYAML's pure-Python parser (the fallback without libyaml)
    ("expected <block end>", "缩进不对齐：这一行既不属于上面的结构，也没有开始同一层的新一项。",
     "同一层的字段必须左对齐，同一列表的各项“- ”也必须左对齐；检查这一行和上一行的缩进。"),
    ("expected the node content", "这里缺少内容。", "检查是否多写了符号或少写了值。"),
    ("expected '<document start>'", "文件中有多余的内容，或缩进回到了最左侧之外。", "检查这一行的缩进和上一行是否属于同一结构。"),
    ("sequence entries are not allowed here", "此处不能开始列表项“- ”。", "检查缩进：列表项应另起一行并缩进。"),
    ("expected chomping or indentation indicators", "块文字标记（| 或 >）后面的写法有误。",
     "| 或 > 后面只能跟 + 或 -，以及 1 到 9 之间的缩进数字，然后换行。"),
    ("expected indentation indicator in the range 1-9", "块文字的缩进数字不能是 0。",
     "在 | 或 > 后面写 1 到 9 之间的数字，或者不写数字。"),
    ("expected a comment or a line break", "这一行的末尾多了内容：块文字标记（| 或 >）、“---”或 % 指令后面只能写注释。",
     "把多出的内容移到下一行并缩进，或删除它；注释以“ #”开头。"),
    ("while scanning a directive", "% 指令写法有误。", "删除以 % 开头的行：zhili 的数据文件不需要指令。"),
    ("found unexpected document separator", "引号中的文字里，行首出现了文档分隔符“---”或“...”。",
     "把这一行缩进，或把引号中的文字写在一行里。"),
]


# Problems libyaml notices only later (at the end of the file, or on the next line): the place to
# show is where the unclosed string, bracket or key began.
_AT_START = ("while scanning a quoted scalar", "while parsing a flow sequence", "while parsing a flow mapping",
             "while scanning a simple key")


def _syntax_diagnostic(exc: yaml.YAMLError, text: str, file: str) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if getattr(exc, "context_mark", None) is not None and (getattr(exc, "context", None) or "").startswith(_AT_START):
        mark = exc.context_mark  # type: ignore[attr-defined]
    line = (mark.line + 1) if mark is not None else 1
    col = (mark.column + 1) if mark is not None else 1
    last = text.count("\n") + 1
    if line > last:  # libyaml places the end of a file without a final line break one line past it
        line, col = last, len(text.rsplit("\n", 1)[-1].rstrip("\r")) + 1
    # The traps of Chinese input methods explain most syntax errors in hand-edited files: look at the
    # reported line and the one before it (libyaml often reports the line after the real problem).
    lines = text.split("\n", line)
    for ln in (line - 1, line):
        if ln < 1 or ln > len(lines):
            continue
        trap = _trap_in_line(lines[ln - 1].rstrip("\r"), file, ln)
        if trap is not None:
            return trap
    problem = f"{getattr(exc, 'problem', '') or ''} {getattr(exc, 'context', '') or ''}"
    for needle, message, hint in _SYNTAX:
        if needle in problem:
            return error(file, line, col, "ZL102", f"YAML 语法错误：{message}", hint)
    detail = (getattr(exc, "problem", None) or str(exc)).strip()
    return error(file, line, col, "ZL102", f"YAML 语法错误（解析器原文：{detail}）。",
                 "对照上下文检查这一行的缩进、冒号、引号和括号。")


def _trap_in_line(line_text: str, file: str, line: int) -> Diagnostic | None:
    m = _FW_SPACE_INDENT.match(line_text)
    if m:
        return error(file, line, m.start(1) + 1, "ZL105", "这一行用全角空格（中文输入法的空格）缩进。",
                     "切换到英文输入法，把行首的全角空格换成普通空格。")
    m = _FW_DASH.match(line_text)
    if m:
        return error(file, line, m.start(1) + 1, "ZL106", "列表项用了全角连字符“－”，YAML 的列表符号是英文“- ”。",
                     "切换到英文输入法，把“－”改成“-”，后面跟一个空格。")
    m = _FW_COLON_KEY.match(line_text)
    if m:
        col = line_text.index("：", m.start(1)) + 1
        return error(file, line, col, "ZL104", f"字段“{m.group(1)}”后面用了全角冒号“：”，YAML 只认英文冒号“:”。",
                     "切换到英文输入法，把“：”改成“:”，冒号后加一个空格。")
    return None


def _scalar_trap(value: str, in_flow_seq: bool, file: str, mark: Any) -> Diagnostic | None:
    line, col = mark.line + 1, mark.column + 1
    if in_flow_seq and "，" in value:
        return error(file, line, col, "ZL107", f"列表项“{value}”中有全角逗号“，”，它会被当成一个名称。",
                     "流式列表用英文逗号分隔：[甲, 乙]；如果逗号确是内容，请用引号括起来。")
    if value.startswith("\u3000"):
        return error(file, line, col, "ZL105", "值以全角空格开头（中文输入法的空格）。",
                     "删除开头的全角空格；如需保留，请用引号括起来。")
    if value.startswith("－"):
        return error(file, line, col, "ZL106", "这里用了全角连字符“－”，YAML 的列表符号是英文“- ”。",
                     "切换到英文输入法，把“－”改成“-”，后面跟一个空格。")
    m = _FW_COLON_KEY.match(value)
    if m:
        return error(file, line, col, "ZL104", f"“{m.group(1)}”后面用了全角冒号“：”，YAML 把整行当成了文字。",
                     "切换到英文输入法，把“：”改成“:”，冒号后加一个空格。")
    return None


def _escaped_char(ch: str, file: str, mark: Any) -> Diagnostic:
    name = "字节顺序标记" if ch == "\ufeff" else _INVISIBLE_NAMES.get(ch, "控制字符")
    return error(file, mark.line + 1, mark.column + 1, "ZL116",
                 f"双引号中的转义写法产生了{name} U+{ord(ch):04X}，它不可见却会改变名称或显示。",
                 "删除这个转义（如 \\e、\\x1b、\\u202e），名称只用普通文字。")


def _events(data: bytes | str) -> Callable[[], Any]:
    if yaml is None or _Parser is None:
        _pyyaml()
    parser = _Parser(data)
    return parser.get_event


def reader() -> str:
    """The reader in use: `native` (the C extension) or `python`, as `ZHILI_READER` asks (default: native
    when the extension was built)."""
    wanted = os.environ.get(READER_ENV, "").strip().lower()
    if wanted == "python":
        return "python"
    if wanted == "native" and _native is None:
        raise RuntimeError(f"{READER_ENV}=native, but zhili's native reader (zhili.loading._yamlfast) was not built: "
                           "install libyaml (Debian: libyaml-dev) and a C compiler, then reinstall zhili")
    if wanted not in ("", "native", "auto"):
        raise RuntimeError(f"{READER_ENV} must be python or native, not {wanted!r}")
    return "native" if _native is not None else "python"


def parse(data: bytes | str, text: str, file: str) -> tuple[Any, list[Diagnostic]]:
    """Plain values and diagnostics: the native reader where it reads the file without a doubt, else the
    pure-Python reader (which also places and explains every refusal)."""
    if _native is not None and reader() == "native":
        value, _why = _native.parse(data if isinstance(data, bytes) else data.encode("utf-8"),
                                    MAX_DEPTH, MAX_ENTRIES, MAX_VALUES)
        if _why is None and not yamlconform.suspicious(text):
            return value, []
    return parse_python(data, text, file)


def parse_python(data: bytes | str, text: str, file: str) -> tuple[Any, list[Diagnostic]]:
    """Build plain values from the event stream. Stops at the first syntax error (libyaml cannot go on)."""
    diags: list[Diagnostic] = []
    add = diags.append
    root: Any = NOTHING
    # frame: [container, is_mapping, pending_key, in_flow_sequence, first line of a [...] / {...} list or -1]
    stack: list[list[Any]] = []
    documents = 0
    entries = values = 0
    get = _events(data)
    # the input-method traps need one of these characters: a file without any skips the per-value search
    traps = any(ch in text for ch in "：－\u3000，")
    intern = _intern
    share = {}.setdefault  # values repeated across a large file (types, streets, 是/否) share one str, as natively
    # signs of the inputs libyaml misreads (zhili.loading.yamlconform): multi-line quoted texts and
    # [...] / {...} lists, a lone plain `-`; the file is then read again with positions
    recheck = False
    ev = None
    try:
        while True:
            ev = get()
            if ev is None:
                break
            t = type(ev)
            if t is ScalarEvent:
                values += 1
                if values > MAX_VALUES:
                    add(_too_many_entries(file, ev.start_mark, values=True))
                    return NOTHING, diags
                if ev.anchor is not None or ev.tag is not None:
                    _reject_node(ev, file, add)
                value = ev.value
                style = ev.style
                if not style:  # plain: libyaml says '' (the pure-Python parser says None)
                    if value in _PLAIN_SPECIAL:
                        if value == "-":
                            recheck = True
                        else:
                            value = None
                    elif traps and not value.isascii() and _TRAP_CHARS.search(value):
                        trap = _scalar_trap(value, bool(stack) and stack[-1][3], file, ev.start_mark)
                        if trap is not None:
                            add(trap)
                elif style == '"':
                    bad = _BAD_ESCAPED.search(value)
                    if bad is not None:
                        add(_escaped_char(bad.group(), file, ev.start_mark))
                    if ev.end_mark.line != ev.start_mark.line:
                        recheck = True
                elif style == "'" and ev.end_mark.line != ev.start_mark.line:
                    recheck = True
                if value is not None and len(value) <= _SHARED_MAX:  # one str for a repeated short value
                    value = share(value, value)
                if not stack:
                    root = value
                    continue
                frame = stack[-1]
                if frame[1]:
                    key = frame[2]
                    if key is _NOKEY:
                        mapping = frame[0]
                        if value is not None and value not in mapping and value != "<<" and type(mapping) is dict:
                            frame[2] = intern(value)  # the common case, inline; problems go the long way
                        else:
                            frame[2] = _mapping_key(value, ev, mapping, file, add)
                    else:
                        if key is not _DISCARD:
                            frame[0][key] = value
                        frame[2] = _NOKEY
                else:
                    frame[0].append(value)
            elif t is MappingStartEvent or t is SequenceStartEvent:
                if ev.anchor is not None or ev.tag is not None:
                    _reject_node(ev, file, add)
                if len(stack) >= MAX_DEPTH:
                    add(_too_deep(file, ev.start_mark.line + 1, ev.start_mark.column + 1))
                    return NOTHING, diags
                container: Any = {} if t is MappingStartEvent else []
                is_map = t is MappingStartEvent
                flow = ev.flow_style
                flow_seq = bool(flow) and not is_map
                if stack:
                    parent = stack[-1]
                    if parent[1]:
                        if parent[2] is _NOKEY:
                            add(error(file, ev.start_mark.line + 1, ev.start_mark.column + 1, "ZL113",
                                      "键必须是文字，这里却是一个列表或映射。", "把键改成一个简单的名称。"))
                            parent[2] = _DISCARD
                            container = _Sink()
                        elif parent[2] is _DISCARD:
                            parent[2] = _NOKEY
                            container = _Sink()
                        else:
                            parent[0][parent[2]] = container
                            parent[2] = _NOKEY
                    else:
                        parent[0].append(container)
                else:
                    root = container
                stack.append([container, is_map, _NOKEY, flow_seq, ev.start_mark.line if flow else -1])
                entries += 1
                if entries > MAX_ENTRIES:
                    add(_too_many_entries(file, ev.start_mark))
                    return NOTHING, diags
            elif t is MappingEndEvent or t is SequenceEndEvent:
                line = stack.pop()[4]
                if line >= 0 and line != ev.end_mark.line:
                    recheck = True
            elif t is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    add(error(file, ev.start_mark.line + 1, ev.start_mark.column + 1, "ZL112",
                              "一个文件中只能有一个 YAML 文档，这里开始了第二个（“---”）。",
                              "删除多余的“---”，或把内容拆到不同的文件。"))
                    return NOTHING, diags
            elif t is AliasEvent:
                add(error(file, ev.start_mark.line + 1, ev.start_mark.column + 1, "ZL109",
                          f"使用了别名“*{ev.anchor}”。zhili 不支持锚点和别名：它们会让一小段文字展开成巨大的数据。",
                          "把被引用的内容直接写在这里。"))
                if stack:
                    frame = stack[-1]
                    if frame[1]:
                        frame[2] = _DISCARD if frame[2] is _NOKEY else _NOKEY
            if diags and len(diags) >= MAX_DIAGNOSTICS_PER_FILE:
                add(too_many(file, MAX_DIAGNOSTICS_PER_FILE))
                return NOTHING, diags
    except yaml.YAMLError as exc:
        if "nesting depth" in (getattr(exc, "problem", None) or ""):
            # libyaml (PyYAML >= 6.0.2) refuses 1,000 levels itself, and may do so before it hands over
            # the event where zhili's own, much lower limit would have stopped: find that place.
            add(_depth_in_lookahead(exc, text, file, ev, len(stack)))
            return NOTHING, diags
        syntax = _syntax_diagnostic(exc, text, file)
        # a trap already reported on a value of that line (e.g. a full-width space) is the same problem
        diags[:] = [d for d in diags if (d.line, d.code) != (syntax.line, syntax.code)]
        add(syntax)
        return NOTHING, diags
    if recheck or yamlconform.suspicious(text):
        misread = yamlconform.check(data, text, file)
        if misread:
            return NOTHING, diags + misread
    return root, diags


def _too_many_entries(file: str, mark: Any, values: bool = False) -> Diagnostic:
    what = f"值（字段名和取值）超过 {MAX_VALUES:,} 个" if values else f"条目（映射和列表）超过 {MAX_ENTRIES:,} 个"
    return error(file, mark.line + 1, mark.column + 1, "ZL120",
                 f"文件中的{what}，zhili 不再读下去：这么多内容会耗尽内存和时间。",
                 "检查文件是否由程序误生成或重复粘贴；确实需要时，把社区台账、进展记录或方案报送分文件存放"
                 "（如 communities/ 文件夹中每个区县一个文件），评议按年度分文件。")


def _too_deep(file: str, line: int, column: int) -> Diagnostic:
    return error(file, line, column, "ZL114", f"嵌套超过 {MAX_DEPTH} 层，zhili 的数据文件不需要这么深的结构。",
                 "检查是否多写了括号或缩进；规则的 all/any/not 嵌套请控制在几层之内。")


def _depth_in_lookahead(exc: yaml.YAMLError, text: str, file: str, last: Any, depth: int) -> Diagnostic:
    """Where the nesting passed MAX_DEPTH, when libyaml's scanner stopped at its own limit while looking
    ahead: from the end of the last event zhili saw (at `depth`), count the flow brackets outside quotes
    and comments up to the place libyaml stopped."""
    mark = getattr(exc, "problem_mark", None)
    lines = LineIndex(text)

    def index(m: Any) -> int:
        return lines.starts[min(m.line, len(lines.starts) - 1)] + m.column
    start = index(last.end_mark) if last is not None else 0
    stop = index(mark) + 1 if mark is not None else len(text)
    quote = ""
    i = start
    while i < stop and i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] in " \t\n"):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif ch in "[{":
            if depth >= MAX_DEPTH:
                line = lines.line_of_index(i)
                return _too_deep(file, line, i - lines.starts[line - 1] + 1)
            depth += 1
        elif ch in "]}":
            depth -= 1
        i += 1
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return _too_deep(file, line, col)


class _Sink(dict):
    """Receives the content of a node that was already reported (a non-text key): it is thrown away."""

    def append(self, value: Any) -> None:
        pass


def _mapping_key(value: Any, ev: Any, mapping: dict, file: str, add: Callable[[Diagnostic], None]) -> Any:
    line, col = ev.start_mark.line + 1, ev.start_mark.column + 1
    if isinstance(mapping, _Sink):
        return _DISCARD
    if value is None:
        add(error(file, line, col, "ZL113", "字段名为空。", "每个字段写成“字段名: 值”。"))
        return _DISCARD
    if value == "<<" and not ev.style:
        add(error(file, line, col, "ZL110", "使用了合并键“<<”。zhili 不支持合并键：每个条目的字段要直接写出来。",
                  "删除“<<”这一行，把需要的字段逐个写出。"))
        return _DISCARD
    if value in mapping:
        add(error(file, line, col, "ZL108", f"字段“{value}”在同一处出现了两次，YAML 会悄悄丢掉前一个。",
                  "删除或合并重复的字段，每个字段只写一次。"))
        return _DISCARD
    return _intern(value)  # one string per field name, not one per entry: a large file's keys cost nothing


def _reject_node(ev: Any, file: str, add: Callable[[Diagnostic], None]) -> None:
    line, col = ev.start_mark.line + 1, ev.start_mark.column + 1
    if ev.anchor is not None:
        add(error(file, line, col, "ZL109", f"使用了锚点“&{ev.anchor}”。zhili 不支持锚点和别名。",
                  "删除“&名称”，把内容直接写出来。"))
    if ev.tag is not None:
        add(error(file, line, col, "ZL111", f"使用了显式标签“{ev.tag}”。zhili 不会按标签构造任何对象。",
                  "删除标签（以 ! 开头的部分）；如果值本身以 ! 开头，请用引号括起来。"))


def read(data: bytes, file: str) -> ReadResult:
    """Decode, check characters and parse one file's bytes."""
    if len(data) > MAX_FILE_BYTES:
        return ReadResult(NOTHING, "", [_too_large(file, len(data))])
    text, diags = decode(data, file)
    if text is None:
        return ReadResult(NOTHING, "", diags)
    if _native is not None and reader() == "native" and _native.plain_text(data, MAX_LINE_CHARS):
        # none of the characters check_text looks for is in the bytes: it would find nothing
        if not yamlconform.suspicious(text):
            del text  # the native reader reads the bytes: the text would only double the memory meanwhile
            value, _why = _native.parse(data, MAX_DEPTH, MAX_ENTRIES, MAX_VALUES)
            if _why is None:
                return ReadResult(value, "", [])  # the text is not kept (a diagnostic decodes it again)
            text, _ = decode(data, file)
            assert text is not None
            value, diags = parse_python(data, text, file)
            return _result(value, text, diags, file)
        diags = []
    else:
        diags = check_text(text, file)
    if diags:
        return ReadResult(NOTHING, text, with_source_lines(diags, text))
    value, diags = parse(data, text, file)
    return _result(value, text, diags, file)


def _result(value: Any, text: str, diags: list[Diagnostic], file: str) -> ReadResult:
    if not diags and (value is NOTHING or value is None):
        diags.append(error(file, 1, 1, "ZL115", "文件为空（没有任何数据）。",
                           "按模板填写内容，或删除这个文件；可以用 zhili init 生成模板。"))
    return ReadResult(value, text, with_source_lines(diags, text))


def with_source_lines(diags: list[Diagnostic], text: str) -> list[Diagnostic]:
    """The diagnostics with the line they point at, for the excerpt and caret of the text output."""
    if not diags:
        return diags
    lines = LineIndex(text) if len(diags) > 8 else None
    return [replace(d, source_line=(lines.line(d.line) if lines else _line_of(text, d.line)))
            if d.line > 0 and d.source_line is None else d for d in diags]


Path_ = tuple[Any, ...]


def position_index(data: bytes | str) -> tuple[dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]:
    """Re-read a file that parsed cleanly: path -> (line, column) of each value, and of each mapping key."""
    values: dict[Path_, tuple[int, int]] = {}
    keys: dict[Path_, tuple[int, int]] = {}
    # frame: [path, is_mapping, pending_key, next_index]
    stack: list[list[Any]] = []
    get = _events(data)

    def place(ev: Any) -> Path_ | None:
        if not stack:
            return ()
        frame = stack[-1]
        if frame[1]:
            if frame[2] is _NOKEY:
                key = ev.value if type(ev) is ScalarEvent else None
                if type(ev) is ScalarEvent and not ev.style and key in _NULLS:
                    key = None
                frame[2] = key
                keys[frame[0] + (key,)] = (ev.start_mark.line + 1, ev.start_mark.column + 1)
                return None
            path = frame[0] + (frame[2],)
            frame[2] = _NOKEY
            return path
        path = frame[0] + (frame[3],)
        frame[3] += 1
        return path

    try:
        while True:
            ev = get()
            if ev is None:
                break
            t = type(ev)
            if t is ScalarEvent or t is AliasEvent:
                path = place(ev)
                if path is not None:
                    values[path] = (ev.start_mark.line + 1, ev.start_mark.column + 1)
            elif t is MappingStartEvent or t is SequenceStartEvent:
                path = place(ev)
                if path is None:  # a non-text key: its content has no path of its own
                    path = ("\x00",)
                values.setdefault(path, (ev.start_mark.line + 1, ev.start_mark.column + 1))
                stack.append([path, t is MappingStartEvent, _NOKEY, 0])
            elif t is MappingEndEvent or t is SequenceEndEvent:
                stack.pop()
    except yaml.YAMLError:
        pass
    return values, keys


def line_text(text: str, line: int, index: LineIndex | None = None) -> str:
    """Line `line` (1-based) of `text`; pass a `LineIndex` when many lines of one text are wanted."""
    return index.line(line) if index is not None else _line_of(text, line)
