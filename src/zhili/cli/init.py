"""`zhili init DIR`: a new data directory from a template (游仙区, 太仓市, the fictional 云州市 or an empty skeleton)."""

from __future__ import annotations

from pathlib import Path

import click

from zhili.cli.options import command

SCHEMES = ("youxian", "taicang", "yunzhou", "empty")
SCHEMES_DIR = "schemas"  # inside the new data directory, next to the YAML files it describes


@command("init")
@click.argument("directory", metavar="目录")
@click.option("--scheme", type=click.Choice(SCHEMES), default="youxian", show_default=True,
              help="模板：youxian 游仙区城市社区（2021）；taicang 太仓市（2022）；yunzhou 云州市（虚构示例：两个分类维度、目标、里程碑）；empty 可通过校验的最小骨架。")
@click.option("--force", is_flag=True, default=False, help="目录不是空的也写入（覆盖同名文件，其他文件不动）。")
def command(directory: str, scheme: str, force: bool) -> None:
    """从模板创建一个新的数据目录，供新的辖区使用。

    目录中会有 types.yaml、units.yaml、communities.yaml、tasks.yaml 等数据文件，以及 schemas/
    下供编辑器使用的 JSON Schema（每个数据文件第一行已指向它）。目录不是空的时拒绝写入，除非加 --force。

    \b
    示例：
      zhili init 我区数据 --scheme empty
      zhili init taicang-data --scheme taicang
      zhili init 我市数据 --scheme yunzhou
      zhili validate --data 我区数据
    """

    from zhili.loading.templates import plan_files
    from zhili.errors import UsageError
    from zhili.fsio import write_atomic
    from zhili.render.cells import safe

    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} 是文件，不是目录。", "给出一个新目录的路径。")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise UsageError(f"目录 {target} 不是空的，未写入任何文件。", "换一个新目录，或加上 --force 覆盖其中的同名文件。")
    files = plan_files(_template(scheme), SCHEMES_DIR)
    for rel in files:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        write_atomic(target / rel, content, force=force)
    data_files = [r for r in files if not r.startswith(SCHEMES_DIR + "/")]
    click.echo(f"已创建数据目录 {safe(str(target))}（模板：{scheme}）：{'、'.join(data_files)}，以及 {SCHEMES_DIR}/ 下的 JSON Schema。")
    click.echo(f"下一步：编辑这些文件，然后运行 zhili validate --data {safe(str(target))}", err=True)


def _template(scheme: str) -> Path:
    from zhili.errors import UsageError
    from zhili.loading.datadir import bundled

    if scheme == "empty":
        path = Path(__file__).resolve().parent.parent / "templates" / "empty"
    else:
        path = bundled(scheme)
    if not path.is_dir():
        raise UsageError(f"找不到模板 {scheme}（{path}）。", "这个 zhili 安装不完整，请重新安装。")
    return path
