"""Validated data as light records: the form in which the cache gives a registry back to commands.

A record holds one validated model's fields as plain attributes, and the models with behaviour have a
twin here that inherits it from `zhili.model.behaviour`, as the pydantic model does. Importing this
module loads no pydantic, which is what lets a command on unchanged data start quickly.
"""

from __future__ import annotations

import copy
from typing import Any

from zhili.model.behaviour import EvaluationMethods, EvaluationRulesMethods, RuleMethods


class Record:
    """The fields of one validated model, by the same names (`not_`, `in_` for the aliased ones)."""

    def __init__(self, **fields: Any):
        self.__dict__.update(fields)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"


class Rule(RuleMethods, Record):
    pass


class Evaluation(EvaluationMethods, Record):
    pass


class EvaluationRules(EvaluationRulesMethods, Record):
    pass


# the record class for a model class name; models without behaviour use Record itself
TWINS: dict[str, type[Record]] = {cls.__name__: cls for cls in (Rule, Evaluation, EvaluationRules)}


class Light:
    """A validated entry of a large data file, as the registry keeps it: the fields of its pydantic model
    in slots (no `__dict__`, no set of the fields given), and the model's behaviour from the same mixins.
    Pydantic decided that the values are valid; a light record only holds them. The classes are made from
    the models by `zhili.loading.lighten`.

    A model that allows extra fields (an evaluation's stage results) has a variant of its record class
    per set of extra field names, which holds them in slots too (`with_extra`)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()  # the model's field names, in its order
    _extra: tuple[str, ...] = ()  # the extra fields this class holds in slots, in the order given
    _model: Any = None  # the pydantic model class
    _variants: dict[tuple[str, ...], Any] | None = None  # extra field names -> class (models that allow extras)
    _root: Any = None  # the class made from the model (its variants derive from it)

    def _asdict(self) -> dict[str, Any]:
        """The fields, then the extra fields."""
        out = {name: getattr(self, name) for name in self._fields}
        for name in self._extra:
            out[name] = getattr(self, name)
        out.update(getattr(self, "__dict__", None) or {})
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self._asdict().items())})"

    # the two questions code asks of a pydantic model besides its fields, answered the same way

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Any:
        """A copy with some fields replaced (not validated, as with pydantic's `model_copy`)."""
        fields = {**self._asdict(), **(update or {})}
        if deep:
            fields = copy.deepcopy(fields)
        cls = type(self)
        if cls._variants is not None:
            cls = with_extra(cls, tuple(k for k in fields if k not in cls._fields)) or cls
        new = object.__new__(cls)
        for name, value in fields.items():
            setattr(new, name, value)
        return new

    def model_dump(self, **options: Any) -> Any:
        """What the pydantic model with these values dumps (the same options)."""
        return _model_of(self).model_dump(**options)


def _model_of(value: Any) -> Any:
    """The pydantic model a light record was made from, with these values (not validated again)."""
    if isinstance(value, Light):
        return value._model.model_construct(**{k: _model_of(v) for k, v in value._asdict().items()})
    kind = type(value)
    if kind is list:
        return [_model_of(v) for v in value]
    if kind is dict:
        return {k: _model_of(v) for k, v in value.items()}
    if kind is tuple:
        return tuple(_model_of(v) for v in value)
    return value


def _extra_fields(self: Light) -> dict[str, Any]:
    """Where pydantic keeps them (`__pydantic_extra__`), for the code that asks a model for its extra fields."""
    out = {name: getattr(self, name) for name in self._extra}
    out.update(getattr(self, "__dict__", None) or {})
    return out


def light_class(model: Any, fields: tuple[str, ...], mixins: tuple[type, ...], extra: bool) -> type[Light]:
    """A light record class for a pydantic `model`, named like it, with its fields as slots."""
    name = model.__name__
    body: dict[str, Any] = {"__slots__": fields, "_fields": fields, "_model": model, "__module__": __name__,
                            "__qualname__": name}
    if extra:
        body["__pydantic_extra__"] = property(_extra_fields)
        body["_variants"] = {}
    cls = type(name, mixins + (Light,), body)
    cls._root = cls
    return cls


_MAX_VARIANTS = 64  # sets of extra field names with a class of their own; more (odd data) share a __dict__


def with_extra(cls: type[Light], names: tuple[str, ...]) -> type[Light] | None:
    """The class of a record that also holds these extra fields; None when one of them would hide a field
    or a method of the record (only in data the checks refuse: the caller then keeps the pydantic model)."""
    base = cls._root
    variants = base._variants
    assert variants is not None
    found = variants.get(names)
    if found is not None:
        return found
    if not all(type(n) is str and not hasattr(base, n) for n in names):
        return None
    if all(n.isidentifier() and not n.startswith("_") for n in names) and len(variants) < _MAX_VARIANTS:
        slots, extra = names, names
    else:  # names that cannot be slots: a __dict__ holds them
        found = variants.get(("__dict__",))
        if found is not None:
            return found
        slots, extra, names = ("__dict__",), (), ("__dict__",)
    found = variants[names] = type(base.__name__, (base,), {"__slots__": slots, "_extra": extra, "__module__": __name__,
                                                           "__qualname__": base.__qualname__})
    return found
