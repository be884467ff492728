"""`zhili standards`: per-N minimums declared in the scheme, 缺数据 apart from 未达标, --check exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import DATA, edit

# -- domain: small hand-built registries --------------------------------------------------------


def _registry(figures: dict[str, dict[str, str | None]], *, per="100", minimum="30"):
    from zhili.model.community import Community
    from zhili.model.registry import Registry
    from zhili.model.rules import Attribute
    from zhili.model.scheme import CommunityType, Scheme
    from zhili.model.standards import Standard

    scheme = Scheme(id="t", name="测试", jurisdiction="测试区", title="方案", document="文号", issuer="机关", date="2021-01-01")
    communities = [Community(id=f"c{i}", name=name, street="甲街道", type="甲型", attributes=attrs)
                   for i, (name, attrs) in enumerate(figures.items())]
    return Registry(
        data_dir=Path("."), scheme=scheme, categories=[], types=[CommunityType(id="a", name="甲型")],
        communities=communities, units=[], groups=[], tasks=[],
        attributes=[Attribute(name="households", label="户数", kind="integer", unit="户"),
                    Attribute(name="facility_area", label="设施面积", kind="number", unit="平方米")],
        standards=[Standard(id="facility-area", name="设施面积", numerator="facility_area", denominator="households",
                            per=per, minimum=minimum, unit="平方米")],
    )


def _assess(figures, **kw):
    from zhili.domain.standards import assess

    reg = _registry(figures, **kw)
    return reg, {a.community.name: a for a in assess(reg, reg.standards[0])}


def test_met_short_and_exactly_at_the_standard():
    _, found = _assess({
        "甲": {"households": "1000", "facility_area": "350"},
        "乙": {"households": "1000", "facility_area": "250"},
        "丙": {"households": "300", "facility_area": "90"},  # exactly 30 per 100
    })
    assert (found["甲"].meets, found["甲"].shortfall, found["甲"].ratio) == (True, 0.0, 35.0)
    assert (found["乙"].meets, found["乙"].shortfall, found["乙"].ratio) == (False, 50.0, 25.0)
    assert found["乙"].status == "short" and found["乙"].status_label == "未达标"
    assert found["丙"].meets is True and found["丙"].shortfall == 0.0


def test_missing_figures_are_not_failures():
    _, found = _assess({
        "无面积": {"households": "800"},
        "无户数": {"facility_area": "300", "households": None},
        "零户": {"households": "0", "facility_area": "10"},
    })
    for name, missing in (("无面积", ("facility_area",)), ("无户数", ("households",)), ("零户", ("households",))):
        a = found[name]
        assert a.status == "missing" and a.status_label == "缺数据"
        assert (a.meets, a.shortfall, a.ratio) == (None, None, None)
        assert a.missing == missing


def test_the_norm_comes_from_the_declaration():
    # the same figures under another declared norm: 18 per 10,000
    _, found = _assess({"甲": {"households": "20000", "facility_area": "30"}}, per="10000", minimum="18")
    assert found["甲"].ratio == 15.0
    assert found["甲"].shortfall == 6.0


def test_row_contract_names_keys_after_the_attributes():
    from zhili.domain.standards import row

    reg, found = _assess({"乙": {"households": "1000", "facility_area": "250"}})
    r = row(reg, found["乙"])
    assert {k: r[k] for k in ("name", "households", "facility_area", "per_100_households", "standard", "shortfall", "meets")} == {
        "name": "乙", "households": 1000, "facility_area": 250, "per_100_households": 25, "standard": 30,
        "shortfall": 50, "meets": False}


def test_no_standards_declared_is_a_finding():
    from zhili.domain.standards import standards_of
    from zhili.errors import MissingPartError

    reg = _registry({})
    reg.standards = []
    with pytest.raises(MissingPartError, match="没有声明配置标准"):
        standards_of(reg)


# -- CLI on the bundled data ----------------------------------------------------------------------


def _rows(run, *args):
    result = run("standards", "--data", DATA, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_bundled_data_shows_both_outcomes_and_missing_figures(run):
    rows = _rows(run)
    assert len(rows) == 25
    statuses = {r["status"] for r in rows}
    assert statuses == {"met", "short", "missing"}
    assert {(r["status"], r["status_label"]) for r in rows} == {("met", "达标"), ("short", "未达标"), ("missing", "缺数据")}
    for r in rows:
        assert {"name", "households", "facility_area", "per_100_households", "standard", "shortfall", "meets"} <= set(r)
        assert r["standard"] == 30
        if r["status"] == "missing":
            assert r["meets"] is None and r["shortfall"] is None
        else:
            ratio = r["facility_area"] / r["households"] * 100
            assert r["per_100_households"] == round(ratio, 2)
            assert r["meets"] is (ratio >= 30)
            expected = 0 if ratio >= 30 else 30 * r["households"] / 100 - r["facility_area"]
            assert r["shortfall"] == pytest.approx(expected, abs=0.01)


def test_filters_by_street_and_type(run):
    rows = _rows(run, "--street", "游仙街道")
    assert [r["name"] for r in rows] == ["游仙观社区", "芙蓉社区", "龙申社区", "吴家社区"]
    assert {r["type"] for r in _rows(run, "--type", "老旧院落")} == {"老旧院落型社区"}


def test_check_exits_1_on_a_shortfall(run):
    rows = _rows(run)
    short = [r["name"] for r in rows if r["meets"] is False]
    result = run("standards", "--data", DATA, "--check")
    assert result.exit_code == 1
    assert f"检查未通过：{len(short)} 个社区未达标" in result.stderr
    assert short[0] in result.stdout


def test_check_passes_when_only_data_is_missing(run, data_copy):
    names_short = [r["name"] for r in json.loads(run("standards", "--data", data_copy, "--format", "json").stdout)
                   if r["meets"] is False]
    # lower the standard so that nobody falls short; the communities without figures remain 缺数据
    edit(data_copy / "types.yaml", "    minimum: 30\n", "    minimum: 10\n")
    result = run("standards", "--data", data_copy, "--check", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert names_short and all(r["meets"] is not False for r in rows)
    assert any(r["status"] == "missing" for r in rows)


def test_check_on_a_street_that_meets_the_standard(run):
    meets = {r["street"] for r in _rows(run) if r["meets"] is False}
    ok = next(s for s in ("富乐街道", "游仙街道", "涪江街道", "经济试验区") if s not in meets)
    assert run("standards", "--data", DATA, "--street", ok, "--check").exit_code == 0


def test_table_shows_missing_as_quedata_and_basis(run):
    out = run("standards", "--data", DATA, env={"COLUMNS": "200"}).stdout
    assert "缺数据" in out and "未达标" in out
    assert "中发〔2017〕13号" in out
    assert "每百户居民拥有社区综合服务设施面积不低于30平方米" in out


def test_csv_and_xlsx_parse_back(run, tmp_path):
    import openpyxl

    raw = run("standards", "--data", DATA, "--format", "csv").stdout_bytes
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert raw.startswith(b"\xef\xbb\xbf")
    assert {r["结论"] for r in rows} == {"达标", "未达标", "缺数据"}
    target = tmp_path / "standards.xlsx"
    assert run("standards", "--data", DATA, "-o", target).exit_code == 0
    ws = openpyxl.load_workbook(target).worksheets[0]
    head = [c.value for c in ws[1]]
    assert "户数（户）" in head and "结论" in head
    assert isinstance(ws.cell(row=2, column=head.index("户数（户）") + 1).value, int)


def test_unknown_standard_is_a_usage_error(run):
    result = run("standards", "--data", DATA, "--standard", "社区工作者")
    assert result.exit_code == 2
    assert "没有名为“社区工作者”的配置标准" in result.output


def test_a_second_norm_is_declared_the_same_way(run, data_copy):
    edit(data_copy / "types.yaml", "standards:\n", """standards:
  - id: facility-area-strict
    name: 严格设施标准
    numerator: facility_area
    denominator: households
    per: 100
    minimum: 35
    unit: 平方米
