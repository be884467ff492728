"""Writing data files through the round trip keeps every bundled file byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATA, ROOT, TAICANG
from zhili.importing.yamlwrite import DataWriter, mapping

FILES = sorted([*DATA.rglob("*.yaml"), *TAICANG.rglob("*.yaml"), *(ROOT / "src/zhili/templates/empty").glob("*.yaml")])
# examples/taicang/types.yaml writes one flow list over two lines; the round trip joins it (documented)
JOINED = {TAICANG / "types.yaml"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_an_unchanged_document_is_written_back_identically(path: Path):
    writer = DataWriter(path.parent)
    writer.doc(path.name)
    text = writer.render()[path.name]
    if path in JOINED:
        assert text != path.read_text(encoding="utf-8")
        assert text.replace(" ", "").replace("\n", "") == path.read_text(encoding="utf-8").replace(" ", "").replace("\n", "")
    else:
        assert text == path.read_text(encoding="utf-8")


def test_an_added_entry_keeps_comments_quoting_and_flow_lists(data_copy):
    writer = DataWriter(data_copy)
    doc = writer.doc("tasks.yaml")
    doc["tasks"].append(mapping([("no", 31), ("type", None), ("title", "新任务"), ("lead", ["区住建局"]), ("support", [])]))
    assert writer.commit() == ["tasks.yaml"]
    text = (data_copy / "tasks.yaml").read_text(encoding="utf-8")
    original = (DATA / "tasks.yaml").read_text(encoding="utf-8")
    assert text == original + "  - no: 31\n    type: null\n    title: 新任务\n    lead: [区住建局]\n    support: []\n"
