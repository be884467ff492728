"""`zhili progress add`: one entry, checked, appended without disturbing the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import edit


def snapshot(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def test_add_appends_one_entry_and_keeps_everything_else(run, data_copy):
    before = (data_copy / "progress.yaml").read_text(encoding="utf-8")
    result = run("progress", "add", "--data", data_copy, "--task", "3", "--unit", "住建局", "--date", "2021-12-01",
                 "--note", "完成物业服务企业考评", "--as-of", "2021-12-31")
    assert result.exit_code == 0, result.stderr
    assert result.output.splitlines() == ["记录进展：任务 3（优化物业服务管理），区住建局，2021-12-01。", "已写入：progress.yaml"]
    after = (data_copy / "progress.yaml").read_text(encoding="utf-8")
    assert after == before + "  - task: 3\n    date: 2021-12-01\n    unit: 区住建局\n    note: 完成物业服务企业考评\n"
    again = run("progress", "add", "--data", data_copy, "--task", "3", "--unit", "区住建局", "--date", "2021-12-01",
                "--note", "完成物业服务企业考评", "--as-of", "2021-12-31")
    assert again.output.strip() == "已有相同的进展记录，未重复写入。"
    assert (data_copy / "progress.yaml").read_text(encoding="utf-8") == after


def test_done_is_recorded_and_the_task_counts_as_done(run, data_copy):
    result = run("progress", "add", "--data", data_copy, "--task", "23", "--unit", "区财政局", "--date", "2021-12-30",
                 "--note", "补短板项目全部完工", "--done", "--as-of", "2021-12-31")
    assert result.exit_code == 0, result.stderr
    assert (data_copy / "progress.yaml").read_text(encoding="utf-8").endswith("    note: 补短板项目全部完工\n    done: true\n")
    listed = run("tasks", "--data", data_copy, "--status", "done", "--as-of", "2021-12-31", "--format", "json")
    assert '"no": "23"' in listed.output


def test_a_new_progress_file_gets_the_schema_line(run, data_copy):
    (data_copy / "progress.yaml").unlink()
    (data_copy / "plans.yaml").unlink()
    result = run("progress", "add", "--data", data_copy, "--task", "1", "--unit", "区委组织部", "--date", "2021-04-08",
                 "--note", "印发工作提示", "--as-of", "2021-12-31")
    assert result.exit_code == 0, result.stderr
    assert (data_copy / "progress.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../schemas/progress.schema.json\n# 任务进展记录（由 zhili 写入）\n\n"
        "progress:\n  - task: 1\n    date: 2021-04-08\n    unit: 区委组织部\n    note: 印发工作提示\n")


@pytest.mark.parametrize("args, code, message", [
    (("--task", "99", "--unit", "区住建局"), 2, "错误：没有序号为 99 的任务。"),
    (("--task", "3", "--unit", "区妇联"), 2, "错误：区妇联 不是任务 3（优化物业服务管理）的牵头或配合单位。"),
    (("--task", "3", "--unit", "各街道"), 2, "错误：“各街道”是单位组，进展要由其中的一个单位报告。"),
    (("--task", "3", "--unit", "区住建局", "--date", "2022-01-01"), 2, "错误：进展日期 2022-01-01 晚于今天（2021-12-31）。"),
    (("--task", "3", "--unit", "区住建局", "--date", "2021-02-30"), 2, "错误：--date 的值"),
])
def test_bad_entries_are_refused(run, data_copy, args, code, message):
    before = snapshot(data_copy)
    result = run("progress", "add", "--data", data_copy, "--note", "甲", "--as-of", "2021-12-31", *args)
    assert result.exit_code == code
    assert message in result.stderr
    assert snapshot(data_copy) == before


def test_a_directory_that_does_not_validate_is_refused(run, data_copy):
    edit(data_copy / "units.yaml", "kind: 政府部门", "kind: 政府部", 1)
    before = snapshot(data_copy)
    result = run("progress", "add", "--data", data_copy, "--task", "3", "--unit", "区住建局", "--note", "甲",
                 "--date", "2021-06-01", "--as-of", "2021-12-31")
    assert result.exit_code == 1
    assert "units.yaml:" in result.stderr
    assert "现在就未通过校验，未写入任何内容。" in result.stderr
    assert snapshot(data_copy) == before


def test_the_sample_data_installed_with_zhili_is_never_written(run, data_copy, monkeypatch, tmp_path):
    import shutil

    from zhili.loading import datadir

    package = tmp_path / "site-packages" / "zhili"
    shutil.copytree(data_copy, package / "_bundled" / "youxian")
    monkeypatch.setattr(datadir, "_PACKAGE", package)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # no ./data: the bundled set is the default
    before = snapshot(package)
    result = run("progress", "add", "--task", "3", "--unit", "区住建局", "--note", "甲", "--date", "2021-06-01")
    assert result.exit_code == 2
    assert "是 zhili 安装时自带的示例数据，不能写入。" in result.stderr
    assert snapshot(package) == before
