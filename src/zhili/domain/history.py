"""Each community over the years: designations per year per type (`rank --years`) and one community's history.

Pure functions over the registry, built on `zhili.domain.ranking` (every year is ranked with the rules
that apply to it). Marks (the JSON codes; tables show the Chinese):
  moved_up             晋位升级：后进 in the previous year with evaluations, ranked and not 后进 now
  consecutive_lagging  连续后进：后进 in two or more calendar years in a row
  never_evaluated      从未参评：no complete evaluation in any of the years
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from zhili.domain import ranking
from zhili.domain.ranking import Designation
from zhili.errors import MissingPartError, UsageError
from zhili.model.behaviour import pairing_measures

if TYPE_CHECKING:
    from zhili.domain.classify import Classification
    from zhili.domain.ranking import Pair, RankedCommunity
    from zhili.domain.tasks import TaskState
    from zhili.model.community import Community
    from zhili.model.evaluation import Remediation
    from zhili.model.plan import PlanSubmission
    from zhili.model.progress import ProgressEntry
    from zhili.model.registry import Registry
    from zhili.model.scheme import CommunityType

MARKS: dict[str, str] = {"moved_up": "晋位升级", "consecutive_lagging": "连续后进", "never_evaluated": "从未参评"}


def parse_years(text: str) -> list[int]:
    """"2021-2025" (or "2021–2025", "2021~2025") → [2021, …, 2025]; a single year → [year]."""
    cleaned = text.strip().replace("–", "-").replace("—", "-").replace("~", "-").replace("至", "-")
    parts = [p.strip() for p in cleaned.split("-")]
    if len(parts) in (1, 2) and all(p.isascii() and p.isdigit() and len(p) == 4 for p in parts):
        first, last = int(parts[0]), int(parts[-1])
        if first <= last and last - first < 100:
            return list(range(first, last + 1))
    raise UsageError(f"“{text}”不是年度范围：写 起始年-结束年，如 2021-2025。", "起始年不能晚于结束年。")


@dataclass
class YearCell:
    """Where a community stood in one year."""

    year: int
    entry: RankedCommunity | None  # None: not in that year's ranking of its type
    moved_up: bool = False

    @property
    def rated(self) -> bool:
        return self.entry is not None and self.entry.rated

    @property
    def lagging(self) -> bool:
        return self.entry is not None and self.entry.designation is Designation.LAGGING

    @property
    def label(self) -> str:
        e = self.entry
        if e is None:
            return "未评"
        if e.designation is not None:
            text = e.designation.label + ("（否决）" if e.veto else "")
        elif e.pending is not None:
            text = f"待定{e.pending.label}"
        elif e.result is not None:  # selection or grades: the result, no rank
            return ranking.RESULT_LABELS.get(e.result, e.result) + ("（否决）" if e.veto else "")
        elif e.rank is None:
            return "未评"
        else:
            text = ""
        rank = f"第 {e.rank} 名" if e.rank is not None else "未评"
        text = f"{text}（{rank}）" if text else rank
        return text + ("↑晋位升级" if self.moved_up else "")

    def to_dict(self) -> dict[str, Any]:
        e = self.entry
        return {"year": self.year, "evaluated": self.rated, "rank": e.rank if e else None, "score": e.score if e else None,
                "designation": e.designation.value if e and e.designation else None,
                "designation_label": e.designation.label if e and e.designation else None,
                "pending": e.pending.value if e and e.pending else None, "veto": bool(e and e.veto),
                "result": e.result if e else None,
                "result_label": ranking.RESULT_LABELS.get(e.result, e.result) if e and e.result else None,
                "moved_up": self.moved_up, "label": self.label}


@dataclass
class CommunityTimeline:
    community: Community
    cells: list[YearCell]
    lagging_runs: list[list[int]] = field(default_factory=list)  # 连续后进: runs of two or more years

    @property
    def moved_up(self) -> list[int]:
        return [c.year for c in self.cells if c.moved_up]

    @property
    def never_evaluated(self) -> bool:
        return not any(c.rated for c in self.cells)

    @property
    def marks(self) -> list[str]:
        return [m for m, on in (("moved_up", bool(self.moved_up)), ("consecutive_lagging", bool(self.lagging_runs)),
                                ("never_evaluated", self.never_evaluated)) if on]

    def marks_text(self) -> str:
        parts = [f"晋位升级（{'、'.join(str(y) for y in self.moved_up)}）"] if self.moved_up else []
        parts += [f"连续后进（{run[0]}–{run[-1]}）" for run in self.lagging_runs]
        if self.never_evaluated:
            parts.append(MARKS["never_evaluated"])
        return "；".join(parts)

    def to_dict(self) -> dict[str, Any]:
        c = self.community
        return {"id": c.id, "name": c.name, "street": c.street, "years": [cell.to_dict() for cell in self.cells],
                "moved_up": self.moved_up, "consecutive_lagging": self.lagging_runs,
                "never_evaluated": self.never_evaluated, "marks": self.marks,
                "marks_label": [MARKS[m] for m in self.marks], "marks_text": self.marks_text()}


@dataclass
class TypeTimeline:
    type: CommunityType
    years: list[int]
    communities: list[CommunityTimeline]

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type.name, "type_id": self.type.id, "years": self.years,
                "communities": [c.to_dict() for c in self.communities]}


def evaluated_years(reg: Registry) -> list[int]:
    return [e.year for e in reg.evaluations if e.evaluations]


def timeline(reg: Registry, years: list[int], type_: CommunityType | None = None) -> tuple[list[TypeTimeline], list[int]]:
    """Per type, each community's standing in each of `years` that has evaluations; and the years without."""
    have = set(evaluated_years(reg))
    kept = sorted(y for y in set(years) if y in have)
    missing = sorted(y for y in set(years) if y not in have)
    if not kept:
        listed = "、".join(str(y) for y in sorted(have))
        raise MissingPartError(f"所选年度（{_span(sorted(set(years)))}）都没有评议数据。",
                            f"已有评议数据的年度：{listed}。" if listed else "在数据目录的 evaluations/ 中按年度添加评议文件。")
    per_year = {y: ranking.rank_year(reg, y, type_, previous=False) for y in kept}
    types = [type_] if type_ is not None else reg.types
    out = []
    for i, t in enumerate(types):
        index = {y: {e.community.id: e for e in per_year[y][i].entries} for y in kept}
        rows = []
        for c in reg.communities:
            if reg.type_of(c.type) is not t:
                continue
            cells = [YearCell(y, index[y].get(c.id)) for y in kept]
            for before, now in zip(cells, cells[1:]):
                now.moved_up = before.lagging and now.rated and not now.lagging and (
                    now.entry is not None and now.entry.pending is not Designation.LAGGING)
            rows.append(CommunityTimeline(c, cells, _runs([cell.year for cell in cells if cell.lagging])))
        out.append(TypeTimeline(t, kept, rows))
    return out, missing


