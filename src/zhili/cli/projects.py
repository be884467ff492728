"""`zhili projects`: the 治理项目目录 — needs with matching resources first, needs without pending."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from zhili.cli.options import command, data_option, output_options

if TYPE_CHECKING:
    from zhili.domain.catalogue import Project, ProjectCatalogue
    from zhili.render.output import Output


@command("projects")
@click.option("--street", "--unit", "street", metavar="单位", default=None,
              help="只列出该单位（任一层级，包括其下属单位）社区的需求。")
@data_option
@output_options
def command(street: str | None, data_dir: str | None, fmt: str | None, output: str | None, force: bool) -> None:
    """由治理需求目录（needs.yaml）和治理资源清单（resources.yaml）生成治理项目目录。

    需求的维度是资源能服务的维度、且需求所在社区在资源的服务范围内（该社区，或包含它的任一层级的单位、单位组），资源即与需求匹配。
    有匹配资源的需求列入先治理项目目录（有需求且有资源），没有的列入待治理项目目录（有需求暂无资源）；每条都列出匹配的资源及理由。

    \b
    示例：
      zhili projects --data examples/taicang
      zhili projects --data examples/taicang --street 某单位
      zhili projects --data examples/taicang --format json -o 项目目录.json
    """
    from zhili.cli.emit import emit
    from zhili.domain.catalogue import project_catalogue
    from zhili.domain.lookup import find_street
    from zhili.loading.datadir import resolve
    from zhili.loading.cache import load_registry

    reg = load_registry(resolve(data_dir))
    catalogue = project_catalogue(reg, find_street(reg, street) if street else None)
    emit(_output(catalogue), fmt, output, force)


def _rows(projects: list["Project"], label: str) -> list[dict[str, object]]:
    rows = []
    for p in projects:
        rows.append({
            "catalogue": label,
            "id": p.need.id,
            "community": f"{p.community.street}{p.community.name}",
            "dimension": p.need.dimension,
            "need": p.need.description,
            "resources": "；".join(f"{m.resource.name}（{m.resource.id}，{m.resource.provider_kind}：{m.resource.provider}）"
                                  for m in p.matches),
            "why": "；".join(f"{m.resource.id}：{m.why}" for m in p.matches),
        })
    return rows


def _output(catalogue: "ProjectCatalogue") -> "Output":
    from zhili.render.output import Column, Output, Table

    columns = [Column("id", "需求"), Column("community", "社区"), Column("dimension", "维度"), Column("need", "需求内容"),
               Column("resources", "匹配资源"), Column("why", "匹配理由")]
    priority = _rows(catalogue.priority, "先治理项目目录")
    pending = _rows(catalogue.pending, "待治理项目目录")
    tables = [Table(columns, priority, f"先治理项目目录：有需求且有资源（{len(priority)} 项）"),
              Table(columns[:4], pending, f"待治理项目目录：有需求暂无资源（{len(pending)} 项）")]
    flat = Table([Column("catalogue", "目录"), *columns], priority + pending)
    notes = []
    if not catalogue.has_resources:
        notes.append("该数据集没有治理资源清单（resources.yaml），所有需求都列入待治理项目目录。")
    return Output(tables, {**catalogue.to_dict(), "notes": notes}, notes=notes, flat=flat)
