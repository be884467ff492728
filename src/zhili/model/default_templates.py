"""Default template vocabularies: the lists a scheme gets when its types.yaml leaves one out, and
what `zhili init` writes. They are the lists zhili has always accepted (drawn from the first bundled
schemes), kept here as template data so that no other module in src/ names words of one scheme.
"""

from __future__ import annotations

DEFAULT_UNIT_KINDS: tuple[str, ...] = (
    "党委部门", "政府部门", "街道", "镇", "功能区", "群团组织", "市区共管部门", "事业单位", "非政府方")

# (name, pairs with an advanced community, needs a responsible unit)
DEFAULT_MEASURES: tuple[tuple[str, bool, bool], ...] = (
    ("领导联系包点", False, True), ("机关单位结对", False, True), ("先进社区帮带", True, False), ("选派第一书记", False, True))

# (id, label, months per period)
DEFAULT_RECURRENCES: tuple[tuple[str, str, int], ...] = (
    ("monthly", "每月", 1), ("bimonthly", "每两月", 2), ("quarterly", "每季度", 3), ("half-yearly", "每半年", 6),
    ("yearly", "每年", 12))

# plan status ids are a JSON contract; only their labels are the scheme's to choose
DEFAULT_PLAN_STATUSES: tuple[tuple[str, str], ...] = (
    ("on_time", "按时报送"), ("late", "逾期报送"), ("missing", "未报送"), ("pending", "未报送（未到期）"))
