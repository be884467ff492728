"""Where libyaml reads YAML differently from the YAML specification, refuse instead of misreading.

The official YAML test suite (tests/fixtures/yaml-test-suite, see docs/yaml-conformance.md) finds a few
inputs that libyaml accepts although they are invalid, and a few valid ones it reads differently. zhili
must never silently read a value other than the one written, so the reader refuses each of them with a
line, a column and a Chinese explanation:

- a comment glued to the token before it (`"value"# note`, `[a, b]#note`, `[a,#note`, `># note`): YAML
  needs a space before `#`, libyaml does not;
- continuation lines of a quoted text or a `[...]` / `{...}` list that are not indented past the block
  they belong to (libyaml ignores the indentation inside them);
- `?x` right after `[`, `{` or `,`: a text that begins with `?`, which libyaml reads as a key `x`;
- a lone `-` inside `[...]` / `{...}` (`[-]`), which YAML forbids and libyaml reads as the text `-`;
- the leading blank lines of a block text (`|`, `>`) holding more spaces than its first line;
- a block text followed by a last line of spaces without a final line break (libyaml drops a line break).

Everything here is cheap for ordinary files: `parse` raises flags while it reads (multi-line quoted texts
and lists, a lone `-`), a few `in` tests and regular expressions look for the rest, and only a file that
shows one of these signs is read a second time, with positions, by `check`.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from zhili.diagnostics import Diagnostic, error

# PyYAML is imported when `check` first runs: `suspicious`, the look the native reader takes at every
# file, needs none of it (so `zhili validate` on clean data starts without importing PyYAML).
yaml: Any = None
_Parser: Any = None  # libyaml's parser through PyYAML (CSafeLoader), or PyYAML's pure-Python one without it
MappingEndEvent: Any = None
MappingStartEvent: Any = None
ScalarEvent: Any = None
SequenceEndEvent: Any = None
SequenceStartEvent: Any = None


def bind_pyyaml(names: dict[str, Any]) -> None:
    """Import PyYAML and bind it (`yaml`), the event classes a module declares and, unless already set
    (tests set it), the parser (`_Parser`: libyaml's through PyYAML, or PyYAML's pure-Python one) into
    `names`, a module's globals: the readers' event loops look them up as globals, the fastest lookup."""
    import yaml as pyyaml
    from yaml import events

    for name in [n for n in names if n.endswith("Event")]:
        names[name] = getattr(events, name)
    if names.get("_Parser") is None:  # the C parser is part of every PyYAML wheel; the pure-Python one is a fallback
        names["_Parser"] = getattr(pyyaml, "CSafeLoader", None) or pyyaml.SafeLoader
    names["yaml"] = pyyaml


def _pyyaml() -> None:
    bind_pyyaml(globals())

# a block text header, then blank lines of which one holds spaces (one pattern per indicator: a
# pattern that starts with a literal is searched fast)
_BLOCK_BLANKS = [re.compile(re.escape(c) + r"[0-9+\-]{0,2}[ \t]*(?:#[^\n]*)?\r?\n(?:[ \t]*\r?\n)*?[ \t]* \r?\n")
                 for c in "|>"]
_HEADER = re.compile(r"[|>]([0-9+\-]{0,2})")
_QMARK_AFTER = frozenset(" \t\r\n[{,:")
_HASH_AFTER = frozenset("\"'[]{},|>")
_BLOCK_HEADER_END = re.compile(r"[|>](?:[+\-][1-9]?|[1-9][+\-]?)$")  # `|-`, `>+2`, `|2-` just before a `#`

_SYNTAX = "ZL102"


def suspicious(text: str) -> bool:
    """True when the text shows a sign of one of the inputs libyaml misreads (a cheap look, no parsing)."""
    if "?" in text and next(_glued_qmarks(text), None) is not None:
        return True
    if "#" in text and next(_glued_hashes(text), None) is not None:
        return True
    if any(c in text and p.search(text) for c, p in zip("|>", _BLOCK_BLANKS)):
        return True
    return _unterminated_blank_last_line(text)


def _glued_qmarks(text: str) -> Iterator[int]:
    """Index after each `?` that begins a text: `?` then no space, at the start of a line or after a
    space, `[`, `{`, `,` or `:`."""
    i = text.find("?")
    while i >= 0:
        if (i == 0 or text[i - 1] in _QMARK_AFTER) and text[i + 1:i + 2].strip():
            yield i + 1
        i = text.find("?", i + 1)


def _glued_hashes(text: str) -> Iterator[int]:
    """Index of each `#` glued to a token where libyaml still starts a comment (after a quote, a
    bracket, a comma or a block text header such as `>`, `|-`, `|2`)."""
    i = text.find("#")
    while i >= 0:
        before = text[max(0, i - 3):i]
        if before and (before[-1] in _HASH_AFTER or _BLOCK_HEADER_END.search(before)):
            yield i
        i = text.find("#", i + 1)


def _unterminated_blank_last_line(text: str) -> bool:
    last = text[text.rfind("\n") + 1:]
    return bool(last) and not last.strip(" \t")


def check(data: bytes | str, text: str, file: str) -> list[Diagnostic]:
    """Read the file again with positions; a diagnostic for each input libyaml would misread."""
    if yaml is None or _Parser is None:
        _pyyaml()
    checker = _Checker(text, file)
    try:
        for ev in yaml.parse(data, Loader=_Parser):
            checker.event(ev)
    except yaml.YAMLError:  # the first reading already reported it
        pass
    checker.finish()
    return checker.diags


class _Checker:
    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.diags: list[Diagnostic] = []
        self.qmarks = set(_glued_qmarks(text))
        self.hashes = set(_glued_hashes(text))
        self.last_line = text.count("\n") if _unterminated_blank_last_line(text) else -1
        # frame: [is_flow, column of the block collection, start mark of an outermost flow collection]
        self.stack: list[list[Any]] = []
        self.flow_scalars: list[tuple[int, int]] = []  # spans of texts inside [...] / {...}
        self.flow_spans: list[tuple[int, int]] = []  # spans of outermost [...] / {...}

    def add(self, index: int, message: str, hint: str, valid: bool = False) -> None:
        """`valid`: the input is valid YAML that libyaml would misread (else it is invalid YAML)."""
        line = self.text.count("\n", 0, index) + 1
        column = index - (self.text.rfind("\n", 0, index) + 1) + 1
        prefix = "zhili 无法准确读取这种写法" if valid else "YAML 语法错误"
        self.diags.append(error(self.file, line, column, _SYNTAX, f"{prefix}：{message}", hint))

    def block_indent(self) -> int | None:
        """Column of the enclosing block collection; None inside [...] / {...}; -1 at the top."""
        if not self.stack:
            return -1
        frame = self.stack[-1]
        return None if frame[0] else frame[1]

    def event(self, ev: Any) -> None:
        t = type(ev)
        if t is ScalarEvent or t is MappingStartEvent or t is SequenceStartEvent:
            if ev.start_mark.index in self.qmarks:
                self.add(ev.start_mark.index - 1, "“?”后面紧跟着文字。YAML 把它读作以“?”开头的文字，zhili 的解析器却会把它读成键。",
                         "如果这是文字，请用英文双引号括起来（如 \"?x\"）；如果是键，在“?”后加一个空格。", valid=True)
        if t is ScalarEvent:
            self.scalar(ev)
        elif t is MappingStartEvent or t is SequenceStartEvent:
            indent = self.block_indent()
            if ev.flow_style:
                if ev.end_mark.index in self.hashes:
                    self.glued_comment(ev.end_mark.index)
                self.stack.append([True, None, ev.start_mark if indent is not None else None])
            else:
                self.stack.append([False, ev.start_mark.column, None])
        elif t is MappingEndEvent or t is SequenceEndEvent:
            frame = self.stack.pop()
            if frame[0] and ev.end_mark.index in self.hashes:
                self.glued_comment(ev.end_mark.index)
            start = frame[2]
            if start is not None:
                self.flow_spans.append((start.index, ev.end_mark.index))
                if ev.start_mark.line != start.line and self.block_indent() is not None:
                    self.continuation(start, ev.end_mark.index, self.block_indent(), "“[ ]”或“{ }”列表", comments=True)

    def scalar(self, ev: Any) -> None:
        style, start, end = ev.style, ev.start_mark, ev.end_mark
        indent = self.block_indent()
        if indent is None and self.hashes:
            self.flow_scalars.append((start.index, end.index))
        if style == '"' or style == "'":
            if end.index in self.hashes:
                self.glued_comment(end.index)
            if indent is not None and indent >= 0 and end.line != start.line:
                self.continuation(start, end.index, indent, "引号中的文字", comments=False)
        elif style == "|" or style == ">":
            self.block_scalar(ev, indent)
        elif not style and ev.value == "-":
            after = self.text[end.index:end.index + 200].lstrip(" \t")
            if after[:1] in (",", "]", "}"):
                self.add(start.index, "在 [ ] 或 { } 中单独写了一个“-”。YAML 不允许这样写，zhili 的解析器却会把它读成文字“-”。",
                         "如果要写文字“-”，请用英文双引号括起来：\"-\"；如果是多写的，请删除。")

    def glued_comment(self, index: int) -> None:
        self.add(index, "“#”前面没有空格。YAML 的注释必须与前面的内容隔开至少一个空格，zhili 的解析器却会把它当作注释。",
                 "在“#”前加一个空格；如果“#”是文字的一部分，请把整个值用英文双引号括起来。")

    def continuation(self, start: Any, end: int, indent: int, what: str, comments: bool) -> None:
        """Lines after the first of a quoted text or a [...] / {...} list must be indented past `indent`."""
        line_start = start.index - start.column
        pos = self.text.find("\n", line_start, end)
        while 0 <= pos < end:
            nxt = self.text.find("\n", pos + 1)
            line = self.text[pos + 1: nxt if nxt >= 0 else len(self.text)].rstrip("\r")
            body = line.lstrip(" ")
            if body.strip(" \t") and not (comments and body.startswith("#")):
                spaces = len(line) - len(body)
                if spaces <= indent:
                    self.add(pos + 1 + spaces,
                             f"跨行的{what}，这一行的缩进不够：续行必须比它所属的字段或列表项缩进得更多。"
                             "YAML 不允许这样写，zhili 的解析器却不检查，会把后面的内容读错。",
                             f"把这一行至少缩进 {indent + 1} 个空格，或把整个值写在一行里。")
                    return
            pos = nxt if nxt < end else -1

    def block_scalar(self, ev: Any, indent: int | None) -> None:
        start, end = ev.start_mark, ev.end_mark
        header = _HEADER.match(self.text, start.index)
        if header is None:
            return
        if header.end() in self.hashes:
            self.glued_comment(header.end())
        if end.line == self.last_line:
            self.add(self.text.rfind("\n") + 1,
                     "文件最后一行只有空格、没有换行符，又紧接在块文字（| 或 >）之后：zhili 的解析器会少读一个换行。",
                     "删除最后一行的空格，或在文件末尾加一个换行。", valid=True)
        if any(ch.isdigit() for ch in header.group(1)) or indent is None:
            return
        pos = self.text.find("\n", start.index)
        widest, widest_at = 0, -1
        while pos >= 0:
            nxt = self.text.find("\n", pos + 1)
            line = self.text[pos + 1: nxt if nxt >= 0 else len(self.text)].rstrip("\r")
            if line.strip(" "):
                first = len(line) - len(line.lstrip(" "))
                if indent < first < widest:
                    self.add(widest_at, "块文字（| 或 >）开头的空白行比第一行文字缩进得更多。YAML 不允许这样写，"
                             "zhili 的解析器却会把下面的内容读错。",
                             "删除这些空白行里多余的空格，或在 | / > 后写明缩进的空格数（如 |2）。")
                return
            if len(line) > widest:
                widest, widest_at = len(line), pos + 1
            pos = nxt

    def finish(self) -> None:
        if not self.hashes or not self.flow_spans:
            return
        for index in sorted(self.hashes):
            if self.text[index - 1] != ",":
                continue
            if not any(a < index < b for a, b in self.flow_spans):
                continue
            if any(a <= index - 1 < b for a, b in self.flow_scalars):
                continue
            line_start = self.text.rfind("\n", 0, index) + 1
            before = self.text[line_start:index - 1]
            if re.search(r"(?:^|\s)#", before):  # already inside a comment
                continue
            self.glued_comment(index)
