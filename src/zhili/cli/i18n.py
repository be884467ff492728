"""Chinese for click's own words (usage, errors, help headings).

click looks every user-facing string up through `gettext` (`_` and `ngettext` bound at import in
each click module). We rebind those names to a lookup in the table below (a test checks that every
string click can show is in it). Placeholders are kept; a quoted `{name!r}` becomes “{name}”, and the
option names click quotes itself ('--stalled', 'x.yaml') get Chinese quotes too. Help headings end in
a full-width colon like 用法：.
"""

from __future__ import annotations

import sys
from typing import Callable

_MESSAGES: dict[str, str] = {
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "(dynamic)": "（动态）",
    "(Did you mean one of: {possibilities}?)": "您是否要找：{possibilities}？",
    "Aborted!": "已中止。",
    "Argument {name!r} takes {nargs} values.": "参数“{name}”需要 {nargs} 个值。",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": "参数只能有一个声明，实际有 {length} 个：{decls}。",
    "Boolean option {decl!r} cannot use the same flag for true/false.": "布尔选项“{decl}”的真、假两个开关不能相同。",
    "Choice({choices})": "可选值（{choices}）",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Commands": "命令",
    "Confirm the action without prompting.": "不再询问，直接确认。",
    "Could not determine name for option with declarations {decls!r}": "无法确定选项 {decls} 的名称。",
    "Could not open file {filename!r}: {message}": "无法打开文件“{filename}”：{message}",
    "Couldn't detect Bash version, shell completion is not supported.": "无法识别 Bash 版本，不支持命令补全。",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "提醒：命令“{name}”已弃用。{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": "提醒：{param_type}“{name}”已弃用。{extra_message}",
    "Did you mean {possibility}?": "您是否要找：{possibility}？",
    "Do you want to continue?": "是否继续？",
    "Error: The two entered values do not match.": "错误：两次输入的值不一致。",
    "Error: invalid input": "错误：输入无效",
    "Error: {message}": "错误：{message}",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Invalid start character for option ({option})": "选项的开头字符无效（{option}）",
    "Invalid value for {param_hint}: {message}": "{param_hint}的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Name '{name}' defined twice": "名称“{name}”定义了两次",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? Did you mean to pass '--{name}'?":
        "没有定义选项，却给了名称（{name}）。是要声明参数，还是要写“--{name}”？",
    "No such command {name!r}.": "没有命令“{name}”。",
    "No such option {name!r}.": "没有选项“{name}”。",
    "No such option: {name}": "没有选项：{name}",
    "Option {name!r} does not take a value.": "选项“{name}”不接受值。",
    "Option {name!r} requires an argument.": "选项“{name}”需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项“{name}”需要 {nargs} 个值。",
    "Options": "选项",
    "Positional arguments": "位置参数",
    "Press any key to continue...": "按任意键继续……",
    "Repeat for confirmation": "再输入一次以确认",
    "Shell completion is not supported for Bash versions older than 4.4.": "Bash 4.4 以前的版本不支持命令补全。",
    "Show the version and exit.": "显示版本并退出。",
    "Show this message and exit.": "显示此帮助并退出。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Unknown color {colour!r}": "未知的颜色“{colour}”",
    "Unknown standard stream '{name}'": "未知的标准流“{name}”",
    "Usage:": "用法：",
    "Value must be an iterable.": "值必须是可迭代的。",
    "Windows error: {error}": "Windows 错误：{error}",
    "d": "d",
    "default: {default}": "默认：{default}",
    "deprecated": "已弃用",
    "directory": "目录",
    "env var: {var}": "环境变量：{var}",
    "file": "文件",
    "float": "数字",
    "integer": "整数",
    "path": "路径",
    "unknown error": "未知错误",
    "{editor}: Editing failed": "{editor}：编辑失败",
    "{editor}: Editing failed: {e}": "{editor}：编辑失败：{e}",
    "{len_type} values are required, but {len_value} was given.": "需要 {len_type} 个值，给了 {len_value} 个。",
    "{len_type} values are required, but {len_value} were given.": "需要 {len_type} 个值，给了 {len_value} 个。",
    "{name} {filename!r} does not exist.": "{name}“{filename}”不存在。",
    "{name} {filename!r} is a directory.": "{name}“{filename}”是目录。",
    "{name} {filename!r} is a file.": "{name}“{filename}”是文件。",
    "{name} {filename!r} is not executable.": "{name}“{filename}”不可执行。",
    "{name} {filename!r} is not readable.": "{name}“{filename}”不可读。",
    "{name} {filename!r} is not writable.": "{name}“{filename}”不可写。",
    "{value!r} does not match the format {format}.": "“{value}”不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "“{value}”不符合格式 {formats}。",
    "{value!r} is not a valid UUID.": "“{value}”不是有效的 UUID。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "“{value}”不是有效的是/否值。可用：{states}",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的{number_type}。",
    "{value!r} is not one of {choices}.": "“{value}”不在可选值 {choices} 之中。",
    "{value!r} is not {choice}.": "“{value}”不是 {choice}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
}


