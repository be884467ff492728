"""A large file's bytes are not kept after reading: a diagnostic reads them again, proved unchanged."""

from __future__ import annotations

import json

import pytest

from conftest import edit

from zhili.loading import registry, source


@pytest.fixture
def drop_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file is treated as large: none keeps its bytes."""
    monkeypatch.setattr(source, "KEEP_BYTES", 0)


def _broken(data_copy):
    edit(data_copy / "communities.yaml", "type: 商品住宅型社区", "type: 不存在的类型")
    edit(data_copy / "tasks.yaml", "due: 2021-03-19", "due: 2021-02-30")


def test_a_large_file_keeps_no_bytes_but_a_digest(tmp_path, drop_bytes):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\nb: [2, 3]\n")
    src, diags = registry.read_source(path)
    assert diags == [] and src.data is None and src.value == {"a": "1", "b": ["2", "3"]}
    assert src.position(("b", 1)) == (2, 8)  # read again to place it
    assert src.data == path.read_bytes()


def test_a_small_file_keeps_its_bytes(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\n")
    src, _ = registry.read_source(path)
    assert src.data == b"a: 1\n"


def test_diagnostics_are_the_same_whether_the_bytes_were_kept_or_read_again(run, data_copy, monkeypatch):
    _broken(data_copy)
    kept = run("validate", "--data", data_copy, "--format", "json")
    monkeypatch.setattr(source, "KEEP_BYTES", 0)
    again = run("validate", "--data", data_copy, "--format", "json")
    assert kept.exit_code == again.exit_code == 1
    assert json.loads(again.stdout)["errors"] and kept.stdout == again.stdout
    text = run("validate", "--data", data_copy)
    monkeypatch.setattr(source, "KEEP_BYTES", 1 << 30)
    assert run("validate", "--data", data_copy).stdout == text.stdout


@pytest.mark.parametrize("change", ["edit", "delete", "same size"])
def test_a_file_changed_before_its_diagnostic_is_placed_stops_the_load(run, data_copy, monkeypatch, drop_bytes, change):
    """The bytes on disk are no longer those that were read: no line of them may be shown as the place."""
    _broken(data_copy)
    target = data_copy / "communities.yaml"
    real = registry.read_source

    def read_then_change(path, *args, **kwargs):
        found = real(path, *args, **kwargs)
        if path.name == "communities.yaml":
            if change == "delete":
                path.unlink()
            elif change == "edit":
                path.write_text("# 另一个版本\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
            else:
                data = path.read_bytes()
                assert "桑林".encode() in data
                path.write_bytes(data.replace("桑林".encode(), "桑树".encode(), 1))
        return found

    monkeypatch.setattr(registry, "read_source", read_then_change)
    result = run("validate", "--data", data_copy)
    assert result.exit_code == 1
    assert f"{target} 在 zhili 读取之后被修改（或被删除、替换），无法给出其中问题所在的行和列。" in result.output
    assert "重新运行 zhili" in result.output
