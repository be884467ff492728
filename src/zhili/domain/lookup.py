"""Finding things by what users type: a full name, an id, an alias or an unambiguous short form."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Callable, Iterable, Sequence, TypeVar

from zhili.errors import UsageError
from zhili.model.registry import Registry

if TYPE_CHECKING:
    from zhili.model.community import Community
    from zhili.model.scheme import CommunityType, Level

T = TypeVar("T")


def find(text: str, items: Sequence[T], keys: Callable[[T], Iterable[str]], label: str, display: Callable[[T], str]) -> T:
    """Exact key first; else the one item a key of which contains `text`; else a UsageError with candidates."""
    text = text.strip()
    exact = [i for i in items if text in set(keys(i))]
    if len(exact) == 1:
        return exact[0]
    partial = exact or [i for i in items if any(text and text in k for k in keys(i))]
    if len(partial) == 1:
        return partial[0]
    if partial:
        names = "、".join(display(i) for i in partial[:8])
        raise UsageError(f"“{text}”可以指多个{label}。您是否要找：{names}？", "请写出完整名称。")
    pool = {k: i for i in items for k in keys(i)}
    close = difflib.get_close_matches(text, list(pool), n=5, cutoff=0.3)
    picks = list(dict.fromkeys(display(pool[c]) for c in close))
    if picks:
        raise UsageError(f"没有名为“{text}”的{label}。您是否要找：{'、'.join(picks)}？")
    everything = "、".join(display(i) for i in items[:12])
    raise UsageError(f"没有名为“{text}”的{label}。", f"可选的{label}：{everything}{'等' if len(items) > 12 else ''}。")


def find_type(reg: Registry, text: str) -> CommunityType:
    return find(text, reg.types, lambda t: (t.name, t.id), "社区类型", lambda t: t.name)


def find_street(reg: Registry, text: str) -> str:
    """A unit of any level (e.g. a 街道, or the 区 above it) by name, alias or short form: a filter on
    communities then keeps those of that unit and of the units below it."""
    units = [u for u in reg.units if reg.level_of(u) is not None]
    label = "、".join(lv.name for lv in reg.levels if reg.units_at(lv.id)) or reg.level_label()
    unit = find(text, units, lambda u: (u.name, *u.aliases), label, lambda u: u.name)
    return unit.name


def find_level(reg: Registry, text: str) -> Level:
    """A declared level by id or name (e.g. town, 街道（镇））."""
    return find(text, reg.levels, lambda lv: (lv.id, lv.name), "层级", lambda lv: f"{lv.name}（{lv.id}）")


def find_community(reg: Registry, text: str) -> Community:
    return find(text, reg.communities, lambda c: (c.id, c.name, f"{c.street}{c.name}"), "社区",
                lambda c: f"{c.street}{c.name}")
