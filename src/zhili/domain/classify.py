"""Classify communities by the scheme's rules, and explain every decision.

Rules are evaluated with three values: True, False and None ("unknown": an attribute the condition
needs has no value). `all` is False if any part is False, else unknown if any part is unknown;
`any` is True if any part is True, else unknown if any part is unknown; `not` keeps unknown.

The decision: the types whose rule holds are the matches. One match decides. Several matches are
separated by the scheme's precedence (earlier wins) only when every match is listed there; otherwise
the community is ambiguous. A type whose rule is unknown could still change the result, unless it
is listed after the winner: then the status is missing-data, naming the attributes to fill in.
A recorded type without a rule takes no part in automatic classification: when no rule holds, there is
nothing to contradict the record, and the status is consistent (computed stays empty).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Literal

from zhili.model.registry import Registry
from zhili.model.values import OP_LABELS, Value, convert, show

if TYPE_CHECKING:
    from zhili.model.community import Community
    from zhili.model.rules import Attribute, Rule
    from zhili.model.scheme import CommunityType

Status = Literal["consistent", "mismatch", "ambiguous", "unclassified", "missing-data"]
STATUSES: tuple[Status, ...] = ("consistent", "mismatch", "ambiguous", "unclassified", "missing-data")
STATUS_LABELS: dict[str, str] = {
    "consistent": "一致",
    "mismatch": "与登记不符",
    "ambiguous": "无法区分",
    "unclassified": "未能归类",
    "missing-data": "缺少数据",
}
RESULT_LABELS = {True: "成立", False: "不成立", None: "缺数据"}


@dataclass(frozen=True)
class Trace:
    """One rule node as evaluated for one community."""

    kind: str  # all | any | not | condition
    result: bool | None  # None: unknown, an attribute is missing
    children: tuple[Trace, ...] = ()
    attribute: Attribute | None = None
    test: str = ""  # the requirement as people read it: ≥ 0.5、属于 村改居、拆迁安置、已填写
    actual: Value | None = None
    source: str | None = None
    assumption: str | None = None

    def missing(self) -> list[str]:
        """Names of the attributes whose absence left this node unknown."""
        if self.result is not None:
            return []
        if self.kind == "condition":
            return [self.attribute.name] if self.attribute is not None else []
        return list(dict.fromkeys(n for c in self.children for n in c.missing()))

    def text(self) -> str:
        """The rule itself, without values: 老旧住房占比 ≥ 0.5."""
        if self.kind == "condition":
            return f"{self.attribute.label if self.attribute else '？'} {self.test}"
        if self.kind == "not":
            return f"并非（{self.children[0].text()}）"
        joiner = " 且 " if self.kind == "all" else " 或 "
        return "（" + joiner.join(c.text() for c in self.children) + "）"

    def why(self) -> str:
        """Why a node that holds holds, with the actual values: 商品住宅占比 0.85 ≥ 0.5."""
        if self.kind == "condition":
            attr = self.attribute
            label = attr.label if attr else "？"
            if self.test in ("已填写", "未填写"):
                return f"{label}{self.test}"
            if attr is not None and attr.kind in ("yesno", "choice") and not self.test.startswith("≠"):
                return f"{label}：{show(attr, self.actual)}"
            return f"{label} {show(attr, self.actual)} {self.test}"
        if self.kind == "not":
            return f"不满足{self.children[0].text()}"
        if self.kind == "any":
            return next((c.why() for c in self.children if c.result), "")
        return "，".join(c.why() for c in self.children)


class TypeOutcome:
    """One type's rule as decided for one community. The explanation `trace` is built on first use:
    a listing needs it only for the winning type (its reason line) and for types left unknown."""

    __slots__ = ("type", "rank", "result", "_values", "_decls", "_trace")

    def __init__(self, type_: CommunityType, rank: int | None, result: bool | None,
                 values: dict[str, Value], decls: dict[str, Attribute]):
        self.type = type_
        self.rank = rank  # 1-based place in the precedence, None when not listed
        self.result = result  # False too when the type has no rule
        self._values = values
        self._decls = decls
        self._trace: Trace | None | bool = False

    @property
    def trace(self) -> Trace | None:
        """The evaluated rule with every condition's value and requirement; None: the type has no rule."""
        if self._trace is False:
            rule = self.type.rule
            self._trace = evaluate(rule, self._values, self._decls) if rule is not None else None
        return self._trace  # type: ignore[return-value]

    def why(self) -> str:
        """`trace.why()` of a type whose rule holds, worked out without building the trace."""
        rule = self.type.rule
        return _why(rule, self._values, self._decls) if rule is not None else ""