""")
    rows = json.loads(run("standards", "--data", data_copy, "--standard", "严格", "--format", "json").stdout)
    assert {r["standard_id"] for r in rows} == {"facility-area-strict"}
    assert {r["standard"] for r in rows} == {35}
    both = json.loads(run("standards", "--data", data_copy, "--format", "json").stdout)
    assert len(both) == 50
    flat = list(csv.DictReader(io.StringIO(run("standards", "--data", data_copy, "--format", "csv").stdout.lstrip("\ufeff"))))
    assert {r["标准"] for r in flat} == {"严格设施标准", "社区综合服务设施面积"}


def _line_of(path: Path, text: str) -> int:
    return next(i for i, l in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text in l)


def test_undeclared_attribute_in_a_standard(run, data_copy):
    types = data_copy / "types.yaml"
    edit(types, "    numerator: facility_area\n", "    numerator: facility_space\n")
    result = run("validate", "--data", data_copy, "--format", "json")
    assert result.exit_code == 1
    err = next(e for e in json.loads(result.stdout)["errors"] if e["code"] == "ZL307")
    assert err["message"] == "配置标准“社区综合服务设施面积”的分子“facility_space”不是已声明的属性。"
    assert err["line"] == _line_of(types, "numerator: facility_space")
    assert "facility_area" in err["hint"] and "households" in err["hint"]


def test_non_numeric_attribute_in_a_standard(run, data_copy):
    types = data_copy / "types.yaml"
    edit(types, "    denominator: households\n", "    denominator: commodity_housing_share_x\n")
    edit(types, "  - name: commodity_housing_share\n", "  - name: commodity_housing_share_x\n")
    edit(types, "      attribute: commodity_housing_share\n", "      attribute: commodity_housing_share_x\n")
    text = (data_copy / "communities.yaml").read_text(encoding="utf-8").replace("commodity_housing_share:", "commodity_housing_share_x:")
    (data_copy / "communities.yaml").write_text(text, encoding="utf-8")
    result = run("validate", "--data", data_copy, "--format", "json")
    errors = json.loads(result.stdout)["errors"]
    assert [e["code"] for e in errors] == ["ZL308"], errors
    assert errors[0]["message"] == "配置标准“社区综合服务设施面积”的分母“commodity_housing_share_x”是“0 到 1 之间的比例”属性，不是数值。"
    assert errors[0]["line"] == _line_of(types, "denominator: commodity_housing_share_x")


@pytest.mark.parametrize("old,new,code,message", [
    ("    per: 100\n", "    per: 0\n", "ZL205", None),
    ("    minimum: 30\n", "    minimum: 30平方米\n", "ZL204", "“30平方米”不是数字"),
])
def test_bad_numbers_in_a_standard(run, data_copy, old, new, code, message):
    types = data_copy / "types.yaml"
    edit(types, old, new)
    result = run("validate", "--data", data_copy, "--format", "json")
    errors = json.loads(result.stdout)["errors"]
    assert [e["code"] for e in errors] == [code]
    assert errors[0]["line"] == _line_of(types, new.strip())
    if message:
        assert message in errors[0]["message"]
