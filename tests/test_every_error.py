"""Every error in one run: files that parse are checked in full, what could not be checked is named,
consequences of one mistake are not reported as mistakes of their own, and a wrong date gets its fix."""

from __future__ import annotations

import json

import pytest

from conftest import edit

SKIP_COMMUNITIES = "communities.yaml 有语法错误：涉及社区的相互引用检查未进行"


def five_mistakes(data):
    """One syntax error in communities.yaml and mistakes of every other kind in the other files."""
    edit(data / "communities.yaml", "name: 桑林社区", "name: 桑林社区: 涪江街道")  # syntax
    edit(data / "tasks.yaml", "lead: [", "lead: [区不存在局, ")  # unknown unit
    edit(data / "units.yaml", "members: [涪江街道, ", "members: [涪江街到, ")  # unknown member
    edit(data / "progress.yaml", "date: 2021-04-08", "date: 2021/4/8")  # date form
    edit(data / "remediation.yaml", "partner: liduci", "partner: liduci\n    colour: 红")  # unknown field


def test_a_syntax_error_does_not_hide_the_other_files_mistakes(data_copy, run):
    five_mistakes(data_copy)
    result = run("validate", "--data", data_copy, "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    found = {(e["file"].rsplit("/", 1)[-1], e["code"]) for e in payload["errors"]}
    assert found == {("communities.yaml", "ZL102"), ("tasks.yaml", "ZL302"), ("units.yaml", "ZL302"),
                     ("progress.yaml", "ZL206"), ("remediation.yaml", "ZL201")}
    skipped = sorted(s["message"].rsplit("/", 1)[-1] for s in payload["skipped"])
    assert skipped == [SKIP_COMMUNITIES, "progress.yaml 有字段错误：涉及任务进展记录的相互引用检查未进行",
                       "remediation.yaml 有字段错误：涉及后进社区帮扶措施的相互引用检查未进行"]


def test_checks_that_need_an_unreadable_file_are_skipped_by_name_in_text_and_json(data_copy, run, monkeypatch):
    monkeypatch.chdir(data_copy)
    edit(data_copy / "communities.yaml", "name: 桑林社区", "name: 桑林社区: 涪江街道")
    text = run("validate")
    assert text.exit_code == 1
    assert f"未进行：{SKIP_COMMUNITIES}。" in text.stderr
    payload = json.loads(run("validate", "--format", "json").stdout)
    assert payload["skipped"] == [{"file": "communities.yaml", "message": SKIP_COMMUNITIES}]
    github = run("validate", "--data", data_copy, "--format", "github")
    assert "::notice file=" in github.stdout and "涉及社区的相互引用检查未进行" in github.stdout


def test_a_file_with_schema_errors_is_named_too(data_copy, run):
    edit(data_copy / "tasks.yaml", "due: 2021-03-19", "due: 明天")
    payload = json.loads(run("validate", "--data", data_copy, "--format", "json").stdout)
    assert [s["message"].rsplit("/", 1)[-1] for s in payload["skipped"]] == ["tasks.yaml 有字段错误：涉及任务台账的相互引用检查未进行"]


def test_valid_data_skips_nothing(data_copy, run):
    payload = json.loads(run("validate", "--data", data_copy, "--format", "json").stdout)
    assert payload["valid"] is True and payload["skipped"] == []


def test_a_misspelled_type_is_one_error_not_three(data_copy, run):
    text = (data_copy / "communities.yaml").read_text(encoding="utf-8")
    at = text.index("name: 韩家脊社区")
    line = text.count("\n", 0, text.index("type: ", at)) + 1
    edit(data_copy / "communities.yaml", "name: 韩家脊社区\n    street: 涪江街道\n    type: 商品住宅型社区",
         "name: 韩家脊社区\n    street: 涪江街道\n    type: 商品住宅形社区")
    result = run("validate", "--data", data_copy, "--format", "json")
    payload = json.loads(result.stdout)
    assert [(e["code"], e["line"]) for e in payload["errors"]] == [("ZL301", line)]
    assert [s["message"] for s in payload["skipped"]] == [
        f"社区“韩家脊社区”的类型不存在（communities.yaml 第 {line} 行）：remediation.yaml 中先进、后进身份的核对未进行"]
    assert "ZL311" not in run("validate", "--data", data_copy).stderr


@pytest.mark.parametrize("written", ["2021/3/19", "2021年3月19日", "2021-3-19", "2021.03.19", "２０２１-０３-１９"])
def test_a_date_in_another_form_gets_the_corrected_value(written, data_copy, run):
    text = (data_copy / "tasks.yaml").read_text(encoding="utf-8")
    line = text.count("\n", 0, text.index("due: 2021-03-19")) + 1
    edit(data_copy / "tasks.yaml", "due: 2021-03-19", f"due: {written}")
    result = run("validate", "--data", data_copy, "--format", "json")
    (error,) = json.loads(result.stdout)["errors"]
    assert (error["code"], error["line"], error["column"]) == ("ZL206", line, 10)
    assert error["hint"] == "改为 2021-03-19。"
    assert written in error["message"]


@pytest.mark.parametrize("written", ["2021/2/30", "3月19日", "明天"])
def test_a_date_that_cannot_be_corrected_keeps_the_general_hint(written, data_copy, run):
    edit(data_copy / "tasks.yaml", "due: 2021-03-19", f"due: {written}")
    (error,) = json.loads(run("validate", "--data", data_copy, "--format", "json").stdout)["errors"]
    assert error["code"] == "ZL206" and "改为" not in error["hint"]


def test_without_a_readable_types_yaml_the_units_are_still_checked(data_copy, run):
    """The scheme unreadable: no type can be judged (no ZL301 flood), but streets and units still are."""
    edit(data_copy / "types.yaml", "  - id: ", "  - id: : ")
    edit(data_copy / "tasks.yaml", "lead: [", "lead: [区不存在局, ")
    edit(data_copy / "communities.yaml", "street: 涪江街道", "street: 涪江街到")
    payload = json.loads(run("validate", "--data", data_copy, "--format", "json").stdout)
    assert sorted((e["file"].rsplit("/", 1)[-1], e["code"]) for e in payload["errors"]) == [
        ("communities.yaml", "ZL304"), ("tasks.yaml", "ZL302"), ("types.yaml", "ZL102")]
    assert [s["message"].rsplit("/", 1)[-1] for s in payload["skipped"]] == [
        "types.yaml 有语法错误：涉及方案与社区类型的相互引用检查未进行"]