def _runs(years: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for y in years:
        if runs and runs[-1][-1] == y - 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return [r for r in runs if len(r) >= 2]


def _span(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


# -- one community --------------------------------------------------------------------------------


@dataclass
class HistoryYear:
    year: int
    type: CommunityType
    entry: RankedCommunity | None
    ranked: int  # communities ranked in the type that year
    moved_up: bool
    pairs: list[Pair]  # suggested 先进社区帮带 pairs involving the community that year
    recorded_then: str | None = None  # the type communities.yaml recorded on the evaluation date (from its history)
    known_then: bool = False  # whether the history reaches back to that date
    rules: Any = None  # the scheme's evaluation rules (stages for the scores)

    def to_dict(self) -> dict[str, Any]:
        e = self.entry
        ev = e.evaluation if e else None
        cell = YearCell(self.year, e, self.moved_up)
        rules = self.rules
        return {**cell.to_dict(), "type": self.type.name, "type_id": self.type.id,
                "recorded_type_then": self.recorded_then if self.known_then else None, "ranked": self.ranked,
                "scores": rules.values(ev) if rules is not None else {}, "vetoes": [{"item": v.item, "reason": v.reason} for v in ev.vetoes] if ev else [],
                "evaluator": e.evaluator if e else None, "date": e.evaluated_on if e else None,
                "suggested_pairs": [p.to_dict() for p in self.pairs]}


@dataclass(frozen=True)
class Reclassification:
    """A change of the recorded type, found in the history of communities.yaml (or the uncommitted file)."""

    date: str | None  # the commit's date; None: not committed yet
    commit: str | None
    subject: str
    old: str | None  # type names (as recorded when the type is no longer declared); None: no type
    new: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "commit": self.commit, "subject": self.subject, "old": self.old, "new": self.new}


def reclassifications(reg: Registry, community: Community, records: list[Any]) -> list[Reclassification]:
    """Type changes between consecutive records (commit, date, subject, listed, type), oldest first, then the
    registry's own type (the working tree) when it differs from the last commit. A type written by name in one
    commit and by id in another is the same type."""

    def name(key: str | None) -> str | None:
        t = reg.type_of(key)
        return t.name if t is not None else key

    out: list[Reclassification] = []
    last: str | None = None
    seen = False
    for r in records:
        if not r.listed:
            continue
        now = name(r.type)
        if seen and now != last:
            out.append(Reclassification(r.date, r.commit, r.subject, last, now))
        last, seen = now, True
    current = name(community.type)
    if seen and current != last:
        out.append(Reclassification(None, None, "", last, current))
    return out


def _type_then(reg: Registry, hy: HistoryYear, records: list[Any]) -> None:
    """The type recorded in the last commit of communities.yaml made on or before the evaluation date."""
    e = hy.entry
    when = e.evaluated_on if e is not None else None
    if when is None:
        return
    earlier = [r for r in records if r.listed and r.date <= when.isoformat()]
    if earlier:
        t = reg.type_of(earlier[-1].type)
        hy.recorded_then, hy.known_then = (t.name if t is not None else earlier[-1].type), True


@dataclass
class History:
    community: Community
    type: CommunityType | None
    classification: Classification
    years: list[HistoryYear]
    remediation: list[Remediation]  # measures for the community
    helping: list[Remediation]  # 先进社区帮带 where the community is the partner
    plan: PlanSubmission | None
    tasks: list[TaskState]  # tasks of its type
    progress: list[ProgressEntry]  # progress on those tasks
    general_tasks: int  # tasks for every type (not listed one by one)
    as_of: date
    reclassifications: list[Reclassification] | None = None  # None: no history to look in (not a git repository)


def history(reg: Registry, community: Community, as_of: date, type_records: list[Any] | None = None) -> History:
    """`type_records`: the community's type in each commit of communities.yaml, oldest first (None: unknown)."""
    from zhili.domain import tasks as task_domain
    from zhili.domain.classify import classify_community

    t = reg.type_of(community.type)
    years: list[HistoryYear] = []
    previous_lagging = False
    if t is not None and reg.evaluation is not None:
        for y in evaluated_years(reg):
            r = ranking.rank_year(reg, y, t, previous=False)[0]
            e = r.entry(community.id)
            ranked = sum(1 for x in r.entries if x.rated)
            moved_up = previous_lagging and e is not None and e.rated and e.designation is not Designation.LAGGING \
                and e.pending is not Designation.LAGGING
            pairs = [p for p in ranking.suggest_pairs(reg, r)[0]
                     if p.lagging.community.id == community.id or (p.advanced and p.advanced.community.id == community.id)]
            years.append(HistoryYear(y, t, e, ranked, moved_up, pairs, rules=reg.evaluation))
            previous_lagging = e is not None and e.designation is Designation.LAGGING
    own = [r for r in reg.remediation if r.community == community.id]
    helping = [r for r in reg.remediation if r.partner == community.id and r.measure in pairing_measures(reg.vocabularies)]
    plan = next((p for p in reg.plans if p.community == community.id), None)
    states = [s for s in task_domain.task_states(reg, as_of) if t is not None and reg.type_of(s.task.type) is t]
    order = {s.task.no: i for i, s in enumerate(states)}  # ledger order, never the numbers' sort order
    progress = sorted((p for p in reg.progress if p.task in order), key=lambda p: (p.date, order[p.task]))
    general = sum(1 for x in reg.tasks if x.type is None)
    changes = reclassifications(reg, community, type_records) if type_records is not None else None
    if type_records:
        for hy in years:
            _type_then(reg, hy, type_records)
    return History(community, t, classify_community(reg, community), years, own, helping, plan, states, progress,
                   general, as_of, changes)


def stage_labels(reg: Registry) -> list[tuple[str, str]]:
    """The declared evaluation stages (id, label), for the renderers."""
    return [(s.id, s.label) for s in reg.evaluation.stages] if reg.evaluation is not None else []


# -- the report's section ---------------------------------------------------------------------------


@dataclass
class EvaluationHistory:
    """For the yearly report: how the previous year's 后进 moved, and each type over the years."""

    year: int
    base_year: int  # the previous year with evaluations
    movements: list[tuple[CommunityType, list[Any]]]  # per type: ranking.Movement of base_year's 后进
    timelines: list[TypeTimeline]  # every year with evaluations up to `year`


def evaluation_history(reg: Registry, year: int) -> EvaluationHistory | None:
    """None when `year` is the first (or only) year with evaluations, or the scheme names no 先进/后进
    (a selection or grades: the report's evaluation section shows each year's results)."""
    years = [y for y in evaluated_years(reg) if y <= year]
    if len(years) < 2 or years[-1] != year or reg.evaluation is None or reg.evaluation.method != "scores":
        return None
    base = years[-2]
    moves = [(now.type, ms) for now, ms in ranking.compare(reg, year, base)]
    timelines, _ = timeline(reg, years)
    return EvaluationHistory(year, base, moves, timelines)
