"""一社区一策: which community submitted its plan on time, late, or not at all, as of a day.

Status words (the JSON contract, `status`; `status_label` and the tables show the Chinese):
  on_time  截止日期当天或之前报送        按时报送
  late     截止日期之后报送              逾期报送 N 天
  missing  截止日期已过，仍未报送        未报送（截至 as_of 逾期 N 天）
  pending  尚未报送，但还没到截止日期    未报送（截至 as_of 未到期）
A submission dated after `as_of` has not happened yet as of that day. The labels are the scheme's
(`vocabularies.plan_statuses`; the ones above are the defaults): the days late follow the label, and the
as-of day goes into the label's closing parenthesis, or a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Sequence

from zhili.errors import MissingPartError
from zhili.model.registry import Registry

if TYPE_CHECKING:
    from zhili.model.community import Community
    from zhili.model.plan import PlanRequirement, PlanSubmission

PLAN_STATUSES = ("on_time", "late", "missing", "pending")
NOT_ON_TIME = frozenset(("late", "missing", "pending"))


@dataclass(frozen=True)
class PlanState:
    community: Community
    status: str
    submission: PlanSubmission | None  # None unless submitted on or before as_of
    days_late: int | None  # late: days after the due date it came in; missing: days past the due date

    as_of: date
    label: str = ""  # the scheme's label for `status` (vocabularies.plan_statuses)

    @property
    def status_label(self) -> str:
        """The Chinese for `status`; a count of days past the due date says as of which day it was counted."""
        label = self.label or self.status
        day = self.as_of.isoformat()
        if self.status == "late":
            return f"{label} {self.days_late} 天"
        if self.status == "missing":
            return _as_of(label, f"截至 {day} 逾期 {self.days_late} 天")
        if self.status == "pending":
            return _as_of(label, f"截至 {day}")
        return label


def _as_of(label: str, words: str) -> str:
    """未报送（未到期） + 截至 D → 未报送（截至 D 未到期）; 未报送 + 截至 D 逾期 N 天 → 未报送（截至 D 逾期 N 天）."""
    if label.endswith("）") and "（" in label:
        cut = label.rindex("（") + 1
        return f"{label[:cut]}{words} {label[cut:]}"
    return f"{label}（{words}）"


def status_labels(reg: Registry) -> dict[str, str]:
    """The scheme's label of each plan status (the defaults where the scheme declares none)."""
    vocab = getattr(reg, "vocabularies", None)
    if vocab is None:  # types.yaml did not load
        from zhili.model.vocab import DEFAULT_PLAN_STATUSES

        return dict(DEFAULT_PLAN_STATUSES)
    return {**dict.fromkeys(PLAN_STATUSES, ""), **{s.id: s.label for s in vocab.plan_statuses if s.id in PLAN_STATUSES}}


def requirement(reg: Registry) -> PlanRequirement:
    if reg.plan_requirement is None:
        raise MissingPartError("数据目录中没有 plans.yaml，无法查看“一社区一策”方案的报送情况。",
                         "在数据目录中添加 plans.yaml（报送要求 requirement 和已报送的方案 plans）。")
    return reg.plan_requirement


def plan_states(reg: Registry, as_of: date) -> list[PlanState]:
    """Every community of the registry, in registry order."""
    req = requirement(reg)
    by_id = {p.community: p for p in reg.plans}
    labels = status_labels(reg)
    out = []
    for c in reg.communities:
        sub = by_id.get(c.id)
        if sub is not None and sub.submitted > as_of:
            sub = None
        if sub is not None:
            late = (sub.submitted - req.due).days
            status = "late" if late > 0 else "on_time"
            out.append(PlanState(c, status, sub, late if late > 0 else None, as_of, labels[status]))
        elif as_of > req.due:
            out.append(PlanState(c, "missing", None, (as_of - req.due).days, as_of, labels["missing"]))
        else:
            out.append(PlanState(c, "pending", None, None, as_of, labels["pending"]))
    return out


def plan_rows(reg: Registry, states: Sequence[PlanState]) -> list[dict[str, Any]]:
    req = requirement(reg)
    rows = []
    for s in states:
        ty = reg.type_of(s.community.type)
        targets = [{"name": t.name, "value": t.value, "unit": t.unit, "year": t.year}
                   for t in (s.submission.targets if s.submission else [])]
        rows.append({
            "community": s.community.id,
            "name": s.community.name,
            "street": s.community.street,
            "type": ty.name if ty else None,
            "status": s.status,
            "submitted": s.submission.submitted if s.submission else None,
            "due": req.due,
            "receiver": f"{req.receiver}{req.office or ''}",
            "days_late": s.days_late,
            "targets": targets,
            "status_label": s.status_label,
            "as_of": s.as_of,
            "target_count": len(targets),
            "target_text": "；".join(_target_text(t) for t in targets) or None,
        })
    return rows


def _target_text(t: dict[str, Any]) -> str:
    value = t["value"]
    number = str(int(value)) if float(value).is_integer() else f"{value:g}"
    return f"{t['name']} {number}{t['unit'] or ''}"


def summary(states: Sequence[PlanState]) -> dict[str, int]:
    return {k: sum(1 for s in states if s.status == k) for k in PLAN_STATUSES}
