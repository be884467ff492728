"""The registry keeps the entries of the large files as light records: same values, same answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DATA, TAICANG, edit

from zhili.loading import lighten, registry, yamlread
from zhili.loading.layout import SPECS
from zhili.model.records import Light


def _pydantic(path: Path, kind: str):
    """The file validated by pydantic alone, as the loader did before it kept light records."""
    spec = next(s for s in SPECS if s.kind == kind)
    return spec.model.model_validate(yamlread.read(path.read_bytes(), path.name).value)


def _same(light, model) -> None:
    """A light record tree holds exactly the values of the pydantic tree."""
    if isinstance(light, Light):
        assert type(light).__name__ == type(model).__name__
        assert light._asdict().keys() == {**model.__dict__, **(model.__pydantic_extra__ or {})}.keys()
        for name, value in light._asdict().items():
            _same(value, getattr(model, name))
    elif isinstance(light, list):
        assert type(model) is list and len(light) == len(model)
        for a, b in zip(light, model):
            _same(a, b)
    elif isinstance(light, dict):
        assert type(model) is dict and list(light) == list(model)
        for k in light:
            _same(light[k], model[k])
    else:
        assert type(light) is type(model) and light == model


@pytest.mark.parametrize("root", [DATA, TAICANG], ids=["youxian", "taicang"])
def test_the_registry_holds_light_records_with_the_values_pydantic_built(root):
    reg = registry.load_registry(root)
    kinds = {"communities": reg.communities, "plans": reg.plans, "progress": reg.progress, "remediation": reg.remediation}
    for kind, entries in kinds.items():
        path = root / f"{kind}.yaml"
        if not path.exists():
            assert entries == []
            continue
        assert entries and all(isinstance(e, Light) for e in entries)
        _same(entries, getattr(_pydantic(path, kind), lighten.LIGHT_FIELDS[type(_pydantic(path, kind)).__name__]))
    for year in reg.evaluations:
        assert all(isinstance(e, Light) for e in year.evaluations)
        _same(year.evaluations, _pydantic(root / "evaluations" / f"{year.year}.yaml", "evaluations").evaluations)
    assert not isinstance(reg.tasks[0], Light) and not isinstance(reg.units[0], Light)  # they stay pydantic models


def test_light_records_have_no_dict_but_an_evaluation_keeps_its_stage_results():
    reg = registry.load_registry(DATA)
    community, plan, evaluation = reg.communities[0], reg.plans[0], reg.evaluations[0].evaluations[0]
    for record in (community, plan, plan.targets[0], evaluation):
        assert not hasattr(record, "__dict__")
    model = _pydantic(DATA / "evaluations" / "2021.yaml", "evaluations").evaluations[0]
    assert evaluation.__pydantic_extra__ == model.__pydantic_extra__ and "self_assessment" in model.__pydantic_extra__
    assert list(evaluation.__pydantic_extra__) == list(model.__pydantic_extra__)  # in the order written
    assert evaluation.value("self_assessment") == evaluation.self_assessment == model.value("self_assessment")
    assert evaluation.value("no_such_stage") is None
    same_names = [e for e in reg.evaluations[0].evaluations if list(e.__pydantic_extra__) == list(model.__pydantic_extra__)]
    assert len(same_names) > 1 and len({type(e) for e in same_names}) == 1  # one class per set of stage names


def test_extra_names_that_cannot_be_slots_are_kept_in_a_dict(run, data_copy):
    edit(data_copy / "evaluations" / "2021.yaml", "    self_assessment: 95\n", "    self_assessment: 95\n    自评-补充: 3\n")
    result = run("validate", "--data", data_copy, "--format", "json")
    assert [(e["code"], e["message"]) for e in json.loads(result.stdout)["errors"]] == [
        ("ZL332", "评议记录中的“自评-补充”不是已声明的评议阶段。")]
    first = registry.load(data_copy).files["evaluations/2021.yaml"].model.evaluations[0]
    assert isinstance(first, Light) and first.__dict__ is not None
    expected = {"self_assessment": 95.0, "自评-补充": 3.0, "street_review": 92.0, "district_review": 90.0}
    assert list(first.__pydantic_extra__.items()) == list(expected.items()) == list(first.__dict__.items())
    assert first.value("自评-补充") == 3.0


def test_model_copy_and_model_dump_answer_as_pydantic_does():
    reg = registry.load_registry(DATA)
    plan = reg.plans[0]
    model = _pydantic(DATA / "plans.yaml", "plans").plans[0]
    for options in ({}, {"mode": "json", "by_alias": True, "exclude_none": True, "exclude_defaults": True}):
        assert plan.model_dump(**options) == model.model_dump(**options)
    changed = plan.model_copy(update={"community": "x"})
    assert changed.community == "x" and changed.targets is plan.targets and plan.community != "x"
    evaluation = reg.evaluations[0].evaluations[0]
    assert evaluation.model_copy(update={"street_review": 50.0}).value("street_review") == 50.0
    assert evaluation.value("street_review") != 50.0
    added = evaluation.model_copy(update={"extra_review": 1.0})  # a new extra field, as pydantic allows
    assert added.value("extra_review") == 1.0 and evaluation.value("extra_review") is None
    assert added.model_dump() == evaluation.model_dump() | {"extra_review": 1.0}


def test_an_extra_field_named_like_a_method_keeps_the_entry_pydantic_and_is_reported(run, data_copy):
    """`value:` in an evaluation record would hide the record's method: the entry stays a pydantic
    instance (which keeps extra fields apart) and the check reports the undeclared stage as before."""
    edit(data_copy / "evaluations" / "2021.yaml", "    self_assessment: 95\n", "    self_assessment: 95\n    value: 3\n")
    result = run("validate", "--data", data_copy, "--format", "json")
    assert result.exit_code == 1
    errors = json.loads(result.stdout)["errors"]
    assert [(e["code"], e["message"]) for e in errors] == [("ZL332", "评议记录中的“value”不是已声明的评议阶段。")]
    loaded = registry.load(data_copy).files["evaluations/2021.yaml"].model.evaluations
    assert not isinstance(loaded[0], Light) and all(isinstance(e, Light) for e in loaded[1:])


def _tree(value):
    """A registry part with each record's class and fields, for an exact comparison."""
    if isinstance(value, Light):
        return (type(value), [(k, _tree(v)) for k, v in value._asdict().items()])
    if isinstance(value, list):
        return ("list", [_tree(v) for v in value])
    if isinstance(value, dict):
        return ("dict", [(k, _tree(v)) for k, v in value.items()])
    if hasattr(value, "model_dump"):  # a pydantic model (the scheme, the units, the tasks)
        return (type(value), _tree(dict(value.__dict__, **(value.__pydantic_extra__ or {}))))
    return (type(value), value)


