"""needs.yaml and resources.yaml: the 治理需求目录 and the 治理资源清单 (both optional files)."""

from __future__ import annotations

from typing import Literal

from zhili.model.base import Field, Id, Prose, Strict, Text

ResourceKind = Literal["人力", "物力", "文化", "智力", "宣传", "组织"]


class Need(Strict):
    """治理需求目录中的一条：某个社区在某个维度上的问题或需求。"""

    id: Id = Field(description="需求的稳定标识（英文字母、数字、连字符）")
    community: Text = Field(description="提出需求的社区（communities.yaml 中的 id，或不会混淆的社区名称）")
    dimension: Text = Field(description="需求维度，须是 types.yaml 中 scheme.need_dimensions 之一，如 基础设施提升")
    description: Prose = Field(description="需求内容：存在的问题或居民的诉求")
    note: str | None = Field(default=None, description="备注")


class NeedsFile(Strict):
    """needs.yaml 的整体结构。"""

    needs: list[Need] = Field(min_length=1, description="治理需求目录")


class Resource(Strict):
    """治理资源清单中的一条：谁提供什么资源、在哪里、能服务哪些维度。"""

    id: Id = Field(description="资源的稳定标识（英文字母、数字、连字符）")
    name: Text = Field(description="资源名称，如 党员志愿服务队")
    kind: ResourceKind = Field(description="资源类别：人力、物力、文化、智力、宣传、组织")
    provider: Text = Field(description="提供者名称，如 某某卫生服务中心")
    provider_kind: Text = Field(
        description="提供者类别，如 驻区单位、共建单位、社区社会组织、党员、草根领袖、社区能人")
    scope: Prose = Field(
        description="服务范围：一个社区（id 或名称），或一个单位（任一层级）/单位组（名称），表示该范围内的全部社区")
    dimensions: list[Text] = Field(min_length=1, description="能服务的需求维度（scheme.need_dimensions 中的名称）")
    description: str | None = Field(default=None, description="资源说明")
    note: str | None = Field(default=None, description="备注")


class ResourcesFile(Strict):
    """resources.yaml 的整体结构。"""

    resources: list[Resource] = Field(min_length=1, description="治理资源清单")
