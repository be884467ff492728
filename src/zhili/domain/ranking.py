"""The yearly evaluation (年度评议): rank the communities of each type, name 先进 and 后进.

Pure functions over models: they never print, exit or read files. The stages, their weights, the
tie-break order, the quotas and the method come from types.yaml `evaluation:` (docs/data/types.md).
The rules for `method: scores` (docs/commands/rank.md, “排队规则”):

1. composite = the declared weights × the stage scores (exact arithmetic, no float drift);
2. rank within each type, highest first;
3. equal composites are ordered by the stages named in `tie_break`, in that order; still equal → 并列
   (same rank) and a warning that the committee decides — never by name or file order;
4. a community with a 一票否决 item (when the scheme has vetoes) cannot be 先进 and is 后进 whatever its
   score (it uses a 后进 place);
5. quotas are counts, or shares of the type's ranked communities (rounded down); with `small_types: half`
   a type with fewer ranked communities than 先进 + 后进 names at most half of them on each side,
   rounding down (3 → 1 and 1, 1 → none); no community is ever both;
6. a 并列 group that straddles the last 先进 (or 后进) place is left 待定 for the committee;
7. a community without a complete evaluation is 未评: not ranked, with a warning (a veto still makes it 后进).

`method: selection` (each stage 是/否) and `method: grades` (each stage one of the declared grades) name
no 先进/后进 and compute no composite: see `decide_type`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from zhili.errors import MissingPartError, UsageError
from zhili.model.registry import Registry
from zhili.model.behaviour import NO, YES, AppliedRules, pairing_measures

if TYPE_CHECKING:
    from zhili.model.community import Community
    from zhili.model.evaluation import Evaluation, Remediation
    from zhili.model.scheme import CommunityType


class Designation(str, Enum):
    ADVANCED = "advanced"
    LAGGING = "lagging"

    @property
    def label(self) -> str:
        return "先进" if self is Designation.ADVANCED else "后进"


_EXACT: dict[float, Decimal] = {}


def _exact(value: float) -> Decimal:
    # the scores were typed as decimal text; str() gives that text back, and Decimal arithmetic on a
    # few decimal places is exact (28 significant digits), so equal scores really compare equal.
    # Scores repeat (one decimal place between 0 and 100): each is converted once (not 0.0 and -0.0,
    # which are equal as keys but not as text).
    found = _EXACT.get(value) if value else None
    if found is None:
        found = Decimal(str(value))
        if value and len(_EXACT) < 65536:
            _EXACT[value] = found
    return found


def composite(evaluation: Evaluation, rules: AppliedRules) -> Decimal:
    """The weighted score of a complete evaluation, exactly."""
    return sort_key(evaluation, _exact_weights(rules))[0]


def _exact_weights(rules: AppliedRules) -> tuple[tuple[str, Decimal], ...]:
    return tuple((s.id, _exact(s.weight or 0)) for s in rules.stages)


def sort_key(evaluation: Evaluation, weights: tuple[tuple[str, Decimal], ...], tie_break: tuple[str, ...] = ()
             ) -> tuple[Decimal, ...]:
    """(composite, then the `tie_break` stages' scores) of a complete evaluation, exactly; `weights` from
    `_exact_weights`."""
    composite_ = sum((w * _exact(getattr(evaluation, k)) for k, w in weights), Decimal(0))
    return (composite_, *(_exact(getattr(evaluation, k)) for k in tie_break))


@dataclass(frozen=True)
class Snapshot:
    """Where a community stood in another year."""

    year: int
    rank: int | None
    score: float | None
    designation: Designation | None


@dataclass
class RankedCommunity:
    community: Community
    evaluation: Evaluation | None
    exact: Decimal | None = None  # composite score; None = 未评
    rank: int | None = None
    tied: bool = False
    designation: Designation | None = None
    pending: Designation | None = None  # in a 并列 group straddling the last place of this side
    previous: Snapshot | None = None
    evaluator: str | None = None  # the record's, else the year file's
    evaluated_on: date | None = None
    score: float | None = None  # the composite rounded to 2 places, for display; set with `exact`
    values: dict[str, Any] = field(default_factory=dict)  # the record's result of each declared stage, by stage id
    result: str | None = None  # selection: selected / not_selected; grades: the final grade; None: 未评 or scores
    veto: bool = field(init=False)  # the record has a 一票否决 item

    def __post_init__(self) -> None:
        self.veto = bool(self.evaluation and self.evaluation.vetoes)

    @property
    def rated(self) -> bool:
        return self.exact is not None or self.result is not None

    key: tuple[Decimal, ...] = ()  # for ranking: composite, then the tie-break stages' scores (set with `exact`)

    @property
    def rank_change(self) -> int | None:
        """Places moved up since the previous year (negative: down)."""
        if self.rank is None or self.previous is None or self.previous.rank is None:
            return None
        return self.previous.rank - self.rank

    def snapshot(self, year: int) -> Snapshot:
        return Snapshot(year, self.rank, self.score, self.designation)

    def to_dict(self) -> dict[str, Any]:
        e = self.evaluation
        return {
            "id": self.community.id,
            "name": self.community.name,
            "street": self.community.street,
            "score": self.score,
            "rank": self.rank,
            "designation": self.designation.value if self.designation else None,
            "veto": self.veto,
            "status": ("ranked" if self.exact is not None else "decided") if self.rated else "unrated",
            "tied": self.tied,
            "pending": self.pending.value if self.pending else None,
            "scores": dict(self.values),
            "result": self.result,
            "vetoes": [{"item": v.item, "reason": v.reason} for v in e.vetoes] if e else [],
            "previous": None if self.previous is None else {
                "year": self.previous.year, "rank": self.previous.rank, "score": self.previous.score,
                "designation": self.previous.designation.value if self.previous.designation else None},
            "rank_change": self.rank_change,
            "evaluator": self.evaluator,
            "date": self.evaluated_on,
            "designation_label": self.designation.label if self.designation else None,  # the Chinese of each code
            "status_label": ("参加排队" if self.exact is not None else "已评定") if self.rated else "未评",
            "result_label": RESULT_LABELS.get(self.result, self.result) if self.result else None,
            "pending_label": f"待定{self.pending.label}（并列）" if self.pending else None,
        }


@dataclass
class TypeRanking:
    type: CommunityType
    year: int
    advanced_quota: int  # after the small-type rule
    lagging_quota: int
    entries: list[RankedCommunity]  # ranked first (best first), then 未评
    warnings: list[str] = field(default_factory=list)
    tie_breaks: list[str] = field(default_factory=list)  # equal composites ordered by a tie-break score
    rules: AppliedRules | None = None  # the year's rules: method and stages (labels for headers)

    def with_designation(self, d: Designation) -> list[RankedCommunity]:
        return [e for e in self.entries if e.designation is d]

    def entry(self, community_id: str) -> RankedCommunity | None:
        return next((e for e in self.entries if e.community.id == community_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type.name, "type_id": self.type.id, "year": self.year,
                "advanced_quota": self.advanced_quota, "lagging_quota": self.lagging_quota,
                "communities": [e.to_dict() for e in self.entries], "warnings": list(self.warnings),
                "tie_breaks": list(self.tie_breaks),
                "method": self.rules.method if self.rules else None,
                "stages": [{"id": s.id, "label": s.label, "weight": s.weight} for s in self.rules.stages] if self.rules else []}


NAMES_SHOWN = 10


def _names(entries: list[RankedCommunity]) -> str:
    """Names for a warning; a long list (a provincial registry) is cut after NAMES_SHOWN."""
    names = "、".join(e.community.name for e in entries[:NAMES_SHOWN])
    return names if len(entries) <= NAMES_SHOWN else f"{names}等 {len(entries)} 个社区"


def _tie_groups(entries: list[RankedCommunity]) -> list[list[RankedCommunity]]:
    """Consecutive entries (already sorted best first) with the same full key."""
    groups: list[list[RankedCommunity]] = []
    for e in entries:
        if groups and groups[-1][0].key == e.key:
            groups[-1].append(e)
        else:
            groups.append([e])
    return groups


RESULT_LABELS = {"selected": "入选", "not_selected": "未入选"}


def _quota(quota: int | float, n: int) -> int:
    """A count as it is; a share of `n` ranked communities, rounded down (exactly)."""
    if isinstance(quota, int):
        return quota
    return int(_exact(quota) * n)


def rank_type(type_: CommunityType, communities: list[Community], records: dict[str, Evaluation], year: int,
              rules: AppliedRules) -> TypeRanking:
    """Rank one type's communities for one year (see the module docstring for the rules)."""
    if rules.method != "scores":
        return decide_type(type_, communities, records, year, rules)
    warnings: list[str] = []
    entries = [RankedCommunity(c, records.get(c.id)) for c in communities]
    exact_weights = _exact_weights(rules)
    ids = [s.id for s in rules.stages]
    for e in entries:
        e.values = {k: getattr(e.evaluation, k, None) if e.evaluation is not None else None for k in ids}
        if e.evaluation is not None and None not in e.values.values():
            e.key = sort_key(e.evaluation, exact_weights, rules.tie_break)
            e.exact = e.key[0]
            e.score = round(float(e.exact), 2)
        elif e.evaluation is None:
            warnings.append(f"{e.community.name}没有 {year} 年的评议记录，列为未评，不参加排队。")
        else:
            gaps = "、".join(s.label for s in rules.stages if e.values[s.id] is None)
            warnings.append(f"{e.community.name}的 {year} 年评议不完整（缺少{gaps}），列为未评，不参加排队。")
    if not rules.vetoes:
        for e in entries:
            e.veto = False
    rated = sorted((e for e in entries if e.rated), key=lambda e: e.key, reverse=True)  # stable: ties keep file order for display only
    position = 0  # `rated` is sorted best first: a group's rank is 1 + the number of entries before it
    compared = "".join(f"、{rules.label(k)}" for k in rules.tie_break)
    for group in _tie_groups(rated):
        rank = position + 1
        position += len(group)
        for e in group:
            e.rank, e.tied = rank, len(group) > 1
        if len(group) > 1:
            what = f"综合得分及{compared[1:]}得分都相同" if compared else "综合得分相同"
            warnings.append(f"{_names(group)}的{what}，并列第 {rank} 名，需由评议委员会决定先后。")

    labels = ("综合得分", *(rules.label(k) for k in rules.tie_break))
    tie_breaks = [_tie_break(a, b, labels) for a, b in zip(rated, rated[1:]) if a.exact == b.exact and a.key != b.key]

    n = len(rated)
    advanced, lagging = _quota(rules.advanced, n), _quota(rules.lagging, n)
    adv_q, lag_q = advanced, lagging
    if n == 0:
        adv_q, lag_q = 0, 0
        warnings.append("本类型没有参加排队的社区。")
    elif n < advanced + lagging and rules.small_types == "half":
        adv_q, lag_q = min(advanced, n // 2), min(lagging, n // 2)
        warnings.append(f"本类型参加排队的社区只有 {n} 个，少于先进 {advanced} 个加后进 {lagging} 个：按“每侧最多评定"
                        f"参评社区数的一半（向下取整）”的规则，评定先进 {adv_q} 个、后进 {lag_q} 个。")
    elif n < advanced + lagging:
        adv_q, lag_q = min(advanced, n), max(0, min(lagging, n - advanced))
        warnings.append(f"本类型参加排队的社区只有 {n} 个，少于先进 {advanced} 个加后进 {lagging} 个：先评定先进，"
                        f"余下的评定后进，评定先进 {adv_q} 个、后进 {lag_q} 个。")

    vetoed = [e for e in entries if e.veto]
    for e in vetoed:
        e.designation = Designation.LAGGING
        items = "、".join(v.item for v in e.evaluation.vetoes)  # type: ignore[union-attr]
        warnings.append(f"{e.community.name}有一票否决事项（{items}），不能评为先进，评为后进。")
    if len(vetoed) > lag_q:
        warnings.append(f"一票否决的社区有 {len(vetoed)} 个，多于后进名额 {lag_q} 个：全部评为后进。")

    groups = _tie_groups([e for e in rated if not e.veto])
    _fill(reversed(groups), Designation.LAGGING, lag_q - len(vetoed), warnings)
    _fill(groups, Designation.ADVANCED, adv_q, warnings)
    unrated = [e for e in entries if not e.rated]
    return TypeRanking(type_, year, adv_q, lag_q, rated + unrated, warnings, tie_breaks, rules)


def decide_type(type_: CommunityType, communities: list[Community], records: dict[str, Evaluation], year: int,
                rules: AppliedRules) -> TypeRanking:
    """`method: selection` or `grades`: each community's result, no composite, no rank, no 先进/后进.

    selection: a 否 at any stage means 未入选 (later stages need not be written); 是 at every stage, the
    last included, means 入选; a stage not yet written before any 否 leaves the community 未评.
    grades: the final grade is the last stage's; without it the community is 未评.
    With vetoes, a 一票否决 item means 未入选, or the lowest declared grade."""
    warnings: list[str] = []
    entries = [RankedCommunity(c, records.get(c.id)) for c in communities]
    for e in entries:
        if not rules.vetoes:
            e.veto = False
        e.values = {s.id: getattr(e.evaluation, s.id, None) if e.evaluation is not None else None for s in rules.stages}
        if e.evaluation is None:
            warnings.append(f"{e.community.name}没有 {year} 年的评议记录，列为未评。")
            continue
        if rules.method == "selection":
            e.result = _selection(e, rules)
        else:
            last = rules.stages[-1]
            e.result = e.values[last.id]
            if e.veto:
                e.result = rules.grades[-1]
        if e.veto:
            items = "、".join(v.item for v in e.evaluation.vetoes)
            shown = RESULT_LABELS.get(e.result or "", e.result)
            warnings.append(f"{e.community.name}有一票否决事项（{items}），评为{shown}。")
        elif e.result is None:
            gaps = "、".join(s.label for s in rules.stages if e.values[s.id] is None)
            warnings.append(f"{e.community.name}的 {year} 年评议不完整（缺少{gaps}），列为未评。")
    order = {g: i for i, g in enumerate(["selected", "not_selected"] if rules.method == "selection" else rules.grades)}
    decided = sorted((e for e in entries if e.rated), key=lambda e: order.get(e.result, len(order)))  # stable: file order within a result
    if not entries:
        warnings.append("本类型没有社区。")
    return TypeRanking(type_, year, 0, 0, decided + [e for e in entries if not e.rated], warnings, [], rules)


def _selection(e: RankedCommunity, rules: AppliedRules) -> str | None:
    if e.veto:
        return "not_selected"
    for s in rules.stages:
        value = e.values[s.id]
        if value in NO:
            return "not_selected"
        if value not in YES:
            return None
    return "selected"


def _tie_break(a: RankedCommunity, b: RankedCommunity, labels: tuple[str, ...]) -> str:
    i = next(i for i, (x, y) in enumerate(zip(a.key, b.key)) if x != y)
    return (f"{a.community.name}与{b.community.name}综合得分相同（{a.score:g}），按{labels[i]}"
            f"（{float(a.key[i]):g} 对 {float(b.key[i]):g}）排定先后。")


def _fill(groups: Any, side: Designation, slots: int, warnings: list[str]) -> None:
    """Give `side` to whole tie groups from one end; a group larger than the places left stays 待定."""
    for group in groups:
        if slots <= 0 or any(e.designation or e.pending for e in group):
            return
        if len(group) <= slots:
            for e in group:
                e.designation = side
            slots -= len(group)
            continue
        for e in group:
            e.pending = side
        warnings.append(f"{_names(group)}并列第 {group[0].rank} 名，而{side.label}名额只剩 {slots} 个：不能按名称或录入顺序"
                        f"决定，需由评议委员会决定评给谁，此前列为待定。")
        return


def years(reg: Registry) -> list[int]:
    return [e.year for e in reg.evaluations]


def rank_year(reg: Registry, year: int, type_: CommunityType | None = None, previous: bool = True,
              _members: dict[str, list[Community]] | None = None) -> list[TypeRanking]:
    """Every type's ranking for `year` (or only `type_`), with each community's standing in year − 1."""
    data = reg.evaluation_year(year)
    if data is None or not data.evaluations:
        have = "、".join(str(e.year) for e in reg.evaluations if e.evaluations)
        raise MissingPartError(f"没有 {year} 年的评议数据（evaluations/{year}.yaml 不存在或没有记录）。",
                            f"已有评议数据的年度：{have}。" if have else "在数据目录的 evaluations/ 中按年度添加评议文件，如 evaluations/2021.yaml。")
    if reg.evaluation is None:
        raise MissingPartError("types.yaml 中没有年度评议规则（evaluation），无法评定。",
                            "在 types.yaml 中加上 evaluation: 部分，写明评议阶段（stages）、各阶段的权重和每类先进、后进的名额。")
    rules = reg.evaluation.for_year(year)
    records: dict[str, Evaluation] = {}
    for e in data.evaluations:
        records.setdefault(e.community, e)
    types = [type_] if type_ is not None else reg.types
    members = _members if _members is not None else _by_type(reg)
    result = [rank_type(t, members.get(t.id, []), records, year, rules) for t in types]
    for r in result:
        for e in r.entries:
            if e.evaluation is not None:
                e.evaluator = e.evaluation.evaluator or data.evaluator
                e.evaluated_on = e.evaluation.date or data.date
    before = reg.evaluation_year(year - 1)
    if previous and before is not None and before.evaluations:
        for now, then in zip(result, rank_year(reg, year - 1, type_, previous=False, _members=members)):
            index = {}
            for old in then.entries:
                index.setdefault(old.community.id, old)
            for e in now.entries:
                old = index.get(e.community.id)
                e.previous = old.snapshot(year - 1) if old is not None else None
    return result


def _by_type(reg: Registry) -> dict[str, list[Community]]:
    """Type id -> its communities in file order (what `reg.communities_of` gives), in one pass."""
    out: dict[str, list[Community]] = {}
    for c in reg.communities:
        t = reg.type_of(c.type)
        if t is not None:
            out.setdefault(t.id, []).append(c)
    return out


# -- year-over-year movement of 后进 ------------------------------------------------------------

Status = Literal["still_lagging", "moved_up", "pending", "unrated"]
STATUS_LABELS: dict[str, str] = {"still_lagging": "仍为后进", "moved_up": "晋位升级", "pending": "待定（并列）",
                                 "unrated": "未评"}


@dataclass
class Movement:
    """A community that was 后进 in `base_year`, and where it stands in `year`."""

    base: RankedCommunity
    now: RankedCommunity | None
    status: Status
    measures: list[Remediation]

    def to_dict(self, base_year: int) -> dict[str, Any]:
        now = self.now
        return {
            "id": self.base.community.id, "name": self.base.community.name, "street": self.base.community.street,
            "base_year": base_year, "base_rank": self.base.rank, "base_score": self.base.score,
            "rank": now.rank if now else None, "score": now.score if now else None,
            "designation": now.designation.value if now and now.designation else None,
            "designation_label": now.designation.label if now and now.designation else None,
            "status": self.status,
            "status_label": STATUS_LABELS[self.status],
            "measures": [{"measure": m.measure, "unit": m.unit, "partner": m.partner, "start": m.start, "end": m.end}
                         for m in self.measures],
        }


def movements(reg: Registry, now: TypeRanking, base: TypeRanking) -> list[Movement]:
    """For each 后进 of `base` (one type, an earlier or later year): still 后进 or moved up in `now`."""
    out = []
    for b in base.with_designation(Designation.LAGGING):
        e = now.entry(b.community.id)
        if e is not None and e.designation is Designation.LAGGING:
            status: Status = "still_lagging"
        elif e is not None and e.pending is Designation.LAGGING:
            status = "pending"
        elif e is None or not e.rated:
            status = "unrated"
        else:
            status = "moved_up"
        measures = [r for r in reg.remediation if r.community == b.community.id and r.year == base.year]
        out.append(Movement(b, e, status, measures))
    return out


def compare(reg: Registry, year: int, base_year: int, type_: CommunityType | None = None
            ) -> list[tuple[TypeRanking, list[Movement]]]:
    """Each type's ranking in `year` with the movement of the 后进 of `base_year`."""
    if base_year == year:
        raise UsageError(f"--compare 的年度 {base_year} 与 --year 相同。", "写另一个年度，如 --year 2022 --compare 2021。")
    now = rank_year(reg, year, type_)
    base = rank_year(reg, base_year, type_, previous=False)
    return [(n, movements(reg, n, b)) for n, b in zip(now, base)]


# -- 先进社区帮带 pairs ---------------------------------------------------------------------------


@dataclass
class Pair:
    lagging: RankedCommunity
    advanced: RankedCommunity | None  # None when no 先进, or several equally suitable (see candidates)
    candidates: list[RankedCommunity]  # the equally suitable 先进 when the choice is the committee's
    same_street: bool
    recorded: list[str]  # names of 先进 already paired in remediation.yaml

    def to_dict(self) -> dict[str, Any]:
        return {"lagging": self.lagging.community.name, "lagging_id": self.lagging.community.id,
                "advanced": self.advanced.community.name if self.advanced else None,
                "advanced_id": self.advanced.community.id if self.advanced else None,
                "street": self.lagging.community.street, "same_street": self.same_street,
                "candidates": [c.community.name for c in self.candidates], "recorded": self.recorded}


def suggest_pairs(reg: Registry, ranking: TypeRanking) -> tuple[list[Pair], list[str]]:
    """Each 后进 with a 先进 of the same type: same street first, then the 先进 helping fewest so far,
    then the better rank. The 后进 are taken worst first (未评 vetoed ones before any ranked)."""
    advanced = ranking.with_designation(Designation.ADVANCED)
    lagging = sorted(ranking.with_designation(Designation.LAGGING), key=lambda e: -(e.rank or 10**9))
    load = {a.community.id: 0 for a in advanced}
    by_id = {c.id: c for c in reg.communities}
    pairing = pairing_measures(reg.vocabularies)
    pairs: list[Pair] = []
    warnings: list[str] = []

    def street(c: Community) -> str:
        unit = reg.unit(c.street)
        return unit.name if unit else c.street

    for low in lagging:
        recorded = [by_id[r.partner].name if r.partner in by_id else str(r.partner) for r in reg.remediation
                    if r.community == low.community.id and r.year == ranking.year and r.measure in pairing]
        if not advanced:
            warnings.append(f"本类型没有评定先进社区，{low.community.name}没有可以帮带它的先进社区，可采用其他帮扶措施。")
            pairs.append(Pair(low, None, [], False, recorded))
            continue

        def cost(a: RankedCommunity) -> tuple[int, int, int]:
            return (street(a.community) != street(low.community), load[a.community.id], a.rank or 0)

        best = min(cost(a) for a in advanced)
        chosen = [a for a in advanced if cost(a) == best]
        same = best[0] == 0
        if len(chosen) == 1:
            load[chosen[0].community.id] += 1
            pairs.append(Pair(low, chosen[0], [], same, recorded))
        else:
            warnings.append(f"{_names(chosen)}帮带{low.community.name}的条件相同，需由评议委员会指定。")
            pairs.append(Pair(low, None, chosen, same, recorded))
    return pairs, warnings
