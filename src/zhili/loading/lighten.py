"""The entries of the large data files as the registry keeps them: light records, not pydantic instances.

Pydantic validates every entry (and decides what is valid, with its errors). What it builds then holds
each entry's values in a `__dict__` and the names of the fields given in a set: at 100,000 communities
those two were 320 MB of a 720 MB peak. The registry keeps, instead, a record per entry with the same
values in slots (`zhili.model.records.Light`), made right after a slice of entries is validated, so
that the pydantic instances are freed slice by slice.

Only the long lists of the files that grow with the number of communities are kept so: communities,
the evaluations of each year, plans, progress and remediation (with what their entries hold, such as a
plan's targets or an evaluation's vetoes). The scheme, the units and the tasks stay pydantic models.
"""

from __future__ import annotations

from typing import Any, Callable, get_args

from pydantic import BaseModel

from zhili.loading import yamlread
from zhili.model.records import Light, light_class, with_extra

# the file models whose list of entries the registry keeps as light records, by that list's field
LIGHT_FIELDS: dict[str, str] = {"CommunitiesFile": "communities", "EvaluationYear": "evaluations",
                                "PlansFile": "plans", "ProgressFile": "progress", "RemediationFile": "remediation"}

_CONVERTERS: dict[type, Callable[[Any], Any]] = {}
# a model's record class, field names, shared empties, deep converters (a model class for a list of
# models) and classes by extra field names (None: no extra fields); and the native converter's spec
_PARTS: dict[type, tuple[Any, ...]] = {}
_NATIVE: dict[type, tuple[Any, ...]] = {}
# A field left to its default (no vetoes, no programmes) holds these, shared: validated data is never
# changed in place (the models are frozen), and 100,000 empty lists and dicts were 24 MB.
_EMPTY_LIST: list[Any] = []
_EMPTY_DICT: dict[Any, Any] = {}


def light_field(model: type[BaseModel]) -> str | None:
    """The field of a file model whose entries become light records, if any."""
    return LIGHT_FIELDS.get(model.__name__)


def entries(models: list[Any]) -> list[Any]:
    """Light records of validated entries (each pydantic instance is then free to go): made by the native
    reader's extension where the native reader is in use, else by the generated Python converters (both
    make the same records; the tests run both)."""
    if not models:
        return []
    native = yamlread._native if yamlread._native is not None and yamlread.reader() == "native" else None
    if native is not None and type(models) is list:
        model = type(models[0])
        spec = _NATIVE.get(model) or _native_spec(model)
        if spec is not None:
            return native.records(models, spec, with_extra, _deep)
    found = _CONVERTERS
    return [(found.get(type(m)) or converter(type(m)))(m) for m in models]


def lighten(file_model: BaseModel, field: str, records: list[Any] | None = None) -> BaseModel:
    """The file model with its entries (or `records`, already light) in place of its pydantic entries."""
    file_model.__dict__[field] = entries(getattr(file_model, field)) if records is None else records
    return file_model


def converter(model: type[BaseModel]) -> Callable[[Any], Any]:
    """The function that turns one validated instance of `model` into its light record."""
    conv = _CONVERTERS.get(model)
    if conv is None:
        conv = _CONVERTERS[model] = _build(model)
    return conv


def _empty_default(info: Any) -> Any:
    """The shared empty list or dict for a field whose default is a new empty list or dict, else None."""
    factory = info.default_factory
    if factory is None:
        return None
    try:
        made = factory()
    except TypeError:  # a factory that takes the validated data: not a plain empty default
        return None
    if type(made) is list and not made:
        return _EMPTY_LIST
    if type(made) is dict and not made:
        return _EMPTY_DICT
    return None


def _native_spec(model: type[BaseModel]) -> tuple[Any, ...] | None:
    """What the native converter needs for `model` (see `records` in _yamlfast.c)."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)) or yamlread._native is None:
        return None
    converter(model)
    record, fields, empties, deeps, variants = _PARTS[model]
    deeps = tuple(_native_spec(d) if isinstance(d, type) else d for d in deeps)  # a list of models: its spec
    offsets = yamlread._native.slot_offsets(record, fields)
    spec = _NATIVE[model] = (model, record, offsets, fields, empties, deeps, variants)
    return spec


def _list_of(annotation: Any) -> type[BaseModel] | None:
    """The model of a `list[Model]` field (the native converter turns such a list itself)."""
    args = get_args(annotation)
    if getattr(annotation, "__origin__", None) is list and len(args) == 1 and isinstance(args[0], type) \
            and issubclass(args[0], BaseModel):
        return args[0]
    return None


def _holds_models(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_models(a) for a in get_args(annotation))


def _deep(value: Any) -> Any:
    """A field's value with every model in it made light (a plan's targets, an evaluation's vetoes)."""
    if isinstance(value, BaseModel):
        return converter(type(value))(value)
    kind = type(value)
    if kind is list:
        return entries(value) if value and isinstance(value[0], BaseModel) else [_deep(v) for v in value]
    if kind is dict:
        return {k: _deep(v) for k, v in value.items()}
    if kind is tuple:
        return tuple(_deep(v) for v in value)
    return value


def _build(model: type[BaseModel]) -> Callable[[Any], Any]:
    fields = tuple(model.model_fields)
    mixins = tuple(b for b in model.__mro__[1:] if b is not object and not issubclass(b, BaseModel))
    extra = model.model_config.get("extra") == "allow"
    record = light_class(model, fields, mixins, extra)
    lines = ["def conv(m):", "    d = m.__dict__"]
    if extra:
        # extra fields (an evaluation's stage results) go to slots of a class per set of names; a name that
        # would hide a field or a method of the record (only in data the checks refuse) keeps the entry a
        # pydantic instance, which keeps them apart
        lines += ["    ex = m.__pydantic_extra__",
                  "    if ex:",
                  "        names = tuple(ex)",
                  "        cls = variants.get(names) or with_extra(R, names)",
                  "        if cls is None:",
                  "            return m",
                  "        r = new(cls)",
                  "        for k, v in ex.items():",
                  "            setattr(r, k, v)",
                  "    else:",
                  "        r = new(R)"]
    else:
        lines.append("    r = new(R)")
    empties: list[Any] = []
    deeps: list[Any] = []
    for name in fields:
        info = model.model_fields[name]
        deep = _holds_models(info.annotation)
        value = f"deep(d[{name!r}])" if deep else f"d[{name!r}]"
        empty = _empty_default(info)
        if empty is not None:  # most are left empty: one shared empty list or dict
            value = f"({value} if d[{name!r}] else EMPTY_{type(empty).__name__.upper()})"
        lines.append(f"    r.{name} = {value}")
        empties.append(empty)
        deeps.append(_list_of(info.annotation) or _deep if deep else None)
    _PARTS[model] = (record, fields, tuple(empties), tuple(deeps), record._variants if extra else None)
    lines.append("    return r")
    namespace: dict[str, Any] = {"new": object.__new__, "R": record, "deep": _deep, "variants": record._variants,
                                 "with_extra": with_extra, "EMPTY_LIST": _EMPTY_LIST, "EMPTY_DICT": _EMPTY_DICT}
    exec("\n".join(lines), namespace)  # noqa: S102  (field names are the model's own identifiers)
    return namespace["conv"]


__all__ = ["LIGHT_FIELDS", "Light", "converter", "entries", "light_field", "lighten"]
