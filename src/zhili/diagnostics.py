"""Diagnostics are data: a small record per problem, rendered as text, JSON or GitHub annotations.

Codes are stable; docs/errors.md lists them. Messages and hints are Chinese user text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

EXCERPT_CHARS = 80  # the most of a source line a diagnostic quotes (a hostile file may have 65,536)
QUOTE_CHARS = 60  # the most of one quoted value (“…”) a message or hint repeats
TEXT_CHARS = 600  # the most of a whole message or hint
_LONG_QUOTE = re.compile("“([^“”]{%d,})”" % (QUOTE_CHARS + 1))


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


# code -> short Chinese title. Ordered by area: 0xx files, 1xx YAML, 2xx schema, 3xx cross-references,
# 4xx consistency warnings. Never renumber: CI scripts match on these codes.
CODES: dict[str, str] = {
    "ZL001": "文件不存在或无法读取",
    "ZL002": "数据目录不存在或缺少数据文件",
    "ZL003": "文件过大",
    "ZL004": "链接指向数据目录之外，未读取",
    "ZL005": "数据文件的扩展名不是 .yaml，未读取",
    "ZL006": "数据目录中有 zhili 不读取的 YAML 文件",
    "ZL010": "同一份数据既有单个文件又有文件夹",
    "ZL011": "数据文件夹中没有 .yaml 文件",
    "ZL012": "数据文件夹的名称被文件占用",
    "ZL013": "数据文件夹中有子文件夹，未读取",
    "ZL014": "数据文件夹中的文件过多",
    "ZL015": "没有写方案报送要求",
    "ZL016": "方案报送要求写了不止一处",
    "ZL101": "文件不是 UTF-8 编码",
    "ZL102": "YAML 语法错误",
    "ZL103": "用制表符（Tab）缩进",
    "ZL104": "全角冒号",
    "ZL105": "全角空格",
    "ZL106": "全角连字符当作列表符号",
    "ZL107": "流式列表中的全角逗号",
    "ZL108": "重复的键",
    "ZL109": "锚点或别名（& / *）",
    "ZL110": "合并键（<<）",
    "ZL111": "显式标签（!! 或 !）",
    "ZL112": "一个文件中有多个文档",
    "ZL113": "键不是文本",
    "ZL114": "嵌套过深",
    "ZL115": "文件为空",
    "ZL116": "控制字符或不可见字符",
    "ZL117": "文件中间出现字节顺序标记（BOM）",
    "ZL118": "单行过长",
    "ZL119": "问题过多，其余未列出",
    "ZL120": "文件中的条目或值过多",
    "ZL121": "未解决的 git 合并冲突",
    "ZL201": "未知字段",
    "ZL202": "缺少必填字段",
    "ZL203": "类型不对",
    "ZL204": "不是有效的数字",
    "ZL205": "数值超出范围",
    "ZL206": "不是有效的日期",
    "ZL207": "不在允许的取值中",
    "ZL208": "不是有效的是/否值",
    "ZL209": "取值无效",
    "ZL210": "名称中有看不见或易混淆的字符，或首尾有空格",
    "ZL301": "未知的社区类型",
    "ZL302": "未知的单位",
    "ZL303": "编号或名称重复",
    "ZL304": "未知的所属单位（社区所属的单位不在单位列表中）",
    "ZL305": "未知的社区",
    "ZL306": "未知的类别",
    "ZL307": "未声明的属性",
    "ZL308": "属性取值与声明不符",
    "ZL309": "分类规则引用了未声明的属性",
    "ZL310": "优先顺序有误",
    "ZL311": "引用有误",
    "ZL320": "层级重复出现（层级次序成了循环）",
    "ZL321": "层级名称重复",
    "ZL322": "单位的层级未声明",
    "ZL323": "缺少上级单位",
    "ZL324": "上级单位不在单位列表中",
    "ZL325": "上级单位不是上一层级的单位",
    "ZL326": "社区所属的单位不是最低层级的单位",
    "ZL327": "单位组的层级写法有误",
    "ZL371": "未声明的单位性质",
    "ZL330": "评议阶段的权重之和不为 1",
    "ZL331": "评议阶段重复",
    "ZL332": "未声明的评议阶段",
    "ZL333": "评议阶段的声明与评议方式不符",
    "ZL334": "等次未声明或声明有误",
    "ZL335": "名额写法有误",
    "ZL336": "评议阶段的结果不符合评议方式",
    "ZL337": "方案未实行一票否决",
    "ZL340": "未声明的维度",
    "ZL341": "未声明的维度取值",
    "ZL342": "维度或取值的标识、名称重复",
    "ZL343": "适用范围中的取值重复",
    "ZL344": "任务同时写了 type 和 applies_to",
    "ZL345": "任务的适用范围未写明",
    "ZL346": "适用范围为空",
    "ZL350": "目标的项目没有声明",
    "ZL351": "目标的比例或个数超出范围",
    "ZL352": "目标须写比例或个数之一",
    "ZL353": "目标的范围有误",
    "ZL354": "项目标识重复",
    "ZL355": "社区参加的项目没有声明",
    "ZL356": "试点开始日期写了两次",
    "ZL357": "目标标识重复",
    "ZL358": "牵头类型的最少个数只适用于每个单位的目标",
    "ZL360": "牵头单位未明确",
    "ZL361": "节点日期的先后顺序有误",
    "ZL362": "节点日期早于开始日期",
    "ZL363": "节点日期晚于截止日期",
    "ZL364": "周期日期的先后顺序有误",
    "ZL365": "周期日期超出开始或截止日期",
    "ZL366": "节点名称重复",
    "ZL367": "进展记录的节点有误",
    "ZL372": "未声明的帮扶措施",
    "ZL373": "未声明的任务周期",
    "ZL374": "方案报送状态有误",
    "ZL401": "年度评议数据不完整",
    "ZL402": "数据前后不一致",
}


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one place. `line` and `column` are 1-based; 0 means "the whole file"."""

    file: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
    source_line: str | None = field(default=None, compare=False)
    source_column: int = field(default=0, compare=False)  # the caret's column in `source_line`

    def __post_init__(self) -> None:
        # Diagnostics repeat what a file holds: never more than a bounded excerpt of it.
        for name in ("message", "hint"):
            value = getattr(self, name)
            if len(value) > QUOTE_CHARS:
                object.__setattr__(self, name, _bounded(value))
        if self.source_line is not None and not self.source_column:
            line, column = excerpt(self.source_line, self.column)
            object.__setattr__(self, "source_line", line)
            object.__setattr__(self, "source_column", column)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.code)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }


def excerpt(line: str, column: int) -> tuple[str, int]:
    """At most EXCERPT_CHARS of `line` around `column` (1-based), with … where it was cut, and the
    column of the same character in the excerpt."""
    if len(line) <= EXCERPT_CHARS:
        return line, column
    start = min(max(column - 1 - EXCERPT_CHARS // 2, 0), len(line) - EXCERPT_CHARS)
    shown = line[start:start + EXCERPT_CHARS]
    head = "…" if start > 0 else ""
    tail = "…" if start + EXCERPT_CHARS < len(line) else ""
    return head + shown + tail, column - start + len(head)


def _shorten(match: re.Match[str]) -> str:
    value = match.group(1)
    return f"“{value[:QUOTE_CHARS - 20]}…{value[-10:]}”（共 {len(value)} 个字符）"


def _bounded(text: str) -> str:
    text = _LONG_QUOTE.sub(_shorten, text)
    return text if len(text) <= TEXT_CHARS else text[:TEXT_CHARS] + f"……（共 {len(text)} 个字符）"


def error(file: str, line: int, column: int, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(file, line, column, code, message, hint, Severity.ERROR)


def warning(file: str, line: int, column: int, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(file, line, column, code, message, hint, Severity.WARNING)