def _odd_extras(data_copy):
    edit(data_copy / "evaluations" / "2021.yaml", "    self_assessment: 95\n", "    self_assessment: 95\n    自评-补充: 3\n")
    edit(data_copy / "evaluations" / "2022.yaml", "    self_assessment: 92\n", "    self_assessment: 92\n    value: 1\n")


@pytest.mark.skipif(yamlread._native is None, reason="compares the native converter with the Python one")
@pytest.mark.parametrize("root", ["youxian", "taicang", "odd extras"])
def test_the_native_and_the_python_converters_make_the_same_records(root, data_copy, monkeypatch):
    if root == "odd extras":
        _odd_extras(data_copy)
    path = {"youxian": DATA, "taicang": TAICANG}.get(root, data_copy)
    made = {}
    for reader in ("native", "python"):
        monkeypatch.setenv(yamlread.READER_ENV, reader)
        files = registry.load(path).files
        made[reader] = {key: _tree(loaded.model.__dict__) for key, loaded in files.items()}
    assert made["native"] == made["python"]


@pytest.mark.skipif(yamlread._native is None, reason="the native converter's own refusals")
def test_the_native_converter_refuses_a_spec_that_is_not_one():
    from zhili.loading import lighten
    from zhili.model.community import Community

    native = yamlread._native
    community = Community(id="a", name="甲", street="乙")
    spec = lighten._native_spec(Community)
    assert [type(r).__name__ for r in native.records([community], spec, lighten.with_extra, lighten._deep)] == ["Community"]
    with pytest.raises(ValueError):
        native.records([community], spec[:6], lighten.with_extra, lighten._deep)
    too_far = spec[:2] + (tuple(1 << 20 for _ in spec[2]),) + spec[3:]  # an offset outside the record
    with pytest.raises(ValueError):
        native.records([community], too_far, lighten.with_extra, lighten._deep)
    with pytest.raises(TypeError):  # a field that is not one of the record class's slots
        native.slot_offsets(spec[1], ("_asdict",))


def test_fields_left_to_their_empty_default_share_one_empty_list_or_dict():
    reg = registry.load_registry(DATA)
    no_vetoes = [e.vetoes for year in reg.evaluations for e in year.evaluations if not e.vetoes]
    no_programmes = [c.programmes for c in reg.communities if not c.programmes]
    assert len(no_vetoes) > 1 and len({id(v) for v in no_vetoes}) == 1 and no_vetoes[0] == []
    assert len(no_programmes) > 1 and len({id(p) for p in no_programmes}) == 1 and no_programmes[0] == {}
