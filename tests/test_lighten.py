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
    for record in (community, plan, plan.targets[0]):
        assert not hasattr(record, "__dict__")
    assert evaluation.__dict__ == evaluation.__pydantic_extra__ and "self_assessment" in evaluation.__dict__
    assert evaluation.value("self_assessment") == evaluation.self_assessment
    assert evaluation.value("no_such_stage") is None


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
