"""The one loader: a data directory → plain values → pydantic models → cross-checks → Registry.

Every problem in every file is collected (not only the first), each with file, line and column.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from zhili.diagnostics import Diagnostic, Severity, error
from zhili.errors import DataError
from zhili.loading import lighten, yamlread
from zhili.fsio import display_name  # noqa: F401  (re-exported)
from zhili.loading.schema_errors import diagnostics as schema_diagnostics
from zhili.loading.checking import Check, CheckContext, Loaded, Skipped
from zhili.loading.layout import SPECS, FileSpec, folder_diagnostics, stray_diagnostics
from zhili.loading.source import SourceFile
from zhili.model.registry import Registry
from zhili.model.scheme import DEFAULT_COMMUNITY_LABEL, DEFAULT_LEVEL_ID, DEFAULT_LEVEL_NAME, Level, TypesFile
from zhili.model.unit import UnitsFile

Reads = dict[Path, tuple[bytes | None, list[Diagnostic]]]  # a file's bytes (or why not), read once


@dataclass
class LoadResult:
    registry: Registry | None
    diagnostics: list[Diagnostic]
    files: dict[str, Loaded] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]


def read_source(path: Path, root: Path | None = None, reads: Reads | None = None) -> tuple[SourceFile | None, list[Diagnostic]]:
    """One file as a SourceFile; with `root`, only a regular file inside that data directory is read.
    `reads` holds bytes already read (and fingerprinted) by the cache: those are used, not read again, and
    taken out of `reads`, so that a large file's bytes are not held once its values are built."""
    shown = display_name(path)
    data, problems = reads.pop(path) if reads is not None and path in reads else yamlread.read_path(path, shown, root)
    if data is None:
        return None, problems
    result = yamlread.read(data, shown)
    return SourceFile.read(shown, data, result.value, path, root), result.diagnostics


def validate_model(source: SourceFile, model: type[BaseModel]) -> tuple[Any, list[Diagnostic]]:
    if not isinstance(source.value, dict):
        return None, [source.diag((), "ZL203", f"文件的顶层应为映射（“字段: 值”的形式），这里是{_kind(source.value)}。",
                                  f"按模板书写，顶层字段是：{'、'.join(model.model_fields)}。")]
    try:
        model_value, errors = _validate(model, source.value)
    except ValidationError as exc:
        return None, schema_diagnostics(exc, model, source)
    if errors:
        return None, schema_diagnostics(errors, model, source)
    source.value = None  # the models hold the data now: free the plain tree for what comes next
    return model_value, []


_SLICE = 2000  # entries of a long list validated at a time
_CHECK_CAP = 1000  # diagnostics one cross-check may produce (each file shows at most 200 of them)


def _validate(model: type[BaseModel], value: dict) -> tuple[Any, list[dict[str, Any]]]:
    """The model, or its errors. A file with one long list (100,000 communities) is validated a slice at
    a time, so a file wrong in every entry stops at the cap instead of building millions of errors. The
    entries of the files that grow with the communities become light records (`zhili.loading.lighten`),
    a slice at a time, so that only one slice of pydantic instances exists at once."""
    light = lighten.light_field(model)
    long = [k for k, v in value.items() if isinstance(v, list) and len(v) > _SLICE]
    field = next((n for n, f in model.model_fields.items() if long and long[0] in (n, f.alias)), None)
    if len(long) != 1 or field is None:
        validated = model.model_validate(value)
        return (validated if light is None else lighten.lighten(validated, light)), []
    key, items = long[0], value[long[0]]
    errors: list[dict[str, Any]] = []
    checked: list[Any] = []
    first: Any = None  # the first slice's model: the fields outside the list, validated
    for start in range(0, len(items), _SLICE):
        try:
            part = model.model_validate({**value, key: items[start:start + _SLICE]})
            checked.extend(lighten.entries(getattr(part, field)) if light == field else getattr(part, field))
            first = part if first is None else first
            if not errors:  # the models hold these entries now: free their plain values, so that the
                items[start:start + _SLICE] = [None] * len(items[start:start + _SLICE])  # next slice reuses the memory
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = err["loc"]
                if len(loc) > 1 and loc[0] == key and isinstance(loc[1], int):
                    errors.append({**err, "loc": (key, loc[1] + start, *loc[2:])})
                elif start == 0:  # outside the list: the same in every slice
                    errors.append(err)
        if len(errors) > yamlread.MAX_DIAGNOSTICS_PER_FILE:
            break
    if errors:
        return None, errors
    if light == field:  # the file's other fields as the first slice validated them, with every entry
        return lighten.lighten(first, field, checked), []
    return model.model_validate({**value, key: checked}), []  # validated entries are taken as they are