@dataclass
class Classification:
    community: Community
    recorded: CommunityType | None
    computed: CommunityType | None
    status: Status
    reason: str
    decision: str  # the precedence step that decided, for --explain
    matches: list[CommunityType] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    outcomes: list[TypeOutcome] = field(default_factory=list)


# -- evaluation ---------------------------------------------------------------------------------


def evaluate(rule: Rule, values: dict[str, Value], decls: dict[str, Attribute]) -> Trace:
    """Evaluate a (validated) rule against typed attribute values."""
    kind = rule.kind
    if kind != "condition":
        children = tuple(evaluate(c, values, decls) for c in rule.children())
        results = [c.result for c in children]
        if kind == "not":
            result = None if results[0] is None else not results[0]
        elif kind == "all":
            result = False if False in results else (None if None in results else True)
        else:
            result = True if True in results else (None if None in results else False)
        return Trace(kind, result, children)
    attr = decls[rule.attribute or ""]
    actual = values.get(attr.name)
    common = {"attribute": attr, "actual": actual, "source": rule.source, "assumption": rule.assumption}
    if rule.present is not None:
        return Trace("condition", (actual is not None) == rule.present, test="已填写" if rule.present else "未填写", **common)
    op, expected, test = _static(rule, attr)
    if op == "in":
        return Trace("condition", None if actual is None else actual in expected, test=test, **common)
    return Trace("condition", None if actual is None else _compare(actual, op, expected), test=test, **common)


_STATIC: dict[int, tuple[Rule, tuple[str, Any, str]]] = {}


def _static(rule: Rule, attr: Attribute) -> tuple[str, Any, str]:
    """What a condition compares against and how it reads, worked out once per rule (not per community)."""
    hit = _STATIC.get(id(rule))
    if hit is not None and hit[0] is rule:
        return hit[1]
    if rule.in_ is not None:
        options = [convert(attr, t) for t in rule.in_]
        static: tuple[str, Any, str] = ("in", options, "属于 " + "、".join(show(attr, o) for o in options))
    else:
        op = rule.op or "=="
        threshold = convert(attr, rule.value or "")
        static = (op, threshold, f"{OP_LABELS[op]} {show(attr, threshold)}")
    _STATIC[id(rule)] = (rule, static)  # the rule is kept with its entry, so the id is never reused meanwhile
    return static


Check = Callable[[dict[str, Value]], "bool | None"]
_COMPILED: dict[int, tuple[Rule, Check]] = {}


def decide(rule: Rule, values: dict[str, Value], decls: dict[str, Attribute]) -> bool | None:
    """The result `evaluate` gives (True, False or None), without building the explanation."""
    hit = _COMPILED.get(id(rule))
    if hit is None or hit[0] is not rule:
        hit = (rule, _compile(rule, decls))
        _COMPILED[id(rule)] = hit  # kept with its rule, as in _static
    return hit[1](values)


def _compile(rule: Rule, decls: dict[str, Attribute]) -> Check:
    """A function of the typed values with the same three-valued logic as `evaluate`."""
    kind = rule.kind
    if kind != "condition":
        parts = tuple(_compile(c, decls) for c in rule.children())
        if kind == "not":
            inner = parts[0]

            def negate(values: dict[str, Value]) -> bool | None:
                result = inner(values)
                return None if result is None else not result
            return negate
        if kind == "all":
            def every(values: dict[str, Value]) -> bool | None:
                unknown = False
                for part in parts:
                    result = part(values)
                    if result is False:
                        return False
                    if result is None:
                        unknown = True
                return None if unknown else True
            return every

        def some(values: dict[str, Value]) -> bool | None:
            unknown = False
            for part in parts:
                result = part(values)
                if result is True:
                    return True
                if result is None:
                    unknown = True
            return None if unknown else False
        return some
    attr = decls[rule.attribute or ""]
    name = attr.name
    if rule.present is not None:
        present = rule.present
        return lambda values: (name in values) == present
    op, expected, _ = _static(rule, attr)
    compare = _OPERATORS[op]

    def condition(values: dict[str, Value]) -> bool | None:
        actual = values.get(name)
        return None if actual is None else compare(actual, expected)
    return condition


