"""`zhili rank --years 2021-2025` (or several --year): each community's designation over the years, per type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zhili.domain.history import TypeTimeline
    from zhili.model.registry import Registry
    from zhili.model.scheme import CommunityType
    from zhili.render.output import Output

LEGEND = ("每格为该年度的评定和名次；“↑晋位升级”：上一个有评议的年度为后进、本年度参评且不再是后进；"
          "连续后进：连续两个或更多年度为后进；从未参评：所列年度都没有完整的评议记录。")


def run_years(reg: Registry, years: list[int], span: str | None, type_: CommunityType | None, fmt: str | None,
              output: str | None, force: bool) -> None:
    from zhili.cli.emit import emit
    from zhili.domain.history import parse_years, timeline

    wanted = years + (parse_years(span) if span is not None else [])
    timelines, missing = timeline(reg, wanted, type_)
    emit(build_output(timelines, missing, reg.level_label()), fmt, output, force)


def build_output(timelines: list[TypeTimeline], missing: list[int], level_label: str = "所属单位") -> Output:
    from zhili.render.output import Column, Output, Table

    years = timelines[0].years if timelines else []
    columns = [Column("name", "社区"), Column("street", level_label), *(Column(f"y{y}", f"{y} 年") for y in years),
               Column("marks", "标记")]
    tables, flat = [], []
    for t in timelines:
        rows = [_row(t, c) for c in t.communities]
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
        tables.append(Table(columns, rows, f"{t.type.name}：{span} 年逐年评定（{len(rows)} 个社区）"))
        flat += rows
    notes = [LEGEND]
    if missing:
        notes.append(f"{'、'.join(str(y) for y in missing)} 年没有评议数据，未列出。")
    for t in timelines:
        counts = {m: sum(1 for c in t.communities if m in c.marks) for m in ("moved_up", "consecutive_lagging", "never_evaluated")}
        notes.append(f"{t.type.name}：晋位升级 {counts['moved_up']} 个，连续后进 {counts['consecutive_lagging']} 个，"
                     f"从未参评 {counts['never_evaluated']} 个。")

    def data() -> dict[str, Any]:
        return {"years": years, "missing_years": missing, "types": [t.to_dict() for t in timelines]}

    sheet = Table([Column("type", "类型"), *columns], flat, "逐年评定")
    return Output(tables, None, notes, sheet, build_data=data)


def _row(t: TypeTimeline, c: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"type": t.type.name, "id": c.community.id, "name": c.community.name,
                           "street": c.community.street, "marks": c.marks_text() or None}
    for cell in c.cells:
        row[f"y{cell.year}"] = cell.label
    return row