def _kind(value: Any) -> str:
    return "列表" if isinstance(value, list) else "一段文字"


def load(data_dir: Path, reads: Reads | None = None) -> LoadResult:
    """Every file read, validated and cross-checked, with the cyclic garbage collector paused: loading
    builds no reference cycles, and the collector would otherwise walk the growing data again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(data_dir, reads)
    finally:
        if enabled:
            gc.enable()


def _load(data_dir: Path, reads: Reads | None = None) -> LoadResult:
    diags: list[Diagnostic] = []
    shown_dir = display_name(data_dir)
    if not data_dir.is_dir():
        return LoadResult(None, [error(shown_dir, 0, 0, "ZL002", f"数据目录不存在：{shown_dir}。", "用 --data 指定数据目录。")])
    if not any((data_dir / s.name).exists() or (s.folder and (data_dir / s.folder).exists()) for s in SPECS):
        return LoadResult(None, [error(shown_dir, 0, 0, "ZL002", f"目录 {shown_dir} 中没有任何 zhili 数据文件。",
                                       f"数据目录应包含 {'、'.join(s.name for s in SPECS if s.required)}；可以用 zhili init 生成。")])
    diags.extend(stray_diagnostics(data_dir))  # a .yml or unknown YAML file is never silently skipped
    diags.extend(folder_diagnostics(data_dir))  # communities/, progress/, plans/: both forms, empty, subfolders
    files: dict[str, Loaded] = {}
    failed: set[str] = set()  # kinds with a file that did not validate
    failed_files: list[tuple[FileSpec, str]] = []
    for spec in SPECS:
        if _unreadable_form(spec, data_dir):  # both forms, or an empty folder: said by folder_diagnostics
            failed.add(spec.kind)
            both = os.path.lexists(data_dir / spec.name)  # ZL010 names the file, ZL011 the folder
            failed_files.append((spec, display_name(data_dir / (spec.name if both else spec.folder or spec.name))))
            continue
        for key, path in spec.paths(data_dir):
            if not spec.required and not path.exists() and not path.is_symlink():
                continue
            source, read_diags = read_source(path, data_dir, reads)
            diags.extend(read_diags)
            model, model_diags = (None, []) if source is None or read_diags else validate_model(source, spec.model)
            diags.extend(model_diags)
            if model is not None:
                files[key] = Loaded(source, model)
            else:
                failed.add(spec.kind)
                failed_files.append((spec, display_name(path)))
    if "units" not in files:
        # without the units (every other file names them) nothing else can be cross-checked
        skipped = [Skipped(shown, f"{shown} {_why(shown, diags)}：所有相互引用检查未进行（没有单位就无法核对其他文件）")
                   for spec, shown in failed_files if spec.kind == "units"]
        return LoadResult(None, _ordered(diags), files, skipped)
    # Cross-check whatever did validate, so one run reports every problem; a check skips the
    # files that failed (their problems are already reported). Without the scheme, only the checks
    # that do not need it run.
    registry = assemble(data_dir, files)
    ctx = CheckContext(registry, files, failed)
    for check in CHECKS if "types" in files else WITHOUT_SCHEME:
        found = list(islice(check(ctx), _CHECK_CAP + 1))
        if len(found) > _CHECK_CAP:  # the same mistake in every entry of a large file: stop this check, say so
            found[_CHECK_CAP:] = [yamlread.too_many(found[_CHECK_CAP - 1].file, yamlread.MAX_DIAGNOSTICS_PER_FILE)]
        diags.extend(found)
    complete = all(s.kind in files or ctx.each(s.kind) for s in SPECS if s.required)
    ok = complete and not any(d.is_error for d in diags)
    skipped = [Skipped(shown, f"{shown} {_why(shown, diags)}：涉及{spec.label}的相互引用检查未进行")
               for spec, shown in failed_files] + ctx.skipped
    return LoadResult(registry if ok else None, _ordered(diags), files, skipped)


def _unreadable_form(spec: FileSpec, data_dir: Path) -> bool:
    """A registry written both as a file and as a folder (ZL010), or as a folder without files (ZL011)."""
    if spec.folder is None or not (data_dir / spec.folder).is_dir():
        return False
    single = os.path.lexists(data_dir / spec.name)
    return single or not any(key != spec.kind for key, _ in spec.paths(data_dir))


def _why(shown: str, diags: list[Diagnostic]) -> str:
    codes = {d.code for d in diags if d.file == shown and d.is_error}
    if codes & {"ZL001", "ZL003", "ZL004", "ZL010", "ZL011"}:
        return "无法读取"
    if any(c.startswith(("ZL0", "ZL1")) for c in codes):
        return "有语法错误"
    return "有字段错误"


def load_registry(data_dir: Path, reads: Reads | None = None) -> Registry:
    """For commands: the registry, or a DataError carrying every diagnostic."""
    result = load(data_dir, reads)
    if result.registry is None:
        raise DataError(f"数据目录 {display_name(data_dir)} 中的数据有误，请先修正（可运行 zhili validate 查看全部问题）。",
                        result.errors)
    return result.registry


def assemble(data_dir: Path, files: dict[str, Loaded]) -> Registry:
    """The registry from validated files; a file that failed contributes nothing (see `CheckContext.has`)."""
    types: TypesFile = files["types"].model if "types" in files else TypesFile.model_construct(
        scheme=None, categories=[], types=[], evaluation=None, attributes=[], precedence=[], standards=[], levels=[],
        community_label=None)
    units: UnitsFile = files["units"].model

    def models(kind: str) -> list[Any]:  # its single file, or its folder's files in name order
        return [files[kind].model] if kind in files else [f.model for k, f in files.items() if k.startswith(kind + "/")]

    def part(kind: str, attr: str) -> list[Any]:
        return [entry for model in models(kind) for entry in getattr(model, attr)]

    return Registry(
        data_dir=data_dir,
        scheme=types.scheme,
        categories=list(types.categories),
        types=list(types.types),
        communities=part("communities", "communities"),
        units=list(units.units),
        groups=list(units.groups),
        tasks=part("tasks", "tasks"),
        evaluation=types.evaluation,
        evaluations=sorted((loaded.model for key, loaded in files.items() if key.startswith("evaluations/")),
                           key=lambda e: e.year),
        remediation=part("remediation", "remediation"),
        progress=part("progress", "progress"),
        plan_requirement=next((m.requirement for m in models("plans") if m.requirement is not None), None),
        plans=part("plans", "plans"),
        attributes=list(types.attributes),
        precedence=list(types.precedence),
        standards=list(types.standards),
        vocabularies=types.vocabularies,
        levels=list(getattr(types, "levels", None) or []) or [_default_level()],
        levels_declared=bool(getattr(types, "levels", None)),
        community_label=getattr(types, "community_label", None) or DEFAULT_COMMUNITY_LABEL,
        programmes=declared_programmes(types),
        targets=list(getattr(types, "targets", None) or []),
        type_label=getattr(types, "type_label", None) or "社区类型",
        dimensions=list(getattr(types, "dimensions", None) or []),
        needs=part("needs", "needs"),
        resources=part("resources", "resources"),
    )


def _default_level() -> Level:
    """The one level of a scheme that declares none: the unit a community belongs to."""
    return Level(id=DEFAULT_LEVEL_ID, name=DEFAULT_LEVEL_NAME)
def declared_programmes(types: TypesFile) -> list[Any]:
    """The scheme's programmes; without a declaration, the one programme `pilot_start` stands for."""
    from zhili.model.targets import DEFAULT_PROGRAMMES, Programme

    declared = getattr(types, "programmes", None)
    return list(declared) if declared is not None else [Programme(**p) for p in DEFAULT_PROGRAMMES]