def _why(rule: Rule, values: dict[str, Value], decls: dict[str, Attribute]) -> str:
    """What `Trace.why` says for a rule that holds, without building Trace objects."""
    kind = rule.kind
    if kind == "condition":
        attr = decls[rule.attribute or ""]
        actual = values.get(attr.name)
        if rule.present is not None:
            return f"{attr.label}{'已填写' if rule.present else '未填写'}"
        test = _static(rule, attr)[2]
        if attr.kind in ("yesno", "choice") and not test.startswith("≠"):
            return f"{attr.label}：{show(attr, actual)}"
        return f"{attr.label} {show(attr, actual)} {test}"
    if kind == "not":
        return evaluate(rule, values, decls).why()
    if kind == "any":
        return next((_why(c, values, decls) for c in rule.children() if decide(c, values, decls)), "")
    return "，".join(_why(c, values, decls) for c in rule.children())


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "in": lambda actual, options: actual in options,
    "==": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
    ">=": lambda a, b: bool(a >= b),
    ">": lambda a, b: bool(a > b),
    "<=": lambda a, b: bool(a <= b),
    "<": lambda a, b: bool(a < b),
}


def _compare(actual: Any, op: str, threshold: Any) -> bool:
    if op == "==":
        return bool(actual == threshold)
    if op == "!=":
        return bool(actual != threshold)
    if op == ">=":
        return bool(actual >= threshold)
    if op == ">":
        return bool(actual > threshold)
    if op == "<=":
        return bool(actual <= threshold)
    return bool(actual < threshold)


# -- decision -----------------------------------------------------------------------------------


def ranks(reg: Registry) -> dict[str, int]:
    """Type id -> 1-based place in the scheme's precedence."""
    out: dict[str, int] = {}
    for key in reg.precedence:
        t = reg.type_of(key)
        if t is not None and t.id not in out:
            out[t.id] = len(out) + 1
    return out


def classify_community(reg: Registry, community: Community, decls: dict[str, Attribute] | None = None,
                       place: dict[str, int] | None = None) -> Classification:
    """One community; `decls` and `place` may be passed in when classifying many (they are per scheme)."""
    decls = decls if decls is not None else {a.name: a for a in reg.attributes}
    values = reg.attribute_values(community)
    place = place if place is not None else ranks(reg)
    outcomes = [TypeOutcome(t, place.get(t.id), decide(t.rule, values, decls) if t.rule is not None else False,
                            values, decls) for t in reg.types]
    recorded = reg.type_of(community.type)
    matches = [o for o in outcomes if o.result is True]
    unknown = [o for o in outcomes if o.result is None]
    computed, decision, missing, ambiguous = _decide(matches, unknown, bool(place))
    status, reason = _status(recorded, computed, matches, missing, ambiguous, outcomes, decls)
    return Classification(community, recorded, computed, status, reason, decision, [o.type for o in matches], missing,
                          outcomes)


def _decide(matches: list[TypeOutcome], unknown: list[TypeOutcome],
            has_precedence: bool) -> tuple[CommunityType | None, str, list[str], bool]:
    """(computed type, the step that decided, missing attributes, ambiguous?)."""
    matches = by_precedence(matches)
    names = "、".join(f"“{o.type.name}”" for o in matches)
    winner: TypeOutcome | None = None
    if len(matches) == 1:
        winner = matches[0]
        step = f"只有{names}的规则成立。"
    elif matches:
        unlisted = [o for o in matches if o.rank is None]
        if unlisted:
            why = "方案没有规定优先顺序（precedence）" if not has_precedence else \
                f"{'、'.join(o.type.name for o in unlisted)}不在优先顺序（precedence）中"
            return None, f"{names}的规则都成立，{why}，无法确定取哪一个。", [], True
        ordered = sorted(matches, key=lambda o: o.rank or 0)
        winner = ordered[0]
        places = "、".join(f"{o.type.name}第 {o.rank} 位" for o in ordered)
        step = f"{names}的规则都成立；按优先顺序（{places}）取“{winner.type.name}”。"
    undecided = [o for o in unknown
                 if winner is None or winner.rank is None or o.rank is None or o.rank < winner.rank]
    if undecided:
        missing = list(dict.fromkeys(n for o in undecided if o.trace is not None for n in o.trace.missing()))
        which = "、".join(f"“{o.type.name}”" for o in undecided)
        return None, f"{which}的规则因缺少数据无法判断，{'可能改变结果' if winner else '无法归类'}。", missing, False
    if winner is None:
        return None, "没有任何类型的规则成立。", [], False
    return winner.type, step, [], False


