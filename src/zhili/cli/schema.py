"""`zhili schema DIR`: a JSON Schema per data file, for editors (VS Code's YAML extension) and other tools."""

from __future__ import annotations

import click

from zhili.cli.options import command


@command("schema")
@click.argument("directory", metavar="目录")
@click.option("--force", is_flag=True, default=False, help="覆盖目录中已有的同名 schema 文件。")
def command(directory: str, force: bool) -> None:
    """为每种数据文件生成 JSON Schema（字段说明为中文），供编辑器在输入时检查。

    生成的文件名为 types.schema.json、communities.schema.json 等。在数据文件第一行写 schema 的
    路径（相对于这个数据文件）：

    \b
    schemas/ 在数据目录里（zhili init 的布局）：
      types.yaml 等：        # yaml-language-server: $schema=schemas/types.schema.json
      evaluations/2021.yaml：# yaml-language-server: $schema=../schemas/evaluations.schema.json
    schemas/ 与数据目录并列（如 data/ 和 schemas/）：
      data/types.yaml 等：        # yaml-language-server: $schema=../schemas/types.schema.json
      data/evaluations/2021.yaml：# yaml-language-server: $schema=../../schemas/evaluations.schema.json

    VS Code 的 YAML 扩展（redhat.vscode-yaml）即按它在输入时检查。
    schema 只做输入提示，数据是否有效以 zhili validate 为准。

    \b
    示例：
      zhili schema schemas
      zhili schema schemas --force      # 升级 zhili 后更新
    """
    from pathlib import Path

    from zhili.errors import UsageError
    from zhili.fsio import write_atomic
    from zhili.render.cells import safe
    from zhili.render.schemas import all_schemas

    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} 不是目录。", "给出一个目录（不存在时会自动创建）。")
    schemas = all_schemas()
    existing = [name for name in schemas if (target / name).exists()]
    if existing and not force:
        raise UsageError(f"目录 {target} 中已有 {'、'.join(existing)}，未覆盖。", "加上 --force 覆盖（升级 zhili 后应重新生成）。")
    target.mkdir(parents=True, exist_ok=True)
    for name, text in schemas.items():
        write_atomic(target / name, text, force=force)
    click.echo(f"已写入 {len(schemas)} 个 schema 到 {safe(str(target))}：{'、'.join(schemas)}", err=True)