def _ordered(diags: list[Diagnostic]) -> list[Diagnostic]:
    """By file and line; a file with more problems than the cap keeps the first ones and says so (ZL119)."""
    cap = yamlread.MAX_DIAGNOSTICS_PER_FILE
    counts: dict[str, int] = {}
    kept: list[Diagnostic] = []
    for d in sorted(diags, key=Diagnostic.sort_key):
        if d.code == "ZL119":  # the reader or the schema already stopped at the cap
            kept.append(d)
            continue
        counts[d.file] = counts.get(d.file, 0) + 1
        if counts[d.file] <= cap:
            kept.append(d)
    capped = {d.file for d in kept if d.code == "ZL119"}
    kept += [yamlread.too_many(f, cap) for f, n in counts.items() if n > cap and f not in capped]
    return sorted(kept, key=Diagnostic.sort_key)


# -- cross-reference checks (each module's checks take a CheckContext: zhili.loading.checking) -----

# the scheme's types, the units, the communities and the tasks
from zhili.loading.core_checks import check_communities, check_tasks, check_types, check_units  # noqa: E402

# administrative levels, units at them and their parents, unit kinds, groups by level
from zhili.loading.level_checks import check_level_groups, check_levels, check_unit_levels  # noqa: E402

CHECKS: list[Check] = [check_types, check_levels, check_units, check_unit_levels, check_level_groups, check_communities,
                       check_tasks]

