"""The coverage of the scheme's targets as tables and sentences (zhili coverage, the report's section)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zhili.domain.coverage import CoverageReport, CoverageRow, TargetCoverage
    from zhili.render.output import Output, Table


def percent(value: float) -> str:
    return f"{value * 100:.1f}%".replace(".0%", "%")


def members_word(section: "TargetCoverage") -> str:
    """试点 → 试点社区; a programme named like 未来公园社区 stays as it is."""
    name = section.programme.name
    return name if name.endswith("社区") else f"{name}社区"


def amount(section: "TargetCoverage") -> str:
    """The target in force as a phrase: 不少于 30%, 不少于 200 个."""
    t = section.target
    return f"不少于 {t.count} 个" if t.count is not None else f"不少于 {percent(t.share)}"


def scope_phrase(section: "TargetCoverage") -> str:
    t = section.target
    if t.scope == "whole":
        return section.label
    if t.scope == "each":
        return f"每个{section.label}"
    return f"{section.label}的每个取值"


def target_sentence(section: "TargetCoverage") -> str:
    """目标：截至 2022-12-31 每个所属单位的试点社区不少于 30%（原文：…）。"""
    t = section.target
    text = f"目标：截至 {t.by.isoformat()} {scope_phrase(section)}的{members_word(section)}{amount(section)}"
    text += f"（原文：{t.source}）" if t.source else ""
    return text + "。"


def verdict(r: "CoverageRow") -> str:
    if r.meets is None:
        return "没有登记社区"
    return "是" if r.meets else "否"


def title(section: "TargetCoverage", as_of: str) -> str:
    name = section.programme.name
    if section.target.scope == "whole":
        return f"{name}覆盖（截至 {as_of}，{section.label}）"
    if section.target.scope == "each":
        return f"{name}覆盖（截至 {as_of}，{len(section.rows)} 个{section.label}）"
    return f"{name}覆盖（截至 {as_of}，按{section.label}）"


def table(section: "TargetCoverage", as_of: str) -> "Table":
    from zhili.render.output import Column, Table

    t = section.target
    name = section.programme.name
    rows = []
    for r in section.rows:
        label = r.value if t.scope == "per_value" else r.unit
        row: dict[str, object] = {
            "target_id": t.id,
            "label": label,
            "unit": label,
            "communities": r.communities,
            "pilots": r.members,
            "share": percent(r.share) if r.share is not None else "—",
            "share_value": r.share,  # what a spreadsheet stores behind the text
            "target": f"≥{t.count} 个" if t.count is not None else f"≥{percent(t.share)}",
            "meets": verdict(r),
        }
        if t.scope == "each":
            row["leads"] = r.leads
            row["short"] = [f"{s.type}（{s.pilots}/{s.required}）" for s in r.short_types]
        rows.append(row)
    columns = [Column("unit", section.label), Column("communities", "社区数", "right"),
               Column("pilots", f"{name}数", "right"),
               Column("share", "覆盖率", "right", value="share_value", number_format="0.0%"),
               Column("target", "目标", "right"), Column("meets", "达标")]
    if t.scope == "each" and (section.minimum or any(r.leads for r in section.rows)):
        columns += [Column("leads", "牵头类型"), Column("short", f"{name}不足的牵头类型")]
    return Table(columns, rows, title(section, as_of), name=f"{name}覆盖"[:31])


def notes(section: "TargetCoverage", several: bool) -> list[str]:
    t = section.target
    lead = f"{t.id}：" if several else ""
    out = [lead + target_sentence(section)]
    missed = [(r.value if t.scope == "per_value" else r.unit) or "" for r in section.rows if r.meets is False]
    short = [r.unit or "" for r in section.rows if r.short_types]
    if t.scope == "whole":
        r = section.rows[0]
        out.append(lead + (f"未达到覆盖目标：已有 {r.members} 个，至少需要 {r.required} 个。" if r.meets is False
                           else "已达到覆盖目标。"))
    else:
        out.append(lead + (f"未达到覆盖目标：{'、'.join(missed)}。" if missed else f"{scope_phrase(section)}都达到覆盖目标。"))
    if short:
        out.append(lead + f"牵头类型的{members_word(section)}不足（括号中为已有/至少需要的个数）：{'、'.join(short)}。")
    elif section.minimum:
        out.append(lead + f"每个牵头类型都已有至少 {section.minimum} 个{members_word(section)}。")
    return out


def coverage_output(report: "CoverageReport") -> "Output":
    from zhili.render.output import Column, Output, Table

    day = report.as_of.isoformat()
    several = len(report.sections) > 1
    tables = [table(s, day) for s in report.sections]
    notes_ = [n for s in report.sections for n in notes(s, several)]
    flat = None
    if several:  # one sheet for csv/xlsx: every row with the target it belongs to
        columns = [Column("target_id", "目标"), Column("label", "范围"), Column("communities", "社区数", "right"),
                   Column("pilots", "参加数", "right"),
                   Column("share", "覆盖率", "right", value="share_value", number_format="0.0%"),
                   Column("target", "目标值", "right"), Column("meets", "达标")]
        flat = Table(columns, [r for tb in tables for r in tb.rows], f"目标覆盖（截至 {day}）", name="目标覆盖")
    if not report.sections:
        notes_.append("没有符合条件的目标。")
    return Output(tables, [r.to_dict() for r in report.rows], notes=notes_, flat=flat, as_of=report.as_of,
                  title=f"目标覆盖（截至 {day}）" if several else None)