def _status(recorded: CommunityType | None, computed: CommunityType | None, matches: list[TypeOutcome],
            missing: list[str], ambiguous: bool, outcomes: list[TypeOutcome],
            decls: dict[str, Attribute]) -> tuple[Status, str]:
    if missing:
        labels = "、".join(f"{decls[n].label}（{n}）" for n in missing)
        return "missing-data", f"缺少属性：{labels}，无法判断"
    if ambiguous:
        return "ambiguous", f"同时符合{'、'.join(o.type.name for o in matches)}，优先顺序无法区分"
    if computed is None:
        if not any(o.type.rule is not None for o in outcomes):
            return "unclassified", "方案中没有任何类型写了分类规则"
        if recorded is not None and recorded.rule is None:  # a type without a rule takes no part: nothing to contradict
            return "consistent", f"{recorded.name}没有分类规则，不参与自动分类；也不符合其他类型的规则"
        return "unclassified", "不符合任何类型的规则"
    winner = next(o for o in matches if o.type is computed)
    why = winner.why()
    also = [o.type.name for o in matches if o.type is not computed]
    tail = f"（也符合{'、'.join(also)}，优先顺序在后）" if also else ""
    if recorded is None:
        return "mismatch", f"尚未登记类型，建议登记为{computed.name}：{why}{tail}"
    if recorded is computed:
        return "consistent", f"{why}{tail}"
    return "mismatch", f"登记为{recorded.name}，规则计算为{computed.name}：{why}{tail}"


def classify(reg: Registry, type_: CommunityType | None = None, street: str | None = None) -> list[Classification]:
    """Every community (optionally: whose recorded or computed type is `type_`; in `street`)."""
    out = []
    decls = {a.name: a for a in reg.attributes}
    place = ranks(reg)
    street_unit = reg.unit(street) if street is not None else None  # a unit of any level
    for c in reg.communities:
        if street_unit is not None and not reg.covers(street_unit, c):
            continue
        result = classify_community(reg, c, decls, place)
        if type_ is not None and type_ not in (result.recorded, result.computed):
            continue
        out.append(result)
    return out


# -- plain results for the command ----------------------------------------------------------------


def row(result: Classification) -> dict[str, Any]:
    """The JSON contract of one listed community."""
    c = result.community
    return {
        "id": c.id,
        "name": c.name,
        "street": c.street,
        "recorded": result.recorded.name if result.recorded else None,
        "computed": result.computed.name if result.computed else None,
        "status": result.status,
        "status_label": STATUS_LABELS[result.status],
        "reason": result.reason,
        "recorded_id": result.recorded.id if result.recorded else None,
        "computed_id": result.computed.id if result.computed else None,
        "matches": [t.name for t in result.matches],
        "missing": list(result.missing),
    }


def trace_data(trace: Trace) -> dict[str, Any]:
    """A rule node for JSON: the condition, the actual value, the threshold and whether it held."""
    data: dict[str, Any] = {"kind": trace.kind, "result": trace.result}
    if trace.kind == "condition":
        attr = trace.attribute
        data.update({
            "attribute": attr.name if attr else None,
            "label": attr.label if attr else None,
            "requirement": trace.test,
            "actual": trace.actual,
            "source": trace.source,
            "assumption": trace.assumption,
        })
    else:
        data["children"] = [trace_data(c) for c in trace.children]
    return data


_GROUP_TEXT = {"all": "同时满足以下全部条件", "any": "满足以下任一条件", "not": "不满足以下条件"}


def trace_rows(type_name: str, trace: Trace, depth: int = 0) -> list[dict[str, Any]]:
    """One row per rule node, indented by depth, for the --explain tables."""
    indent = "  " * depth
    if trace.kind == "condition":
        attr = trace.attribute
        basis = trace.source or (f"假设：{trace.assumption}" if trace.assumption else None)
        return [{"type": type_name, "condition": f"{indent}{attr.label if attr else '？'}（{attr.name if attr else ''}）",
                 "actual": show(attr, trace.actual), "requirement": trace.test, "result": RESULT_LABELS[trace.result],
                 "basis": basis}]
    rows = [{"type": type_name, "condition": f"{indent}{_GROUP_TEXT[trace.kind]}", "actual": None, "requirement": None,
             "result": RESULT_LABELS[trace.result], "basis": None}]
    for child in trace.children:
        rows.extend(trace_rows(type_name, child, depth + 1))
    return rows


def by_precedence(outcomes: list[TypeOutcome]) -> list[TypeOutcome]:
    """Types in the order they are tried: by precedence, then the unlisted ones in file order."""
    return sorted(outcomes, key=lambda o: (o.rank is None, o.rank or 0))


def explain_data(result: Classification) -> dict[str, Any]:
    """The JSON of `classify --explain`: the listing row, every type's evaluated rule, the decision."""
    data = row(result)
    data["types"] = [{
        "id": o.type.id,
        "name": o.type.name,
        "precedence": o.rank,
        "matched": o.result,
        "rule": trace_data(o.trace) if o.trace is not None else None,
    } for o in by_precedence(result.outcomes)]
    data["decision"] = result.decision
    return data
