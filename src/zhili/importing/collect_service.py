"""`zhili collect` and `zhili collect import`: forms out to each unit, filled forms back into the data.

Orchestration only: `collect` decides what the forms hold and what the filled rows mean, `workbook`
writes and reads the files, `yamlwrite` edits the data files safely.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Sequence

from zhili.diagnostics import Diagnostic, error
from zhili.errors import DataError, UsageError
from zhili.importing import collect
from zhili.importing.service import Report
from zhili.importing.yamlwrite import DataWriter, block_list, mapping, schema_line


def write_forms(reg: Any, out_dir: Path, stage: str | None, year: int | None, unit: str | None,
                as_of: date, force: bool) -> list[str]:
    from zhili.importing.workbook import file_name, render_form
    from zhili.fsio import write_atomic

    if stage is not None:
        if reg.evaluation is None:
            raise UsageError("types.yaml 中没有年度评议规则（evaluation），收回的得分无法使用，未生成评分表。",
                             "先在 types.yaml 中加上 evaluation: 部分（评议阶段 stages 及其权重、每类先进和后进的名额）。")
        forms = collect.score_forms(reg, stage, year or as_of.year, unit)
    else:
        forms = collect.progress_forms(reg, unit)
    if not forms:
        raise UsageError(f"{unit or '数据'} 没有需要填报的{'社区' if stage else '任务'}，未生成任何文件。",
                         "检查 --unit 是否写对（评分表按最低层级的单位生成）。")
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir} 是文件，不是目录。", "-o 给出存放填报表的目录。")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for form in forms:
        path = out_dir / file_name(form)
        write_atomic(path, render_form(form, reg.scheme.name, as_of), force=force)
        written.append(path.name)
    return written


def _form_for(reg: Any, meta: dict[str, str], shown: str) -> tuple[collect.Form | None, Diagnostic | None]:
    kind, unit = meta.get("kind"), meta.get("unit", "")
    found = reg.unit(unit)
    if kind not in ("progress", "scores"):
        return None, error(shown, 0, 0, "ZL209", "填报表的内部信息已损坏（不知道是进展表还是评分表）。", "请用 zhili collect 重新生成。")
    if found is None:
        return None, error(shown, 0, 0, "ZL302", f"填报单位“{unit}”不在 units.yaml 中。",
                           "这份表格不是为本数据目录生成的，或单位已改名；请用 zhili collect 重新生成。")
    if kind == "progress":
        forms = collect.progress_forms(reg, found.name)
    else:
        stage = collect.stage_key(reg, meta.get("stage", ""))
        year = int(meta["year"]) if re.fullmatch(r"\d{4}", meta.get("year", "")) else None
        if stage is None or year is None:
            return None, error(shown, 0, 0, "ZL209", "评分表的内部信息已损坏（评议阶段或年度）。", "请用 zhili collect 重新生成。")
        forms = collect.score_forms(reg, stage, year, found.name)
    if not forms:
        return None, error(shown, 0, 0, "ZL311", f"{found.name} 现在没有需要填报的内容。", "请用 zhili collect 重新生成。")
    return forms[0], None


def import_forms(data_dir: Path, files: Sequence[str], as_of: date, dry_run: bool) -> Report:
    from zhili.importing.workbook import read_form

    writer = DataWriter(data_dir)
    reg = writer.check_before()
    progress: list[collect.Entry] = []
    scores: list[collect.Entry] = []
    diags: list[Diagnostic] = []
    kinds: set[str] = set()
    for file in files:
        path = Path(file)
        meta, rows, problems = read_form(path)
        diags.extend(problems)
        form, problem = _form_for(reg, meta, path.name)
        if form is None:
            diags.append(problem)  # type: ignore[arg-type]
            continue
        kinds.add(form.kind)
        if form.kind == "progress":
            entries, problems = collect.read_progress(form, rows, as_of)
            progress.extend(entries)
        else:
            entries, problems = collect.read_scores(form, rows)
            scores.extend(entries)
        diags.extend(problems)
    if diags:
        raise DataError(f"填报表中有 {len(diags)} 处问题，未导入任何内容。", diags, "改正后重新导入全部表格。")
    recorded_progress: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for p in reg.progress:
        unit = reg.unit(p.unit)
        recorded_progress.setdefault((p.task, unit.name if unit else p.unit, p.date), []).append(
            {"note": p.note, "done": p.done, "task": p.task, "date": p.date, "unit": unit.name if unit else p.unit})
    recorded_scores: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for year in reg.evaluations:
        for ev in year.evaluations:
            for key, _ in collect.stages(reg):
                if getattr(ev, key, None) is not None:
                    recorded_scores[(year.year, ev.community, key)] = [{key: getattr(ev, key)}]
    merged_p = collect.merge(progress, recorded_progress)
    merged_s = collect.merge(scores, recorded_scores, dict(collect.stages(reg)))
    conflicts = merged_p.conflicts + merged_s.conflicts
    if conflicts:
        raise DataError(f"{len(conflicts)} 处填报与已有数据或彼此不一致，未导入任何内容。", conflicts,
                        "核实后改正表格再导入；已有数据确实有误时，直接修改数据文件。")
    report = Report(dry_run=dry_run)
    if merged_p.new:
        _add_progress(writer, merged_p.new)
    if merged_s.new:
        _add_scores(writer, merged_s.new)
    if "progress" in kinds:
        report.lines.append(f"进展记录：新增 {len(merged_p.new)} 条，已有 {len(merged_p.known)} 条。")
    if "scores" in kinds:
        report.lines.append(f"评议得分：新增 {len(merged_s.new)} 个，已有 {len(merged_s.known)} 个。")
    from zhili.importing.service import finish

    finish(writer, report)
    return report


def progress_entry(value: dict[str, Any]) -> Any:
    from zhili.importing.ledger import yaml_no

    pairs = [("task", yaml_no(str(value["task"]))), ("date", value["date"]), ("unit", value["unit"]), ("note", value["note"])]
    if value.get("milestone") is not None:
        pairs.append(("milestone", value["milestone"]))
    if value.get("done"):
        pairs.append(("done", True))
    return mapping(pairs)


def _add_progress(writer: DataWriter, entries: Sequence[collect.Entry], file: str | None = None) -> None:
    """New entries go to progress.yaml, or, written as a progress/ folder, to `file` (--file) or else the
    folder's last file in name order (`DataWriter.target_file`)."""
    target = writer.target_file("progress", file)
    depth = target.count("/")
    doc = writer.doc(target, schema_line(writer, "progress", depth) + "# 任务进展记录（由 zhili 写入）\n\nprogress: []\n")
    seq = block_list(doc, "progress")
    for e in entries:
        seq.append(progress_entry(e.value))


def _add_scores(writer: DataWriter, entries: Sequence[collect.Entry]) -> None:
    for e in entries:
        year, community, stage = e.key
        doc = writer.doc(f"evaluations/{year}.yaml",
                         schema_line(writer, "evaluations", 1) + f"# {year} 年度评议得分（由 zhili collect import 写入）\n\n"
                         f"year: {year}\nevaluations: []\n")
        seq = block_list(doc, "evaluations")
        entry = next((x for x in seq if str(x.get("community")) == community), None)
        if entry is None:
            seq.append(mapping([("community", community), (stage, e.value[stage])]))
        else:
            entry[stage] = e.value[stage]