class _Message(str):
    """A translated message whose `format` shows control characters in a value escaped (as zhili's
    `safe` escapes them everywhere else, with TAB, LF and CR as \\t \\n \\r): nothing a user typed may
    drive the terminal."""

    def format(self, *args: object, **kwargs: object) -> str:
        return str.format(self, *map(_inert, args), **{k: _inert(v) for k, v in kwargs.items()})


def _inert(value: object) -> object:
    if isinstance(value, str) and not value.isprintable():
        from zhili.render.cells import safe

        return safe(value).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def gettext(message: str) -> str:
    return _Message(_MESSAGES.get(message, message))


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


_installed = False


def install() -> None:
    """Rebind `_` / `ngettext` in every loaded click module (idempotent)."""
    global _installed
    if _installed:
        return
    import click  # noqa: F401 - make sure click's modules are loaded
    import click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types  # noqa: E401,F401

    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            _rebind(module, "_", gettext)
            _rebind(module, "ngettext", ngettext)
    # click measures help columns with len(); Chinese characters take two terminal cells
    click.formatting.term_len = display_len  # type: ignore[attr-defined]
    _quote_like_chinese()
    _wrap_like_chinese()
    _installed = True


def _wrap_like_chinese() -> None:
    """click wraps help with textwrap, which counts a Chinese character as one cell and breaks anywhere
    (a line may start with “）。”); wrap it as the tables are wrapped instead."""
    import click._textwrap

    def wrap_help(self: click._textwrap.TextWrapper, text: str) -> list[str]:
        from zhili.render.wrap import display_width, wrap  # only when help is shown: startup stays lean

        first, rest = self.initial_indent, self.subsequent_indent
        room = max(self.width - max(display_width(first), display_width(rest)), 10)
        lines = wrap(" ".join(text.split()), room)
        return [(first if i == 0 else rest) + line for i, line in enumerate(lines)]

    click._textwrap.TextWrapper.wrap = wrap_help  # type: ignore[method-assign]


def quoted(text: object) -> str:
    return f"“{text}”"


def _quote_like_chinese() -> None:
    """click quotes option names with repr() or ASCII quotes; Chinese text uses “”, and headings “：”."""
    import click.core
    import click.exceptions
    import click.formatting
    import click.types

    def parameter_hint(self: click.core.Parameter, ctx: click.Context | None) -> str:
        return " / ".join(quoted(x) for x in (self.opts or [self.human_readable_name]))

    def argument_hint(self: click.core.Argument, ctx: click.Context | None) -> str:
        return quoted(self.make_metavar(ctx) if ctx is not None else self.human_readable_name)

    def join_hints(param_hint: object) -> str | None:
        if param_hint is not None and not isinstance(param_hint, str):
            return " / ".join(quoted(x) for x in param_hint)  # type: ignore[attr-defined]
        return param_hint  # type: ignore[return-value]

    def possibilities(found: list[str]) -> str:
        text = "、".join(quoted(p) for p in sorted(found))
        return ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)",
                        len(found)).format(possibility=text, possibilities=text)

    def invalid_choice(self: click.types.Choice, value: object, ctx: click.Context | None) -> str:
        try:
            values = list(self._normalized_mapping(ctx=ctx).values())
        except AttributeError:  # an older click
            values = list(self.choices)
        text = "、".join(quoted(v) for v in values)
        return ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.",
                        len(values)).format(value=value, choice=text, choices=text)

    def write_heading(self: click.formatting.HelpFormatter, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    click.core.Parameter.get_error_hint = parameter_hint  # type: ignore[method-assign]
    click.core.Argument.get_error_hint = argument_hint  # type: ignore[method-assign]
    click.exceptions._join_param_hints = join_hints  # type: ignore[attr-defined]
    click.exceptions._format_possibilities = possibilities  # type: ignore[attr-defined]
    click.formatting.HelpFormatter.write_heading = write_heading  # type: ignore[method-assign]
    write_usage = click.formatting.HelpFormatter.write_usage

    def usage_without_space(self: click.formatting.HelpFormatter, prog: str, args: str = "",
                            prefix: str | None = None) -> None:
        write_usage(self, prog, args, gettext("Usage:") if prefix is None else prefix)  # 用法：zhili …

    click.formatting.HelpFormatter.write_usage = usage_without_space  # type: ignore[method-assign]
    click.types.Choice.get_invalid_choice_message = invalid_choice  # type: ignore[method-assign]


def display_len(text: str) -> int:
    import unicodedata

    from click._compat import strip_ansi

    plain = strip_ansi(text)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in plain)


def _rebind(module: object, attr: str, fn: Callable[..., str]) -> None:
    if hasattr(module, attr) and callable(getattr(module, attr)):
        setattr(module, attr, fn)
