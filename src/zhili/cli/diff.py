"""`zhili diff`: what a change to the data means, between two git revisions (or a revision and the working tree)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from zhili.cli.options import command, output_options

if TYPE_CHECKING:
    from zhili.domain.diff import Changes
    from zhili.loading.revisions import Side
    from zhili.render.output import Output

DIAGNOSTICS_SHOWN = 10


@command("diff")
@click.argument("revisions", nargs=-1, metavar="[版本1] [版本2]")
@click.option("--data", "data_dir", metavar="目录", default=None,
              help="仓库中的数据目录（工作区中可以不存在）。不给时与其他命令找数据目录的方式相同，但不会改用内置示例数据。")
@click.option("--exit-code", "exit_code", is_flag=True, default=False,
              help="有变化时退出码为 1（像 git diff --exit-code），没有变化为 0。")
@output_options
def command(revisions: tuple[str, ...], data_dir: str | None, exit_code: bool, fmt: str | None, output: str | None,
            force: bool) -> None:
    """比较数据仓库（git）中两个版本的数据，用中文说明含义上的变化。

    \b
    不写版本：HEAD 与工作区；一个版本：该版本与工作区；
    两个版本或 版本1..版本2：这两个提交；
    版本1...版本2：从两者的共同祖先到版本2（拉取请求的改动）。

    两个版本都用同一个加载器读取和校验。某一版本未通过校验时照样比较能比较的部分，并列出问题。

    \b
    报告：社区的新增、删除、更名、改变类型（及是否符合分类规则）；
    单位和单位组；任务（牵头、配合单位、期限等）；进展记录；一社区一策方案；
    评议得分，以及按新旧数据分别重新排队后先进、后进评定的变化；方案中的目标和规则。

    退出码：0 完成（加 --exit-code 时：没有变化）；1 有变化（仅 --exit-code）；2 用法错误（不在 git 仓库中、版本不存在）。

    \b
    示例：
      zhili diff                                  工作区与 HEAD
      zhili diff main                             main 与工作区
      zhili diff HEAD~1 HEAD --format markdown    上一次提交改了什么
      zhili diff origin/main...HEAD --format markdown >> "$GITHUB_STEP_SUMMARY"
    """
    from zhili.cli.emit import emit
    from zhili.loading.revisions import find_repository, two_sides

    old, new, base_of = parse_revisions(revisions)
    repo = find_repository(default_folder(data_dir))
    before, after = two_sides(repo, old, new, base_of)
    changes = compare(before, after)
    emit(build_output(before, after, changes), fmt, output, force)
    if exit_code and differs(before, after, changes):
        click.get_current_context().exit(1)


def default_folder(data_dir: str | None) -> Any:
    """--data as given (it need not exist in the working tree); else the data directory the other commands
    would read (ZHILI_DATA, the current directory, its data/, up to the repository's root), never the sample."""
    from pathlib import Path

    from zhili.errors import UsageError
    from zhili.loading.datadir import locate

    if data_dir is not None:
        return Path(data_dir)
    found = locate(None)
    if found.bundled:
        raise UsageError("当前目录及所在的 git 仓库中没有 zhili 数据文件，无从比较。",
                         "在数据仓库中运行，或用 --data 指定仓库中的数据目录。")
    return found.path


def parse_revisions(revisions: tuple[str, ...]) -> tuple[str, str | None, tuple[str, str] | None]:
    """(old, new or None for the working tree, (a, b) when old is the merge base of a and b)."""
    from zhili.errors import UsageError
    from zhili.render.cells import safe

    if len(revisions) > 2:
        raise UsageError(f"最多写两个版本，这里有 {len(revisions)} 个：{safe(' '.join(revisions))}。",
                         "例如 zhili diff HEAD~1 HEAD，或 zhili diff main..HEAD。")
    if len(revisions) == 2:
        return revisions[0], revisions[1], None
    if not revisions:
        return "HEAD", None, None
    text = revisions[0]
    if "..." in text:
        a, _, b = text.partition("...")
        a, b = a or "HEAD", b or "HEAD"
        return a, b, (a, b)
    if ".." in text:
        a, _, b = text.partition("..")
        return a or "HEAD", b or "HEAD", None
    return text, None, None


def compare(before: Side, after: Side) -> Changes:
    from zhili.domain.diff import Changes, diff

    from datetime import date

    from zhili.domain.tasks import today

    if before.registry is None or after.registry is None:
        return Changes([], [])
    made = date.fromisoformat(after.date) if after.date else today() if after.commit is None else None
    return diff(before.registry, after.registry, before.failed | after.failed, made)


def differs(before: Side, after: Side, changes: Changes) -> bool:
    """For --exit-code: changes found, or a side that could not be compared in full."""
    return bool(changes) or not (before.valid and after.valid)


def notes(before: Side, after: Side, changes: Changes) -> list[str]:
    from zhili.domain.diff import SECTIONS, by_street

    out: list[str] = []
    for side in (before, after):
        if side.registry is None:
            out.append(f"{side.label}的数据无法读取（方案 types.yaml 或单位 units.yaml 未通过校验），无法比较。")
        if not side.valid:
            errors = side.errors
            out.append(f"{side.label}的数据未通过校验（{len(errors)} 个错误）：")
            for d in errors[:DIAGNOSTICS_SHOWN]:
                where = f"{d.file}:{d.line}:{d.column}" if d.line else d.file
                out.append(f"  {where}: {d.code} {d.message}")
            if len(errors) > DIAGNOSTICS_SHOWN:
                out.append(f"  ……另有 {len(errors) - DIAGNOSTICS_SHOWN} 个错误，运行 zhili validate 查看全部。")
    streets = by_street(changes)
    if streets:
        level = next((s.registry.level_label() for s in (after, before) if s.registry is not None), "所属单位")
        out.append(f"评议记录的变化按{level}：" + "；".join(
            f"{name} {n} 处" + (f"（其中 {late} 处在评议日期之后）" if late else "") for name, n, late in streets) + "。")
    if changes.skipped:
        out.append("以下部分因有文件未通过校验而未比较：" + "、".join(SECTIONS[s] for s in changes.skipped) + "。")
    if not changes and before.registry is not None and after.registry is not None:
        out.append("能比较的部分没有变化。" if changes.skipped else "数据的含义没有变化。")
    return out


def build_output(before: Side, after: Side, changes: Changes) -> Output:
    from zhili.domain.diff import KINDS, SECTIONS
    from zhili.render.output import Column, Output, Table

    def status(side: Side) -> str:
        return "通过" if side.valid else f"未通过（{len(side.errors)} 个错误）"

    overview = Table([Column("item", "项目"), Column("old", "旧版本"), Column("new", "新版本")], [
        {"item": "版本", "old": before.label, "new": after.label},
        {"item": "数据校验", "old": status(before), "new": status(after)},
        {"item": "变化", "old": None, "new": f"{len(changes.changes)} 处" if before.registry and after.registry else "无法比较"},
    ], f"数据变化：{before.label} → {after.label}")
    columns = [Column("kind", "变化"), Column("name", "对象"), Column("detail", "说明")]
    tables, flat = [overview], []
    for section, found in changes.by_section():
        rows = [{"section": SECTIONS[section], "kind": KINDS[c.kind], "name": c.name, "detail": c.detail}
                for c in found]
        tables.append(Table(columns, rows, f"{SECTIONS[section]}（{len(found)} 处）"))
        flat += rows

    def data() -> dict[str, Any]:
        return {"old": before.to_dict(), "new": after.to_dict(), "changed": bool(changes), "count": len(changes.changes),
                "skipped": [{"section": s, "section_label": SECTIONS[s]} for s in changes.skipped],
                "changes": [c.to_dict() for c in changes.changes]}

    sheet = Table([Column("section", "类别"), *columns], flat, f"数据变化：{before.label} → {after.label}")
    return Output(tables, None, notes(before, after, changes), sheet, build_data=data)