# pilots, led types and coverage targets; the optional catalogues (needs.yaml, resources.yaml)
from zhili.loading.coverage_checks import check_coverage  # noqa: E402
from zhili.loading.catalogue_checks import check_catalogues  # noqa: E402

CHECKS += [check_coverage, check_catalogues]

# programmes and targets (types.yaml), the programmes communities take part in
from zhili.loading.target_checks import check_targets  # noqa: E402

CHECKS += [check_targets]

# classification attributes (types.yaml), community attribute values, rules and precedence
from zhili.loading.rule_checks import check_attribute_values, check_rules  # noqa: E402

CHECKS += [check_rules, check_attribute_values]

# classification dimensions (types.yaml `dimensions`), community values, task scopes (`applies_to`)
from zhili.loading.dimension_checks import check_dimensions  # noqa: E402

CHECKS += [check_dimensions]

# progress entries (progress.yaml), 一社区一策 plans (plans.yaml), schedules of recurring tasks
from zhili.loading.progress_checks import check_plans, check_progress, check_schedules  # noqa: E402

CHECKS += [check_schedules, check_progress, check_plans]

# what can be checked when types.yaml could not be read: units and the references to them
WITHOUT_SCHEME: list[Check] = [check_units, check_unit_levels, check_communities, check_tasks, check_schedules, check_progress, check_plans]

# the yearly evaluation (evaluations/<年度>.yaml) and the remediation of 后进 (remediation.yaml)
from zhili.loading.evaluation_checks import check_evaluation_rules, check_evaluations, check_remediation  # noqa: E402

CHECKS += [check_evaluation_rules, check_evaluations, check_remediation]

# registries written as folders: exactly one plans file holds the requirement
from zhili.loading.folder_checks import check_plan_requirement  # noqa: E402

CHECKS += [check_plan_requirement]
WITHOUT_SCHEME += [check_plan_requirement]

# standards (types.yaml `standards:`) name declared numeric attributes
from zhili.loading.standard_checks import check_standards  # noqa: E402

CHECKS += [check_standards]
